// The shape rules of DOMAIN.md §4 for single text values of an input event: ids, free text, clinic
// ids, municipality codes, distances, fulfilment, cni and years. Pure functions of the text; no JSON, no
// allocation. The decoder maps each failure to its RejectCode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace capledger::codec::json {

// The largest distance to a hospital accepted, in tenths of a km (100000.0 km: well beyond Earth's
// circumference, so only a typo or garbage exceeds it).
inline constexpr std::int32_t kDistanceTenthsMax = 1'000'000;
// The most integer digits a cni may have; above any CNI computable from counts within
// limits::kCountMax (about 1.3e10), and far inside int64 in ten-thousandths.
inline constexpr std::size_t kCniIntegerDigitsMax = 12;
// The largest budget frame accepted (BudgetFrameSet.amount, DOMAIN.md §10), in öre:
// 1,000,000,000,000.00 SEK, some 24 times the cost of all of Sweden's primary-care capitation
// (~42,000 MSEK, the generator's sweden preset as one region), so only a typo or garbage exceeds
// it; far inside int64 (1e14 öre), so sums of many frames cannot overflow.
inline constexpr std::int64_t kBudgetFrameOreMax = 100'000'000'000'000;
// The length of a vintage ("SCB-2025-03"), in printable ASCII characters.
inline constexpr std::size_t kVintageBytesMax = 64;

// Why a free-text value (`name`, `reason`, `source`) breaks the rules, if it does.
enum class TextProblem : std::uint8_t {
  kNone,
  kEmpty,    // no characters
  kTooLong,  // more than the allowed code points
  kControl,  // a control character: U+0000-U+001F, U+007F or U+0080-U+009F
};

// Checks free text of 1..`max_code_points` Unicode code points without control characters.
// REQUIRES: `text` is valid UTF-8 (the JSON parser has checked it).
TextProblem CheckFreeText(std::string_view text, std::size_t max_code_points);

// True for a vintage: 1-64 printable ASCII characters.
bool IsValidVintage(std::string_view text);

// A kommun code: exactly 4 ASCII digits ("0114" -> 114); nullopt otherwise.
std::optional<std::uint16_t> ParseMunicipality(std::string_view text);

// A distance ^[0-9]+\.[0-9]$ in tenths of a km ("42.5" -> 425), at most kDistanceTenthsMax;
// nullopt otherwise.
std::optional<std::int32_t> ParseDistanceTenths(std::string_view text);

// Fulfilment ^(0\.[0-9]{3}|1\.000)$ in thousandths ("0.875" -> 875); nullopt otherwise.
std::optional<std::int32_t> ParseFulfilmentThousandths(std::string_view text);

// A cni ^[0-9]+\.[0-9]{4}$ in ten-thousandths ("1.2345" -> 12345), at most kCniIntegerDigitsMax
// integer digits; nullopt otherwise.
std::optional<std::int64_t> ParseCniTenThousandths(std::string_view text);

// A year written "YYYY": exactly 4 ASCII digits ("2025" -> 2025); nullopt otherwise. The caller
// checks the range.
std::optional<int> ParseYear(std::string_view text);

// `text` itself if it is safe to repeat in a rejection message, otherwise "<withheld>". Safe means
// at most 64 characters of [A-Za-z0-9_.:-] and no run of 6 or more digits, so that a personnummer
// (or anything else that looks like personal data) typed into a key, a type or an enum value is
// never copied into a message or a field path.
std::string_view SafeEcho(std::string_view text);

}  // namespace capledger::codec::json
