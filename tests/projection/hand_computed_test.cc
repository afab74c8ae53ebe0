// Small worlds whose amounts are worked out by hand in the comments (DOMAIN.md §6).
#include <doctest/doctest.h>

#include "projection/world_builder.h"

namespace capledger::testing {
namespace {

using domain::Component;

// World 1, KoK-2023 amounts, snapshot last_day_of_month: May 2023 -> D = 2023-05-31.
struct World1 {
  WorldBuilder w;
  domain::Seq before_retraction;
  domain::Seq before_performance;
  World1() {
    w.Publish(Rulebook2023());
    w.Clinic("VC-A", D(2020, 1, 1));
    w.Clinic("VC-B", D(2020, 1, 1));
    w.Resident(1, D(1958, 5, 31), "VC-A", D(2023, 1, 1));  // 65 on D (birthday on D): band 65, 4300.00
    w.Resident(2, D(1958, 6, 1), "VC-A", D(2023, 1, 1));   // 64 on D: band 45, 2900.00
    w.Resident(3, D(2020, 2, 29), "VC-A", D(2023, 1, 1));  // 3 on D: band 0, 3600.00
    w.Resident(4, D(1990, 1, 15), "VC-A", D(2023, 1, 1));
    w.List(4, "VC-B", D(2023, 5, 31));                     // listed elsewhere and died the same day, D:
    w.Died(4, D(2023, 5, 31));                             // not counted anywhere
    w.Resident(5, D(1993, 7, 1), "VC-B", D(2023, 1, 1));
    w.MovedOut(5, D(2023, 3, 1));                          // moved out, and back in:
    w.Register(5, D(2023, 4, 1));
    w.List(5, "VC-A", D(2023, 4, 1));                      // 29 on D: band 25, 2300.00
    w.Born(6, D(2000, 1, 1));
    w.Register(6, D(2023, 1, 1));
    const domain::Seq wrong = w.List(6, "VC-A", D(2023, 2, 1));  // 23 on D: band 16, 1900.00 until retracted
    w.Add(domain::VisitsReported{"VC-A", M(2023, 5), domain::VisitCounts{2, 3, 1, 1}});
    before_retraction = w.head();
    w.Retract(wrong);
    before_performance = w.head();
    w.Add(domain::PerformanceReported{"VC-A", M(2023, 1), M(2023, 12), 800});
  }
};

TEST_CASE("world 1: capitation, visits and performance of one clinic on the last day of May 2023") {
  World1 world;
  const auto report = world.w.Report(M(2023, 5));
  CHECK(report.snapshot == D(2023, 5, 31));
  CHECK(report.rulebook_id == "KoK-2023");
  const auto& a = Line(report, "VC-A");
  // Counted at VC-A: residents 1 (band 65), 2 (band 45), 3 (band 0), 5 (band 25): N = 4.
  CHECK(a.amounts.listed == 4);
  CHECK(a.amounts.band_counts == std::vector<std::int64_t>{1, 0, 0, 1, 1, 1, 0, 0});
  // capitation = (4300 + 2900 + 3600 + 2300) kr / 12 = 1,310,000 öre / 12 = 109,166.67 -> 109,167 öre.
  CHECK(Ore(a, Component::kCapitation) == 109167);
  // performance = N × 142.30 / 12 × 0.800 = 4 × 14,230 × 800 / 12,000 = 3,794.67 -> 3,795 öre.
  CHECK(Ore(a, Component::kPerformance) == 3795);
  // visits = 2 × 1,100 + 3 × 650 + 1 × 650 + 1 × 1,500 = 6,300.00 kr = 630,000 öre.
  CHECK(Ore(a, Component::kVisits) == 630000);
  CHECK(a.amounts.total.ore() == 109167 + 3795 + 630000);
  // VC-B: resident 4 listed there on D but dead on D; resident 5 moved away: nobody counted.
  const auto& b = Line(report, "VC-B");
  CHECK(b.amounts.listed == 0);
  CHECK(b.amounts.total.ore() == 0);
  CHECK(report.total.ore() == 742962);
}

TEST_CASE("world 1: before the retraction the wrongly listed resident counted, and before the late "
          "performance report performance was 0") {
  World1 world;
  const auto before = world.w.Report(M(2023, 5), world.before_retraction);
  const auto& a = Line(before, "VC-A");
  // N = 5 with resident 6 (band 16, 1900.00): (13,100 + 1,900) kr / 12 = 1,500,000 öre / 12 = 125,000 öre.
  CHECK(a.amounts.listed == 5);
  CHECK(Ore(a, Component::kCapitation) == 125000);
  // No performance report was known yet: f = 0.
  CHECK(Ore(a, Component::kPerformance) == 0);
  const auto& after_retraction = Line(world.w.Report(M(2023, 5), world.before_performance), "VC-A");
  CHECK(after_retraction.amounts.listed == 4);
  CHECK(Ore(after_retraction, Component::kCapitation) == 109167);
  CHECK(Ore(after_retraction, Component::kPerformance) == 0);
}

TEST_CASE("world 2: the three snapshot rules and the birthday of 29 February") {
  WorldBuilder w;
  // Jan-Feb 2022: last day of month; Mar-Dec 2022: first day of month; 2024: last day of previous month.
  auto rb1 = Rulebook2023(domain::SnapshotRule::kLastDayOfMonth, D(2022, 1, 1), D(2022, 3, 1));
  rb1.id = "R-2022a";
  auto rb2 = Rulebook2023(domain::SnapshotRule::kFirstDayOfMonth, D(2022, 3, 1), D(2023, 1, 1));
  rb2.id = "R-2022b";
  auto rb3 = Rulebook2023(domain::SnapshotRule::kLastDayOfPreviousMonth, D(2024, 1, 1), D(2025, 1, 1));
  rb3.id = "R-2024";
  w.Publish(rb1);
  w.Publish(rb2);
  w.Publish(rb3);
  w.Clinic("VC-C", D(2020, 1, 1));
  w.Resident(1, D(2016, 2, 29), "VC-C", D(2021, 1, 1));
  w.Resident(2, D(2008, 2, 29), "VC-C", D(2021, 1, 1));  // 2008 is a leap year; 2018 is not

  // Feb 2022, D = 2022-02-28: resident 1 is still 5 (the 29 Feb birthday comes on 1 March in
  // 2022): band 0, 3,600; resident 2 is 13: band 6, 1,700. (3,600 + 1,700) kr / 12 = 530,000 öre
  // / 12 = 44,166.67 -> 44,167 öre.
  auto feb = w.Report(M(2022, 2));
  CHECK(feb.snapshot == D(2022, 2, 28));
  CHECK(Line(feb, "VC-C").amounts.band_counts[0] == 1);
  CHECK(Line(feb, "VC-C").amounts.band_counts[1] == 1);
  CHECK(Ore(Line(feb, "VC-C"), Component::kCapitation) == 44167);

  // Mar 2022, D = 2022-03-01: resident 1 turns 6 that day: band 6; resident 2 is 14: band 6.
  // 2 × 1,700 kr / 12 = 340,000 / 12 = 28,333.33 -> 28,333 öre.
  auto mar = w.Report(M(2022, 3));
  CHECK(mar.snapshot == D(2022, 3, 1));
  CHECK(Line(mar, "VC-C").amounts.band_counts[1] == 2);
  CHECK(Ore(Line(mar, "VC-C"), Component::kCapitation) == 28333);

  // Mar 2024 under the previous-month rule: D = 2024-02-29 (a leap day). Resident 2 turns 16 on
  // D itself: band 16, 1,900; resident 1 is 8: band 6, 1,700. 360,000 / 12 = 30,000 öre.
  auto mar24 = w.Report(M(2024, 3));
  CHECK(mar24.snapshot == D(2024, 2, 29));
  CHECK(Line(mar24, "VC-C").amounts.band_counts[1] == 1);
  CHECK(Line(mar24, "VC-C").amounts.band_counts[2] == 1);
  CHECK(Ore(Line(mar24, "VC-C"), Component::kCapitation) == 30000);

  // Feb 2024, D = 2024-01-31: resident 1 is 7, resident 2 is 15: both band 6: 28,333 öre.
  auto feb24 = w.Report(M(2024, 2));
  CHECK(feb24.snapshot == D(2024, 1, 31));
  CHECK(Line(feb24, "VC-C").amounts.band_counts[1] == 2);
  CHECK(Ore(Line(feb24, "VC-C"), Component::kCapitation) == 28333);

  // 2023 has no rulebook: the month cannot be computed, which is an error and not zero.
  auto none = projection::BuildMonthReport(w.projection(), M(2023, 6), w.head());
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code == ErrorCode::kNoRulebookInForce);
}

// World 3: supplements, the start grant and a late rulebook revision, January 2025.
TEST_CASE("world 3: CNI and distance supplements, the start grant and a late revision") {
  WorldBuilder w;
  domain::Rulebook r24 = Rulebook2023(domain::SnapshotRule::kLastDayOfMonth, D(2024, 1, 1), D(2025, 1, 1));
  r24.id = "R-2024";
  r24.capitation = {{0, Kr(1200)}};
  r24.start_grant = domain::StartGrant{Kr(1000), 3};  // 100,000 öre in 3 parts: 33,333 / 33,333 / 33,334
  domain::Rulebook r25 = r24;
  r25.id = "R-2025";
  r25.valid_from = D(2025, 1, 1);
  r25.valid_until = D(2026, 1, 1);
  r25.start_grant = domain::StartGrant{Kr(9999), 12};  // must not change a grant for an earlier opening
  r25.cni_supplement = domain::CniSupplement{1, Kr(450)};
  r25.distance_supplement = std::vector<domain::DistanceBand>{{250, Kr(200)}, {500, Kr(400)}};
  r25.performance_per_year.reset();
  r25.visits.reset();
  w.Publish(r24);
  const domain::Seq no_2025_rulebook = w.head();
  w.Publish(r25);
  w.Clinic("VC-W", D(2010, 1, 1), 0);
  w.Clinic("VC-X", D(2010, 1, 1), 600);  // 60.0 km: band 50.0 -> 400.00
  w.Clinic("VC-Y", D(2010, 1, 1), 300);
  w.Clinic("VC-N", D(2024, 11, 1), 100);  // opened November 2024 under R-2024's start grant
  auto cni = [&](const domain::ClinicId& clinic, std::int64_t value) {
    w.Add(domain::CniReported{clinic, D(2025, 1, 1), "SCB-2025-01", 1000, domain::CniHits{}, value});
  };
  cni("VC-W", 20000);
  cni("VC-X", 20000);
  cni("VC-Y", 30000);  // highest, but nobody is listed there: not ranked
  w.Resident(1, D(1980, 1, 1), "VC-W", D(2024, 1, 1));
  for (std::uint8_t r = 2; r <= 4; ++r) w.Resident(r, D(1980, 1, 1), "VC-X", D(2024, 1, 1));
  w.Resident(5, D(1980, 1, 1), "VC-N", D(2024, 11, 1));

  auto report = w.Report(M(2025, 1));
  // VC-W: capitation 1 × 120,000 / 12 = 10,000; CNI 2.0000 ties with VC-X, VC-W first by id, top 1:
  // 1 × 45,000 / 12 = 3,750. Distance 0.0 km: below the first band.
  const auto& wline = Line(report, "VC-W");
  CHECK(Ore(wline, Component::kCapitation) == 10000);
  CHECK(Ore(wline, Component::kCniSupplement) == 3750);
  CHECK(Ore(wline, Component::kDistanceSupplement) == 0);
  // VC-X: 3 × 120,000 / 12 = 30,000; no CNI supplement (rank 2); distance 3 × 40,000 / 12 = 10,000.
  const auto& x = Line(report, "VC-X");
  CHECK(Ore(x, Component::kCapitation) == 30000);
  CHECK(Ore(x, Component::kCniSupplement) == 0);
  CHECK(Ore(x, Component::kDistanceSupplement) == 10000);
  // VC-Y: open, nobody listed: every component 0.
  CHECK(Line(report, "VC-Y").amounts.total.ore() == 0);
  // VC-N: January 2025 is part 3 of R-2024's grant: 100,000 - 2 × 33,333 = 33,334; capitation 10,000.
  const auto& n = Line(report, "VC-N");
  CHECK(Ore(n, Component::kStartGrant) == 33334);
  CHECK(Ore(n, Component::kCapitation) == 10000);
  CHECK(Line(w.Report(M(2024, 11)), "VC-N").amounts.amounts[3].ore() == 33333);
  CHECK(Line(w.Report(M(2024, 12)), "VC-N").amounts.amounts[3].ore() == 33333);
  CHECK(Ore(Line(w.Report(M(2025, 2)), "VC-N"), Component::kStartGrant) == 0);  // the grant is spent

  // Before R-2025 was published, January 2025 could not be computed.
  auto early = projection::BuildMonthReport(w.projection(), M(2025, 1), no_2025_rulebook);
  REQUIRE_FALSE(early.has_value());
  CHECK(early.error().code == ErrorCode::kNoRulebookInForce);

  // A revision published late replaces R-2025 from its knowledge time on: 1,260.00 per year.
  const domain::Seq before_revision = w.head();
  domain::Rulebook revised = r25;
  revised.id = "R-2025-rev";
  revised.capitation = {{0, Kr(1260)}};
  w.Publish(revised);
  // VC-X now: 3 × 126,000 / 12 = 31,500 öre; as known before the revision, still 30,000.
  CHECK(Ore(Line(w.Report(M(2025, 1)), "VC-X"), Component::kCapitation) == 31500);
  CHECK(w.Report(M(2025, 1)).rulebook_id == "R-2025-rev");
  CHECK(Ore(Line(w.Report(M(2025, 1), before_revision), "VC-X"), Component::kCapitation) == 30000);
}

TEST_CASE("a clinic closed on the snapshot date is paid only the visits of the days it was open; its listings are anomalies") {
  WorldBuilder w;
  w.Publish(Rulebook2023());
  w.Clinic("VC-A", D(2020, 1, 1));
  w.Resident(1, D(1980, 1, 1), "VC-A", D(2023, 1, 1));
  w.Add(domain::ClinicClosed{"VC-A", D(2023, 5, 31)});  // closed from D: nobody counted there on D
  w.Add(domain::VisitsReported{"VC-A", M(2023, 5), domain::VisitCounts{1, 1, 1, 1}});
  auto report = w.Report(M(2023, 5));
  // Open 1-30 May, so its May visits are paid: 1,100 + 650 + 650 + 1,500 = 3,900.00 kr = 390,000 öre;
  // every other component 0 and nobody counted.
  REQUIRE(report.clinics.size() == 1);
  const auto& a = Line(report, "VC-A");
  CHECK(a.amounts.listed == 0);
  CHECK(Ore(a, Component::kVisits) == 390000);
  CHECK(a.amounts.total.ore() == 390000);
  CHECK(report.total.ore() == 390000);
  REQUIRE(report.anomalies.size() == 1);
  CHECK(report.anomalies[0].code == "listing_at_closed_clinic");
  // As of April (D = 2023-04-30) the clinic was open: 2,300 kr / 12 = 19,166.67 -> 19,167 öre.
  CHECK(Ore(Line(w.Report(M(2023, 4)), "VC-A"), Component::kCapitation) == 19167);
  // A visits report for June, when it was open on no day: not paid, an anomaly, no line.
  w.Add(domain::VisitsReported{"VC-A", M(2023, 6), domain::VisitCounts{1, 1, 1, 1}});
  auto june = w.Report(M(2023, 6));
  CHECK(june.clinics.empty());
  CHECK(june.total.ore() == 0);
  REQUIRE(june.anomalies.size() == 2);
  CHECK(june.anomalies[1].code == "report_for_closed_clinic");
  // The single-clinic report: May has the line, June has none.
  CHECK(projection::BuildMonthReport(w.projection(), M(2023, 5), w.head(), domain::ClinicId("VC-A"))->total.ore() == 390000);
  auto none = projection::BuildMonthReport(w.projection(), M(2023, 6), w.head(), domain::ClinicId("VC-A"));
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code == ErrorCode::kNotFound);
}

