// The oracle (tests/projection/oracle.h) checked by hand, then the month report checked against
// the oracle on random worlds.
#include <algorithm>

#include <doctest/doctest.h>

#include "projection/agreement.h"
#include "projection/oracle.h"
#include "projection/random_world.h"
#include "projection/world_builder.h"
#include "support/clinic_id.h"

namespace capledger::testing {
namespace {

using domain::Component;

constexpr std::size_t Idx(Component c) { return static_cast<std::size_t>(c); }

TEST_CASE("the oracle's ages count completed years and reach a 29 February birthday on 1 March") {
  using oracle::CompletedYears;
  CHECK(CompletedYears(D(2020, 2, 29), D(2023, 2, 28)) == 2);
  CHECK(CompletedYears(D(2020, 2, 29), D(2023, 3, 1)) == 3);
  CHECK(CompletedYears(D(2020, 2, 29), D(2024, 2, 28)) == 3);
  CHECK(CompletedYears(D(2020, 2, 29), D(2024, 2, 29)) == 4);
  CHECK(CompletedYears(D(1958, 5, 31), D(2023, 5, 30)) == 64);
  CHECK(CompletedYears(D(1958, 5, 31), D(2023, 5, 31)) == 65);
  CHECK(CompletedYears(D(2023, 6, 1), D(2023, 6, 1)) == 0);
  CHECK(CompletedYears(D(2023, 6, 1), D(2024, 5, 31)) == 0);
}

TEST_CASE("the oracle's snapshot days, rounding and CNI") {
  using domain::SnapshotRule;
  using oracle::SnapshotDay;
  CHECK(SnapshotDay(SnapshotRule::kLastDayOfMonth, M(2024, 2)) == D(2024, 2, 29));
  CHECK(SnapshotDay(SnapshotRule::kLastDayOfMonth, M(2023, 12)) == D(2023, 12, 31));
  CHECK(SnapshotDay(SnapshotRule::kFirstDayOfMonth, M(2024, 2)) == D(2024, 2, 1));
  CHECK(SnapshotDay(SnapshotRule::kLastDayOfPreviousMonth, M(2024, 3)) == D(2024, 2, 29));
  CHECK(SnapshotDay(SnapshotRule::kLastDayOfPreviousMonth, M(2024, 1)) == D(2023, 12, 31));
  using oracle::RoundHalfAwayFromZero;
  CHECK(RoundHalfAwayFromZero(5, 12) == 0);    // 0.4167
  CHECK(RoundHalfAwayFromZero(6, 12) == 1);    // 0.5: away from zero
  CHECK(RoundHalfAwayFromZero(-6, 12) == -1);
  CHECK(RoundHalfAwayFromZero(-5, 2) == -3);  // -2.5
  CHECK(RoundHalfAwayFromZero(360001, 12) == 30000);  // 30,000.083
  // 10 people over 65 living alone of 100: index 61.5; (61.5 / 100) / 2.476 = 0.248384... -> 0.2483.
  CHECK(oracle::CniFromHits(domain::CniHits{10, 0, 0, 0, 0, 0, 0}, 100) == 2483);
  // One hit of each: 6.15 + 5.72 + 5.13 + 4.19 + 4.19 + 3.97 + 3.23 = 32.58 over 10: 3.258 / 2.476
  // = 1.315831... -> 1.3158.
  CHECK(oracle::CniFromHits(domain::CniHits{1, 1, 1, 1, 1, 1, 1}, 10) == 13158);
}

// A 2024 world worked out by hand, checked on both the oracle and the month report.
//
// R1: valid 2024-01-15 .. 2025-01-01 (so not in force for January: its first day is before
// valid_from), last day of month. Capitation 0-64: 1,200.01, 65+: 2,400.00; performance 120.00;
// no visits table; start grant 0.05 in 8 parts (each round(5/8) = 1 öre, the last 5 - 7 = -2);
// CNI top 1 at 600.00; distance from 25.0 km 120.00, from 50.0 km 240.00.
struct HandWorld {
  WorldBuilder w;
  domain::Seq before_second_performance;
  domain::Seq distance_change;
  HandWorld() {
    domain::Rulebook r1 = Rulebook2023(domain::SnapshotRule::kLastDayOfMonth, D(2024, 1, 15), D(2025, 1, 1));
    r1.id = "R1";
    r1.capitation = {{0, domain::Money::FromOre(120001)}, {65, Kr(2400)}};
    r1.performance_per_year = Kr(120);
    r1.visits.reset();
    r1.start_grant = domain::StartGrant{domain::Money::FromOre(5), 8};
    r1.cni_supplement = domain::CniSupplement{1, Kr(600)};
    r1.distance_supplement = std::vector<domain::DistanceBand>{{250, Kr(120)}, {500, Kr(240)}};
    w.Publish(r1);
    w.Clinic("VC-B", D(2010, 1, 1), 250);       // exactly 25.0 km: the 25.0 band
    w.Clinic("VC-A", D(2024, 2, 1), 100);       // opens in February 2024: R1's start grant
    w.Clinic("VC-C", D(2024, 1, 1));
    w.Clinic("VC-C", D(2024, 4, 1));            // registered again: opens 2024-04-01
    for (const domain::ClinicId& clinic : {domain::ClinicId("VC-A"), domain::ClinicId("VC-B")}) {  // equal CNIs 1.5000: VC-A ranks first by id
      w.Add(domain::CniReported{clinic, D(2024, 1, 1), "SCB-2024", 1000, domain::CniHits{}, 15000});
    }
    w.Born(1, D(1959, 3, 31));  // 65 on 2024-03-31
    w.Register(1, D(2024, 2, 1));
    w.List(1, "VC-A", D(2024, 2, 1));
    w.Resident(2, D(1990, 6, 15), "VC-B", D(2020, 1, 1));
    w.Unlist(2, "VC-A", D(2024, 3, 1));         // unlisted at a clinic they are not listed at: no change
    w.Born(3, D(2000, 1, 1));
    w.List(3, "VC-A", D(2024, 3, 10));          // listed before being registered: listed once registered
    w.Register(3, D(2024, 3, 20));
    w.Resident(4, D(1980, 1, 1), "VC-C", D(2020, 1, 1));
    w.Resident(5, D(1980, 1, 1), "VC-B", D(2020, 1, 1));
    w.Died(5, D(2024, 3, 31));
    w.Add(domain::PerformanceReported{"VC-A", M(2024, 1), M(2024, 3), 500});
    w.Add(domain::VisitsReported{"VC-A", M(2024, 3), domain::VisitCounts{5, 5, 5, 5}});  // R1 has no visit rates
    before_second_performance = w.head();
    w.Add(domain::PerformanceReported{"VC-A", M(2024, 3), M(2024, 3), 250});  // replaces 0.500 for March
    // 50.0 km from 2024-03-31, the snapshot date of March.
    distance_change = w.Add(domain::ClinicChanged{"VC-A", D(2024, 3, 31), std::nullopt, std::nullopt, 500, std::nullopt});
  }
};

// The figures of one clinic, from the oracle and from the month report, side by side.
void CheckBoth(const HandWorld& world, domain::Month month, domain::Seq known_at, const std::string& clinic,
               std::int64_t listed, std::array<std::int64_t, domain::kComponentCount> ore) {
  CAPTURE(clinic);
  std::int64_t total = 0;
  for (std::int64_t x : ore) total += x;
  const oracle::Oracle o(world.w.events());
  const oracle::MonthFigures figures = o.Compute(month, known_at.value());
  REQUIRE(figures.computable);
  const oracle::ClinicFigures* line = nullptr;
  for (const auto& f : figures.clinics) {
    if (f.clinic == clinic) line = &f;
  }
  REQUIRE(line != nullptr);
  CHECK(line->listed == listed);
  CHECK(line->ore == ore);
  CHECK(line->total == total);
  const auto fast = Line(world.w.Report(month, known_at), clinic);
  CHECK(fast.amounts.listed == listed);
  for (std::size_t c = 0; c < domain::kComponentCount; ++c) CHECK(fast.amounts.amounts[c].ore() == ore[c]);
  CHECK(fast.amounts.total.ore() == total);
}

TEST_CASE("hand world: March 2024, every component and the rules around them") {
  HandWorld world;
  const domain::Seq head = world.w.head();
  // VC-A on 2024-03-31: residents 1 (65: 2,400.00) and 3 (24: 1,200.01); N = 2.
  //   capitation = (120,001 + 240,000) / 12 = 30,000.08 -> 30,000
  //   performance = 2 × 12,000 / 12 × 0.250 (the later report for March) = 500
  //   visits: R1 has no [visits]: 0
  //   start grant: March is part 2 of 8: 1
  //   CNI: VC-A and VC-B tie at 1.5000, VC-A first by id, top 1: 2 × 60,000 / 12 = 10,000
  //   distance: 50.0 km from 2024-03-31 (on D): 2 × 24,000 / 12 = 4,000
  CheckBoth(world, M(2024, 3), head, "VC-A", 2, {30000, 500, 0, 1, 10000, 4000});
  // VC-B: resident 2 (33: 1,200.01; the unlisting at VC-A changed nothing); resident 5 died on D.
  //   capitation = 120,001 / 12 = 10,000.08 -> 10,000; no performance report: 0; opened 2010 with
  //   no rulebook in force then: no grant; CNI rank 2: 0; distance 25.0 km: 12,000 / 12 = 1,000.
  CheckBoth(world, M(2024, 3), head, "VC-B", 1, {10000, 0, 0, 0, 0, 1000});
  // VC-C opens 2024-04-01 by its latest registration: not open on 2024-03-31, not in the report.
  const auto report = world.w.Report(M(2024, 3));
  REQUIRE(report.clinics.size() == 2);
  CHECK(report.total.ore() == 44501 + 11000);
  // Before the second performance report, March had 0.500: 2 × 12,000 / 12 × 0.5 = 1,000; the
  // distance change was not known yet either (10.0 km: no band).
  CheckBoth(world, M(2024, 3), world.before_second_performance, "VC-A", 2, {30000, 1000, 0, 1, 10000, 0});
  // Before the distance change was known VC-A was 10.0 km from a hospital: no band.
  CheckBoth(world, M(2024, 3), Before(world.distance_change), "VC-A", 2, {30000, 500, 0, 1, 10000, 0});
}

TEST_CASE("hand world: the last start-grant part, a re-registered clinic, a retraction and a month without a rulebook") {
  HandWorld world;
  // September 2024 is part 8 of VC-A's grant: 5 - 7 × 1 = -2 öre (the literal rule of §6.3).
  // No performance report covers September: 0. capitation, CNI, distance as in March.
  CheckBoth(world, M(2024, 9), world.w.head(), "VC-A", 2, {30000, 0, 0, -2, 10000, 4000});
  // October: the grant is spent.
  CheckBoth(world, M(2024, 10), world.w.head(), "VC-A", 2, {30000, 0, 0, 0, 10000, 4000});
  // April: VC-C is open with resident 4 (44: 1,200.01): 10,000; part 1 of its own grant: 1 öre.
  CheckBoth(world, M(2024, 4), world.w.head(), "VC-C", 1, {10000, 0, 0, 1, 0, 0});
  // Retracting the distance change puts VC-A back at 10.0 km.
  world.w.Retract(world.distance_change);
  CheckBoth(world, M(2024, 3), world.w.head(), "VC-A", 2, {30000, 500, 0, 1, 10000, 0});
  // January 2024 starts before R1's valid_from: no rulebook in force.
  const oracle::Oracle o(world.w.events());
  CHECK_FALSE(o.Compute(M(2024, 1), world.w.head().value()).computable);
  auto january = projection::BuildMonthReport(world.w.projection(), M(2024, 1), world.w.head());
  REQUIRE_FALSE(january.has_value());
  CHECK(january.error().code == ErrorCode::kNoRulebookInForce);
}

TEST_CASE("the oracle gives the figures of hand-computed world 1") {
  // The world of hand_computed_test.cc ("world 1"): same events, same hand figures.
  WorldBuilder w;
  w.Publish(Rulebook2023());
  w.Clinic("VC-A", D(2020, 1, 1));
  w.Clinic("VC-B", D(2020, 1, 1));
  w.Resident(1, D(1958, 5, 31), "VC-A", D(2023, 1, 1));
  w.Resident(2, D(1958, 6, 1), "VC-A", D(2023, 1, 1));
  w.Resident(3, D(2020, 2, 29), "VC-A", D(2023, 1, 1));
  w.Resident(4, D(1990, 1, 15), "VC-A", D(2023, 1, 1));
  w.List(4, "VC-B", D(2023, 5, 31));
  w.Died(4, D(2023, 5, 31));
  w.Resident(5, D(1993, 7, 1), "VC-B", D(2023, 1, 1));
  w.MovedOut(5, D(2023, 3, 1));
  w.Register(5, D(2023, 4, 1));
  w.List(5, "VC-A", D(2023, 4, 1));
  w.Born(6, D(2000, 1, 1));
  w.Register(6, D(2023, 1, 1));
  const domain::Seq wrong = w.List(6, "VC-A", D(2023, 2, 1));
  w.Add(domain::VisitsReported{"VC-A", M(2023, 5), domain::VisitCounts{2, 3, 1, 1}});
  const domain::Seq before_retraction = w.head();
  w.Retract(wrong);
  w.Add(domain::PerformanceReported{"VC-A", M(2023, 1), M(2023, 12), 800});
  const oracle::Oracle o(w.events());
  const auto now = o.Compute(M(2023, 5), w.head().value());
  REQUIRE(now.computable);
  REQUIRE(now.clinics.size() == 2);
  const auto& a = now.clinics[0];
  CHECK(a.clinic == "VC-A");
  CHECK(a.band_counts == std::vector<std::int64_t>{1, 0, 0, 1, 1, 1, 0, 0});
  // 1,310,000 / 12 -> 109,167; 4 × 14,230 × 800 / 12,000 -> 3,795; visits 630,000.
  CHECK(a.ore[Idx(Component::kCapitation)] == 109167);
  CHECK(a.ore[Idx(Component::kPerformance)] == 3795);
  CHECK(a.ore[Idx(Component::kVisits)] == 630000);
  CHECK(now.clinics[1].listed == 0);
  CHECK(now.total == 742962);
  const auto before = o.Compute(M(2023, 5), before_retraction.value());
  CHECK(before.clinics[0].listed == 5);
  CHECK(before.clinics[0].ore[Idx(Component::kCapitation)] == 125000);
  CHECK(before.clinics[0].ore[Idx(Component::kPerformance)] == 0);
}

// --- Random worlds ---------------------------------------------------------------------------------

constexpr std::uint64_t kAgreementFirstSeed = 1;
constexpr int kAgreementWorlds = 200;

TEST_CASE("on random worlds the month report agrees with the oracle to the öre, at every K asked") {
  std::int64_t reports = 0;
  std::int64_t refusals = 0;
  std::int64_t lines = 0;
  std::array<std::int64_t, domain::kComponentCount> paid{};  // lines with a non-zero amount, per component
  for (std::uint64_t seed : TestSeeds(kAgreementFirstSeed, kAgreementWorlds)) {
    CAPTURE(seed);
    const RandomWorld& world = CachedWorld(seed);
    const EventFeed feed(world.events);
    const projection::Projection p = feed.Build(feed.head());
    const oracle::Oracle o(world.events);
    Rng rng(seed * 7919 + 1);
    for (std::uint64_t known_at : KnowledgePoints(world, rng, 2, 2)) {
      CAPTURE(known_at);
      for (domain::Month month : world.months) {
        INFO("month " << domain::FormatMonth(month));
        const oracle::MonthFigures expected = o.Compute(month, known_at);
        CheckAgrees(projection::BuildMonthReport(p, month, domain::Seq(known_at)), expected);
        ++(expected.computable ? reports : refusals);
        for (const auto& line : expected.clinics) {
          ++lines;
          for (std::size_t c = 0; c < domain::kComponentCount; ++c) paid[c] += line.ore[c] != 0 ? 1 : 0;
        }
      }
    }
  }
  MESSAGE("compared " << reports << " month reports (" << lines << " clinic lines) and " << refusals
                      << " refusals with the oracle");
  // The comparison has substance: every component is paid on many lines, and refusals occur.
  if (TestSeeds(kAgreementFirstSeed, kAgreementWorlds).size() == kAgreementWorlds) {
    for (std::size_t c = 0; c < domain::kComponentCount; ++c) {
      CAPTURE(ComponentName(c));
      CHECK(paid[c] > 100);
    }
    CHECK(refusals > 100);
  }
}

TEST_CASE("on random worlds the one-clinic report equals that clinic's line of the full report") {
  for (std::uint64_t seed : TestSeeds(kAgreementFirstSeed, 30)) {
    CAPTURE(seed);
    const RandomWorld& world = CachedWorld(seed);
    const EventFeed feed(world.events);
    const projection::Projection p = feed.Build(feed.head());
    Rng rng(seed * 104729 + 3);
    for (std::uint64_t known_at : KnowledgePoints(world, rng, 1, 1)) {
      CAPTURE(known_at);
      for (domain::Month month : world.months) {
        INFO("month " << domain::FormatMonth(month));
        const auto all = projection::BuildMonthReport(p, month, domain::Seq(known_at));
        std::vector<std::string> ids;
        for (const auto& clinic : p.clinics().id) ids.push_back(clinic.str());
        ids.push_back("VC-NEVER-SEEN");
        for (const std::string& id : ids) {
          CAPTURE(id);
          const auto one = projection::BuildMonthReport(p, month, domain::Seq(known_at), ClinicIdOf(id));
          if (!all) {
            REQUIRE_FALSE(one.has_value());
            CHECK(one.error().code == all.error().code);
            continue;
          }
          const auto line = std::find_if(all->clinics.begin(), all->clinics.end(),
                                         [&](const projection::ClinicMonthLine& l) { return l.clinic == id; });
          if (line == all->clinics.end()) {  // not open on D: refused, not an empty line
            REQUIRE_FALSE(one.has_value());
            CHECK(one.error().code == ErrorCode::kNotFound);
            continue;
          }
          REQUIRE(one.has_value());
          REQUIRE(one->clinics.size() == 1);
          CHECK(one->clinics[0] == *line);
          CHECK(one->total == line->amounts.total);
          CHECK(one->snapshot == all->snapshot);
          CHECK(one->rulebook_seq == all->rulebook_seq);
        }
      }
    }
  }
}

}  // namespace
}  // namespace capledger::testing
