// A late report is paid, not lost (DOMAIN.md §8): performance or visits amounts for a month older
// than the retro window are booked as adjustments when nothing was ever booked for them, and a
// correction of an amount already booked there stays reported, not booked. Every figure by hand.
#include <doctest/doctest.h>

#include "ledger/trace.h"
#include "ledger_world.h"
#include "support/clinic_id.h"

namespace capledger::testing {
namespace {

using domain::Component;
using domain::EntryKind;

// One rulebook for 2023-2025, a 12-month window: capitation 2,300.00 a year for everyone (one
// band), performance 142.30, KoK-2023's visit rates.
domain::Rulebook LongRulebook() {
  domain::Rulebook rb = Rulebook2023(domain::SnapshotRule::kLastDayOfMonth, D(2023, 1, 1), D(2026, 1, 1));
  rb.id = "R-LONG";
  rb.capitation = {{0, Kr(2300)}};
  return rb;
}

// Twelve residents listed at VC-A from 2023-01-01, and every month from 2023-01 to `last` paid.
struct LateWorld {
  LedgerWorld w;
  explicit LateWorld(domain::Month last) {
    w.Publish(LongRulebook());
    w.Clinic("VC-A", D(2020, 1, 1));
    for (std::uint8_t r = 1; r <= 12; ++r) w.Resident(r, D(1990, 1, 1), "VC-A", D(2023, 1, 1));
    for (domain::Month m = M(2023, 1); m <= last; m = domain::AddMonths(m, 1)) w.Pay(m);
  }
};

std::vector<const domain::LedgerEntry*> Adjustments(const ledger::PayoutPlan& plan, Component component) {
  std::vector<const domain::LedgerEntry*> out;
  for (const auto& e : plan.entries) {
    if (e.kind == EntryKind::kAdjustment && e.component == component) out.push_back(&e);
  }
  return out;
}

TEST_CASE("a yearly performance report arriving 15 months late pays every month of its period") {
  LateWorld world(M(2025, 2));
  // The 2023 report arrives in March 2025, 15 months after its period ended. The run for 2025-03
  // corrects 2024-03 on (12 months); every month of 2023 is older than that.
  world.w.Add(domain::PerformanceReported{"VC-A", M(2023, 1), M(2023, 12), 1000});
  const ledger::PayoutPlan plan = world.w.Pay(M(2025, 3));
  // Each month of 2023: N × 142.30 / 12 × 1.000 = 12 × 14,230 / 12 = 14,230 öre, booked as an
  // adjustment that adjusts nothing, since nothing was booked for 2023's performance before.
  const auto late = Adjustments(plan, Component::kPerformance);
  REQUIRE(late.size() == 12);
  for (std::size_t i = 0; i < late.size(); ++i) {
    CAPTURE(i);
    CHECK(late[i]->period == domain::AddMonths(M(2023, 1), static_cast<int>(i)));
    CHECK(late[i]->amount.ore() == 14230);
    CHECK(late[i]->adjusts.empty());
    CHECK(late[i]->clinic == "VC-A");
  }
  CHECK(plan.run.unbooked.empty());
  // The run's total: the regular capitation of 2025-03, 12 × 230,000 / 12 = 230,000 öre, and
  // 12 × 14,230 = 170,760 öre of 2023 performance.
  CHECK(plan.run.total.ore() == 230000 + 170760);

  SUBCASE("the trace says why the entry was booked outside the window") {
    auto trace = ledger::TraceEntry(world.w.projection(), EventIdOf(late[0]->entry_id));
    REQUIRE(trace.has_value());
    CHECK(trace->reproduces);
    REQUIRE(trace->outside_window.has_value());
    CHECK(trace->outside_window->window_months == 12);
    CHECK(trace->outside_window->window_start == M(2024, 3));
  }

  SUBCASE("a correction of the paid report, still outside the window, is reported, not booked") {
    world.w.Add(domain::PerformanceReported{"VC-A", M(2023, 1), M(2023, 12), 500});
    const ledger::PayoutPlan april = world.w.Pay(M(2025, 4));
    // Each month of 2023 now owes 12 × 14,230 / 12 × 0.500 = 7,115 öre: −7,115 against what was
    // booked, for a month older than 2024-04 with an entry already: unbooked.
    CHECK(Adjustments(april, Component::kPerformance).empty());
    REQUIRE(april.run.unbooked.size() == 12);
    for (const auto& u : april.run.unbooked) {
      CHECK(u.component == Component::kPerformance);
      CHECK(u.amount.ore() == -7115);
    }
  }

  SUBCASE("a visits report for a month two years back is paid; its revision is not") {
    world.w.Add(domain::VisitsReported{"VC-A", M(2023, 2), domain::VisitCounts{1, 2, 0, 1}});
    const ledger::PayoutPlan april = world.w.Pay(M(2025, 4));
    // 1 × 1,100 + 2 × 650 + 1 × 1,500 = 3,900.00 kr = 390,000 öre, adjusting nothing.
    const auto visits = Adjustments(april, Component::kVisits);
    REQUIRE(visits.size() == 1);
    CHECK(visits[0]->period == M(2023, 2));
    CHECK(visits[0]->amount.ore() == 390000);
    CHECK(visits[0]->adjusts.empty());
    world.w.Add(domain::VisitsReported{"VC-A", M(2023, 2), domain::VisitCounts{1, 3, 0, 1}});
    const ledger::PayoutPlan may = world.w.Pay(M(2025, 5));
    // One more other-listed visit: +650.00 kr, on a month already booked: unbooked.
    CHECK(Adjustments(may, Component::kVisits).empty());
    REQUIRE(may.run.unbooked.size() == 1);
    CHECK(may.run.unbooked[0].amount.ore() == 65000);
  }
}

TEST_CASE("capitation differences outside the window stay unbooked, even where nothing was booked") {
  LateWorld world(M(2025, 2));
  // A thirteenth resident listed from 2023-01-01, learnt now: each 2023 month owes 230,000 / 12 =
  // 19,166.67 -> 19,167 öre more capitation; 2023 is outside the window and capitation is no report.
  world.w.Resident(13, D(1990, 1, 1), "VC-A", D(2023, 1, 1));
  const ledger::PayoutPlan plan = world.w.Pay(M(2025, 3));
  std::size_t unbooked_2023 = 0;
  for (const auto& u : plan.run.unbooked) {
    if (u.period.year() == std::chrono::year(2023)) {
      ++unbooked_2023;
      CHECK(u.component == Component::kCapitation);
    }
  }
  CHECK(unbooked_2023 == 12);
  for (const auto& e : plan.entries) CHECK(e.period >= M(2024, 3));
}

}  // namespace
}  // namespace capledger::testing
