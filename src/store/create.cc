// Creating a store atomically: a crash while RocksDB creates its column families one by one must
// not leave a half-made store behind (a read-only open refuses a store with families missing).
#include <fcntl.h>
#include <unistd.h>

#include <rocksdb/db.h>

#include <fmt/format.h>

#include "store/store_impl.h"

namespace capledger::store {
namespace {

Error IoError(const std::string& what, const std::error_code& ec) {
  return Error{ErrorCode::kIoError, fmt::format("{}: {}", what, ec.message())};
}

// Makes a rename in `dir` durable.
Status SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Fail(ErrorCode::kIoError, fmt::format("cannot open {} to sync it", dir.string()));
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return Fail(ErrorCode::kIoError, fmt::format("cannot sync {}", dir.string()));
  return {};
}

// Creates the database with every column family in `dir` and closes it again.
Status CreateDatabase(const std::filesystem::path& dir, const StoreOptions& options) {
  rocksdb::Options db_options = DbOptions(options);
  db_options.create_if_missing = true;
  db_options.error_if_exists = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(db_options, dir.string(), Families(options), &handles, &raw);
  if (!s.ok()) return tl::unexpected(StatusError(s, fmt::format("creating a store in {}", dir.string())));
  for (auto* handle : handles) raw->DestroyColumnFamilyHandle(handle);
  s = raw->Close();
  delete raw;
  if (!s.ok()) return tl::unexpected(StatusError(s, fmt::format("closing the new store in {}", dir.string())));
  return {};
}

}  // namespace

Status CreateStoreIfMissing(const std::filesystem::path& dir, const StoreOptions& options) {
  std::error_code ec;
  if (std::filesystem::exists(dir / "CURRENT", ec)) return {};
  std::filesystem::path target = dir.lexically_normal();
  if (!target.has_filename()) target = target.parent_path();
  const std::filesystem::path parent = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  const std::filesystem::path building = parent / (target.filename().string() + ".creating");
  std::filesystem::create_directories(parent, ec);
  if (ec) return tl::unexpected(IoError(fmt::format("cannot create {}", parent.string()), ec));
  std::filesystem::remove_all(building, ec);  // left by a crash while creating: it never held events
  if (ec) return tl::unexpected(IoError(fmt::format("cannot remove {}", building.string()), ec));
  std::filesystem::create_directory(building, ec);
  if (ec) return tl::unexpected(IoError(fmt::format("cannot create {}", building.string()), ec));
  if (auto created = CreateDatabase(building, options); !created) return created;
  // rename(2) replaces `target` only if it is missing or an empty directory.
  std::filesystem::rename(building, target, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove_all(building, ignored);
    return tl::unexpected(IoError(fmt::format("cannot move the new store into {} (is it empty?)", target.string()), ec));
  }
  return SyncDirectory(parent);
}

}  // namespace capledger::store
