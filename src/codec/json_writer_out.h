// Small JSON text builders for the event writer: escaped strings, fixed-point decimals, dates and
// timestamps, and an object writer that places the commas. Private to the codec layer.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "codec/fb_text_rules.h"
#include "common/assert.h"
#include "common/clock.h"
#include "domain/date.h"

namespace capledger::codec::json_writer_internal {

// Appends the escape for one byte that cannot stand in a JSON string as it is: '"', '\\', a
// control character (U+0000-U+001F), or a byte that is not part of well-formed UTF-8 (\ufffd).
inline void AppendEscape(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (byte) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: break;
  }
  if (byte >= 0x20) {
    out += "\\ufffd";
    return;
  }
  out += "\\u00";
  out += kHex[byte >> 4];
  out += kHex[byte & 0xF];
}

// Appends `text` as a quoted JSON string. '"' and '\' are escaped, control characters U+0000-U+001F
// become \b \f \n \r \t or \u00XX, well-formed UTF-8 passes through unchanged (DEL and U+0080 and up
// included), and each byte that is not part of a well-formed UTF-8 sequence becomes \ufffd, so the
// output is always valid JSON.
inline void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  std::size_t plain_from = 0;  // the start of the bytes not yet copied
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte >= 0x20 && byte != '"' && byte != '\\' && byte < 0x80) {
      ++pos;
      continue;
    }
    const std::size_t utf8 = byte >= 0x80 ? fb_internal::Utf8SequenceLength(text, pos) : 0;
    if (utf8 > 0) {
      pos += utf8;
      continue;
    }
    out.append(text.data() + plain_from, pos - plain_from);
    AppendEscape(out, byte);
    plain_from = ++pos;
  }
  out.append(text.data() + plain_from, text.size() - plain_from);
  out += '"';
}

// Appends an integer in decimal.
template <typename Int>
void AppendInteger(std::string& out, Int value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, result.ptr);
}

// Appends value / 10^decimals with exactly `decimals` digits after the point, unquoted:
// (425, 1) -> 42.5, (5, 3) -> 0.005, (-15, 1) -> -1.5. REQUIRES 1 <= decimals <= 18.
inline void AppendFixedPoint(std::string& out, std::int64_t value, int decimals) {
  std::uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const bool negative = value < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(value + 1)) + 1 : static_cast<std::uint64_t>(value);
  if (negative) out += '-';
  AppendInteger(out, magnitude / scale);
  out += '.';
  const std::size_t at = out.size();
  out.append(static_cast<std::size_t>(decimals), '0');
  std::uint64_t fraction = magnitude % scale;
  for (std::size_t i = out.size(); i > at && fraction > 0; --i, fraction /= 10) {
    out[i - 1] = static_cast<char>('0' + fraction % 10);
  }
}

// Appends `value` as exactly `width` decimal digits, zero-padded; REQUIRES 0 <= value < 10^width.
inline void AppendDigits(std::string& out, std::uint64_t value, int width) {
  const std::size_t at = out.size();
  out.append(static_cast<std::size_t>(width), '0');
  for (std::size_t i = out.size(); i > at && value > 0; --i, value /= 10) out[i - 1] = static_cast<char>('0' + value % 10);
  LEDGER_ASSERT(value == 0);  // it had more digits than `width`
}

// Appends `date` as domain::FormatDate writes it ("2024-02-29"), without its allocation.
inline void AppendDate(std::string& out, domain::Date date) {
  const int year = static_cast<int>(date.year());
  if (!date.ok() || year < 0 || year > 9999) {  // rare: FormatDate writes what does not fit the shape
    out += domain::FormatDate(date);
    return;
  }
  AppendDigits(out, static_cast<std::uint64_t>(year), 4);
  out += '-';
  AppendDigits(out, static_cast<unsigned>(date.month()), 2);
  out += '-';
  AppendDigits(out, static_cast<unsigned>(date.day()), 2);
}

// Appends `t` as domain::FormatTimestamp writes it ("2024-04-05T06:00:00.000123Z").
inline void AppendTimestamp(std::string& out, Timestamp t) {
  constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
  const std::int64_t micros = ToMicros(t);
  const std::int64_t days = micros >= 0 ? micros / kMicrosPerDay : (micros + 1) / kMicrosPerDay - 1;
  const auto in_day = static_cast<std::uint64_t>(micros - days * kMicrosPerDay);
  AppendDate(out, domain::DateFromDays(static_cast<std::int32_t>(days)));
  out += 'T';
  AppendDigits(out, in_day / 3'600'000'000, 2);
  out += ':';
  AppendDigits(out, in_day / 60'000'000 % 60, 2);
  out += ':';
  AppendDigits(out, in_day / 1'000'000 % 60, 2);
  out += '.';
  AppendDigits(out, in_day % 1'000'000, 6);
  out += 'Z';
}

// Writes one JSON object into `out`, separating members with commas. Keys are written as given
// (they are the writer's own constants and need no escaping). Keeps a reference to `out`.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }

  // Starts a member: the comma if needed and "key":. The caller appends the value.
  std::string& Key(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;
    out_ += "\":";
    return out_;
  }

  // A string member.
  ObjectWriter& String(std::string_view key, std::string_view value) {
    AppendJsonString(Key(key), value);
    return *this;
  }

  // An integer member.
  template <typename Int>
  ObjectWriter& Integer(std::string_view key, Int value) {
    AppendInteger(Key(key), value);
    return *this;
  }

  // A decimal written as a string: ("distance_to_hospital_km", 425, 1) -> "distance_to_hospital_km":"42.5".
  ObjectWriter& Decimal(std::string_view key, std::int64_t value, int decimals) {
    Key(key) += '"';
    AppendFixedPoint(out_, value, decimals);
    out_ += '"';
    return *this;
  }

  // Ends the object.
  void Close() { out_ += '}'; }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace capledger::codec::json_writer_internal
