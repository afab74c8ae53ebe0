// Money: a signed amount in whole öre (1/100 SEK), with checked arithmetic. Never floating point.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace capledger::domain {

class Money {
 public:
  // An amount of `ore` öre.
  static constexpr Money FromOre(std::int64_t ore) { return Money(ore); }
  static constexpr Money Zero() { return Money(0); }

  constexpr std::int64_t ore() const { return ore_; }

  // Checked arithmetic: kInternal if the result does not fit in 64-bit öre.
  Result<Money> Plus(Money other) const;
  Result<Money> Minus(Money other) const;
  Result<Money> Times(std::int64_t factor) const;
  Result<Money> Negated() const;

  friend constexpr auto operator<=>(Money, Money) = default;

 private:
  constexpr explicit Money(std::int64_t ore) : ore_(ore) {}
  std::int64_t ore_;
};

// Adds `amount` to `sum` in place; kInternal (and `sum` unchanged) on overflow.
Status AddTo(Money& sum, Money amount);

// Parses kronor with exactly two decimals, "1234.50" -> 123450 öre (the JSON and TOML input form,
// ^[0-9]+\.[0-9]{2}$). Negative, signed or otherwise shaped text is kInvalidArgument.
Result<Money> ParseKronor(std::string_view text);

// Like ParseKronor but also accepts a leading '-' (ledger amounts are signed).
Result<Money> ParseSignedKronor(std::string_view text);

// Prints kronor with two decimals: 123450 -> "1234.50", -5 -> "-0.05".
std::string FormatKronor(Money amount);

// Rounds numerator / denominator öre half away from zero to whole öre: the single rounding of
// DOMAIN.md §6.4. REQUIRES denominator > 0. kInternal if the result exceeds 64 bits.
Result<Money> DivideRoundHalfAway(__int128 numerator_ore, std::int64_t denominator);

}  // namespace capledger::domain
