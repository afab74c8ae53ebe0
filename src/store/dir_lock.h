// capledger's own lock on a directory: flock(2) on the directory itself, exclusive, held for as
// long as the DirLock lives.
//
// A store opened for writing holds one on its directory beside RocksDB's LOCK file, because an
// operator can remove that file while the store is open, and a second writer would then append
// the same seqs and break the store for good. A directory cannot be removed while it holds a
// store, so this lock cannot be taken away from under its holder. Creating a store holds one on
// the parent directory, so that two processes never create the same store at once.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "common/error.h"

namespace capledger::store {

class DirLock {
 public:
  // Takes the lock on `dir` without waiting. kRefused if another open file holds it, with a
  // message that names `what` ("the store in DIR"), the holder's pid when the system tells it
  // (/proc/locks), and what to do; kIoError if `dir` cannot be opened.
  static Result<DirLock> TryAcquire(const std::filesystem::path& dir, std::string_view what);

  // Takes the lock on `dir`, waiting up to `patience` for a holder to let go (then kRefused as
  // TryAcquire). For short critical sections such as creating a store.
  static Result<DirLock> Acquire(const std::filesystem::path& dir, std::string_view what,
                                 std::chrono::milliseconds patience);

  // The pid of the process holding the lock on `dir`, as /proc/locks tells it, if one does. Takes
  // no lock itself, so that asking never stands in a writer's way.
  static std::optional<long> Holder(const std::filesystem::path& dir);

  DirLock(DirLock&& other) noexcept;
  DirLock& operator=(DirLock&& other) noexcept;
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  ~DirLock();  // lets go

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace capledger::store
