// A seq as text: fmt prints a domain::Seq as its number ("{}", "{:>8}"), so that messages, logs
// and pages write "seq 42" whatever holds the seq.
#pragma once

#include <cstdint>

#include <fmt/format.h>

#include "domain/seq.h"

// Formats a seq with the integer's format options.
template <>
struct fmt::formatter<capledger::domain::Seq> : fmt::formatter<std::uint64_t> {
  template <typename Context>
  auto format(capledger::domain::Seq seq, Context& ctx) const {
    return fmt::formatter<std::uint64_t>::format(seq.value(), ctx);
  }
};
