#include "domain/money.h"

#include <limits>

#include "common/assert.h"

namespace capledger::domain {
namespace {

Result<Money> Overflow(std::string_view what) {
  return Fail(ErrorCode::kInternal, std::string("money overflow in ") + std::string(what));
}

}  // namespace

Result<Money> Money::Plus(Money other) const {
  std::int64_t out = 0;
  if (__builtin_add_overflow(ore_, other.ore_, &out)) return Overflow("addition");
  return Money(out);
}

Status AddTo(Money& sum, Money amount) {
  auto total = sum.Plus(amount);
  if (!total) return tl::unexpected(total.error());
  sum = *total;
  return {};
}

Result<Money> Money::Minus(Money other) const {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(ore_, other.ore_, &out)) return Overflow("subtraction");
  return Money(out);
}

Result<Money> Money::Times(std::int64_t factor) const {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(ore_, factor, &out)) return Overflow("multiplication");
  return Money(out);
}

Result<Money> Money::Negated() const {
  if (ore_ == std::numeric_limits<std::int64_t>::min()) return Overflow("negation");
  return Money(-ore_);
}

Result<Money> ParseKronor(std::string_view text) {
  auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument,
                "money must be kronor with exactly two decimals, like \"192.00\"");
  };
  if (text.size() < 4 || text.size() > 20) return bad();
  const std::size_t dot = text.size() - 3;
  if (text[dot] != '.') return bad();
  __int128 ore = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == dot) continue;
    const char c = text[i];
    if (c < '0' || c > '9') return bad();
    ore = ore * 10 + (c - '0');
  }
  if (ore > std::numeric_limits<std::int64_t>::max()) return bad();
  return Money::FromOre(static_cast<std::int64_t>(ore));
}

Result<Money> ParseSignedKronor(std::string_view text) {
  if (!text.empty() && text.front() == '-') {
    auto magnitude = ParseKronor(text.substr(1));
    if (!magnitude) return magnitude;
    if (magnitude->ore() == 0) {
      return Fail(ErrorCode::kInvalidArgument, "money must not be negative zero");
    }
    return magnitude->Negated();
  }
  return ParseKronor(text);
}

std::string FormatKronor(Money amount) {
  const std::int64_t ore = amount.ore();
  // Work in unsigned so that the most negative amount prints correctly.
  const bool negative = ore < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(ore + 1)) + 1 : static_cast<std::uint64_t>(ore);
  std::string out = std::to_string(magnitude / 100);
  const unsigned cents = static_cast<unsigned>(magnitude % 100);
  out += '.';
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return negative ? "-" + out : out;
}

Result<Money> DivideRoundHalfAway(__int128 numerator_ore, std::int64_t denominator) {
  LEDGER_ASSERT(denominator > 0);
  const bool negative = numerator_ore < 0;
  const unsigned __int128 magnitude =
      negative ? static_cast<unsigned __int128>(-(numerator_ore + 1)) + 1
               : static_cast<unsigned __int128>(numerator_ore);
  const auto den = static_cast<unsigned __int128>(denominator);
  unsigned __int128 quotient = magnitude / den;
  const unsigned __int128 remainder = magnitude % den;
  if (remainder * 2 >= den) quotient += 1;  // half or more rounds away from zero
  if (quotient > static_cast<unsigned __int128>(std::numeric_limits<std::int64_t>::max())) {
    return Overflow("division");
  }
  const auto result = static_cast<std::int64_t>(quotient);
  return Money::FromOre(negative ? -result : result);
}

}  // namespace capledger::domain