TEST_CASE("a clinic closing on the 20th is paid for its last visits: 300 other-listed visits, 214,500.00 kr") {
  WorldBuilder w;
  domain::Rulebook rb = Rulebook2023(domain::SnapshotRule::kLastDayOfMonth, D(2024, 1, 1), D(2025, 1, 1));
  rb.visits = domain::VisitRates{domain::Money::FromOre(113850), Kr(715), Kr(715), Kr(1650)};  // KoK-2024's rates
  w.Publish(rb);
  w.Clinic("VC-C", D(2015, 1, 1));
  w.Clinic("VC-D", D(2015, 1, 1));
  w.Resident(1, D(1980, 1, 1), "VC-C", D(2024, 1, 1));
  w.Add(domain::ClinicClosed{"VC-C", D(2024, 9, 20)});  // open 1-19 September; D = 2024-09-30
  w.Add(domain::VisitsReported{"VC-C", M(2024, 9), domain::VisitCounts{0, 300, 0, 0}});
  auto report = w.Report(M(2024, 9));
  // 300 × 715.00 = 214,500.00 kr = 21,450,000 öre; nothing else: nobody is counted on D.
  const auto& c = Line(report, "VC-C");
  CHECK(Ore(c, Component::kVisits) == 21450000);
  CHECK(Ore(c, Component::kCapitation) == 0);
  CHECK(c.amounts.total.ore() == 21450000);
  CHECK(report.total.ore() == 21450000);  // VC-D is open with nobody listed: 0
  CHECK(Line(report, "VC-D").amounts.total.ore() == 0);
}

