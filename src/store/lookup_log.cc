#include "store/lookup_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "codec/json_out.h"
#include "domain/date.h"

namespace capledger::store {

Status RecordResidentLookup(const std::filesystem::path& store_dir, const ResidentLookup& lookup) {
  const auto path = store_dir / std::string(kLookupLogFile);
  std::string line;
  codec::JsonObject(line, codec::JsonSpacing::kSpaced)
      .String("at", domain::FormatTimestamp(lookup.at))
      .String("who", lookup.who)
      .String("via", lookup.via)
      .String("pseudonym", lookup.pseudonym.ToHex())
      .Bool("found", lookup.found)
      .Close();
  line += '\n';
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Fail(ErrorCode::kIoError, fmt::format("cannot record the lookup in {}: {}", path.string(), std::strerror(errno)));
  }
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const int write_errno = errno;
  const bool synced = written && ::fdatasync(fd) == 0;
  ::close(fd);
  if (!synced) {
    return Fail(ErrorCode::kIoError, fmt::format("cannot record the lookup in {}: {}", path.string(),
                                                 std::strerror(written ? errno : write_errno)));
  }
  return {};
}

Status ScanResidentLookups(const std::filesystem::path& store_dir,
                           const std::function<void(std::string_view line)>& visit) {
  const auto path = store_dir / std::string(kLookupLogFile);
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kNotFound, fmt::format("no resident lookup has been recorded ({})", path.string()));
  std::string line;
  while (std::getline(in, line)) visit(line);
  if (in.bad()) return Fail(ErrorCode::kIoError, fmt::format("cannot read {}", path.string()));
  return {};
}

}  // namespace capledger::store
