#include "codec/json_field_rules.h"

#include "common/limits.h"
#include "domain/ids.h"

namespace capledger::codec::json {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads `text` as decimal digits into `value`; false if any character is not a digit.
bool DigitsValue(std::string_view text, std::int64_t& value) {
  value = 0;
  for (char c : text) {
    if (!IsDigit(c)) return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

// Splits "<digits>.<decimals>" with exactly `decimals` digits after the dot and at least one and at
// most `integer_digits_max` before it; the value scaled by 10^decimals, or nullopt.
std::optional<std::int64_t> ParseFixedPoint(std::string_view text, std::size_t decimals,
                                            std::size_t integer_digits_max) {
  if (text.size() < decimals + 2) return std::nullopt;
  const std::size_t dot = text.size() - decimals - 1;
  if (text[dot] != '.' || dot > integer_digits_max) return std::nullopt;
  std::int64_t integer = 0;
  std::int64_t fraction = 0;
  if (!DigitsValue(text.substr(0, dot), integer) || !DigitsValue(text.substr(dot + 1), fraction)) {
    return std::nullopt;
  }
  std::int64_t scale = 1;
  for (std::size_t i = 0; i < decimals; ++i) scale *= 10;
  return integer * scale + fraction;
}

}  // namespace

TextProblem CheckFreeText(std::string_view text, std::size_t max_code_points) {
  if (text.empty()) return TextProblem::kEmpty;
  std::size_t code_points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7F) return TextProblem::kControl;
    // U+0080-U+009F is encoded as C2 80 .. C2 9F.
    if (byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      return TextProblem::kControl;
    }
    if ((byte & 0xC0) != 0x80) ++code_points;  // count lead bytes only
  }
  return code_points > max_code_points ? TextProblem::kTooLong : TextProblem::kNone;
}

bool IsValidVintage(std::string_view text) {
  return domain::IsPrintableAsciiText(text, kVintageBytesMax);
}

std::optional<std::uint16_t> ParseMunicipality(std::string_view text) {
  std::int64_t value = 0;
  if (text.size() != 4 || !DigitsValue(text, value)) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

std::optional<int> ParseYear(std::string_view text) {
  std::int64_t year = 0;
  if (text.size() != 4 || !DigitsValue(text, year)) return std::nullopt;
  return static_cast<int>(year);
}

std::optional<std::int32_t> ParseDistanceTenths(std::string_view text) {
  // 7 integer digits bound the arithmetic; the km limit is checked on the value.
  const auto tenths = ParseFixedPoint(text, 1, 7);
  if (!tenths || *tenths > kDistanceTenthsMax) return std::nullopt;
  return static_cast<std::int32_t>(*tenths);
}

std::optional<std::int32_t> ParseFulfilmentThousandths(std::string_view text) {
  const auto thousandths = ParseFixedPoint(text, 3, 1);
  if (!thousandths || *thousandths > 1000) return std::nullopt;  // "1.000" is the largest
  return static_cast<std::int32_t>(*thousandths);
}

std::optional<std::int64_t> ParseCniTenThousandths(std::string_view text) {
  return ParseFixedPoint(text, 4, kCniIntegerDigitsMax);
}

std::string_view SafeEcho(std::string_view text) {
  constexpr std::string_view kWithheld = "<withheld>";
  if (text.empty() || text.size() > 64) return kWithheld;
  int digit_run = 0;
  for (char c : text) {
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    const bool punctuation = c == '_' || c == '.' || c == ':' || c == '-';
    if (!letter && !punctuation && !IsDigit(c)) return kWithheld;
    digit_run = IsDigit(c) ? digit_run + 1 : 0;
    if (digit_run >= 6) return kWithheld;
  }
  return text;
}

}  // namespace capledger::codec::json
