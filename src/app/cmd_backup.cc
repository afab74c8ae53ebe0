// backup --out DIR and restore --from DIR: a copy of the store verified by the hash chain, and the
// way back from it (docs/storage.md, "Backup and restore").
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/store_access.h"
#include "codec/backup_manifest.h"
#include "codec/json_out.h"
#include "codec/seq_format.h"
#include "common/crypto.h"
#include "common/file_write.h"
#include "store/backup.h"

namespace capledger::app {
namespace {

namespace fs = std::filesystem;

// The folder of today's one store inside a backup; with a store per region, one folder each.
constexpr std::string_view kStoreCopyDir = "store";
constexpr std::string_view kManifestFile = "backup.json";

// "backup: store `store`: head seq 1234, hash ab12…, 1234 events verified", or with --json
// {"store", "head_seq", "head_hash", "events_verified"}.
void PrintSummary(const CommandContext& context, std::string_view done, std::string_view dir,
                  const store::VerifiedCopy& copy) {
  const std::string hash = crypto::Hex(copy.head.hash);
  if (!context.json) {
    fmt::print("{}: store `{}`: head seq {}, hash {}, {} events verified\n", done, dir, copy.head.seq, hash,
               copy.events_checked);
    return;
  }
  std::string out;
  codec::JsonObject(out, codec::JsonSpacing::kSpaced)
      .String("store", dir)
      .Integer("head_seq", copy.head.seq)
      .String("head_hash", hash)
      .Integer("events_verified", copy.events_checked)
      .Close();
  fmt::print("{}\n", out);
}

// The store copied into `target`, opened again and retried while a writer's flush or compaction
// makes the copy unusable (kUnavailable), at most store::kBackupAttemptsMax times.
Result<store::VerifiedCopy> CopyStore(const CommandContext& context, const fs::path& target) {
  for (int attempt = 1;; ++attempt) {
    auto source = OpenStore(context, Access::kRead);
    if (!source) return tl::unexpected(source.error());
    auto copied = store::BackupStore(**source, target, *context.clock);
    if (copied || copied.error().code != ErrorCode::kUnavailable || attempt == store::kBackupAttemptsMax) return copied;
    spdlog::info("backup attempt {} of {}: {}; trying again", attempt, store::kBackupAttemptsMax, copied.error().message);
  }
}

codec::BackupManifest ManifestOf(const store::VerifiedCopy& copy, Timestamp now) {
  codec::BackupStoreEntry entry{std::string(kStoreCopyDir), copy.head.seq, crypto::Hex(copy.head.hash),
                                copy.events_checked, copy.log_offset};
  return codec::BackupManifest{codec::kBackupFormatVersion, now, {std::move(entry)}};
}

// Makes `partial` a finished backup: the manifest, written last, then the rename to `out`.
Status Finish(const fs::path& partial, const fs::path& out, const codec::BackupManifest& manifest) {
  if (auto written = WriteFileDurably(partial / kManifestFile, codec::BackupManifestJson(manifest)); !written) {
    return written;
  }
  return RenameDurably(partial, out);
}

// The manifest's one store entry: this program restores one store into one data directory.
Result<codec::BackupStoreEntry> OnlyStore(const fs::path& from) {
  auto text = ReadWholeFile((from / kManifestFile).string());
  if (!text) {
    return Fail(ErrorCode::kNotFound, fmt::format("{} holds no {}: it is not a finished backup", from.string(),
                                                  kManifestFile));
  }
  auto manifest = codec::ParseBackupManifest(*text);
  if (!manifest) return tl::unexpected(manifest.error());
  if (manifest->stores.size() != 1) {
    return Fail(ErrorCode::kRefused, fmt::format("the backup in {} holds {} stores; restore takes a backup of one",
                                                 from.string(), manifest->stores.size()));
  }
  return manifest->stores.front();
}

// Refuses a copy that verifies to another head than the manifest says it was taken at.
Status MatchesManifest(const codec::BackupStoreEntry& entry, const store::VerifiedCopy& copy) {
  const std::string hash = crypto::Hex(copy.head.hash);
  if (copy.head.seq == entry.head_seq && hash == entry.head_hash) return {};
  return Fail(ErrorCode::kCorruption,
              fmt::format("the store copy `{}` verifies to head seq {} hash {}, but backup.json says it was taken at "
                          "head seq {} hash {}",
                          entry.dir, copy.head.seq, hash, entry.head_seq, entry.head_hash));
}

}  // namespace

int RunBackup(const CommandContext& context, const std::string& out_dir) {
  const fs::path out = fs::path(out_dir).lexically_normal();
  std::error_code ec;
  if (fs::exists(out, ec)) {
    return Refuse(context, Error{ErrorCode::kRefused, fmt::format("{} exists; a backup goes into a new directory",
                                                                  out.string())});
  }
  const fs::path partial = out.string() + ".partial";
  if (fs::exists(partial, ec)) spdlog::warn("removing {}: left by a backup that did not finish", partial.string());
  fs::remove_all(partial, ec);
  fs::create_directories(partial, ec);
  if (ec) return Refuse(context, Error{ErrorCode::kIoError, fmt::format("cannot create {}: {}", partial.string(), ec.message())});
  auto copied = CopyStore(context, partial / kStoreCopyDir);
  auto finished = copied ? Finish(partial, out, ManifestOf(*copied, context.clock->Now()))
                         : Status(tl::unexpected(copied.error()));
  if (!finished) {
    fs::remove_all(partial, ec);
    return Refuse(context, finished.error());
  }
  PrintSummary(context, "backup", kStoreCopyDir, *copied);
  return kExitOk;
}

int RunRestore(const CommandContext& context, const std::string& from_dir) {
  const fs::path from(from_dir);
  auto entry = OnlyStore(from);
  if (!entry) return Refuse(context, entry.error());
  const auto check = [&](const store::VerifiedCopy& copy) { return MatchesManifest(*entry, copy); };
  auto restored = store::RestoreStore(from / entry->dir, check, context.config.data_dir, *context.clock);
  if (!restored) return Refuse(context, restored.error());
  PrintSummary(context, "restore", entry->dir, *restored);
  return kExitOk;
}

}  // namespace capledger::app
