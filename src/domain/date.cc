#include "domain/date.h"

#include <fmt/format.h>

namespace capledger::domain {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

// Reads exactly `width` ASCII digits at `pos`; -1 if any is not a digit.
int Digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

Result<Date> DateAt(std::string_view text, std::size_t pos) {
  const int y = Digits(text, pos, 4);
  const int m = Digits(text, pos + 5, 2);
  const int d = Digits(text, pos + 8, 2);
  if (y < 0 || m < 0 || d < 0 || text[pos + 4] != '-' || text[pos + 7] != '-') {
    return Fail(ErrorCode::kInvalidArgument, "date must be YYYY-MM-DD");
  }
  if (!IsValidDate(y, m, d)) return Fail(ErrorCode::kInvalidArgument, "date does not exist");
  return Date{year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d))};
}

}  // namespace

bool IsValidDate(int y, int m, int d) {
  if (y < kYearMin || y > kYearMax || m < 1 || m > 12 || d < 1 || d > 31) return false;
  return Date{year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d))}.ok();
}

Result<Date> ParseDate(std::string_view text) {
  if (text.size() != 10) return Fail(ErrorCode::kInvalidArgument, "date must be YYYY-MM-DD");
  return DateAt(text, 0);
}

std::string FormatDate(Date date) {
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

Result<Month> ParseMonth(std::string_view text) {
  const int y = text.size() == 7 ? Digits(text, 0, 4) : -1;
  const int m = text.size() == 7 ? Digits(text, 5, 2) : -1;
  if (y < 0 || m < 0 || text[4] != '-') return Fail(ErrorCode::kInvalidArgument, "month must be YYYY-MM");
  if (y < kYearMin || y > kYearMax || m < 1 || m > 12) {
    return Fail(ErrorCode::kInvalidArgument, "month does not exist");
  }
  return Month{year(y), month(static_cast<unsigned>(m))};
}

Result<int> ParseYear(std::string_view text) {
  const int y = text.size() == 4 ? Digits(text, 0, 4) : -1;
  if (y < kYearMin || y > kYearMax) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("year must be YYYY, {} to {}", kYearMin, kYearMax));
  }
  return y;
}

std::string FormatMonth(Month value) {
  return fmt::format("{:04d}-{:02d}", static_cast<int>(value.year()), static_cast<unsigned>(value.month()));
}

std::int32_t DaysSinceEpoch(Date date) {
  return static_cast<std::int32_t>(std::chrono::sys_days(date).time_since_epoch().count());
}

Date DateFromDays(std::int32_t days) { return Date(std::chrono::sys_days(std::chrono::days(days))); }

std::int32_t MonthOrdinal(Month value) {
  return static_cast<std::int32_t>(static_cast<int>(value.year()) * 12 +
                                   static_cast<int>(static_cast<unsigned>(value.month())) - 1);
}

Month MonthFromOrdinal(std::int32_t ordinal) {
  const int y = ordinal >= 0 ? ordinal / 12 : (ordinal - 11) / 12;
  const int m = ordinal - y * 12 + 1;
  return Month{year(y), month(static_cast<unsigned>(m))};
}

Date FirstDay(Month value) { return value / day(1); }
Date LastDay(Month value) { return Date(value / std::chrono::last); }
Month AddMonths(Month value, int delta) { return MonthFromOrdinal(MonthOrdinal(value) + delta); }
Month MonthOf(Date date) { return date.year() / date.month(); }
Date AddDays(Date date, int days) { return Date(std::chrono::sys_days(date) + std::chrono::days(days)); }

namespace {

// Parses the part after the seconds: optional fraction, then the zone; returns the offset from UTC
// in minutes and adds the fraction to `micros`.
Result<int> ParseFractionAndZone(std::string_view text, std::size_t pos, std::int64_t& micros) {
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    std::int64_t fraction = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++digits > 6) return Fail(ErrorCode::kInvalidArgument, "time has more than 6 fraction digits");
      fraction = fraction * 10 + (text[pos] - '0');
      ++pos;
    }
    if (digits == 0) return Fail(ErrorCode::kInvalidArgument, "time has an empty fraction");
    for (std::size_t i = digits; i < 6; ++i) fraction *= 10;
    micros += fraction;
  }
  const std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") return 0;
  const int hh = Digits(zone, 1, 2);
  const int mm = Digits(zone, 4, 2);
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' || hh < 0 || mm < 0 ||
      hh > 23 || mm > 59) {
    return Fail(ErrorCode::kInvalidArgument, "time zone must be Z or +hh:mm");
  }
  const int offset = hh * 60 + mm;
  return zone[0] == '+' ? offset : -offset;
}

}  // namespace

Result<Timestamp> ParseTimestamp(std::string_view text) {
  auto bad = [] {
    return Fail(ErrorCode::kInvalidArgument, "time must be RFC 3339, like 2024-04-05T06:00:00Z");
  };
  if (text.size() < 20) return bad();
  auto date = DateAt(text, 0);
  if (!date) return bad();
  const char sep = text[10];
  const int hh = Digits(text, 11, 2);
  const int mi = Digits(text, 14, 2);
  const int ss = Digits(text, 17, 2);
  if ((sep != 'T' && sep != 't' && sep != ' ') || text[13] != ':' || text[16] != ':' || hh < 0 ||
      mi < 0 || ss < 0 || hh > 23 || mi > 59 || ss > 59) {
    return bad();
  }
  std::int64_t micros = 0;
  auto offset_minutes = ParseFractionAndZone(text, 19, micros);
  if (!offset_minutes) return tl::unexpected(offset_minutes.error());
  const std::int64_t seconds = std::int64_t{DaysSinceEpoch(*date)} * 86400 + hh * 3600 + mi * 60 + ss -
                               std::int64_t{*offset_minutes} * 60;
  return FromMicros(seconds * 1'000'000 + micros);
}

std::string FormatTimestamp(Timestamp t) {
  const std::int64_t micros = ToMicros(t);
  std::int64_t seconds = micros / 1'000'000;
  std::int64_t fraction = micros % 1'000'000;
  if (fraction < 0) {
    fraction += 1'000'000;
    seconds -= 1;
  }
  std::int64_t days = seconds / 86400;
  std::int64_t in_day = seconds % 86400;
  if (in_day < 0) {
    in_day += 86400;
    days -= 1;
  }
  const Date date = DateFromDays(static_cast<std::int32_t>(days));
  return fmt::format("{}T{:02d}:{:02d}:{:02d}.{:06d}Z", FormatDate(date), in_day / 3600,
                     (in_day / 60) % 60, in_day % 60, fraction);
}

namespace {

// 01:00 UTC on the last Sunday of `month` in `year`: when Swedish summer time starts (March) or
// ends (October).
Timestamp SummerTimeSwitch(std::chrono::year year, std::chrono::month month) {
  const std::chrono::sys_days last_sunday{std::chrono::year_month_weekday_last{year, month, std::chrono::Sunday[std::chrono::last]}};
  return Timestamp{last_sunday} + std::chrono::hours(1);
}

}  // namespace

Date SwedishDate(Timestamp t) {
  const std::chrono::year year = Date{std::chrono::floor<std::chrono::days>(t)}.year();
  const bool summer = t >= SummerTimeSwitch(year, std::chrono::March) && t < SummerTimeSwitch(year, std::chrono::October);
  const Timestamp local = t + std::chrono::hours(summer ? 2 : 1);
  return Date{std::chrono::floor<std::chrono::days>(local)};
}

}  // namespace capledger::domain
