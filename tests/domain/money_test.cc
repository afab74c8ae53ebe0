// Money: parsing and printing kronor, checked arithmetic at the int64 limits, and the single
// rounding of DOMAIN.md §6.4 (half away from zero).
#include <cstdint>
#include <limits>
#include <string>

#include <doctest/doctest.h>

#include "domain/money.h"

namespace capledger::domain {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();  //  9223372036854775807
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();  // -9223372036854775808

std::int64_t OreOf(std::string_view text) {
  auto money = ParseKronor(text);
  REQUIRE_MESSAGE(money.has_value(), text);
  return money->ore();
}

TEST_CASE("kronor with two decimals parse to öre") {
  CHECK(OreOf("1234.50") == 123450);
  CHECK(OreOf("0.05") == 5);
  CHECK(OreOf("0.00") == 0);
  CHECK(OreOf("192.00") == 19200);
  CHECK(OreOf("1200000.00") == 120000000);
  // The input form is ^[0-9]+\.[0-9]{2}$, so leading zeros are allowed and mean nothing.
  CHECK(OreOf("007.50") == 750);
  CHECK(OreOf("00.01") == 1);
  // The largest amount: INT64_MAX öre = 92233720368547758.07 kronor (20 characters).
  CHECK(OreOf("92233720368547758.07") == kMax);
}

TEST_CASE("anything else is not kronor") {
  for (std::string_view bad :
       {"", "1", "12", "1.5", "1234.5", "1234.", ".50", "1234.500", "1234,50", "-1.00", "+1.00", " 1.00", "1.00 ",
        "1e3.00", "1_000.00", "12a4.50", "0x10.00", "1.0a", "92233720368547758.08", "99999999999999999.99"}) {
    CAPTURE(bad);
    auto money = ParseKronor(bad);
    REQUIRE_FALSE(money.has_value());
    CHECK(money.error().code == ErrorCode::kInvalidArgument);
  }
}

TEST_CASE("signed kronor accept a leading minus, but not negative zero") {
  auto negative = ParseSignedKronor("-1234.50");
  REQUIRE(negative.has_value());
  CHECK(negative->ore() == -123450);
  CHECK(ParseSignedKronor("-0.05")->ore() == -5);
  CHECK(ParseSignedKronor("0.05")->ore() == 5);
  CHECK(ParseSignedKronor("-92233720368547758.07")->ore() == -kMax);
  CHECK_FALSE(ParseSignedKronor("-0.00").has_value());
  CHECK_FALSE(ParseSignedKronor("-000.00").has_value());
  CHECK_FALSE(ParseSignedKronor("--1.00").has_value());
  CHECK_FALSE(ParseSignedKronor("-").has_value());
  CHECK_FALSE(ParseSignedKronor("+1.00").has_value());
  CHECK_FALSE(ParseSignedKronor("- 1.00").has_value());
  // ParseKronor itself never takes a sign.
  CHECK_FALSE(ParseKronor("-1234.50").has_value());
}

TEST_CASE("kronor print with two decimals, and the sign only when negative") {
  CHECK(FormatKronor(Money::FromOre(123450)) == "1234.50");
  CHECK(FormatKronor(Money::FromOre(5)) == "0.05");
  CHECK(FormatKronor(Money::FromOre(50)) == "0.50");
  CHECK(FormatKronor(Money::Zero()) == "0.00");
  CHECK(FormatKronor(Money::FromOre(-5)) == "-0.05");
  CHECK(FormatKronor(Money::FromOre(-123450)) == "-1234.50");
  CHECK(FormatKronor(Money::FromOre(kMax)) == "92233720368547758.07");
  // INT64_MIN has no positive twin; printing it must not overflow.
  CHECK(FormatKronor(Money::FromOre(kMin)) == "-92233720368547758.08");
}

TEST_CASE("printing then parsing gives the amount back") {
  for (std::int64_t ore : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{99},
                           std::int64_t{-100}, std::int64_t{123456789}, kMax, -kMax}) {
    CAPTURE(ore);
    auto back = ParseSignedKronor(FormatKronor(Money::FromOre(ore)));
    REQUIRE(back.has_value());
    CHECK(back->ore() == ore);
  }
}

TEST_CASE("addition and subtraction refuse to wrap at the int64 limits") {
  CHECK(Money::FromOre(kMax - 1).Plus(Money::FromOre(1))->ore() == kMax);
  CHECK_FALSE(Money::FromOre(kMax).Plus(Money::FromOre(1)).has_value());
  CHECK(Money::FromOre(kMin + 1).Plus(Money::FromOre(-1))->ore() == kMin);
  CHECK_FALSE(Money::FromOre(kMin).Plus(Money::FromOre(-1)).has_value());
  CHECK(Money::FromOre(kMax).Plus(Money::FromOre(kMin))->ore() == -1);

  CHECK(Money::FromOre(kMin + 1).Minus(Money::FromOre(1))->ore() == kMin);
  CHECK_FALSE(Money::FromOre(kMin).Minus(Money::FromOre(1)).has_value());
  CHECK_FALSE(Money::FromOre(kMax).Minus(Money::FromOre(-1)).has_value());
  CHECK_FALSE(Money::FromOre(0).Minus(Money::FromOre(kMin)).has_value());  // 0 - MIN = MAX + 1
  CHECK(Money::FromOre(-1).Minus(Money::FromOre(kMin))->ore() == kMax);
  auto overflow = Money::FromOre(kMax).Plus(Money::FromOre(kMax));
  REQUIRE_FALSE(overflow.has_value());
  CHECK(overflow.error().code == ErrorCode::kInternal);  // our arithmetic, not the caller's input
}

