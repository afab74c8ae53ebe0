// The rulebook TOML (DOMAIN.md §5) rewritten as the JSON object of a RulebookPublished line, so that
// both forms go through the one validator in rulebook_codec.cc and the rules exist once.
//
// INTERNAL to the codec layer. No toml++ type appears here; toml++ is used header-only and without
// exceptions inside rulebook_toml.cc.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "codec/reject_code.h"

namespace capledger::codec::rulebook_internal {

// Where one TOML value came from: the path a rejection names it by ("capitation.bands[1].amount"),
// its line in the file (1-based; 0 if toml++ did not say) and its TOML type ("a TOML date").
struct TomlOrigin {
  std::string path;
  std::uint32_t line = 0;
  std::string_view type_name;  // a string literal
};

// A TOML document as JSON text, and where each of its values came from.
struct TomlAsJson {
  std::string json;
  std::vector<TomlOrigin> origins;
};

// The most values (tables, arrays and scalars together) a rulebook TOML may hold.
inline constexpr std::size_t kTomlValuesMax = 4096;

// Parses `toml_text` and writes it as one JSON object: tables become objects, arrays arrays,
// strings strings, integers and booleans themselves. A TOML date becomes a "YYYY-MM-DD" string
// when it is the value of the top-level `valid_from` or `valid_until` (the only date fields);
// every other date, and every float, time and date-time, becomes null, which no rulebook field
// accepts (so the validator reports kWrongType, and DescribeInToml names the TOML type).
// Errors, all kInvalidRulebook: a TOML syntax error, with the line and column in the message (field
// ""); more than limits::kInputLineBytesMax bytes (field ""); more than kTomlValuesMax values
// (field: the table or array that goes past the limit; nothing past it is read).
tl::expected<TomlAsJson, Rejection> TomlToJson(std::string_view toml_text);

// Adds where in the TOML a rejection of the JSON form points: " (TOML line N)" from the value its
// field names, or else from the nearest enclosing table that exists (for a missing key). For
// kWrongType on a value that exists, the message names the TOML type instead of the JSON one
// ("must be a string, not a TOML integer").
void DescribeInToml(Rejection& rejection, std::span<const TomlOrigin> origins);

}  // namespace capledger::codec::rulebook_internal
