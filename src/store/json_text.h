// A JSON string literal for arbitrary bytes (used for rejected raw input, which may be invalid
// UTF-8): printable ASCII as is, well-formed UTF-8 as is (the strict check of
// codec/fb_text_rules.h: no overlong forms, no surrogates), control characters as \u00XX, and
// every byte that is not UTF-8 as \ufffd, so that the output is always valid UTF-8 and never
// shows a stray byte as the Latin-1 letter it would be.
#pragma once

#include <string>
#include <string_view>

namespace capledger::store {

// The quoted, escaped JSON string for `text`.
std::string JsonString(std::string_view text);

}  // namespace capledger::store
