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
    : store_(store), decoder_(decoder), options_(std::move(options)) {
  LEDGER_ASSERT(options_.batch_events >= 1 && options_.batch_events <= limits::kEventsPerAppendMax);
  pending_.reserve(options_.batch_events);
}

Status LineIngester::AddLine(std::string_view line) {
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (IsBlank(line)) return {};
  ++counts_.lines;
  InputOrigin origin{options_.source_name, line_number_, std::string(line.substr(0, limits::kRejectRawBytesMax))};
  auto decoded = decoder_.Decode(line);
  if (!decoded) {
    if (on_reject) on_reject(codec::DescribeRejection(line_number_, decoded.error()));
    pending_rejects_.push_back(RejectRecord{std::move(origin), std::move(decoded.error()), {}});
  } else {
    auto recorded_at = decoded->recorded_at ? decoded->recorded_at : options_.default_recorded_at;
    pending_.push_back(AppendRequest{std::move(decoded->event), recorded_at, std::move(origin)});
  }
  if (pending_.size() + pending_rejects_.size() >= options_.batch_events) return Flush();
  return {};
}

Status LineIngester::Flush() {
  if (pending_.empty() && pending_rejects_.empty()) return {};
  auto outcomes = store_.Append(pending_, pending_rejects_);
  if (!outcomes) return tl::unexpected(outcomes.error());
  counts_.rejected += pending_rejects_.size();
  for (std::size_t i = 0; i < outcomes->size(); ++i) {
    const AppendOutcome& outcome = (*outcomes)[i];
    switch (outcome.kind) {
      case AppendOutcome::Kind::kStored: ++counts_.stored; break;
      case AppendOutcome::Kind::kDuplicate: ++counts_.duplicate; break;
      case AppendOutcome::Kind::kRejected:
        ++counts_.rejected;
        if (on_reject) on_reject(codec::DescribeRejection(pending_[i].origin.line, *outcome.rejection));
        break;
    }
  }
  counts_.committed_lines = counts_.lines;
  pending_.clear();
  pending_rejects_.clear();
  if (on_commit) on_commit(counts_);
  return {};
}

}  // namespace capledger::store
