// Creating a store atomically: a crash while RocksDB creates its column families one by one must
// not leave a half-made store behind (a read-only open refuses a store with families missing),
// and two processes creating the same store at once must not interleave (one of them would make
// CURRENT name a MANIFEST the other removed).
#include <unistd.h>

#include <rocksdb/db.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/file_write.h"
#include "store/dir_lock.h"
#include "store/head_record.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {

Error IoError(const std::string& what, const std::error_code& ec) {
  return Error{ErrorCode::kIoError, fmt::format("{}: {}", what, ec.message())};
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
  // From its first open, the store keeps a head record (head_record.h).
  rocksdb::WriteOptions synced;
  synced.sync = true;
  s = raw->Put(synced, handles[5], std::string(kMetaHeadRecord), "1");
  if (s.ok()) {
    rocksdb::FlushOptions flush;  // a new store starts with no write-ahead log to replay
    flush.wait = true;
    s = raw->Flush(flush, handles);
  }
  for (auto* handle : handles) raw->DestroyColumnFamilyHandle(handle);
  if (!s.ok()) {
    delete raw;
    return tl::unexpected(StatusError(s, fmt::format("writing the new store in {}", dir.string())));
  }
  s = raw->Close();
  delete raw;
  if (!s.ok()) return tl::unexpected(StatusError(s, fmt::format("closing the new store in {}", dir.string())));
  return {};
}

// Creates the store in a directory of its own beside `target` and renames it into place.
// REQUIRES the parent's DirLock held.
Status BuildAndRename(const std::filesystem::path& parent, const std::filesystem::path& target,
                      const StoreOptions& options) {
  const std::string prefix = target.filename().string() + ".creating";
  if (auto removed = RemoveLeftovers(parent, prefix, "a creation of the store that did not finish; it never held an event");
      !removed) {
    return removed;
  }
  const std::filesystem::path building = parent / fmt::format("{}.creating-{}", target.filename().string(), ::getpid());
  std::error_code ec;
  std::filesystem::create_directory(building, ec);
  if (ec) return tl::unexpected(IoError(fmt::format("cannot create {}", building.string()), ec));
  if (auto created = CreateDatabase(building, options); !created) return created;
  if (auto recorded = CreateHeadRecord(building, Head{}); !recorded) return recorded;
  // rename(2) replaces `target` only if it is missing or an empty directory.
  std::filesystem::rename(building, target, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove_all(building, ignored);
    return tl::unexpected(IoError(fmt::format("cannot move the new store into {} (is it empty?)", target.string()), ec));
  }
  return SyncFolder(parent);
}

}  // namespace

Status RemoveLeftovers(const std::filesystem::path& parent, const std::string& prefix, std::string_view left_by) {
  std::error_code ec;
  std::vector<std::filesystem::path> leftovers;
  for (const auto& entry : std::filesystem::directory_iterator(parent, ec)) {
    if (entry.path().filename().string().starts_with(prefix)) leftovers.push_back(entry.path());
  }
  if (ec) return tl::unexpected(IoError(fmt::format("cannot list {}", parent.string()), ec));
  for (const auto& leftover : leftovers) {
    spdlog::warn("removing {}: left by {}", leftover.string(), left_by);
    std::filesystem::remove_all(leftover, ec);
    if (ec) return tl::unexpected(IoError(fmt::format("cannot remove {}", leftover.string()), ec));
  }
  return {};
}

Result<StoreBeside> LockBeside(const std::filesystem::path& dir, std::string_view doing) {
  StoreBeside beside;
  beside.target = dir.lexically_normal();
  if (!beside.target.has_filename()) beside.target = beside.target.parent_path();
  beside.parent = beside.target.has_parent_path() ? beside.target.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(beside.parent, ec);
  if (ec) return tl::unexpected(IoError(fmt::format("cannot create {}", beside.parent.string()), ec));
  auto lock = DirLock::Acquire(beside.parent, fmt::format("{} (a store is being {} in it)", beside.parent.string(), doing),
                               std::chrono::seconds(30));
  if (!lock) return tl::unexpected(lock.error());
  beside.lock.emplace(std::move(*lock));
  return beside;
}

Status CreateStoreIfMissing(const std::filesystem::path& dir, const StoreOptions& options) {
  std::error_code ec;
  if (std::filesystem::exists(dir / "CURRENT", ec)) return {};
  // Creators take turns: the second finds the store the first made.
  auto beside = LockBeside(dir, "created");
  if (!beside) return tl::unexpected(beside.error());
  if (std::filesystem::exists(dir / "CURRENT", ec)) return {};
  return BuildAndRename(beside->parent, beside->target, options);
}

}  // namespace capledger::store