// The months, from the opening month O, in which a clinic opening on `opening` receives a part of
// a 12-part grant of 1,200.00 kr (100.00 kr a part), under `rule`; reported up to 14 months on.
std::vector<int> GrantMonths(domain::SnapshotRule rule, domain::Date opening) {
  WorldBuilder w;
  domain::Rulebook rb = Rulebook2023(rule, D(2024, 1, 1), D(2026, 1, 1));
  rb.start_grant = domain::StartGrant{Kr(1200), 12};
  w.Publish(rb);
  w.Clinic("VC-N", opening);
  const domain::Month opened{opening.year(), opening.month()};
  std::vector<int> paid;
  for (int i = 0; i <= 14; ++i) {
    auto report = projection::BuildMonthReport(w.projection(), domain::AddMonths(opened, i), w.head());
    REQUIRE(report.has_value());
    for (const auto& line : report->clinics) {
      const std::int64_t part = Ore(line, Component::kStartGrant);
      if (part == 0) continue;
      CHECK(part == 10000);  // 120,000 öre / 12, exact
      paid.push_back(i);
    }
  }
  return paid;
}

TEST_CASE("the start grant's twelve parts count from the first month on whose snapshot date the clinic is open") {
  using R = domain::SnapshotRule;
  const std::vector<int> from_o{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};       // O .. O + 11
  const std::vector<int> from_next{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};   // O + 1 .. O + 12
  // last_day_of_month: D of O is its last day, on or after any opening day of O: O' = O.
  CHECK(GrantMonths(R::kLastDayOfMonth, D(2024, 3, 1)) == from_o);
  CHECK(GrantMonths(R::kLastDayOfMonth, D(2024, 3, 15)) == from_o);
  CHECK(GrantMonths(R::kLastDayOfMonth, D(2024, 3, 31)) == from_o);
  // first_day_of_month: open on D of O only when opening on the 1st; otherwise O' = O + 1.
  CHECK(GrantMonths(R::kFirstDayOfMonth, D(2024, 3, 1)) == from_o);
  CHECK(GrantMonths(R::kFirstDayOfMonth, D(2024, 3, 15)) == from_next);
  CHECK(GrantMonths(R::kFirstDayOfMonth, D(2024, 3, 31)) == from_next);
  // last_day_of_previous_month: D of O is the last day of O - 1, before any opening in O, and D of
  // O + 1 is O's last day: O' = O + 1 for the 1st, the 15th and the last day (opened on D).
  CHECK(GrantMonths(R::kLastDayOfPreviousMonth, D(2024, 3, 1)) == from_next);
  CHECK(GrantMonths(R::kLastDayOfPreviousMonth, D(2024, 3, 15)) == from_next);
  CHECK(GrantMonths(R::kLastDayOfPreviousMonth, D(2024, 3, 31)) == from_next);
}

