#include "app/line_reader.h"

#include <cstring>

#include <fmt/format.h>

#include "common/limits.h"

namespace capledger::app {
namespace {
constexpr std::size_t kChunkBytes = 1 << 20;
// A longer line is cut here (so memory stays bounded); the decoder then rejects it as too long.
constexpr std::size_t kCarryBytesMax = limits::kInputLineBytesMax + 1;

void AppendBounded(std::string& carry, const char* data, std::size_t size) {
  if (carry.size() >= kCarryBytesMax) return;
  carry.append(data, std::min(size, kCarryBytesMax - carry.size()));
}
}  // namespace

Result<LineReader> LineReader::Open(const std::string& path) {
  if (path == "-") return LineReader(stdin, false);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return Fail(ErrorCode::kNotFound, fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  return LineReader(file, true);
}

LineReader::LineReader(LineReader&& other) noexcept
    : file_(other.file_), owned_(other.owned_), buffer_(std::move(other.buffer_)), begin_(other.begin_),
      carry_(std::move(other.carry_)), eof_(other.eof_) {
  other.file_ = nullptr;
  other.owned_ = false;
}

LineReader::~LineReader() {
  if (owned_ && file_) std::fclose(file_);
}

bool LineReader::Refill() {
  buffer_.resize(kChunkBytes);
  const std::size_t got = std::fread(buffer_.data(), 1, kChunkBytes, file_);
  buffer_.resize(got);
  begin_ = 0;
  if (got == 0) eof_ = true;
  return got > 0;
}

Result<bool> LineReader::Next(std::string_view& line) {
  carry_.clear();
  for (;;) {
    if (begin_ < buffer_.size()) {
      const char* start = buffer_.data() + begin_;
      const void* nl = std::memchr(start, '\n', buffer_.size() - begin_);
      if (nl) {
        const std::size_t length = static_cast<const char*>(nl) - start;
        begin_ += length + 1;
        if (carry_.empty()) {
          line = std::string_view(start, length);
        } else {
          AppendBounded(carry_, start, length);
          line = carry_;
        }
        return true;
      }
      AppendBounded(carry_, start, buffer_.size() - begin_);
      begin_ = buffer_.size();
    }
    if (eof_ || !Refill()) {
      if (std::ferror(file_)) return Fail(ErrorCode::kIoError, "reading input failed");
      if (carry_.empty()) return false;
      line = carry_;
      return true;
    }
  }
}

}  // namespace capledger::app
