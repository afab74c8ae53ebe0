// Test helper: a WorldBuilder that can also run payouts, booking each run's events into the
// projection the way the store would append them (one after another, in plan order).
#pragma once

#include <string>

#include <doctest/doctest.h>

#include "ledger/payout.h"
#include "projection/world_builder.h"

namespace capledger::testing {

class LedgerWorld : public WorldBuilder {
 public:
  // Plans and books the run for `month` at the head; fails the test if it is refused.
  // Also checks that the plan equals the one that recomputes every earlier month.
  ledger::PayoutPlan Pay(domain::Month month) {
    auto plan = ledger::PlanPayout(projection(), month, head());
    REQUIRE_MESSAGE(plan.has_value(), (plan ? "" : plan.error().message));
    auto full = ledger::PlanPayout(projection(), month, head(), ledger::PlanOptions{true});
    REQUIRE(full.has_value());
    CHECK(full->entries == plan->entries);
    CHECK(full->run == plan->run);
    for (auto& event : ledger::PayoutEvents(*plan)) Add(std::move(event.body));
    return *plan;
  }

  // The refusal PlanPayout gives for `month` at the head; fails the test if it is not refused.
  Error Refusal(domain::Month month) const {
    auto plan = ledger::PlanPayout(projection(), month, head());
    REQUIRE_FALSE(plan.has_value());
    return plan.error();
  }
};

// The entry of `plan` with ordinal `n` (from 1); fails the test if there is none.
inline const domain::LedgerEntry& Entry(const ledger::PayoutPlan& plan, std::size_t n) {
  REQUIRE(n >= 1);
  REQUIRE(n <= plan.entries.size());
  return plan.entries[n - 1];
}

}  // namespace capledger::testing
