#include "store/json_text.h"

#include <fmt/format.h>

#include "codec/fb_text_rules.h"

namespace capledger::store {

std::string JsonString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else if (std::size_t n = c >= 0x80 ? codec::fb_internal::Utf8SequenceLength(text, i) : 0; n > 0) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    } else if (c >= 0x80) {
      out += "\\ufffd";  // a byte that is no UTF-8: the replacement character, never a Latin-1 guess
    } else {
      out += fmt::format("\\u{:04x}", c);
    }
    ++i;
  }
  out.push_back('"');
  return out;
}

}  // namespace capledger::store
