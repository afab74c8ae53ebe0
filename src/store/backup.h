// Backups of a store (docs/storage.md, "Backup and restore"): a RocksDB checkpoint taken while a
// writer may hold the store open, which counts only once its whole hash chain verifies; and
// restoring such a copy into a data directory that holds no store.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>

#include "common/clock.h"
#include "common/error.h"
#include "store/event_store.h"

namespace capledger::store {

// What a store copy that verified holds.
struct VerifiedCopy {
  Head head;                          // the copy's head: seq, recorded_at, hash
  std::uint64_t events_checked = 0;   // events whose chain Verify recomputed (seqs 1..head.seq)
  std::optional<std::uint64_t> log_offset;  // meta/log_offset (keys.h), if the store holds one
};

// How many times a caller opens the store again and retries a backup that was kUnavailable
// (a writer flushed or compacted while the checkpoint was taken), before it gives up.
inline constexpr int kBackupAttemptsMax = 5;

// Copies the store into `target` (which must not exist) with EventStore::CheckpointTo, gives the
// copy a head record, opens it read-only and verifies its whole chain. The copy holds every event
// `store` saw and possibly a few the writer appended while it was taken; it opens on its own, its
// head record at its verified head. On any failure `target` is removed. kUnavailable as
// CheckpointTo (open the store again and retry); errors of VerifyStoreCopy; kIoError.
// Keeps no reference to its arguments.
Result<VerifiedCopy> BackupStore(const EventStore& store, const std::filesystem::path& target, const Clock& clock);

// Opens the store copy in `dir` read-only, without a secret, verifies its chain and reads its log
// offset. kCorruption if it does not verify, naming the first bad seq and the problem, and saying
// so when RocksDB's own checksums failed first; kCorruption too if it does not open at all
// (damage RocksDB finds, a missing table file, a missing or disagreeing head record), with
// RocksDB's reason. Changes nothing in `dir`.
Result<VerifiedCopy> VerifyStoreCopy(const std::filesystem::path& dir, const Clock& clock);

// What a restorer requires of a copy that verified (its head is the one a manifest names, say);
// an error refuses the restore before anything is written.
using CopyCheck = std::function<Status(const VerifiedCopy&)>;

// Restores the store copy in `copy` into `target`: verifies the copy and passes what it verified
// as to `check`, copies its files, synced,
// into `<target>.restoring-<pid>` beside `target`, verifies them there and renames that directory
// into place, holding the lock of the folder they are in, as creating a store does
// (CreateStoreIfMissing). What a restore that died left beside `target` is removed first. A crash
// leaves either no store in `target` or the whole one. kRefused if `target` holds a store or
// anything else (it must be missing or an empty folder); errors of VerifyStoreCopy and `check`;
// kIoError.
// Returns what the restored store verified as.
// Keeps no reference to its arguments.
Result<VerifiedCopy> RestoreStore(const std::filesystem::path& copy, const CopyCheck& check,
                                  const std::filesystem::path& target, const Clock& clock);

}  // namespace capledger::store
