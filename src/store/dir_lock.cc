#include "store/dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <thread>

#include <fmt/format.h>

namespace capledger::store {
namespace {

// The pid of a process holding a flock on `fd`'s file, as /proc/locks lists it, if it does.
std::optional<long> FlockHolder(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::nullopt;
  // /proc/locks: "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF" (device major:minor in hex).
  const std::string file = fmt::format("{:02x}:{:02x}:{}", major(st.st_dev), minor(st.st_dev), st.st_ino);
  std::ifstream locks("/proc/locks");
  std::string line;
  for (int lines = 0; lines < 100'000 && std::getline(locks, line); ++lines) {
    if (line.find(" FLOCK ") == std::string::npos || line.find(" " + file + " ") == std::string::npos) continue;
    const std::size_t kind = line.find(" WRITE ");
    if (kind == std::string::npos) continue;
    const long pid = std::strtol(line.c_str() + kind + 7, nullptr, 10);
    if (pid > 0) return pid;
  }
  return std::nullopt;
}

Error Held(int fd, std::string_view what) {
  const auto pid = FlockHolder(fd);
  const std::string holder = pid ? fmt::format("process {}", *pid) : std::string("another process");
  return Error{ErrorCode::kRefused,
               fmt::format("{} is in use by {} (a serve, ingest, payout or other writing command); one writer at a "
                           "time: wait for it to finish or stop it, then try again",
                           what, holder)};
}

}  // namespace

Result<DirLock> DirLock::TryAcquire(const std::filesystem::path& dir, std::string_view what) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Fail(ErrorCode::kIoError, fmt::format("cannot open {} to lock it: {}", dir.string(), std::strerror(errno)));
  }
  for (int interrupted = 0; interrupted < 1'000; ++interrupted) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return DirLock(fd);
    if (errno != EINTR) break;
  }
  const int error = errno;
  Error failure = error == EWOULDBLOCK
                      ? Held(fd, what)
                      : Error{ErrorCode::kIoError, fmt::format("cannot lock {}: {}", dir.string(), std::strerror(error))};
  ::close(fd);
  return tl::unexpected(std::move(failure));
}

Result<DirLock> DirLock::Acquire(const std::filesystem::path& dir, std::string_view what,
                                 std::chrono::milliseconds patience) {
  constexpr std::chrono::milliseconds kRetry{10};
  for (std::int64_t attempts_left = patience / kRetry;; --attempts_left) {
    auto lock = TryAcquire(dir, what);
    if (lock || lock.error().code != ErrorCode::kRefused || attempts_left <= 0) return lock;
    std::this_thread::sleep_for(kRetry);
  }
}

std::optional<long> DirLock::Holder(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  const auto pid = FlockHolder(fd);
  ::close(fd);
  return pid;
}

DirLock::DirLock(DirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

DirLock& DirLock::operator=(DirLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DirLock::~DirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor lets the flock go
}

}  // namespace capledger::store
