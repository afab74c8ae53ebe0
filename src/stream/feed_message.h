// The finance feed's messages (docs/feed.md): what one booked ledger entry and one completed
// payout run become on [kafka] ledger_topic. Pure rendering, no Kafka types: the publisher
// (feed.cc) adds the key, the headers and the partition.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/calculation.h"
#include "domain/event.h"
#include "store/event_store.h"

namespace capledger::stream {

// Header names and the values of kHeaderMessage.
inline constexpr const char* kHeaderMessage = "capledger-message";    // "entry" | "run-completed"
inline constexpr const char* kHeaderEntryId = "capledger-entry-id";   // entries only
inline constexpr const char* kHeaderRun = "capledger-run";            // the run's month, "2024-03"
inline constexpr const char* kHeaderSeq = "capledger-seq";            // the event's log seq, decimal
inline constexpr const char* kMessageEntry = "entry";
inline constexpr const char* kMessageRunCompleted = "run-completed";

// One message, before the publisher hands it to the producer.
struct FeedMessage {
  std::string key;    // entry: the clinic id; run-completed: the run's month
  std::string value;  // JSON, one object, no trailing newline
  std::string message;  // kMessageEntry or kMessageRunCompleted
  std::string entry_id;  // entries only
  std::string run;       // "2024-03"
  std::uint64_t seq = 0;
};

// The message of a stored LedgerEntry: the value is `capledger entries --json`'s object for the
// entry (present::WriteEntryMembers, the same fields in the same order) followed by "amount_ore"
// (the signed amount as an integer of öre), "seq", "recorded_at" and "hash" (the event's chain
// hash, lower-case hex). REQUIRES record holds a LedgerEntry.
FeedMessage EntryMessage(const store::StoredRecord& record);

// What a run-completed message says about a run (its PayoutRun event and the entries it booked,
// which the log holds at the entry_count seqs just before it).
struct RunSummary {
  domain::PayoutRun run;
  std::string run_event_id;  // "RUN-2024-03"
  std::uint64_t seq = 0;     // of the PayoutRun event
  Timestamp recorded_at{};
  crypto::Digest hash{};
  std::uint64_t entries = 0;                                          // counted from the entries
  domain::Money total = domain::Money::Zero();                        // their sum
  std::array<domain::Money, domain::kComponentCount> per_component = domain::ZeroAmounts();  // per component
  std::uint64_t first_entry_seq = 0;  // 0 when the run booked nothing
  std::uint64_t last_entry_seq = 0;
};

// Adds the run's entries one by one, in seq order, and then its PayoutRun.
class RunSummaryBuilder {
 public:
  // Adds an entry at `seq`. An entry that does not follow the last one added (another run, or a
  // gap: the feed resumed in the middle of a run) starts the count again from it.
  Status AddEntry(std::uint64_t seq, const domain::LedgerEntry& entry);
  // True if the entries added are exactly the run's: entry_count of them for `run`, ending just
  // before `seq`. Otherwise the caller reads them again from seq - entry_count.
  bool Complete(std::uint64_t seq, const domain::PayoutRun& run) const;
  // The summary of the PayoutRun `record` (REQUIRES Complete); clears the builder.
  RunSummary Finish(const store::StoredRecord& record);
  void Clear() { *this = RunSummaryBuilder(); }

 private:
  std::optional<domain::Month> run_;
  std::uint64_t entries_ = 0;
  std::uint64_t first_seq_ = 0;
  std::uint64_t last_seq_ = 0;
  domain::Money total_ = domain::Money::Zero();
  std::array<domain::Money, domain::kComponentCount> per_component_ = domain::ZeroAmounts();
};

// The run-completed message of `summary`, for one of the topic's `partitions` partitions (the
// publisher sends one copy to each, docs/feed.md): {"message": "run-completed", "id", "run",
// "known_at_seq", "rulebook", "entry_count", "total", "total_ore", "components" (amount text per
// component), "components_ore", "first_entry_seq", "last_entry_seq", "unbooked", "seq",
// "recorded_at", "hash", "partitions"}.
FeedMessage RunCompletedMessage(const RunSummary& summary, int partitions);

}  // namespace capledger::stream
