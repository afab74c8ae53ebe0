// An operator's recovery of a store whose log does not open (kLogDamaged): the store's log is
// opened at the last event it can read, and everything about the loss is kept and recorded.
// Nothing here runs unless an operator asks for it (`capledger recover --accept-loss`).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "store/event_store.h"

namespace capledger::store {

// What a recovery found and did.
struct RecoveryReport {
  std::optional<Head> acknowledged;  // the head record before recovery (empty if unreadable)
  Head recovered;                    // the log's head after recovery
  std::string damage;                // why the store did not open (the error of a normal open)
  std::filesystem::path kept;        // the copy of the write-ahead log and manifest as they were
  domain::Seq feed_cursor_before;
  domain::Seq feed_cursor_after;  // at most the recovered head
  Timestamp at{};                        // when the recovery ran (the clock's)

  // The events acknowledged but lost: recovered.seq + 1 .. acknowledged->seq (none if empty).
  std::uint64_t lost_events() const;
  // True if the log ends at the acknowledged seq but with another event there (its hash differs
  // from the head record's): the event acknowledged was replaced, not lost.
  bool substituted() const;
};

// The file in the store's directory where every recovery is recorded, one JSON line each.
inline constexpr std::string_view kRecoveryLogFile = "recovery.log";

// Recovers the store in `dir`, holding its writer lock throughout:
// 1. keeps the store's files as they are in `dir`/damaged-<time>/ (copies of the write-ahead
//    logs, manifest, CURRENT and options; hard links to the table files);
// 2. appends a line to `dir`/recovery.log saying a recovery starts, synced;
// 3. opens the database replaying the write-ahead log up to its first damage (RocksDB's
//    point-in-time recovery), dropping the rest, and flushes what it replayed;
// 4. sets the head record to the head found, and the finance feed's cursor back to it if it was
//    beyond;
// 5. appends the report to `dir`/recovery.log, synced.
// `damage` is what the normal open said. kRefused if another process holds the store; kLogDamaged
// if even this cannot open it for damage (then restore a backup); kIoError if the disk fails (full,
// unreadable): before step 3 nothing but the kept files has changed; after it, recovery.log says a
// recovery started and did not finish, and running it again completes it.
Result<RecoveryReport> RecoverStore(const std::filesystem::path& dir, std::string damage, const Clock& clock,
                                    const StoreOptions& options = {});

// The report as one JSON line (without the newline), as recovery.log holds it; and the line that
// says a recovery starts (its time, the damage, the acknowledged seq, where the files are kept).
std::string RecoveryJson(const RecoveryReport& report);
std::string RecoveryStartJson(const RecoveryReport& report);

}  // namespace capledger::store
