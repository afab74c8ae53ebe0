// Test helpers for seqs: `7_seq` in checks, and a seq printed as its number when a check fails.
#pragma once

#include <ostream>

#include <doctest/doctest.h>

#include "domain/seq.h"

namespace capledger::domain {

// doctest prints the operands of a failed check through this.
inline std::ostream& operator<<(std::ostream& out, Seq seq) { return out << "seq " << seq.value(); }

}  // namespace capledger::domain

namespace capledger::testing {

using namespace domain::seq_literals;  // NOLINT(google-build-using-namespace): 7_seq reads as a seq

// The seq before `seq`: what was known just before it was recorded (REQUIRES a seq, not Seq{}).
inline domain::Seq Before(domain::Seq seq) {
  REQUIRE(!seq.none());
  return domain::Seq(seq.value() - 1);
}

}  // namespace capledger::testing
