// Reads a file or stdin line by line with a large buffer.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "common/error.h"

namespace capledger::app {

// Splits a byte stream into lines ('\n'; the newline is not part of the line). A final line
// without a newline is returned too. Owns the FILE unless it is stdin.
class LineReader {
 public:
  // Opens `path`, or stdin for "-". kNotFound if the file cannot be opened.
  static Result<LineReader> Open(const std::string& path);
  LineReader(LineReader&& other) noexcept;
  LineReader& operator=(LineReader&&) = delete;
  ~LineReader();

  // The next line, valid until the next call; false at the end. kIoError on a read error.
  Result<bool> Next(std::string_view& line);

 private:
  explicit LineReader(std::FILE* file, bool owned) : file_(file), owned_(owned) {}
  bool Refill();

  std::FILE* file_ = nullptr;
  bool owned_ = false;
  std::string buffer_;
  std::size_t begin_ = 0;
  std::string carry_;
  bool eof_ = false;
};

}  // namespace capledger::app
