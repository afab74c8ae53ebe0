// Civil dates, months and timestamps: the leap-year rule, month arithmetic across years, the
// snapshot dates of DOMAIN.md §6.1, and RFC 3339 in and out. Expected epoch values come from
// GNU date (`date -u -d '2024-04-05T06:00:00Z' +%s` = 1712296800) and Python's datetime.
#include <cstdint>
#include <string>

#include <doctest/doctest.h>

#include "domain/date.h"
#include "domain/rulebook.h"

namespace capledger::domain {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date D(int y, unsigned m, unsigned d) { return Date{year(y), month(m), day(d)}; }
Month M(int y, unsigned m) { return Month{year(y), month(m)}; }

TEST_CASE("a year is a leap year every 4 years, except centuries not divisible by 400") {
  CHECK(IsValidDate(2024, 2, 29));
  CHECK_FALSE(IsValidDate(2023, 2, 29));
  CHECK(IsValidDate(2000, 2, 29));        // divisible by 400
  CHECK_FALSE(IsValidDate(1900, 2, 29));  // a century, not divisible by 400
  CHECK_FALSE(IsValidDate(2100, 2, 29));
  CHECK(IsValidDate(1904, 2, 29));
  CHECK_FALSE(IsValidDate(2024, 2, 30));
  CHECK(LastDay(M(2024, 2)) == D(2024, 2, 29));
  CHECK(LastDay(M(2023, 2)) == D(2023, 2, 28));
  CHECK(LastDay(M(1900, 2)) == D(1900, 2, 28));
  CHECK(LastDay(M(2000, 2)) == D(2000, 2, 29));
}

TEST_CASE("dates parse only as YYYY-MM-DD naming a real day within the supported years") {
  CHECK(*ParseDate("2024-02-29") == D(2024, 2, 29));
  CHECK(*ParseDate("1800-01-01") == D(1800, 1, 1));
  CHECK(*ParseDate("2999-12-31") == D(2999, 12, 31));
  for (std::string_view bad : {"2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00",
                               "2024-01-32", "1799-12-31", "3000-01-01", "2024-2-29", "2024/02/29", "24-02-29",
                               "2024-02-290", "2024-02-2", " 2024-02-29", "2024-02-29 ", "", "2024-0a-01",
                               "+024-01-01", "2024-01-01T00:00:00Z"}) {
    CAPTURE(bad);
    auto date = ParseDate(bad);
    REQUIRE_FALSE(date.has_value());
    CHECK(date.error().code == ErrorCode::kInvalidArgument);
  }
}

TEST_CASE("dates and months print zero-padded") {
  CHECK(FormatDate(D(2024, 2, 9)) == "2024-02-09");
  CHECK(FormatDate(D(1800, 1, 1)) == "1800-01-01");
  CHECK(FormatMonth(M(2024, 3)) == "2024-03");
  CHECK(*ParseMonth("2024-03") == M(2024, 3));
  CHECK(*ParseMonth("2024-12") == M(2024, 12));
  for (std::string_view bad : {"2024-13", "2024-00", "2024-3", "2024-003", "1799-12", "3000-01", "2024/03", "",
                               "2024-03-01"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseMonth(bad).has_value());
  }
}

TEST_CASE("days since the epoch count both ways and survive a round trip") {
  CHECK(DaysSinceEpoch(D(1970, 1, 1)) == 0);
  CHECK(DaysSinceEpoch(D(1969, 12, 31)) == -1);
  CHECK(DaysSinceEpoch(D(2024, 2, 29)) == 19782);   // Python: (date(2024,2,29) - date(1970,1,1)).days
  CHECK(DaysSinceEpoch(D(1900, 3, 1)) == -25508);   // Python: (date(1900,3,1) - date(1970,1,1)).days
  for (std::int32_t days : {-25508, -1, 0, 1, 19782, 376200}) {
    CAPTURE(days);
    CHECK(DaysSinceEpoch(DateFromDays(days)) == days);
  }
  CHECK(AddDays(D(2024, 2, 28), 1) == D(2024, 2, 29));
  CHECK(AddDays(D(2024, 2, 28), 2) == D(2024, 3, 1));
  CHECK(AddDays(D(2023, 2, 28), 1) == D(2023, 3, 1));
  CHECK(AddDays(D(2024, 1, 1), -1) == D(2023, 12, 31));
  CHECK(AddDays(D(2023, 12, 31), 366) == D(2024, 12, 31));  // 2024 has 366 days
}

TEST_CASE("month arithmetic crosses year boundaries in both directions") {
  CHECK(AddMonths(M(2023, 11), 2) == M(2024, 1));
  CHECK(AddMonths(M(2024, 1), -1) == M(2023, 12));
  CHECK(AddMonths(M(2024, 3), -15) == M(2022, 12));
  CHECK(AddMonths(M(2024, 12), 1) == M(2025, 1));
  CHECK(AddMonths(M(2024, 5), 0) == M(2024, 5));
  CHECK(AddMonths(M(2024, 5), 24) == M(2026, 5));
  CHECK(AddMonths(M(2024, 5), -12) == M(2023, 5));
  CHECK(MonthOf(D(2024, 2, 29)) == M(2024, 2));
  CHECK(FirstDay(M(2024, 2)) == D(2024, 2, 1));
  CHECK(LastDay(M(2024, 4)) == D(2024, 4, 30));
  CHECK(LastDay(M(2024, 12)) == D(2024, 12, 31));
}

TEST_CASE("a month ordinal is year × 12 + month − 1 and converts back") {
  CHECK(MonthOrdinal(M(2024, 3)) == 24290);   // 2024 × 12 + 2
  CHECK(MonthOrdinal(M(2023, 12)) == 24287);  // 2023 × 12 + 11
  CHECK(MonthOrdinal(M(2024, 1)) - MonthOrdinal(M(2023, 12)) == 1);
  CHECK(MonthFromOrdinal(24290) == M(2024, 3));
  CHECK(MonthFromOrdinal(0) == M(0, 1));
  CHECK(MonthFromOrdinal(-1) == M(-1, 12));
  // Every month the parsers accept, 1800-01 .. 2999-12 (14,400 months).
  int checked = 0;
  for (std::int32_t ordinal = MonthOrdinal(M(kYearMin, 1)); ordinal <= MonthOrdinal(M(kYearMax, 12)); ++ordinal) {
    const Month month_value = MonthFromOrdinal(ordinal);
    REQUIRE(month_value.ok());
    REQUIRE(MonthOrdinal(month_value) == ordinal);
    ++checked;
  }
  CHECK(checked == 14400);
}

TEST_CASE("the snapshot date follows the rulebook's rule, February and January included") {
  CHECK(SnapshotDate(SnapshotRule::kLastDayOfMonth, M(2024, 2)) == D(2024, 2, 29));
  CHECK(SnapshotDate(SnapshotRule::kLastDayOfMonth, M(2023, 2)) == D(2023, 2, 28));
  CHECK(SnapshotDate(SnapshotRule::kLastDayOfMonth, M(2024, 1)) == D(2024, 1, 31));
  CHECK(SnapshotDate(SnapshotRule::kLastDayOfMonth, M(2024, 4)) == D(2024, 4, 30));
  CHECK(SnapshotDate(SnapshotRule::kFirstDayOfMonth, M(2024, 2)) == D(2024, 2, 1));
  CHECK(SnapshotDate(SnapshotRule::kFirstDayOfMonth, M(2024, 1)) == D(2024, 1, 1));
  CHECK(SnapshotDate(SnapshotRule::kLastDayOfPreviousMonth, M(2024, 3)) == D(2024, 2, 29));
  CHECK(SnapshotDate(SnapshotRule::kLastDayOfPreviousMonth, M(2023, 3)) == D(2023, 2, 28));
  CHECK(SnapshotDate(SnapshotRule::kLastDayOfPreviousMonth, M(2024, 1)) == D(2023, 12, 31));
}

Timestamp At(std::int64_t micros) { return FromMicros(micros); }

std::int64_t MicrosOf(std::string_view text) {
  auto t = ParseTimestamp(text);
  REQUIRE_MESSAGE(t.has_value(), text);
  return ToMicros(*t);
}

constexpr std::int64_t k0600 = std::int64_t{1712296800} * 1'000'000;  // 2024-04-05T06:00:00Z

TEST_CASE("RFC 3339 times parse to UTC microseconds, whatever the offset") {
  CHECK(MicrosOf("2024-04-05T06:00:00Z") == k0600);
  CHECK(MicrosOf("2024-04-05t06:00:00z") == k0600);
  CHECK(MicrosOf("2024-04-05 06:00:00Z") == k0600);
  CHECK(MicrosOf("2024-04-05T08:00:00+02:00") == k0600);
  CHECK(MicrosOf("2024-04-05T01:30:00-04:30") == k0600);  // 01:30 + 4:30
  CHECK(MicrosOf("2024-04-05T06:00:00+00:00") == k0600);
  CHECK(MicrosOf("2024-04-05T06:00:00-00:00") == k0600);
  // An offset may move the instant into another day (and year).
  CHECK(MicrosOf("2024-01-01T00:30:00+01:00") == MicrosOf("2023-12-31T23:30:00Z"));
  CHECK(MicrosOf("1970-01-01T00:00:00Z") == 0);
  CHECK(MicrosOf("1969-12-31T23:59:59.999999Z") == -1);
  CHECK(MicrosOf("2024-02-29T00:00:00Z") == 1709164800LL * 1'000'000);
}

TEST_CASE("fractions of a second have 1 to 6 digits") {
  CHECK(MicrosOf("2024-04-05T06:00:00.1Z") == k0600 + 100000);
  CHECK(MicrosOf("2024-04-05T06:00:00.12Z") == k0600 + 120000);
  CHECK(MicrosOf("2024-04-05T06:00:00.123Z") == k0600 + 123000);
  CHECK(MicrosOf("2024-04-05T06:00:00.1234Z") == k0600 + 123400);
  CHECK(MicrosOf("2024-04-05T06:00:00.12345Z") == k0600 + 123450);
  CHECK(MicrosOf("2024-04-05T06:00:00.123456Z") == k0600 + 123456);
  CHECK(MicrosOf("2024-04-05T06:00:00.000001+02:00") == k0600 - 2LL * 3600 * 1'000'000 + 1);
  CHECK_FALSE(ParseTimestamp("2024-04-05T06:00:00.1234567Z").has_value());
  CHECK_FALSE(ParseTimestamp("2024-04-05T06:00:00.Z").has_value());
}

TEST_CASE("anything else is not an RFC 3339 time") {
  for (std::string_view bad :
       {"", "2024-04-05", "2024-04-05T06:00:00", "2024-04-05T06:00Z", "2024-04-05T06:00:00+02",
        "2024-04-05T06:00:00+0200",
        "2024-04-05T06:00:00+24:00", "2024-04-05T06:00:00+02:60", "2024-04-05T24:00:00Z", "2024-04-05T23:60:00Z",
        "2024-04-05T23:59:60Z", "2023-02-29T00:00:00Z", "2024-04-05X06:00:00Z", "2024-04-05T06:00:00Z ",
        "2024-04-05T06:00:00ZZ", "2024-04-05T6:00:00Z", "2024-04-05T06:00:00,5Z", "1799-12-31T23:59:59Z"}) {
    CAPTURE(bad);
    auto t = ParseTimestamp(bad);
    REQUIRE_FALSE(t.has_value());
    CHECK(t.error().code == ErrorCode::kInvalidArgument);
  }
}

TEST_CASE("timestamps print in UTC with six fraction digits, before the epoch too") {
  CHECK(FormatTimestamp(At(0)) == "1970-01-01T00:00:00.000000Z");
  CHECK(FormatTimestamp(At(-1)) == "1969-12-31T23:59:59.999999Z");
  CHECK(FormatTimestamp(At(-1'000'000)) == "1969-12-31T23:59:59.000000Z");
  CHECK(FormatTimestamp(At(-86'400'000'000)) == "1969-12-31T00:00:00.000000Z");
  CHECK(FormatTimestamp(At(-86'400'000'001)) == "1969-12-30T23:59:59.999999Z");
  CHECK(FormatTimestamp(At(k0600 + 123456)) == "2024-04-05T06:00:00.123456Z");
  CHECK(FormatTimestamp(At(-5364662400LL * 1'000'000)) == "1800-01-01T00:00:00.000000Z");  // date -u -d 1800-01-01 +%s
  for (std::int64_t micros : {std::int64_t{0}, std::int64_t{-1}, k0600 + 7, std::int64_t{-5364662400} * 1'000'000,
                              std::int64_t{32503679999} * 1'000'000 + 999999}) {
    CAPTURE(micros);
    CHECK(MicrosOf(FormatTimestamp(At(micros))) == micros);
  }
}

TEST_CASE("the Swedish calendar date of an instant, around both changes of summer time") {
  // Each expected date is what `TZ=Europe/Stockholm date -d T '+%F %T %Z'` prints (tzdata):
  // summer time 2024 runs from 2024-03-31T01:00:00Z to 2024-10-27T01:00:00Z.
  struct Case {
    const char* utc;
    Date swedish;
  };
  const Case cases[] = {
      {"2024-03-30T22:59:59Z", D(2024, 3, 30)},  // 23:59:59 CET
      {"2024-03-30T23:00:00Z", D(2024, 3, 31)},  // 00:00:00 CET
      {"2024-03-31T00:59:59Z", D(2024, 3, 31)},  // 01:59:59 CET, the last second of winter time
      {"2024-03-31T01:00:00Z", D(2024, 3, 31)},  // 03:00:00 CEST
      {"2024-03-31T21:59:59Z", D(2024, 3, 31)},  // 23:59:59 CEST
      {"2024-03-31T22:30:00Z", D(2024, 4, 1)},   // 00:30:00 CEST on 1 April: the UTC date is 31 March
      {"2024-10-26T21:59:59Z", D(2024, 10, 26)}, // 23:59:59 CEST
      {"2024-10-26T22:00:00Z", D(2024, 10, 27)}, // 00:00:00 CEST
      {"2024-10-27T00:59:59Z", D(2024, 10, 27)}, // 02:59:59 CEST, the last second of summer time
      {"2024-10-27T01:00:00Z", D(2024, 10, 27)}, // 02:00:00 CET
      {"2024-10-27T22:59:59Z", D(2024, 10, 27)}, // 23:59:59 CET
      {"2024-10-27T23:00:00Z", D(2024, 10, 28)}, // 00:00:00 CET
      {"2025-12-31T23:00:00Z", D(2026, 1, 1)},   // 00:00:00 CET: a new year in Sweden first
  };
  for (const Case& c : cases) {
    CAPTURE(c.utc);
    auto t = ParseTimestamp(c.utc);
    REQUIRE(t.has_value());
    CHECK(SwedishDate(*t) == c.swedish);
  }
}

}  // namespace
}  // namespace capledger::domain
