// The board's follow-up (DOMAIN.md §10, §11) on a small world paid month by month: the period
// report's outcome against the booked entries, its estimates, forecast and headroom before and
// after a frame revision; a draft rulebook's cost; the annual report. Every figure by hand.
#include <doctest/doctest.h>

#include "ledger/annual.h"
#include "ledger/books.h"
#include "ledger/period.h"
#include "ledger_world.h"
#include "projection/report.h"
#include "support/clinic_id.h"

namespace capledger::testing {
namespace {

using domain::Component;
using domain::Money;

// 2024: one band, 2,400.00 a year (20,000 öre a month per resident); performance 120.00 a year;
// KoK-2023's visit rates (home visit 1,100.00); the optional mission "jour", 1,000.00 a month.
domain::Rulebook Rulebook2024() {
  domain::Rulebook rb = Rulebook2023(domain::SnapshotRule::kLastDayOfMonth, D(2024, 1, 1), D(2025, 1, 1));
  rb.id = "R-2024";
  rb.capitation = {{0, Kr(2400)}};
  rb.performance_per_year = Kr(120);
  rb.missions = {domain::Mission{"jour", "Jour", domain::MissionKind::kOptional, domain::MissionBasis::kFixed, Kr(1000),
                                 std::nullopt, std::nullopt}};
  return rb;
}

std::size_t Index(Component c) { return static_cast<std::size_t>(c); }

// VC-A: 6 residents, jour, fulfilment 0.500 for 2024, two home visits in April.
// VC-B: 3 residents, and a fourth listed from 2024-02-01 but reported only after April's run.
// Per month, by hand:
//   VC-A capitation 6 × 20,000 = 120,000; performance 6 × 12,000 / 12 × 0.5 = 3,000;
//        missions 100,000; visits (April only) 2 × 110,000 = 220,000
//   VC-B capitation 3 × 20,000 = 60,000 (4 × 20,000 = 80,000 from February once known)
// Jan-Mar: 120,000 + 3,000 + 100,000 + 60,000 = 283,000 each; April 283,000 + 220,000 = 503,000.
struct FollowUpWorld {
  LedgerWorld w;
  domain::Seq after_march;
  domain::Seq after_april;
  domain::Seq before_revision;
  FollowUpWorld() {
    w.Publish(Rulebook2024());
    w.Clinic("VC-A", D(2020, 1, 1));
    w.Clinic("VC-B", D(2020, 1, 1));
    for (std::uint8_t r = 1; r <= 6; ++r) w.Resident(r, D(1990, 1, 1), "VC-A", D(2023, 1, 1));
    for (std::uint8_t r = 7; r <= 9; ++r) w.Resident(r, D(1990, 1, 1), "VC-B", D(2023, 1, 1));
    w.Add(domain::MissionUndertaken{"VC-A", "jour", D(2024, 1, 1), std::nullopt});
    w.Add(domain::PerformanceReported{"VC-A", M(2024, 1), M(2024, 12), 500});
    for (unsigned m = 1; m <= 3; ++m) w.Pay(M(2024, m));
    after_march = w.head();
    w.Add(domain::VisitsReported{"VC-A", M(2024, 4), domain::VisitCounts{2, 0, 0, 0}});
    w.Pay(M(2024, 4));
    after_april = w.head();
    w.Add(domain::BudgetFrameSet{2024, Kr(50'000), "RF-2023-11"});
    w.Resident(10, D(1990, 1, 1), "VC-B", D(2024, 2, 1));  // late: paid as adjustments in May
    w.Pay(M(2024, 5));
    before_revision = w.head();
    w.Add(domain::BudgetFrameSet{2024, Kr(60'000), "RF-2024-06"});
  }
};

// The entries with seq <= K for the period months of 2024 up to `through`, summed by a plain walk
// over SelectEntries: the independent side of the outcome.
Money EntriesThrough(const projection::Projection& p, domain::Month through, domain::Seq known_at) {
  std::int64_t ore = 0;
  for (const auto& booked : ledger::SelectEntries(p, ledger::EntryFilter{})) {
    if (booked.seq <= known_at && booked.entry.period.year() == std::chrono::year(2024) && !(through < booked.entry.period)) {
      ore += booked.entry.amount.ore();
    }
  }
  return Money::FromOre(ore);
}

TEST_CASE("period report: the outcome is the booked entries of the months, at several knowledge points") {
  FollowUpWorld world;
  const auto& p = world.w.projection();
  for (auto [through, known_at] : {std::pair{M(2024, 3), world.after_march}, std::pair{M(2024, 4), world.after_april},
                                   std::pair{M(2024, 5), world.w.head()}}) {
    CAPTURE(domain::FormatMonth(through));
    auto r = ledger::BuildPeriodReport(p, 2024, through, known_at);
    REQUIRE(r.has_value());
    CHECK(r->outcome_total == EntriesThrough(p, through, known_at));
  }
  // By hand, through March at K after March: 3 × 283,000 = 849,000 öre.
  CHECK(ledger::BuildPeriodReport(p, 2024, M(2024, 3), world.after_march)->outcome_total.ore() == 849000);
  // Through May at the head: February counts the correction booked in May (accrual): 283,000 +
  // 20,000. May itself: 503,000 − 220,000 (no visits reported for May) + 20,000 = 303,000.
  auto may = ledger::BuildPeriodReport(p, 2024, M(2024, 5), world.w.head());
  REQUIRE(may.has_value());
  CHECK(may->months[0].total.ore() == 283000);
  CHECK(may->months[1].total.ore() == 303000);
  CHECK(may->months[3].total.ore() == 523000);
  CHECK(may->months[4].total.ore() == 303000);
  CHECK_FALSE(may->months[4].estimated);
  CHECK(may->months[5].estimated);
}

TEST_CASE("period report: estimates, forecast, and a frame revision from its knowledge time on") {
  FollowUpWorld world;
  const auto& p = world.w.projection();
  // Through April at K after April's run (the frame is not yet set): outcome 3 × 283,000 +
  // 503,000 = 1,352,000. Each of May-December is estimated as April: capitation 180,000 + jour
  // 100,000, with April's performance 3,000 and visits 220,000: 503,000; 8 × 503,000 = 4,024,000.
  // Forecast 5,376,000 öre.
  auto april = ledger::BuildPeriodReport(p, 2024, M(2024, 4), world.after_april);
  REQUIRE(april.has_value());
  CHECK(april->outcome_total.ore() == 1352000);
  CHECK(april->months[4].estimated);
  CHECK(april->months[4].amounts[Index(Component::kVisits)].ore() == 220000);
  CHECK(april->months[4].amounts[Index(Component::kMissions)].ore() == 100000);
  CHECK(april->months[11].total.ore() == 503000);
  CHECK(april->forecast_total.ore() == 5376000);
  CHECK_FALSE(april->frame.has_value());
  CHECK_FALSE(april->headroom.has_value());

  // Through May before the revision: outcome 283,000 + 3 × 303,000... by month: Jan 283,000,
  // Feb 303,000, Mar 303,000, Apr 523,000, May 303,000 = 1,715,000. Estimates June-December as May
  // (capitation 200,000 + jour 100,000 + performance 3,000, May's visits 0): 7 × 303,000 =
  // 2,121,000. Forecast 3,836,000; frame 5,000,000; headroom 1,164,000.
  auto before = ledger::BuildPeriodReport(p, 2024, M(2024, 5), world.before_revision);
  REQUIRE(before.has_value());
  CHECK(before->forecast_total.ore() == 3836000);
  REQUIRE(before->frame.has_value());
  CHECK(before->frame->amount.ore() == 5000000);
  CHECK(before->headroom->ore() == 1164000);
  CHECK_FALSE(before->exceeds_frame);
  // After the revision to 60,000.00: headroom 6,000,000 − 3,836,000 = 2,164,000.
  auto after = ledger::BuildPeriodReport(p, 2024, M(2024, 5), world.w.head());
  CHECK(after->frame->decision == "RF-2024-06");
  CHECK(after->headroom->ore() == 2164000);
  // A forecast above the frame is flagged: through April, with the first frame known (K just
  // after it): 5,000,000 − 5,376,000 = −376,000.
  auto over = ledger::BuildPeriodReport(p, 2024, M(2024, 4), world.after_april.Next());
  CHECK(over->headroom->ore() == -376000);
  CHECK(over->exceeds_frame);
}

TEST_CASE("period report: bad arguments are refused") {
  FollowUpWorld world;
  const auto& p = world.w.projection();
  auto outside = ledger::BuildPeriodReport(p, 2024, M(2025, 1), world.w.head());
  REQUIRE_FALSE(outside.has_value());
  CHECK(outside.error().code == ErrorCode::kInvalidArgument);
  auto early = ledger::BuildPeriodReport(p, 2023, M(2023, 12), world.w.head());  // the first run is 2024-01
  REQUIRE_FALSE(early.has_value());
  CHECK(early.error().message.find("before the first run") != std::string::npos);
  CHECK(ledger::FrameFor(p, 2025, world.w.head()) == std::nullopt);  // no frame: said, not an error
}

TEST_CASE("simulate: the rulebook in force gives the month reports; a cheaper draft costs less per clinic") {
  FollowUpWorld world;
  const auto& p = world.w.projection();
  auto same = ledger::CostOfDraft(p, Rulebook2024(), 2024, world.w.head());
  REQUIRE(same.has_value());
  // January to May have their reports (performance for the year; visits in April, and no earlier
  // visits to fall back on before it): the draft's months equal the §6 reports.
  for (unsigned m = 1; m <= 4; ++m) {
    CAPTURE(m);
    auto report = projection::BuildMonthReport(p, M(2024, m), world.w.head());
    REQUIRE(report.has_value());
    CHECK(same->months[m - 1].total == report->total);
  }
  CHECK(same->current_rulebooks == std::vector<std::string>{"R-2024"});
  // Same rulebook: no clinic differs.
  for (const auto& clinic : same->clinics) CHECK(clinic.difference.ore() == 0);

  // A draft paying 1,200.00 a year per resident (10,000 öre a month), jour unchanged. VC-B
  // (4 residents from February, 3 in January, none with missions or reports): the draft pays 3 ×
  // 10,000 + 11 × 4 × 10,000 = 470,000; the rulebook in force 3 × 20,000 + 11 × 4 × 20,000 =
  // 940,000; difference −470,000.
  domain::Rulebook cheaper = Rulebook2024();
  cheaper.id = "R-2024-draft";
  cheaper.capitation = {{0, Kr(1200)}};
  auto draft = ledger::CostOfDraft(p, cheaper, 2024, world.w.head());
  REQUIRE(draft.has_value());
  const auto& b = draft->clinics[1];
  CHECK(b.clinic == "VC-B");
  CHECK(b.draft.ore() == 470000);
  CHECK(b.current.ore() == 940000);
  CHECK(b.difference.ore() == -470000);
  // The frame at the head is 60,000.00; the draft's year for both clinics: VC-A 12 × (6 × 10,000
  // + 100,000 + 3,000) plus visits 220,000 in April and, falling back on April, in each of
  // May-December: 12 × 163,000 + 9 × 220,000 = 1,956,000 + 1,980,000 = 3,936,000; with VC-B's
  // 470,000: 4,406,000. Headroom 6,000,000 − 4,406,000 = 1,594,000.
  CHECK(draft->total_all.ore() == 4406000);
  CHECK(draft->headroom->ore() == 1594000);
}

TEST_CASE("annual report: fixed and variable per clinic, and per listed resident, reconcile with the entries") {
  FollowUpWorld world;
  const auto& p = world.w.projection();
  auto r = ledger::BuildAnnualReport(p, 2024, world.w.head());
  REQUIRE(r.has_value());
  CHECK(r->months.size() == 12);
  REQUIRE(r->clinics.size() == 2);
  const auto& a = r->clinics[0];
  const auto& b = r->clinics[1];
  // VC-A, January-May: fixed 5 × (120,000 + 100,000) = 1,100,000; variable 5 × 3,000 + 220,000 =
  // 235,000. Listed 6 on every D: Σ 72, mean 6. Per listed and year: 1,100,000 × 12 / 72 =
  // 183,333.33 -> 183,333; 235,000 × 12 / 72 = 39,166.67 -> 39,167.
  CHECK(a.clinic == "VC-A");
  CHECK(a.fixed.ore() == 1100000);
  CHECK(a.variable.ore() == 235000);
  CHECK(a.listed_sum == 72);
  CHECK(a.fixed_per_listed->ore() == 183333);
  CHECK(a.variable_per_listed->ore() == 39167);
  // VC-B: fixed 60,000 + 4 × 80,000 (February-April corrected in May) = 380,000; listed 3 in
  // January and 4 after: Σ 3 + 11 × 4 = 47; 380,000 × 12 / 47 = 97,021.28 -> 97,021.
  CHECK(b.fixed.ore() == 380000);
  CHECK(b.variable.ore() == 0);
  CHECK(b.listed_sum == 47);
  CHECK(b.fixed_per_listed->ore() == 97021);
  // Totals: fixed 1,480,000, variable 235,000, Σ listed 119: 1,480,000 × 12 / 119 = 149,243.70
  // -> 149,244; 235,000 × 12 / 119 = 23,697.48 -> 23,697.
  CHECK(r->total.fixed.ore() == 1480000);
  CHECK(r->total.variable.ore() == 235000);
  CHECK(r->total.fixed_per_listed->ore() == 149244);
  CHECK(r->total.variable_per_listed->ore() == 23697);
  // fixed + variable = every entry of 2024 booked at K, per clinic and in total.
  for (const auto& c : r->clinics) {
    std::int64_t ore = 0;
    for (const auto& booked : ledger::SelectEntries(p, ledger::EntryFilter{std::nullopt, std::nullopt, ClinicIdOf(c.clinic)})) {
      if (booked.entry.period.year() == std::chrono::year(2024)) ore += booked.entry.amount.ore();
    }
    CHECK(c.total.ore() == ore);
  }
  CHECK(r->total.total == EntriesThrough(p, M(2024, 12), world.w.head()));
}

}  // namespace
}  // namespace capledger::testing
