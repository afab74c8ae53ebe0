// Writing a whole file so that a crash leaves either the old file or the new one, never a part;
// and the syncs and renames that make other writes durable.
#pragma once

#include <filesystem>
#include <string_view>

#include "common/error.h"

namespace capledger {

// Writes `bytes` to `path`: into "<path>.new" beside it, synced, then renamed over `path` and the
// folder synced. Creates missing parent folders. kIoError names the path and the system's reason.
Status WriteFileDurably(const std::filesystem::path& path, std::string_view bytes);

// Makes the entries of folder `dir` durable (a file created, renamed or removed in it): fsync on
// the folder. kIoError names the folder and the system's reason.
Status SyncFolder(const std::filesystem::path& dir);

// Makes the bytes of the file at `path` durable: fsync. kIoError names the file and the reason.
Status SyncFile(const std::filesystem::path& path);

// Renames `from` to `to` (rename(2): a folder replaces only a missing or empty folder) and syncs
// the folder of `to`. kIoError names both paths and the system's reason.
Status RenameDurably(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace capledger
