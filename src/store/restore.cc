// Restoring a verified store copy into a data directory (store/backup.h). The copy is built beside
// the target and renamed into place, as a new store is (create.cc): a crash leaves no half store.
#include <unistd.h>

#include <fmt/format.h>

#include "common/file_write.h"
#include "store/backup.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {

// A store directory holds a few hundred files; far more means it is not one.
constexpr std::size_t kStoreFilesMax = 1'000'000;

Error IoError(const std::string& what, const std::error_code& ec) {
  return Error{ErrorCode::kIoError, fmt::format("{}: {}", what, ec.message())};
}

// kRefused unless `target` is missing or an empty folder.
Status CheckTargetFree(const std::filesystem::path& target) {
  std::error_code ec;
  if (std::filesystem::exists(target / "CURRENT", ec)) {
    return Fail(ErrorCode::kRefused, fmt::format("{} holds a store already; a restore never overwrites one (restore "
                                                 "into a new data directory, or move this one aside first)",
                                                 target.string()));
  }
  if (std::filesystem::exists(target, ec) && !std::filesystem::is_empty(target, ec)) {
    return Fail(ErrorCode::kRefused,
                fmt::format("{} is not empty; a store is restored only into a missing or empty directory", target.string()));
  }
  if (ec) return tl::unexpected(IoError(fmt::format("cannot look into {}", target.string()), ec));
  return {};
}

// Copies, verifies and renames into place. REQUIRES the lock of `beside.parent` held.
Result<VerifiedCopy> BuildAndRename(const std::filesystem::path& copy, const StoreBeside& beside, const Clock& clock) {
  const std::string name = beside.target.filename().string();
  if (auto removed = RemoveLeftovers(beside.parent, name + ".restoring", "a restore that did not finish"); !removed) {
    return tl::unexpected(removed.error());
  }
  const auto building = beside.parent / fmt::format("{}.restoring-{}", name, ::getpid());
  auto copied = CopyStoreFiles(copy, building);
  auto verified = copied ? VerifyStoreCopy(building, clock) : Result<VerifiedCopy>(tl::unexpected(copied.error()));
  if (verified) {
    // rename(2) replaces an empty directory, which CheckTargetFree allows.
    auto renamed = RenameDurably(building, beside.target);
    if (renamed) return verified;
    verified = tl::unexpected(renamed.error());
  }
  std::error_code ignored;
  std::filesystem::remove_all(building, ignored);  // the failure before is the one to report
  return verified;
}

}  // namespace

Status CopyStoreFiles(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code ec;
  std::filesystem::create_directory(to, ec);
  if (ec) return tl::unexpected(IoError(fmt::format("cannot create {}", to.string()), ec));
  std::size_t copied = 0;
  for (const auto& entry : std::filesystem::directory_iterator(from, ec)) {
    if (++copied > kStoreFilesMax) return Fail(ErrorCode::kRefused, fmt::format("{} holds too many files", from.string()));
    if (!entry.is_regular_file()) {
      return Fail(ErrorCode::kCorruption, fmt::format("{} is not a file; a store copy holds only files", entry.path().string()));
    }
    const auto copy = to / entry.path().filename();
    std::filesystem::copy_file(entry.path(), copy, ec);
    if (ec) return tl::unexpected(IoError(fmt::format("cannot copy {}", entry.path().string()), ec));
    if (auto synced = SyncFile(copy); !synced) return synced;
  }
  if (ec) return tl::unexpected(IoError(fmt::format("cannot list {}", from.string()), ec));
  return SyncFolder(to);
}

Result<VerifiedCopy> RestoreStore(const std::filesystem::path& copy, const CopyCheck& check,
                                  const std::filesystem::path& target, const Clock& clock) {
  if (auto free = CheckTargetFree(target); !free) return tl::unexpected(free.error());
  // The copy as it is, before anything is written: a backup that does not verify is refused.
  auto source = VerifyStoreCopy(copy, clock);
  if (!source) return tl::unexpected(source.error());
  if (auto accepted = check(*source); !accepted) return tl::unexpected(accepted.error());
  auto beside = LockBeside(target, "restored");
  if (!beside) return tl::unexpected(beside.error());
  if (auto free = CheckTargetFree(beside->target); !free) return tl::unexpected(free.error());
  return BuildAndRename(copy, *beside, clock);
}

}  // namespace capledger::store