TEST_CASE("multiplication and negation refuse to wrap at the int64 limits") {
  CHECK(Money::FromOre(19200).Times(308116)->ore() == 5915827200);  // 192.00 × 308,116 residents
  CHECK(Money::FromOre(kMax).Times(1)->ore() == kMax);
  CHECK(Money::FromOre(kMax).Times(-1)->ore() == -kMax);
  CHECK_FALSE(Money::FromOre(kMax).Times(2).has_value());
  CHECK_FALSE(Money::FromOre(kMin).Times(-1).has_value());
  // 4611686018427387904 = 2^62; × 2 = 2^63 does not fit, × -2 = -2^63 = INT64_MIN does.
  CHECK_FALSE(Money::FromOre(4611686018427387904).Times(2).has_value());
  CHECK(Money::FromOre(4611686018427387904).Times(-2)->ore() == kMin);
  CHECK(Money::FromOre(kMin).Times(0)->ore() == 0);

  CHECK(Money::FromOre(5).Negated()->ore() == -5);
  CHECK(Money::FromOre(0).Negated()->ore() == 0);
  CHECK(Money::FromOre(kMax).Negated()->ore() == -kMax);
  CHECK(Money::FromOre(-kMax).Negated()->ore() == kMax);
  CHECK_FALSE(Money::FromOre(kMin).Negated().has_value());
}

std::int64_t Divided(__int128 numerator, std::int64_t denominator) {
  auto money = DivideRoundHalfAway(numerator, denominator);
  REQUIRE(money.has_value());
  return money->ore();
}

TEST_CASE("division rounds once, half away from zero") {
  CHECK(Divided(5, 2) == 3);     //  2.5  ->  3
  CHECK(Divided(-5, 2) == -3);   // -2.5  -> -3
  CHECK(Divided(3, 2) == 2);     //  1.5  ->  2
  CHECK(Divided(-3, 2) == -2);   // -1.5  -> -2
  CHECK(Divided(1, 2) == 1);     //  0.5  ->  1
  CHECK(Divided(-1, 2) == -1);   // -0.5  -> -1
  CHECK(Divided(7, 12) == 1);    //  0.583 ->  1
  CHECK(Divided(-7, 12) == -1);  // -0.583 -> -1
  CHECK(Divided(6, 12) == 1);    //  0.5  ->  1
  CHECK(Divided(5, 12) == 0);    //  0.416 -> 0
  CHECK(Divided(-5, 12) == 0);   // -0.416 -> 0 (never "-0")
  CHECK(Divided(1, 3) == 0);     //  0.333 -> 0
  CHECK(Divided(2, 3) == 1);     //  0.667 -> 1
  CHECK(Divided(0, 7) == 0);
  CHECK(Divided(24, 12) == 2);   // exact
  CHECK(Divided(-24, 12) == -2);
  // DOMAIN.md §6.3 example: 1 resident in the 65-74 band of KoK-2023, 430000 öre / 12
  // = 35833.33... -> 35833 öre; 7 residents: 3010000 / 12 = 250833.33... -> 250833.
  CHECK(Divided(430000, 12) == 35833);
  CHECK(Divided(7 * 430000, 12) == 250833);
  // 1,200,000.00 kronor in 7 parts: 120000000 / 7 = 17142857.14... -> 17142857.
  CHECK(Divided(120000000, 7) == 17142857);
}

TEST_CASE("division works on numerators beyond 64 bits and refuses results beyond them") {
  const __int128 big = static_cast<__int128>(kMax) * 12;
  CHECK(Divided(big, 12) == kMax);
  CHECK(Divided(-big, 12) == -kMax);
  // (MAX × 2 + 1) / 2 = MAX + 0.5 -> MAX + 1: does not fit.
  CHECK_FALSE(DivideRoundHalfAway(static_cast<__int128>(kMax) * 2 + 1, 2).has_value());
  // (MAX × 2 - 1) / 2 = MAX - 0.5 -> MAX.
  CHECK(Divided(static_cast<__int128>(kMax) * 2 - 1, 2) == kMax);
  CHECK_FALSE(DivideRoundHalfAway(static_cast<__int128>(kMax) + 1, 1).has_value());
  // The most negative 128-bit numerator must not overflow on the way.
  const __int128 min128 = -(static_cast<__int128>(1) << 126) * 2;
  CHECK_FALSE(DivideRoundHalfAway(min128, kMax).has_value());
}

}  // namespace
}  // namespace capledger::domain
