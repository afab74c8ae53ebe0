#include "present/format_lang.h"

#include <array>

#include "common/assert.h"

namespace capledger::present {
namespace {

// The magnitude of `value` in decimal digits, grouped by three with `sep`. Works for INT64_MIN.
std::string Grouped(std::uint64_t magnitude, std::string_view sep) {
  std::string digits = std::to_string(magnitude);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return out;
}

std::uint64_t Magnitude(std::int64_t v) {
  return v < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

std::string_view GroupSep(Lang lang) { return lang == Lang::kSv ? kNbsp : ","; }

// "1 234,50" / "1,234.50" without sign or currency; `decimals` false gives whole kronor.
std::string KronorDigits(std::uint64_t ore, Lang lang, bool decimals) {
  std::string out = Grouped(ore / 100, GroupSep(lang));
  if (!decimals) return out;
  out += lang == Lang::kSv ? ',' : '.';
  std::uint64_t frac = ore % 100;
  out += static_cast<char>('0' + frac / 10);
  out += static_cast<char>('0' + frac % 10);
  return out;
}

std::string WithCurrency(std::int64_t ore, Lang lang, bool decimals) {
  std::string sign = ore < 0 ? std::string(kMinus) : std::string();
  std::string digits = KronorDigits(Magnitude(ore), lang, decimals);
  if (lang == Lang::kSv) return sign + digits + std::string(kNbsp) + "kr";
  return sign + "SEK" + std::string(kNbsp) + digits;
}

struct MsgRow {
  Msg msg;
  std::string_view sv;
  std::string_view en;
};

constexpr std::array kCatalogue = {
    MsgRow{Msg::kMonth, "Månad", "Month"},
    MsgRow{Msg::kAmount, "Belopp", "Amount"},
    MsgRow{Msg::kCount, "Antal", "Count"},
    MsgRow{Msg::kStart, "Start", "Start"},
    MsgRow{Msg::kEnd, "Slut", "End"},
    MsgRow{Msg::kNoData, "Inga uppgifter", "No data"},
    MsgRow{Msg::kIncrease, "Ökning", "Increase"},
    MsgRow{Msg::kDecrease, "Minskning", "Decrease"},
    MsgRow{Msg::kTotal, "Summa", "Total"},
    MsgRow{Msg::kLegend, "Förklaring", "Legend"},
};

}  // namespace

std::string FormatKronorIn(domain::Money amount, Lang lang) {
  return WithCurrency(amount.ore(), lang, true);
}

std::string FormatWholeKronorIn(domain::Money amount, Lang lang) {
  LEDGER_ASSERT(amount.ore() % 100 == 0);
  return WithCurrency(amount.ore(), lang, false);
}

std::string FormatCountIn(std::int64_t count, Lang lang) {
  std::string sign = count < 0 ? std::string(kMinus) : std::string();
  return sign + Grouped(Magnitude(count), GroupSep(lang));
}

std::string FormatHundredthsIn(std::int64_t hundredths, Lang lang) {
  const auto magnitude = Magnitude(hundredths);
  std::string out = hundredths < 0 ? std::string(kMinus) : std::string();
  out += Grouped(magnitude / 100, GroupSep(lang));
  out += lang == Lang::kSv ? ',' : '.';
  out += static_cast<char>('0' + magnitude % 100 / 10);
  out += static_cast<char>('0' + magnitude % 10);
  return out;
}

std::string FormatPercentIn(std::int64_t numerator, std::int64_t denominator, Lang lang) {
  if (denominator == 0) return "\xE2\x80\x93";
  // Tenths of a percent, rounded half away from zero: (1000 n + d/2) / d on magnitudes.
  unsigned __int128 n = Magnitude(numerator);
  unsigned __int128 d = Magnitude(denominator);
  auto tenths = static_cast<std::uint64_t>((n * 1000 + d / 2) / d);
  bool negative = (numerator < 0) != (denominator < 0) && tenths > 0;  // never "−0,0 %"
  std::string out = negative ? std::string(kMinus) : std::string();
  out += Grouped(tenths / 10, GroupSep(lang));
  out += lang == Lang::kSv ? ',' : '.';
  out += static_cast<char>('0' + tenths % 10);
  out += lang == Lang::kSv ? std::string(kNbsp) + "%" : std::string("%");
  return out;
}

std::string FormatDateIn(domain::Date date, Lang /*lang*/) { return domain::FormatDate(date); }

std::string FormatMonthIn(domain::Month month, Lang /*lang*/) {
  return domain::FormatMonth(month);
}

std::string_view MsgText(Msg msg, Lang lang) {
  for (const MsgRow& row : kCatalogue) {
    if (row.msg == msg) return lang == Lang::kSv ? row.sv : row.en;
  }
  LEDGER_ASSERT(false && "a Msg without a row in kCatalogue");
  return {};
}

}  // namespace capledger::present
