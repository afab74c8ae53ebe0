// The one age rule and the one band rule, checked against independent ways of computing them.
#include <doctest/doctest.h>

#include <chrono>

#include "domain/age.h"
#include "domain/calculation.h"

namespace capledger::domain {
namespace {

Date D(int y, unsigned m, unsigned d) { return Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)}; }

// Counts the birthdays from `birth` up to and including `on` by walking the years: the birthday
// in year y is (y, birth's month, birth's day), or 1 March when that is 29 February of a year
// without it. Independent of AgeFromYmd's arithmetic on yyyymmdd.
int BirthdaysUpTo(Date birth, Date on) {
  if (on < birth) return -1;
  int count = 0;
  for (int y = static_cast<int>(birth.year()) + 1; y <= static_cast<int>(on.year()); ++y) {
    Date birthday{std::chrono::year(y), birth.month(), birth.day()};
    if (!birthday.ok()) birthday = D(y, 3, 1);
    if (birthday <= on) ++count;
  }
  return std::min(count, kAgeSlots - 1);
}

TEST_CASE("the age on every day of 2023-2025 of people born on leap days and ordinary days") {
  const Date births[] = {D(2020, 2, 29), D(2021, 2, 28), D(2021, 3, 1), D(2000, 12, 31), D(2024, 2, 29), D(1872, 1, 1)};
  for (const Date birth : births) {
    for (std::chrono::sys_days day = std::chrono::sys_days(D(2023, 1, 1)); day <= std::chrono::sys_days(D(2025, 12, 31));
         day += std::chrono::days(1)) {
      const Date on{day};
      const int expected = BirthdaysUpTo(birth, on);
      REQUIRE(AgeOn(birth, on) == expected);
      REQUIRE(AgeFromYmd(YmdOf(birth), YmdOf(on)) == expected);
    }
  }
}

TEST_CASE("ages at the edges: the day before a birthday, 29 February, not yet born, the last slot") {
  CHECK(AgeOn(D(2020, 2, 29), D(2021, 2, 28)) == 0);  // no 29 February in 2021: the birthday is 1 March
  CHECK(AgeOn(D(2020, 2, 29), D(2021, 3, 1)) == 1);
  CHECK(AgeOn(D(2020, 2, 29), D(2024, 2, 28)) == 3);
  CHECK(AgeOn(D(2020, 2, 29), D(2024, 2, 29)) == 4);
  CHECK(AgeOn(D(2024, 5, 1), D(2024, 4, 30)) == -1);  // not yet born
  CHECK(AgeOn(D(2024, 5, 1), D(2024, 5, 1)) == 0);
  CHECK(AgeOn(D(1800, 1, 1), D(2024, 1, 1)) == 150);  // 224 years: the last slot
  CHECK(YmdOf(D(2024, 2, 29)) == 20240229);
}

TEST_CASE("a band covers its min_age up to the next band's; every age falls in exactly one") {
  Rulebook rb;
  rb.capitation = {{0, Money::FromOre(1)}, {6, Money::FromOre(2)}, {65, Money::FromOre(3)}, {85, Money::FromOre(4)}};
  CHECK(CapitationBandOf(rb, 0) == 0);
  CHECK(CapitationBandOf(rb, 5) == 0);
  CHECK(CapitationBandOf(rb, 6) == 1);
  CHECK(CapitationBandOf(rb, 64) == 1);
  CHECK(CapitationBandOf(rb, 65) == 2);
  CHECK(CapitationBandOf(rb, 84) == 2);
  CHECK(CapitationBandOf(rb, 85) == 3);
  CHECK(CapitationBandOf(rb, 150) == 3);
  // 0-5, 6-64, 65-84, 85-150: 6 + 59 + 20 + 66 = 151 ages.
  CHECK(AgesOfBand(rb, 0).end - AgesOfBand(rb, 0).first == 6);
  CHECK(AgesOfBand(rb, 1).end - AgesOfBand(rb, 1).first == 59);
  CHECK(AgesOfBand(rb, 2).end - AgesOfBand(rb, 2).first == 20);
  CHECK(AgesOfBand(rb, 3).end - AgesOfBand(rb, 3).first == 66);
}

TEST_CASE("counts per band sum the ages of each band's range") {
  Rulebook rb;
  rb.capitation = {{0, Money::FromOre(1)}, {6, Money::FromOre(2)}, {65, Money::FromOre(3)}};
  AgeCounts ages{};
  ages[0] = 1;    // band 0
  ages[5] = 2;    // band 0
  ages[6] = 4;    // band 1
  ages[64] = 8;   // band 1
  ages[65] = 16;  // band 2
  ages[150] = 32; // band 2
  CHECK(CountsPerBand(rb, ages) == std::vector<std::int64_t>{1 + 2, 4 + 8, 16 + 32});
}

}  // namespace
}  // namespace capledger::domain
