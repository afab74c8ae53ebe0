// The one JSON writer of capledger: escaped strings, integers, fixed-point decimals, and object and
// array writers that place the commas. Every JSON document the program prints, stores or sends
// (event lines, the command line's --json, the HTTP API, the finance feed, the rejects, the store's
// own records) is written with these, so that a string is escaped the same way everywhere.
//
// Strings are always valid JSON in valid UTF-8, whatever the bytes: '"' and '\' are escaped,
// control characters (U+0000-U+001F) and DEL become \u00XX, well-formed UTF-8 passes through (the
// strict check of codec/fb_text_rules.h: no overlong forms, no surrogates, nothing above
// U+10FFFF), and each byte that is not part of well-formed UTF-8 becomes \ufffd, never the
// Latin-1 letter it would be.
//
// The writers append to a std::string owned by the caller and keep a reference to it. Keys are
// the caller's own constants and are written as given, without escaping.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/money.h"
#include "domain/seq.h"

namespace capledger::codec {

// How members and items are separated: kCompact writes {"a":1,"b":[1,2]} (event lines, the
// rejects, stored records), kSpaced writes {"a": 1, "b": [1, 2]} (the documents people read: the
// command line's --json, the HTTP API, the finance feed).
enum class JsonSpacing : std::uint8_t { kCompact, kSpaced };

// Appends `text` as a quoted, escaped JSON string (see the top of this file).
void AppendJsonString(std::string& out, std::string_view text);

// The quoted, escaped JSON string for `text`.
std::string JsonString(std::string_view text);

// Appends an integer in decimal.
template <typename Int>
void AppendJsonInteger(std::string& out, Int value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, result.ptr);
}

// Appends a seq as its number.
inline void AppendJsonInteger(std::string& out, domain::Seq seq) { AppendJsonInteger(out, seq.value()); }

// Appends value / 10^decimals with exactly `decimals` digits after the point, unquoted:
// (425, 1) -> 42.5, (5, 3) -> 0.005, (-15, 1) -> -1.5. REQUIRES 1 <= decimals <= 18.
void AppendFixedPoint(std::string& out, std::int64_t value, int decimals);

class JsonArray;

// Writes one JSON object into `out`: the opening brace now, a member per call, the closing brace
// at Close(). A nested object or array (Object(), Array()) writes into the same string and must be
// closed before the next member of this one. Keeps a reference to `out`.
class JsonObject {
 public:
  JsonObject(std::string& out, JsonSpacing spacing);

  // Starts a member: the separator if needed and "key": . The caller appends one JSON value.
  std::string& Key(std::string_view key);
  // A string member, escaped.
  JsonObject& String(std::string_view key, std::string_view value);
  // A string member, or null when `value` holds none.
  JsonObject& StringOrNull(std::string_view key, const std::optional<std::string>& value);
  // An integer member.
  template <typename Int>
  JsonObject& Integer(std::string_view key, Int value) {
    AppendJsonInteger(Key(key), value);
    return *this;
  }
  // An integer member, or null when `value` holds none.
  JsonObject& IntegerOrNull(std::string_view key, const std::optional<std::int64_t>& value);
  // true or false.
  JsonObject& Bool(std::string_view key, bool value);
  // null.
  JsonObject& Null(std::string_view key);
  // A decimal written as a string: ("min_km", 425, 1) -> "min_km": "42.5".
  JsonObject& Decimal(std::string_view key, std::int64_t value, int decimals);
  // An amount as a string of kronor with two decimals: "-1234.50".
  JsonObject& Kronor(std::string_view key, domain::Money amount);
  // An amount as Kronor, or null when `amount` holds none.
  JsonObject& KronorOrNull(std::string_view key, const std::optional<domain::Money>& amount);
  // A member whose value is JSON text written elsewhere (by one of these writers), copied as is.
  JsonObject& Raw(std::string_view key, std::string_view json);
  // Starts a member whose value is an object or an array; close it before the next member.
  JsonObject Object(std::string_view key);
  JsonArray Array(std::string_view key);
  // Ends the object. Call once; nothing may be written through this writer afterwards.
  void Close();

 private:
  std::string& out_;
  JsonSpacing spacing_;
  bool first_ = true;
};

// Writes one JSON array into `out`: the opening bracket now, an item per call, the closing bracket
// at Close(). Nested objects and arrays as in JsonObject. Keeps a reference to `out`.
class JsonArray {
 public:
  JsonArray(std::string& out, JsonSpacing spacing);

  // Starts an item: the separator if needed. The caller appends one JSON value.
  std::string& Next();
  // A string item, escaped.
  JsonArray& String(std::string_view value);
  // An integer item.
  template <typename Int>
  JsonArray& Integer(Int value) {
    AppendJsonInteger(Next(), value);
    return *this;
  }
  // An amount as a string of kronor with two decimals.
  JsonArray& Kronor(domain::Money amount);
  // An item that is JSON text written elsewhere, copied as is.
  JsonArray& Raw(std::string_view json);
  // Starts an item that is an object or an array; close it before the next item.
  JsonObject Object();
  JsonArray Array();
  // Ends the array. Call once; nothing may be written through this writer afterwards.
  void Close();

 private:
  std::string& out_;
  JsonSpacing spacing_;
  bool first_ = true;
};

// The JSON array of `items`, each written by `write(JsonArray&, const T&)`, as text.
template <typename Items, typename Write>
std::string JsonArrayOf(const Items& items, JsonSpacing spacing, Write&& write) {
  std::string out;
  JsonArray array(out, spacing);
  for (const auto& item : items) write(array, item);
  array.Close();
  return out;
}

}  // namespace capledger::codec
