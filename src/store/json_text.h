// A JSON string literal for arbitrary bytes (used for rejected raw input, which may be invalid
// UTF-8): printable ASCII as is, valid UTF-8 as is, other bytes as \u00XX escapes.
#pragma once

#include <string>
#include <string_view>

namespace capledger::store {

// The quoted, escaped JSON string for `text`.
std::string JsonString(std::string_view text);

}  // namespace capledger::store
