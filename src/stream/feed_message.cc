#include "stream/feed_message.h"

#include "codec/json_out.h"
#include "common/assert.h"
#include "domain/date.h"
#include "ledger/accounts.h"
#include "present/json_ledger.h"

namespace capledger::stream {
namespace {

using codec::JsonArray;
using codec::JsonObject;

constexpr codec::JsonSpacing kSpacing = codec::JsonSpacing::kSpaced;

// The members every message ends with: where the event is in the log.
void WriteLogFields(JsonObject& o, std::uint64_t seq, Timestamp recorded_at, const crypto::Digest& hash) {
  o.Integer("seq", seq).String("recorded_at", domain::FormatTimestamp(recorded_at)).String("hash", crypto::Hex(hash));
}

void WriteComponentOre(JsonObject o, const std::array<domain::Money, domain::kComponentCount>& amounts) {
  for (domain::Component c : domain::kComponents) o.Integer(domain::Name(c), amounts[static_cast<std::size_t>(c)].ore());
  o.Close();
}

void WriteUnbooked(JsonArray list, const std::vector<domain::UnbookedDifference>& unbooked) {
  for (const auto& u : unbooked) {
    list.Object()
        .String("clinic", u.clinic)
        .String("month", domain::FormatMonth(u.period))
        .String("component", domain::Name(u.component))
        .Kronor("amount", u.amount)
        .Integer("amount_ore", u.amount.ore())
        .Close();
  }
  list.Close();
}

// A seq, or null for 0 (a run without entries has no first or last entry).
std::optional<std::int64_t> SeqOrNull(std::uint64_t seq) {
  return seq != 0 ? std::optional<std::int64_t>(static_cast<std::int64_t>(seq)) : std::nullopt;
}

}  // namespace

FeedMessage EntryMessage(const store::StoredRecord& record) {
  const auto* entry = std::get_if<domain::LedgerEntry>(&record.stored.event.body);
  LEDGER_ASSERT(entry != nullptr);
  std::string value;
  JsonObject o(value, kSpacing);
  present::WriteEntryMembers(o, *entry);
  o.Integer("amount_ore", entry->amount.ore());
  WriteLogFields(o, record.stored.seq.value(), record.stored.recorded_at, record.hash);
  o.Close();
  return FeedMessage{entry->clinic.str(), std::move(value), kMessageEntry, entry->entry_id.str(), domain::FormatMonth(entry->run),
                     record.stored.seq.value()};
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
  LEDGER_ASSERT(Complete(record.stored.seq.value(), *run));
  RunSummary summary;
  summary.run = *run;
  summary.run_event_id = record.stored.event.id;
  summary.seq = record.stored.seq.value();
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
  std::string value;
  JsonObject o(value, kSpacing);
  o.String("message", "run-completed")
      .String("id", s.run_event_id)
      .String("run", month)
      .Integer("known_at_seq", s.run.known_at_seq)
      .String("rulebook", s.run.rulebook)
      .Integer("entry_count", s.entries)
      .Kronor("total", s.total)
      .Integer("total_ore", s.total.ore());
  present::WriteComponentAmounts(o.Object("components"), s.per_component);
  WriteComponentOre(o.Object("components_ore"), s.per_component);
  o.IntegerOrNull("first_entry_seq", SeqOrNull(s.first_entry_seq)).IntegerOrNull("last_entry_seq", SeqOrNull(s.last_entry_seq));
  WriteUnbooked(o.Array("unbooked"), s.run.unbooked);
  WriteLogFields(o, s.seq, s.recorded_at, s.hash);
  o.Integer("partitions", partitions).Close();
  return FeedMessage{month, std::move(value), kMessageRunCompleted, "", month, s.seq};
}

}  // namespace capledger::stream