// The codes of a report's anomalies, in order.
std::vector<std::string> Codes(const projection::MonthReport& report) {
  std::vector<std::string> codes;
  for (const auto& a : report.anomalies) codes.push_back(a.code);
  return codes;
}

TEST_CASE("a list above the clinic's cap is reported and still counted in full") {
  WorldBuilder w;
  w.Publish(Rulebook2023());
  w.Clinic("VC-A", D(2020, 1, 1));
  for (std::uint8_t r = 1; r <= 3; ++r) w.Resident(r, D(1990, 1, 1), "VC-A", D(2023, 1, 1));
  domain::ClinicChanged cap{"VC-A", D(2023, 3, 1), {}, {}, {}, 2};
  w.Add(cap);
  // February (D = 2023-02-28): no cap yet. May: a cap of 2, three listed: reported, and all three
  // count: 3 × 2,300.00 / 12 = 690,000 / 12 = 57,500 öre.
  CHECK(Codes(w.Report(M(2023, 2))).empty());
  const auto may = w.Report(M(2023, 5));
  REQUIRE(Codes(may) == std::vector<std::string>{"list_cap_exceeded"});
  CHECK(may.anomalies[0].detail == "3 residents listed at VC-A on 2023-05-31, above its list cap of 2: all counted");
  CHECK(Line(may, "VC-A").amounts.listed == 3);
  CHECK(Ore(Line(may, "VC-A"), Component::kCapitation) == 57500);
  // A cap of 3 holds the list; a cap of 0 lifts it.
  cap.effective = D(2023, 6, 1);
  cap.list_cap = 3;
  w.Add(cap);
  CHECK(Codes(w.Report(M(2023, 6))).empty());
  cap.effective = D(2023, 7, 1);
  cap.list_cap = 1;
  w.Add(cap);
  cap.effective = D(2023, 8, 1);
  cap.list_cap = 0;
  w.Add(cap);
  CHECK(Codes(w.Report(M(2023, 7))) == std::vector<std::string>{"list_cap_exceeded"});
  CHECK(Codes(w.Report(M(2023, 8))).empty());
}

