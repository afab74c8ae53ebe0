// Numbers, amounts, dates and labels as a reader of each language expects them.
//
// Swedish: "1 234,50 kr", "12 345", "12,5 %"; English: "SEK 1,234.50", "12,345", "12.5%".
// The Swedish thousands separator and the space before "kr" and "%" are U+00A0 (no-break space),
// so an amount never wraps across lines. A negative amount or count starts with U+2212 (minus
// sign, "−") in both languages: it is the typographic minus and reads as one in a screen reader;
// English puts it before "SEK" ("−SEK 1,234.50"). Dates and months are ISO in both languages.
// All arithmetic is on integers: no floating point touches an amount.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/date.h"
#include "domain/money.h"
#include "present/lang.h"

namespace capledger::present {

inline constexpr std::string_view kNbsp = "\xC2\xA0";   // U+00A0 NO-BREAK SPACE
inline constexpr std::string_view kMinus = "\xE2\x88\x92";  // U+2212 MINUS SIGN

// Kronor with two decimals: sv "1 234,50 kr", en "SEK 1,234.50"; negative with U+2212.
std::string FormatKronorIn(domain::Money amount, Lang lang);

// Whole kronor (for axis ticks that are whole kronor): sv "1 000 kr", en "SEK 1,000".
// REQUIRES amount.ore() % 100 == 0 (asserted).
std::string FormatWholeKronorIn(domain::Money amount, Lang lang);

// A count with thousands separators: sv "12 345", en "12,345"; negative with U+2212.
std::string FormatCountIn(std::int64_t count, Lang lang);

// A number in hundredths with two decimals: sv "1 234,50", en "1,234.50"; negative with U+2212.
std::string FormatHundredthsIn(std::int64_t hundredths, Lang lang);

// numerator / denominator as a percentage with one decimal, rounded half away from zero:
// sv "12,5 %", en "12.5%". A zero denominator gives "–" (U+2013, no value).
std::string FormatPercentIn(std::int64_t numerator, std::int64_t denominator, Lang lang);

// "YYYY-MM-DD" and "YYYY-MM" in every language (ISO 8601).
std::string FormatDateIn(domain::Date date, Lang lang);
std::string FormatMonthIn(domain::Month month, Lang lang);

// The labels charts and pages use. Add a key here and its two texts in format_lang.cc.
enum class Msg {
  kMonth,
  kAmount,
  kCount,
  kStart,
  kEnd,
  kNoData,
  kIncrease,
  kDecrease,
  kTotal,
  kLegend,
};

// The text of `msg` in `lang` (UTF-8).
std::string_view MsgText(Msg msg, Lang lang);

}  // namespace capledger::present
