#include "common/file_write.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>

namespace capledger {
namespace {

Error IoError(std::string_view what, const std::filesystem::path& path, int error) {
  return Error{ErrorCode::kIoError, fmt::format("{} {}: {}", what, path.string(), std::strerror(error))};
}

Status WriteAll(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return tl::unexpected(IoError("cannot write", path, errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd) != 0) return tl::unexpected(IoError("cannot sync", path, errno));
  return {};
}

// Opens `path` with `flags`, fsyncs it and closes it.
Status SyncOpened(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return tl::unexpected(IoError("cannot open", path, errno));
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (synced != 0) return tl::unexpected(IoError("cannot sync", path, error));
  return {};
}

}  // namespace

Status SyncFolder(const std::filesystem::path& dir) { return SyncOpened(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC); }

Status SyncFile(const std::filesystem::path& path) { return SyncOpened(path, O_RDONLY | O_CLOEXEC); }

Status RenameDurably(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return Fail(ErrorCode::kIoError,
                fmt::format("cannot rename {} to {}: {}", from.string(), to.string(), std::strerror(errno)));
  }
  return SyncFolder(to.has_parent_path() ? to.parent_path() : std::filesystem::path("."));
}

Status WriteFileDurably(const std::filesystem::path& path, std::string_view bytes) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kIoError, fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  const std::filesystem::path temporary = path.string() + ".new";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return tl::unexpected(IoError("cannot create", temporary, errno));
  auto written = WriteAll(fd, bytes, temporary);
  ::close(fd);
  if (!written) {
    ::unlink(temporary.c_str());
    return written;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) return tl::unexpected(IoError("cannot rename into", path, errno));
  return SyncFolder(dir);
}

}  // namespace capledger
