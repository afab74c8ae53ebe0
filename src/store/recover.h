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
  std::uint64_t feed_cursor_before = 0;
  std::uint64_t feed_cursor_after = 0;  // at most the recovered head
  Timestamp at{};                        // when the recovery ran (the clock's)

  // The events acknowledged but lost: recovered.seq + 1 .. acknowledged->seq (none if empty).
  std::uint64_t lost_events() const;
};

// The file in the store's directory where every recovery is recorded, one JSON line each.
inline constexpr std::string_view kRecoveryLogFile = "recovery.log";

// Recovers the store in `dir`, holding its writer lock throughout:
// 1. copies every write-ahead log file, the manifest and CURRENT to `dir`/damaged-<time>/;
// 2. opens the database replaying the write-ahead log up to its first damage (RocksDB's
//    point-in-time recovery), dropping the rest;
// 3. sets the head record to the head found, and the finance feed's cursor back to it if it was
//    beyond (finance then holds entries of seqs that later events will reuse: the report says so);
// 4. appends the report to `dir`/recovery.log, synced.
// `damage` is what the normal open said. kRefused if another process holds the store; kLogDamaged
// if even this cannot open it (then restore a backup); kIoError if copying or recording fails
// (then nothing has been changed but the copy).
Result<RecoveryReport> RecoverStore(const std::filesystem::path& dir, std::string damage, const Clock& clock,
                                    const StoreOptions& options = {});

// The report as one JSON line (without the newline), as recovery.log holds it.
std::string RecoveryJson(const RecoveryReport& report);

}  // namespace capledger::store
