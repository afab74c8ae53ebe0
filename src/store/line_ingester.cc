#include "store/line_ingester.h"

#include "common/assert.h"
#include "common/limits.h"
#include "store/pending.h"

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
    : store_(store), decoder_(decoder), options_(std::move(options)) {
  LEDGER_ASSERT(options_.batch_events >= 1 && options_.batch_events <= limits::kEventsPerAppendMax);
  pending_.requests.reserve(options_.batch_events);
  pending_.prepared.reserve(options_.batch_events);
  writer_ = std::thread([this] { WriterLoop(); });
}

LineIngester::~LineIngester() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  writer_.join();
}

Status LineIngester::AddLine(std::string_view line) {
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (IsBlank(line)) return {};
  ++pending_.lines;
  pending_.last_line = line_number_;
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
  if (pending_.requests.size() + pending_.rejects.size() >= options_.batch_events) return Submit();
  return {};
}

// Assembles the pending batch (overlapping the writer's write of the previous one) and starts
// the next one, keeping the vectors' memory.
Result<LineIngester::Assembled> LineIngester::AssemblePending() {
  auto append = store_.AssembleAppend(pending_.requests, pending_.prepared, pending_.rejects);
  if (!append) return tl::unexpected(append.error());
  Assembled assembled{std::move(*append), {}, pending_.rejects.size(), pending_.lines, pending_.last_line};
  assembled.request_lines.reserve(pending_.requests.size());
  for (const auto& request : pending_.requests) assembled.request_lines.push_back(request.origin.line);
  pending_.requests.clear();
  pending_.prepared.clear();
  pending_.rejects.clear();
  pending_.lines = 0;
  return assembled;
}

// Hands the pending batch to the writer, waiting while another batch is still queued.
Status LineIngester::Submit() {
  {
    std::lock_guard lock(mutex_);
    if (error_) return tl::unexpected(*error_);
  }
  if (pending_.lines == 0) return {};
  auto assembled = AssemblePending();
  std::unique_lock lock(mutex_);
  if (!assembled && !error_) error_ = assembled.error();
  changed_.wait(lock, [this] { return !queued_.has_value() || error_.has_value(); });
  if (error_) return tl::unexpected(*error_);  // an assembled batch is dropped, hence void
  queued_ = std::move(*assembled);
  lock.unlock();
  changed_.notify_all();
  return {};
}

Status LineIngester::Flush() {
  if (auto submitted = Submit(); !submitted) return submitted;
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return (!queued_.has_value() && !writing_) || error_.has_value(); });
  if (error_) return tl::unexpected(*error_);
  return {};
}

IngestCounts LineIngester::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

void LineIngester::WriterLoop() {
  for (;;) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return queued_.has_value() || stopping_; });
    if (!queued_) return;  // stopping with nothing left to write
    Assembled batch = std::move(*queued_);
    queued_.reset();
    writing_ = true;
    lock.unlock();
    changed_.notify_all();
    WriteBatch(batch);
    lock.lock();
    writing_ = false;
    lock.unlock();
    changed_.notify_all();
  }
}

void LineIngester::WriteBatch(Assembled& batch) {
  {
    std::lock_guard lock(mutex_);
    if (error_) return;  // an earlier batch failed: write nothing after it (dropping it voids it)
  }
  auto outcomes = store_.WriteAssembled(std::move(batch.append));
  std::unique_lock lock(mutex_);
  if (!outcomes) {
    error_ = outcomes.error();
    return;
  }
  counts_.lines += batch.lines;
  counts_.rejected += batch.decode_rejects;
  std::vector<std::string> descriptions;
  for (std::size_t i = 0; i < outcomes->size(); ++i) {
    const AppendOutcome& outcome = (*outcomes)[i];
    if (outcome.kind == AppendOutcome::Kind::kStored) ++counts_.stored;
    if (outcome.kind == AppendOutcome::Kind::kDuplicate) ++counts_.duplicate;
    if (outcome.kind != AppendOutcome::Kind::kRejected) continue;
    ++counts_.rejected;
    descriptions.push_back(codec::DescribeRejection(batch.request_lines[i], *outcome.rejection));
  }
  counts_.committed_lines = batch.last_line;
  const IngestCounts snapshot = counts_;
  lock.unlock();
  if (on_reject) {
    for (const auto& description : descriptions) on_reject(description);
  }
  if (on_commit) on_commit(snapshot);
}

}  // namespace capledger::store
