// Shape checks for text read from stored or foreign bytes, shared by the FlatBuffers decoder and
// the JSON writer. Pure functions; no allocation.
#pragma once

#include <cstddef>
#include <string_view>

namespace capledger::codec::fb_internal {

// The length (1-4) of the well-formed UTF-8 sequence starting at text[pos], or 0 if the bytes there
// are not one (a stray continuation byte, an overlong form, a surrogate, a value above U+10FFFF,
// or a sequence cut off by the end of `text`). REQUIRES pos < text.size().
std::size_t Utf8SequenceLength(std::string_view text, std::size_t pos);

// True if all of `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

}  // namespace capledger::codec::fb_internal
