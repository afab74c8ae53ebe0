#include "store/line_ingester.h"

#include "common/assert.h"
#include "common/limits.h"

namespace capledger::store {
namespace {

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

LineIngester::LineIngester(EventStore& store, codec::JsonLineDecoder& decoder, IngestOptions options)
    : decoder_(decoder),
      options_(std::move(options)),
      stage_(store, IngestStageOptions{AssembleOn::kCaller, 1}, [this](DurableBatch& batch) { return Durable(batch); }) {
  LEDGER_ASSERT(options_.batch_events >= 1 && options_.batch_events <= limits::kEventsPerAppendMax);
  pending_.requests.reserve(options_.batch_events);
  pending_.prepared.reserve(options_.batch_events);
}

Status LineIngester::AddLine(std::string_view line) {
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (IsBlank(line)) return {};
  ++pending_.inputs;
  pending_.last_input = line_number_;
  InputOrigin origin{options_.source_name, line_number_, std::string(line.substr(0, limits::kRejectRawBytesMax))};
  auto decoded = decoder_.Decode(line);
  if (!decoded) {
    if (on_reject) on_reject(codec::DescribeRejection(line_number_, decoded.error()));
    pending_.rejects.push_back(RejectRecord{std::move(origin), std::move(decoded.error()), {}});
  } else {
    auto recorded_at = decoded->recorded_at ? decoded->recorded_at : options_.default_recorded_at;
    pending_.requests.push_back(AppendRequest{std::move(decoded->event), recorded_at, std::move(origin)});
    pending_.prepared.push_back(PrepareBody(pending_.requests.back().event));  // here, off the writer thread
  }
  if (pending_.size() >= options_.batch_events) return stage_.Submit(pending_);
  return {};
}

Status LineIngester::Flush() {
  if (auto submitted = stage_.Submit(pending_); !submitted) return submitted;
  return stage_.Flush();
}

IngestCounts LineIngester::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

// On the stage's thread, once a batch is durable: the totals, then the store's rejections.
Status LineIngester::Durable(const DurableBatch& batch) {
  std::unique_lock lock(mutex_);
  counts_.lines += batch.inputs;
  counts_.stored += batch.stored;
  counts_.duplicate += batch.duplicate;
  counts_.rejected += batch.rejected();
  counts_.committed_lines = batch.last_input;
  const IngestCounts snapshot = counts_;
  lock.unlock();
  if (on_reject) {
    for (const auto& reject : batch.store_rejects) {
      on_reject(codec::DescribeRejection(reject.origin.line, reject.rejection));
    }
  }
  if (on_commit) on_commit(snapshot);
  return {};
}

}  // namespace capledger::store
