#include "store/head_record.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/crypto.h"
#include "common/file_write.h"

namespace capledger::store {
namespace {

constexpr std::string_view kMagic = "CLHEAD01";
constexpr std::size_t kSlotBytes = 64;
constexpr std::size_t kCheckedBytes = 56;  // magic · seq · recorded_at · hash
constexpr std::size_t kSlots = 2;
using Slot = std::array<char, kSlotBytes>;

Error IoError(std::string_view what, const std::filesystem::path& path) {
  return Error{ErrorCode::kIoError, fmt::format("{} {}: {}", what, path.string(), std::strerror(errno))};
}

std::filesystem::path PathIn(const std::filesystem::path& dir) { return dir / std::string(kHeadRecordFile); }

Slot EncodeSlot(const Head& head) {
  Slot slot{};
  std::memcpy(slot.data(), kMagic.data(), kMagic.size());
  WriteBigEndian64(slot.data() + 8, head.seq.value());
  WriteBigEndian64(slot.data() + 16, static_cast<std::uint64_t>(ToMicros(head.recorded_at)));
  std::memcpy(slot.data() + 24, head.hash.data(), head.hash.size());
  const crypto::Digest check = crypto::Sha256Of(std::string_view(slot.data(), kCheckedBytes));
  std::memcpy(slot.data() + kCheckedBytes, check.data(), kSlotBytes - kCheckedBytes);
  return slot;
}

std::optional<Head> DecodeSlot(std::string_view bytes) {
  if (bytes.size() != kSlotBytes || bytes.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  const crypto::Digest check = crypto::Sha256Of(bytes.substr(0, kCheckedBytes));
  if (std::memcmp(check.data(), bytes.data() + kCheckedBytes, kSlotBytes - kCheckedBytes) != 0) return std::nullopt;
  Head head;
  head.seq = ReadSeq(bytes.substr(8));
  head.recorded_at = FromMicros(static_cast<std::int64_t>(ReadBigEndian64(bytes.substr(16))));
  std::memcpy(head.hash.data(), bytes.data() + 24, head.hash.size());
  return head;
}

// Both slots as decoded (nullopt where a slot is not valid).
Result<std::array<std::optional<Head>, kSlots>> ReadSlots(int fd, const std::filesystem::path& path) {
  std::array<char, kSlotBytes * kSlots> bytes{};
  const ssize_t n = ::pread(fd, bytes.data(), bytes.size(), 0);
  if (n < 0) return tl::unexpected(IoError("cannot read", path));
  const std::string_view all(bytes.data(), static_cast<std::size_t>(n));
  std::array<std::optional<Head>, kSlots> slots;
  for (std::size_t i = 0; i < kSlots && all.size() >= (i + 1) * kSlotBytes; ++i) {
    slots[i] = DecodeSlot(all.substr(i * kSlotBytes, kSlotBytes));
  }
  return slots;
}

// The index of the valid slot with the larger seq, if any.
std::optional<std::size_t> Newest(const std::array<std::optional<Head>, kSlots>& slots) {
  std::optional<std::size_t> newest;
  for (std::size_t i = 0; i < kSlots; ++i) {
    if (slots[i] && (!newest || slots[i]->seq > slots[*newest]->seq)) newest = i;
  }
  return newest;
}

Status WriteAllSynced(int fd, const char* data, std::size_t size, off_t offset, const std::filesystem::path& path) {
  for (std::size_t written = 0; written < size;) {
    const ssize_t n = ::pwrite(fd, data + written, size - written, offset + static_cast<off_t>(written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return tl::unexpected(IoError("cannot write", path));
    written += static_cast<std::size_t>(n);
  }
  if (::fdatasync(fd) != 0) return tl::unexpected(IoError("cannot sync", path));
  return {};
}

}  // namespace

Result<std::optional<Head>> ReadHeadRecord(const std::filesystem::path& dir) {
  const auto path = PathIn(dir);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return std::optional<Head>();
  if (fd < 0) return tl::unexpected(IoError("cannot open", path));
  auto slots = ReadSlots(fd, path);
  ::close(fd);
  if (!slots) return tl::unexpected(slots.error());
  const auto newest = Newest(*slots);
  if (!newest) return Fail(ErrorCode::kCorruption, fmt::format("{} holds no valid head record", path.string()));
  return std::optional<Head>((*slots)[*newest]);
}

Status CreateHeadRecord(const std::filesystem::path& dir, const Head& head) {
  std::array<char, kSlotBytes * kSlots> bytes{};
  const Slot slot = EncodeSlot(head);
  for (std::size_t i = 0; i < kSlots; ++i) std::memcpy(bytes.data() + i * kSlotBytes, slot.data(), kSlotBytes);
  return WriteFileDurably(PathIn(dir), std::string_view(bytes.data(), bytes.size()));
}

Result<HeadRecordWriter> HeadRecordWriter::Open(const std::filesystem::path& dir) {
  const auto path = PathIn(dir);
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return tl::unexpected(IoError("cannot open", path));
  HeadRecordWriter writer(fd, path);
  auto slots = ReadSlots(fd, path);
  if (!slots) return tl::unexpected(slots.error());
  const auto newest = Newest(*slots);
  writer.next_slot_ = newest ? static_cast<unsigned>((*newest + 1) % kSlots) : 0;
  return writer;
}

HeadRecordWriter::HeadRecordWriter(HeadRecordWriter&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), next_slot_(other.next_slot_) {
  other.fd_ = -1;
}

HeadRecordWriter& HeadRecordWriter::operator=(HeadRecordWriter&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    next_slot_ = other.next_slot_;
    other.fd_ = -1;
  }
  return *this;
}

HeadRecordWriter::~HeadRecordWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Status HeadRecordWriter::Write(const Head& head) {
  const Slot slot = EncodeSlot(head);
  auto written = WriteAllSynced(fd_, slot.data(), slot.size(), static_cast<off_t>(next_slot_ * kSlotBytes), path_);
  if (written) next_slot_ = (next_slot_ + 1) % kSlots;
  return written;
}

}  // namespace capledger::store
