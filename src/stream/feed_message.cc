#include "stream/feed_message.h"

#include <fmt/format.h>

#include "common/assert.h"
#include "domain/date.h"
#include "ledger/accounts.h"
#include "ledger/render_json.h"
#include "store/json_text.h"

namespace capledger::stream {
namespace {

using store::JsonString;

std::string Quoted(domain::Money amount) { return "\"" + domain::FormatKronor(amount) + "\""; }

// The fields every message ends with: where the event is in the log.
std::string LogFields(std::uint64_t seq, Timestamp recorded_at, const crypto::Digest& hash) {
  return fmt::format(R"("seq": {}, "recorded_at": "{}", "hash": "{}")", seq, domain::FormatTimestamp(recorded_at),
                     crypto::Hex(hash));
}

std::string ComponentOreJson(const std::array<domain::Money, domain::kComponentCount>& amounts) {
  std::string out = "{";
  for (int c = 0; c < domain::kComponentCount; ++c) {
    if (c) out += ", ";
    out += fmt::format(R"("{}": {})", domain::Name(static_cast<domain::Component>(c)),
                       amounts[static_cast<std::size_t>(c)].ore());
  }
  return out + "}";
}

std::string UnbookedJson(const std::vector<domain::UnbookedDifference>& unbooked) {
  std::string out = "[";
  for (const auto& u : unbooked) {
    if (out.size() > 1) out += ", ";
    out += fmt::format(R"({{"clinic": {}, "month": "{}", "component": "{}", "amount": {}, "amount_ore": {}}})",
                       JsonString(u.clinic), domain::FormatMonth(u.period), domain::Name(u.component), Quoted(u.amount),
                       u.amount.ore());
  }
  return out + "]";
}

}  // namespace

FeedMessage EntryMessage(const store::StoredRecord& record) {
  const auto* entry = std::get_if<domain::LedgerEntry>(&record.stored.event.body);
  LEDGER_ASSERT(entry != nullptr);
  std::string value = ledger::EntryJsonObject(*entry);
  LEDGER_ASSERT(!value.empty() && value.back() == '}');
  value.pop_back();
  value += fmt::format(R"(, "amount_ore": {}, {}}})", entry->amount.ore(),
                       LogFields(record.stored.seq, record.stored.recorded_at, record.hash));
  return FeedMessage{entry->clinic, std::move(value), kMessageEntry, entry->entry_id, domain::FormatMonth(entry->run),
                     record.stored.seq};
}

Status RunSummaryBuilder::AddEntry(std::uint64_t seq, const domain::LedgerEntry& entry) {
  if (!run_ || *run_ != entry.run || seq != last_seq_ + 1) {
    Clear();
    run_ = entry.run;
    first_seq_ = seq;
  }
  auto total = total_.Plus(entry.amount);
  auto& part = per_component_[static_cast<std::size_t>(entry.component)];
  auto component = part.Plus(entry.amount);
  if (!total || !component) return Fail(ErrorCode::kInvalidArgument, "a run's sum does not fit in 64-bit öre");
  total_ = *total;
  part = *component;
  last_seq_ = seq;
  ++entries_;
  return {};
}

bool RunSummaryBuilder::Complete(std::uint64_t seq, const domain::PayoutRun& run) const {
  const auto count = static_cast<std::uint64_t>(run.entry_count);
  if (count == 0) return true;
  return run_ && *run_ == run.run && entries_ == count && last_seq_ + 1 == seq;
}

RunSummary RunSummaryBuilder::Finish(const store::StoredRecord& record) {
  const auto* run = std::get_if<domain::PayoutRun>(&record.stored.event.body);
  LEDGER_ASSERT(run != nullptr);
  LEDGER_ASSERT(Complete(record.stored.seq, *run));
  RunSummary summary;
  summary.run = *run;
  summary.run_event_id = record.stored.event.id;
  summary.seq = record.stored.seq;
  summary.recorded_at = record.stored.recorded_at;
  summary.hash = record.hash;
  if (run->entry_count > 0) {
    summary.entries = entries_;
    summary.total = total_;
    summary.per_component = per_component_;
    summary.first_entry_seq = first_seq_;
    summary.last_entry_seq = last_seq_;
  }
  Clear();
  return summary;
}

FeedMessage RunCompletedMessage(const RunSummary& s, int partitions) {
  const std::string month = domain::FormatMonth(s.run.run);
  std::string value = fmt::format(
      R"({{"message": "run-completed", "id": {}, "run": "{}", "known_at_seq": {}, "rulebook": {}, "entry_count": {}, )"
      R"("total": {}, "total_ore": {}, "components": {}, "components_ore": {}, "first_entry_seq": {}, )"
      R"("last_entry_seq": {}, "unbooked": {}, {}, "partitions": {}}})",
      JsonString(s.run_event_id), month, s.run.known_at_seq, JsonString(s.run.rulebook), s.entries, Quoted(s.total),
      s.total.ore(), ledger::ComponentAmountsJson(s.per_component), ComponentOreJson(s.per_component),
      s.first_entry_seq ? std::to_string(s.first_entry_seq) : "null",
      s.last_entry_seq ? std::to_string(s.last_entry_seq) : "null", UnbookedJson(s.run.unbooked),
      LogFields(s.seq, s.recorded_at, s.hash), partitions);
  return FeedMessage{month, std::move(value), kMessageRunCompleted, "", month, s.seq};
}

}  // namespace capledger::stream
