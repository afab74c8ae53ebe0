// Civil dates and months (valid time), and the text forms of dates, months and timestamps.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"

namespace capledger::domain {

// A Swedish civil date, no time of day. Always a valid calendar date once constructed by a parser.
using Date = std::chrono::year_month_day;
// A calendar month.
using Month = std::chrono::year_month;

// Years outside this range are rejected by the parsers (a personnummer, a rulebook, an event).
inline constexpr int kYearMin = 1800;
inline constexpr int kYearMax = 2999;

// Parses "YYYY-MM-DD"; kInvalidArgument if the shape is wrong or the date does not exist.
Result<Date> ParseDate(std::string_view text);
// "YYYY-MM-DD".
std::string FormatDate(Date date);

// Parses "YYYY-MM"; kInvalidArgument otherwise.
Result<Month> ParseMonth(std::string_view text);
// "YYYY-MM".
std::string FormatMonth(Month month);
// Parses a year "YYYY" within the years the log takes; kInvalidArgument otherwise.
Result<int> ParseYear(std::string_view text);

// Days since 1970-01-01 (negative before), and back. The stored form of a date.
std::int32_t DaysSinceEpoch(Date date);
Date DateFromDays(std::int32_t days);

// A month as a single ordinal (year * 12 + month - 1), and back. The stored form of a month.
std::int32_t MonthOrdinal(Month month);
Month MonthFromOrdinal(std::int32_t ordinal);

// The first and last day of a month, and the month `delta` months later (earlier if negative).
Date FirstDay(Month month);
Date LastDay(Month month);
Month AddMonths(Month month, int delta);
Month MonthOf(Date date);
// The date `days` days later (earlier if negative).
Date AddDays(Date date, int days);

// True if the year/month/day triple names a real date within [kYearMin, kYearMax].
bool IsValidDate(int year, int month, int day);

// Parses RFC 3339: "YYYY-MM-DDTHH:MM:SS[.f{1,6}](Z|+hh:mm|-hh:mm)"; 'T' may be 't' or ' ';
// kInvalidArgument otherwise. The result is UTC.
Result<Timestamp> ParseTimestamp(std::string_view text);
// "YYYY-MM-DDTHH:MM:SS.ffffffZ" in UTC.
std::string FormatTimestamp(Timestamp t);

// The Swedish calendar date (Europe/Stockholm) of an instant: UTC+1 (CET), and UTC+2 (CEST) from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October, the EU rule
// Sweden has kept since 1996. Computed here, not read from the machine's time-zone files, so that
// every machine dates a voucher the same way.
Date SwedishDate(Timestamp t);

}  // namespace capledger::domain
