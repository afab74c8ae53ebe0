// Backups: a checkpoint of an open store, verified by the hash chain (store/backup.h).
//
// The store may be open read-only beside a writer in another process. RocksDB 7.8 makes a
// checkpoint of a read-only open (without flushing: a read-only open cannot), but from the files
// as they are when it copies them, with the manifest as far as the open read it: a flush or
// compaction by the writer in between can remove a write-ahead log the copy's manifest still
// needs, and the copy then silently lacks those writes (docs/decisions.md, "Backup and
// restore"). So CheckpointTo compares the manifest afterwards: if the source's has grown or been
// replaced since the open read it, the copy is thrown away (kUnavailable).
#include "store/backup.h"

#include <fstream>
#include <limits>

#include <rocksdb/utilities/checkpoint.h>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "common/crypto.h"
#include "store/head_record.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {

// The manifest file a store directory's CURRENT names, and its size.
struct ManifestState {
  std::string name;
  std::uintmax_t bytes = 0;
  bool operator==(const ManifestState&) const = default;
};

Result<ManifestState> ManifestOf(const std::filesystem::path& dir) {
  std::ifstream current(dir / "CURRENT");
  ManifestState state;
  if (!std::getline(current, state.name) || !state.name.starts_with("MANIFEST-")) {
    return Fail(ErrorCode::kIoError, fmt::format("cannot read which manifest {}/CURRENT names", dir.string()));
  }
  std::error_code ec;
  state.bytes = std::filesystem::file_size(dir / state.name, ec);
  if (ec) return Fail(ErrorCode::kIoError, fmt::format("cannot read the size of {}: {}", state.name, ec.message()));
  return state;
}

// Whether the checkpoint in `target` holds the manifest `source` has now, byte for byte in length:
// the checkpoint copies the manifest as far as the open read it.
Result<bool> ManifestUnchanged(const std::filesystem::path& source, const std::filesystem::path& target) {
  auto copied = ManifestOf(target);
  if (!copied) return tl::unexpected(copied.error());
  auto now = ManifestOf(source);
  if (!now) return tl::unexpected(now.error());
  return *copied == *now;
}

Status RemoveCopy(const std::filesystem::path& target) {
  std::error_code ec;
  std::filesystem::remove_all(target, ec);
  if (ec) return Fail(ErrorCode::kIoError, fmt::format("cannot remove {}: {}", target.string(), ec.message()));
  return {};
}

Result<std::optional<std::uint64_t>> LogOffsetOf(const EventStore& store) {
  auto value = store.ReadMeta(kMetaLogOffset);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return std::optional<std::uint64_t>();
  if ((*value)->size() != 8) return Fail(ErrorCode::kCorruption, "the stored log offset is not 8 bytes");
  return std::optional<std::uint64_t>(ReadBigEndian64(**value));
}

// The error for a copy whose chain does not verify.
Error ChainBroken(const std::filesystem::path& dir, const VerifyReport& report) {
  std::string message = fmt::format("the store copy in {} does not verify: FAILED at seq {}: {}", dir.string(),
                                    *report.first_bad_seq, report.problem);
  if (report.unreadable) {
    message += " (RocksDB's own checksums failed there, before the hash chain could be recomputed)";
  }
  return Error{ErrorCode::kCorruption, std::move(message)};
}

// The checkpoint in `linked` copied into `target`, and `linked` removed.
Status CopyOut(const std::filesystem::path& linked, const std::filesystem::path& target) {
  auto copied = CopyStoreFiles(linked, target);
  auto removed = RemoveCopy(linked);
  return copied ? removed : copied;
}

}  // namespace

Status EventStore::CheckpointTo(const std::filesystem::path& target) const {
  std::error_code ec;
  if (std::filesystem::exists(target, ec)) return Fail(ErrorCode::kRefused, fmt::format("{} exists", target.string()));
  rocksdb::Checkpoint* raw = nullptr;
  auto s = rocksdb::Checkpoint::Create(impl_->db.get(), &raw);
  if (!s.ok()) return tl::unexpected(StatusError(s, "preparing a checkpoint"));
  const std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // No flush: a read-only open cannot flush (RocksDB versions after 7.8 wait for one forever,
  // facebook/rocksdb#11167); the write-ahead logs are copied instead.
  s = checkpoint->CreateCheckpoint(std::filesystem::absolute(target).string(),
                                   std::numeric_limits<std::uint64_t>::max());
  if (!s.ok()) {
    (void)RemoveCopy(target);  // the checkpoint's own error is the one to report
    if (s.IsPathNotFound()) {
      return Fail(ErrorCode::kUnavailable, fmt::format("a file of the store in {} was removed by its writer while it "
                                                       "was copied ({}); the copy was thrown away",
                                                       impl_->db->GetName(), s.ToString()));
    }
    return tl::unexpected(StatusError(s, fmt::format("writing a checkpoint into {}", target.string())));
  }
  auto unchanged = ManifestUnchanged(impl_->db->GetName(), target);
  if (unchanged && *unchanged) return {};
  if (auto removed = RemoveCopy(target); !removed) return removed;
  if (!unchanged) return tl::unexpected(unchanged.error());
  return Fail(ErrorCode::kUnavailable, fmt::format("the store in {} was flushed or compacted while it was copied; "
                                                   "the copy was thrown away",
                                                   impl_->db->GetName()));
}

Result<VerifiedCopy> VerifyStoreCopy(const std::filesystem::path& dir, const Clock& clock) {
  StoreOptions options;
  options.read_only = true;
  auto opened = EventStore::Open(dir, nullptr, clock, options);
  if (!opened) {
    return Fail(ErrorCode::kCorruption,
                fmt::format("the store copy in {} does not open, so its hash chain cannot be verified: {}",
                            dir.string(), opened.error().message));
  }
  const EventStore& copy = **opened;
  auto report = copy.Verify();
  if (!report) return tl::unexpected(report.error());
  if (report->first_bad_seq) return tl::unexpected(ChainBroken(dir, *report));
  auto log_offset = LogOffsetOf(copy);
  if (!log_offset) return tl::unexpected(log_offset.error());
  return VerifiedCopy{copy.head(), report->events_checked, *log_offset};
}

Result<VerifiedCopy> BackupStore(const EventStore& store, const std::filesystem::path& target, const Clock& clock) {
  std::error_code ec;
  if (std::filesystem::exists(target, ec)) return Fail(ErrorCode::kRefused, fmt::format("{} exists", target.string()));
  // The checkpoint hard-links the table files where it can; the backup is a copy of its own, so
  // that damage to the store's disk blocks is not damage to the backup.
  const std::filesystem::path linked = target.string() + ".checkpoint";
  if (auto removed = RemoveCopy(linked); !removed) return tl::unexpected(removed.error());
  if (auto made = store.CheckpointTo(linked); !made) return tl::unexpected(made.error());
  if (auto copied = CopyOut(linked, target); !copied) {
    (void)RemoveCopy(target);  // the copy's own error is the one to report
    return tl::unexpected(copied.error());
  }
  // The copy's log reaches at least the source's head: start its record there, then move it to
  // the head the copy verified at.
  auto started = CreateHeadRecord(target, store.head());
  auto verified = started ? VerifyStoreCopy(target, clock) : Result<VerifiedCopy>(tl::unexpected(started.error()));
  if (verified) {
    auto recorded = CreateHeadRecord(target, verified->head);
    if (recorded) return verified;
    verified = tl::unexpected(recorded.error());
  }
  (void)RemoveCopy(target);  // the failure that made the copy useless is the one to report
  return verified;
}

}  // namespace capledger::store
