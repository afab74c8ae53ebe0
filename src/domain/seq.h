// A place in the log (DOMAIN.md §3): the seq the store gave an event, and a knowledge point K.
#pragma once

#include <compare>
#include <cstdint>

#include "common/assert.h"

namespace capledger::domain {

// A seq: 1 is the first event, and Seq{} (0) is the empty log, "nothing known yet". Built from an
// integer only explicitly, and never converted back implicitly, so that a seq cannot be passed
// where a count or a limit is meant, nor the other way round. codec/seq_format.h prints it as its
// number. Keeps nothing but the integer, so it is as cheap as one.
class Seq {
 public:
  constexpr Seq() = default;
  constexpr explicit Seq(std::uint64_t value) : value_(value) {}

  // The number, for storage keys, arithmetic on counts and output.
  constexpr std::uint64_t value() const { return value_; }
  // True for Seq{}: no event.
  constexpr bool none() const { return value_ == 0; }
  // The seq after this one (REQUIRES this one is below the largest seq a 64-bit count holds).
  Seq Next() const {
    LEDGER_ASSERT(value_ < UINT64_MAX);
    return Seq(value_ + 1);
  }
  // Moves to the next seq, for loops over a range of the log.
  Seq& operator++() {
    *this = Next();
    return *this;
  }

  friend constexpr auto operator<=>(const Seq&, const Seq&) = default;

 private:
  std::uint64_t value_ = 0;
};

// `42_seq` for a seq written in code (tests, fixed points), after `using namespace seq_literals`.
namespace seq_literals {
consteval Seq operator""_seq(unsigned long long value) { return Seq(value); }
}  // namespace seq_literals

}  // namespace capledger::domain