TEST_CASE("a third listing change within 12 months is reported, counting changes from 2022-07-01 only") {
  WorldBuilder w;
  w.Publish(Rulebook2023(domain::SnapshotRule::kLastDayOfMonth, D(2022, 1, 1), D(2024, 1, 1)));
  w.Clinic("VC-A", D(2020, 1, 1));
  w.Clinic("VC-B", D(2020, 1, 1));
  // Resident 1: listed 2022-01-01, then three changes before the law: 03-01, 05-01, 06-01.
  w.Resident(1, D(1990, 1, 1), "VC-A", D(2022, 1, 1));
  w.List(1, "VC-B", D(2022, 3, 1));
  w.List(1, "VC-A", D(2022, 5, 1));
  w.List(1, "VC-B", D(2022, 6, 1));
  // Resident 2: listed 2022-01-01, then three changes under it: 07-01, 08-01, 09-01.
  w.Resident(2, D(1990, 1, 1), "VC-A", D(2022, 1, 1));
  w.List(2, "VC-B", D(2022, 7, 1));
  w.List(2, "VC-A", D(2022, 8, 1));
  w.List(2, "VC-B", D(2022, 9, 1));
  // June 2022: resident 1 made three changes in 12 months, but before 2022-07-01: not reported.
  CHECK(Codes(w.Report(M(2022, 6))).empty());
  // August: resident 1's changes still do not count and resident 2 has made two; September:
  // resident 2's third, within 12 months of the first: one resident reported.
  CHECK(Codes(w.Report(M(2022, 8))).empty());
  const auto september = w.Report(M(2022, 9));
  REQUIRE(Codes(september) == std::vector<std::string>{"too_many_listing_changes"});
  CHECK(september.anomalies[0].detail == "1 residents on 2022-09-30");
  // Still both counted where they are listed: resident 1 at VC-B, resident 2 at VC-B.
  CHECK(Line(september, "VC-B").amounts.listed == 2);
}

}  // namespace
}  // namespace capledger::testing
