// The personnummer: both written forms, the Luhn check digit, samordningsnummer (day + 60),
// impossible dates, the refused 10-digit form, the century and the sex digit. Check digits in the
// comments are worked out by hand (weights 2,1,2,... over YYMMDDNNN; a product over 9 counts as
// its digit sum; C = (10 − sum mod 10) mod 10).
#include <string>
#include <tuple>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "domain/personnummer.h"
#include "support/personnummer.h"

namespace capledger::domain {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date D(int y, unsigned m, unsigned d) { return Date{year(y), month(m), day(d)}; }

Personnummer Parsed(std::string_view text) {
  auto pnr = ParsePersonnummer(text);
  REQUIRE_MESSAGE(pnr.has_value(), text << ": " << pnr.error().message);
  return *pnr;
}

std::string RejectionOf(std::string_view text) {
  auto pnr = ParsePersonnummer(text);
  REQUIRE_MESSAGE(!pnr.has_value(), text);
  CHECK(pnr.error().code == ErrorCode::kInvalidArgument);
  return pnr.error().message;
}

TEST_CASE("the Luhn digit is computed over YYMMDDNNN") {
  // Skatteverket's test number 19121212-1212: 1·2 2·1 1·2 2·1 1·2 2·1 1·2 2·1 1·2
  // = 2+2+2+2+2+2+2+2+2 = 18 -> (10 − 8) mod 10 = 2.
  CHECK(LuhnCheckDigit("121212121") == 2);
  // 900101-0017: 9·2=18->9, 0, 0·2=0, 1, 0, 1, 0, 0, 1·2=2 -> 13 -> 7.
  CHECK(LuhnCheckDigit("900101001") == 7);
  // A sum that is a multiple of 10 gives 0: 5·2=10->1, 9 -> 10 -> 0.
  CHECK(LuhnCheckDigit("59") == 0);
}

TEST_CASE("both written forms name the same resident") {
  const Personnummer with_hyphen = Parsed("19121212-1212");
  const Personnummer without = Parsed("191212121212");
  CHECK(with_hyphen.twelve_digits == "191212121212");
  CHECK(without.twelve_digits == "191212121212");
  CHECK(with_hyphen.birth_date == D(1912, 12, 12));
  CHECK(without.birth_date == with_hyphen.birth_date);
  CHECK(with_hyphen.sex == Sex::kMale);  // second-to-last digit 1: odd
  CHECK_FALSE(with_hyphen.coordination_number);
}

TEST_CASE("the sex digit is the second-to-last: odd male, even female") {
  // 20240229-0023: 2·2=4, 4, 0, 2, 2·2=4, 9, 0, 0, 2·2=4 -> 27 -> 3. Digit 2: female.
  const Personnummer born_leap_day = Parsed("20240229-0023");
  CHECK(born_leap_day.sex == Sex::kFemale);
  CHECK(born_leap_day.birth_date == D(2024, 2, 29));
  // 19900101-0017: digit 1, male.
  CHECK(Parsed("19900101-0017").sex == Sex::kMale);
}

TEST_CASE("the century comes from the 8-digit date") {
  // 19121212-1212 and 20121212-1212 share YYMMDDNNN, so the same check digit 2.
  const Personnummer older = Parsed("19121212-1212");
  const Personnummer younger = Parsed("20121212-1212");
  CHECK(older.birth_date == D(1912, 12, 12));
  CHECK(younger.birth_date == D(2012, 12, 12));
  CHECK(older.twelve_digits != younger.twelve_digits);
}

TEST_CASE("a samordningsnummer has the day plus 60") {
  // 19701063-2391 (born 1970-10-03): 7·2=14->5, 0, 1·2=2, 0, 6·2=12->3, 3, 2·2=4, 3, 9·2=18->9
  // = 29 -> 1. Digit 9: male.
  const Personnummer pnr = Parsed("19701063-2391");
  CHECK(pnr.coordination_number);
  CHECK(pnr.birth_date == D(1970, 10, 3));
  CHECK(pnr.sex == Sex::kMale);
  CHECK(pnr.twelve_digits == "197010632391");  // the written digits, not the birth date
  // Day 61 and day 91 are the edges; 92 is no day.
  CHECK(Parsed(testing::MakePersonnummer(1970, 1, 1, 123, true)).birth_date == D(1970, 1, 1));
  CHECK(Parsed(testing::MakePersonnummer(1970, 1, 31, 123, true)).birth_date == D(1970, 1, 31));
  CHECK(Parsed(testing::MakePersonnummer(2024, 2, 29, 124, true)).coordination_number);
}

TEST_CASE("impossible dates are refused before the check digit is looked at") {
  // Each number below has a correct check digit, so only the date is wrong.
  for (auto [y, m, d] : {std::tuple{2023, 2, 29}, std::tuple{1900, 2, 29}, std::tuple{2024, 4, 31},
                         std::tuple{2024, 13, 1}, std::tuple{2024, 0, 1}, std::tuple{2024, 1, 0},
                         std::tuple{2024, 1, 32}, std::tuple{2024, 1, 60}, std::tuple{2024, 1, 92},
                         std::tuple{2023, 2, 89}, std::tuple{1799, 12, 31}}) {
    const std::string nine = fmt::format("{:02d}{:02d}{:02d}123", y % 100, m, d);
    const std::string text = fmt::format("{:04d}{:02d}{:02d}-123{}", y, m, d, LuhnCheckDigit(nine));
    CAPTURE(text);
    CHECK(RejectionOf(text).find("date") != std::string::npos);
  }
  // Day 89 = 29 + 60 in a leap year is a real samordningsnummer date.
  CHECK(Parsed(testing::MakePersonnummer(2024, 2, 29, 123, true)).birth_date == D(2024, 2, 29));
}

TEST_CASE("a wrong check digit is refused and the message never repeats the number") {
  for (std::string_view bad : {"19121212-1213", "19121212-1210", "191212121219", "19701063-2390"}) {
    CAPTURE(bad);
    const std::string message = RejectionOf(bad);
    CHECK(message.find("check digit") != std::string::npos);
    CHECK(message.find("1212") == std::string::npos);
    CHECK(message.find("1063") == std::string::npos);
  }
}

TEST_CASE("the 10-digit form and other shapes are refused") {
  CHECK(RejectionOf("121212-1212").find("12-digit") != std::string::npos);
  CHECK(RejectionOf("1212121212").find("12-digit") != std::string::npos);
  CHECK(RejectionOf("121212+1212").find("12-digit") != std::string::npos);
  for (std::string_view bad : {"", "19121212+1212", "1912121-21212", "19121212-121a", "19121212 1212",
                               "1912121212120", "19121212--1212", "19121212-12121", "x9121212-1212",
                               "-1912121212", "191212121", "19121212-1212\n"}) {
    CAPTURE(bad);
    CHECK(RejectionOf(bad).find("1212") == std::string::npos);
  }
}

TEST_CASE("a personnummer standing on its own is found in any text, in either written form") {
  // 19121212-1212: Skatteverket's test number, its check digit 2 worked out in the Luhn test above.
  CHECK(ContainsPersonnummer("19121212-1212"));
  CHECK(ContainsPersonnummer("191212121212"));
  CHECK(ContainsPersonnummer("1177-191212121212"));
  CHECK(ContainsPersonnummer("listing of 19121212-1212 by phone"));
  CHECK(ContainsPersonnummer("x19121212-1212x"));
  CHECK(ContainsPersonnummer("191212121212-1"));  // the twelve digits stand alone before the hyphen
  // A samordningsnummer: the day plus 60.
  CHECK(ContainsPersonnummer("id-" + testing::MakePersonnummer(1990, 2, 28, 246, true)));
}

TEST_CASE("digits that only look like a personnummer are not one") {
  CHECK_FALSE(ContainsPersonnummer("19121212-1213"));       // wrong check digit
  CHECK_FALSE(ContainsPersonnummer("19121312-1212"));       // month 13
  CHECK_FALSE(ContainsPersonnummer("1912121212120"));       // 13 digits: part of a longer number
  CHECK_FALSE(ContainsPersonnummer("0191212121212"));
  CHECK_FALSE(ContainsPersonnummer("121212-1212"));         // the 10-digit form carries no century
  CHECK_FALSE(ContainsPersonnummer("19121212-12120"));      // five digits after the hyphen
  CHECK_FALSE(ContainsPersonnummer("navet-2024-000001"));
  CHECK_FALSE(ContainsPersonnummer(""));
}

}  // namespace
}  // namespace capledger::domain
