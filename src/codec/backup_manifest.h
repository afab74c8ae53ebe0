// backup.json: what a backup made by `capledger backup` holds (docs/storage.md, "Backup and
// restore"). A backup is a folder with this manifest and one folder per store copy; the manifest
// is written last, so a folder without it is no backup.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "domain/seq.h"

namespace capledger::codec {

// The manifest format this program writes and the only one it restores.
inline constexpr std::int64_t kBackupFormatVersion = 1;
// The most store copies one backup may name (one per region; Sweden has 21).
inline constexpr std::size_t kBackupStoresMax = 64;
// The largest manifest read (far above kBackupStoresMax entries).
inline constexpr std::size_t kBackupManifestBytesMax = 1 << 20;

// One store copy in a backup, as it verified when the backup was taken.
struct BackupStoreEntry {
  std::string dir;                  // its folder inside the backup: a plain name ("store")
  domain::Seq head_seq;             // the copy's head
  std::string head_hash;            // the hash of the event at head_seq, 64 lowercase hex digits
  std::uint64_t events_verified = 0;
  // Cluster mode (DESIGN.md §6): the next offset of the region's log partition as the store's
  // meta/log_offset holds it (cluster mode), from which a node restored from this backup indexes on.
  std::optional<std::uint64_t> log_offset;
};

// The whole manifest.
struct BackupManifest {
  std::int64_t format_version = kBackupFormatVersion;
  Timestamp created_at{};
  std::vector<BackupStoreEntry> stores;
};

// {"format_version": 1, "created_at": "...Z", "stores": [{"dir", "head_seq", "head_hash",
// "events_verified", "log_offset"}]}, spaced, with a final newline. The same manifest gives the
// same bytes.
std::string BackupManifestJson(const BackupManifest& manifest);

// Reads a manifest. kCorruption names the field and the problem if it is not one BackupManifestJson
// could have written: unknown or missing keys, a store folder that is not a plain name, a hash that
// is not 64 lowercase hex digits, more than kBackupStoresMax stores; kRefused for another
// format_version.
Result<BackupManifest> ParseBackupManifest(std::string_view json);

}  // namespace capledger::codec
