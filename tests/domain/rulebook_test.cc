// CheckRulebook: the rules of DOMAIN.md §5 beyond the shape of each field, each at its edge, and
// the snapshot rule names.
#include <doctest/doctest.h>

#include "domain/rulebook.h"

namespace capledger::domain {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date D(int y, unsigned m, unsigned d) { return Date{year(y), month(m), day(d)}; }

// A valid rulebook with every optional table.
Rulebook Valid() {
  Rulebook rb;
  rb.id = "KoK-2025";
  rb.title = "Krav- och kvalitetsbok Hälsoval Örebro län 2025";
  rb.decision = "24RS2584";
  rb.valid_from = D(2025, 1, 1);
  rb.valid_until = D(2026, 1, 1);
  rb.retro_window_months = 12;
  rb.capitation = {{0, Money::FromOre(372600)}, {6, Money::FromOre(175950)}, {65, Money::FromOre(467303)}};
  rb.performance_per_year = Money::FromOre(19200);
  rb.visits = VisitRates{Money::FromOre(113850), Money::FromOre(71500), Money::FromOre(71500), Money::FromOre(165000)};
  rb.start_grant = StartGrant{Money::FromOre(120000000), 12};
  rb.cni_supplement = CniSupplement{6, Money::FromOre(45000)};
  rb.distance_supplement = std::vector<DistanceBand>{{250, Money::FromOre(20000)}, {500, Money::FromOre(40000)}};
  return rb;
}

// The field of the first violation, or "" if the rulebook passes.
std::string ViolatedField(const Rulebook& rb) {
  const auto violation = CheckRulebook(rb);
  return violation ? violation->field : std::string();
}

TEST_CASE("a complete rulebook passes, and so does one without optional tables") {
  CHECK_FALSE(CheckRulebook(Valid()).has_value());
  Rulebook minimal = Valid();
  minimal.performance_per_year.reset();
  minimal.visits.reset();
  minimal.start_grant.reset();
  minimal.cni_supplement.reset();
  minimal.distance_supplement.reset();
  CHECK_FALSE(CheckRulebook(minimal).has_value());
}

TEST_CASE("valid_from must come before valid_until") {
  Rulebook rb = Valid();
  rb.valid_until = rb.valid_from;
  CHECK(ViolatedField(rb) == "valid_until");
  rb.valid_until = D(2024, 12, 31);
  CHECK(ViolatedField(rb) == "valid_until");
  rb.valid_until = D(2025, 1, 2);  // one day is enough
  CHECK(ViolatedField(rb) == "");
}

TEST_CASE("the retro window is 0 to 120 months") {
  Rulebook rb = Valid();
  for (int months : {0, 1, 120}) {
    rb.retro_window_months = months;
    CHECK(ViolatedField(rb) == "");
  }
  for (int months : {-1, 121}) {
    rb.retro_window_months = months;
    CHECK(ViolatedField(rb) == "retro_window_months");
  }
}

TEST_CASE("capitation bands start at 0, rise strictly and stop at 150") {
  Rulebook rb = Valid();
  rb.capitation.clear();
  CHECK(ViolatedField(rb) == "capitation.bands");
  rb.capitation = {{1, Money::Zero()}};
  CHECK(ViolatedField(rb) == "capitation.bands[0].min_age");
  rb.capitation = {{-1, Money::Zero()}, {6, Money::Zero()}};
  CHECK(ViolatedField(rb) == "capitation.bands[0].min_age");
  rb.capitation = {{0, Money::Zero()}, {6, Money::Zero()}, {6, Money::Zero()}};
  CHECK(ViolatedField(rb) == "capitation.bands[2].min_age");
  rb.capitation = {{0, Money::Zero()}, {16, Money::Zero()}, {6, Money::Zero()}};
  CHECK(ViolatedField(rb) == "capitation.bands[2].min_age");
  rb.capitation = {{0, Money::Zero()}, {150, Money::Zero()}};
  CHECK(ViolatedField(rb) == "");
  rb.capitation = {{0, Money::Zero()}, {151, Money::Zero()}};
  CHECK(ViolatedField(rb) == "capitation.bands[1].min_age");
  rb.capitation = {{0, Money::Zero()}};  // one band for all ages
  CHECK(ViolatedField(rb) == "");
}

TEST_CASE("a start grant is paid over 1 to 120 months") {
  Rulebook rb = Valid();
  for (int months : {1, 120}) {
    rb.start_grant->months = months;
    CHECK(ViolatedField(rb) == "");
  }
  for (int months : {0, -1, 121}) {
    rb.start_grant->months = months;
    CHECK(ViolatedField(rb) == "start_grant.months");
  }
}

TEST_CASE("the CNI supplement goes to 1 to 100000 clinics") {
  Rulebook rb = Valid();
  for (int top_n : {1, 100000}) {
    rb.cni_supplement->top_n = top_n;
    CHECK(ViolatedField(rb) == "");
  }
  for (int top_n : {0, -6, 100001}) {
    rb.cni_supplement->top_n = top_n;
    CHECK(ViolatedField(rb) == "cni_supplement.top_n");
  }
}

TEST_CASE("distance bands may start above 0 km but must rise strictly") {
  Rulebook rb = Valid();
  rb.distance_supplement = std::vector<DistanceBand>{};
  CHECK(ViolatedField(rb) == "distance_supplement.bands");
  rb.distance_supplement = std::vector<DistanceBand>{{0, Money::Zero()}};
  CHECK(ViolatedField(rb) == "");
  rb.distance_supplement = std::vector<DistanceBand>{{-1, Money::Zero()}};
  CHECK(ViolatedField(rb) == "distance_supplement.bands[0].min_km");
  rb.distance_supplement = std::vector<DistanceBand>{{250, Money::Zero()}, {250, Money::Zero()}};
  CHECK(ViolatedField(rb) == "distance_supplement.bands[1].min_km");
  rb.distance_supplement = std::vector<DistanceBand>{{500, Money::Zero()}, {250, Money::Zero()}};
  CHECK(ViolatedField(rb) == "distance_supplement.bands[1].min_km");
}

TEST_CASE("every amount stays within its bound: 1,000,000.00 kr a rate, 100,000,000.00 kr a start grant") {
  // 1,000,000.00 kr = 100,000,000 öre; 100,000,000.00 kr = 10,000,000,000 öre.
  const Money rate_max = Money::FromOre(100'000'000);
  const Money over = Money::FromOre(100'000'001);
  Rulebook at = Valid();
  at.capitation[1].amount_per_year = rate_max;
  at.performance_per_year = rate_max;
  at.visits->out_of_region = rate_max;
  at.start_grant->amount = Money::FromOre(10'000'000'000);
  at.cni_supplement->amount_per_year = rate_max;
  (*at.distance_supplement)[1].amount_per_year = rate_max;
  CHECK(ViolatedField(at) == "");
  auto with = [](auto change) {
    Rulebook rb = Valid();
    change(rb);
    return ViolatedField(rb);
  };
  CHECK(with([&](Rulebook& rb) { rb.capitation[1].amount_per_year = over; }) == "capitation.bands[1].amount");
  CHECK(with([&](Rulebook& rb) { rb.performance_per_year = over; }) == "performance.amount");
  CHECK(with([&](Rulebook& rb) { rb.visits->unlisted = over; }) == "visits.unlisted");
  CHECK(with([&](Rulebook& rb) { rb.start_grant->amount = Money::FromOre(10'000'000'001); }) == "start_grant.amount");
  CHECK(with([&](Rulebook& rb) { rb.cni_supplement->amount_per_year = over; }) == "cni_supplement.amount");
  CHECK(with([&](Rulebook& rb) { (*rb.distance_supplement)[0].amount_per_year = over; }) ==
        "distance_supplement.bands[0].amount");
  // The example: 9,000,000,000,000.00 kr for a band.
  CHECK(with([&](Rulebook& rb) { rb.capitation[0].amount_per_year = Money::FromOre(900'000'000'000'000); }) ==
        "capitation.bands[0].amount");
  const auto violation = CheckRulebook([&] {
    Rulebook rb = Valid();
    rb.capitation[0].amount_per_year = over;
    return rb;
  }());
  REQUIRE(violation.has_value());
  CHECK(violation->message.find("1000000.00 kr") != std::string::npos);
}

TEST_CASE("the first violation in field order is the one reported") {
  Rulebook rb = Valid();
  rb.valid_until = rb.valid_from;
  rb.capitation.clear();
  rb.start_grant->months = 0;
  CHECK(ViolatedField(rb) == "valid_until");
  rb.valid_until = D(2026, 1, 1);
  CHECK(ViolatedField(rb) == "capitation.bands");
  const auto violation = CheckRulebook(rb);
  REQUIRE(violation.has_value());
  CHECK_FALSE(violation->message.empty());
}

TEST_CASE("snapshot rules have stable names that convert both ways") {
  for (SnapshotRule rule : {SnapshotRule::kLastDayOfMonth, SnapshotRule::kFirstDayOfMonth,
                            SnapshotRule::kLastDayOfPreviousMonth}) {
    CHECK(SnapshotRuleFromName(SnapshotRuleName(rule)) == rule);
  }
  CHECK(SnapshotRuleName(SnapshotRule::kLastDayOfMonth) == "last_day_of_month");
  CHECK(SnapshotRuleName(SnapshotRule::kFirstDayOfMonth) == "first_day_of_month");
  CHECK(SnapshotRuleName(SnapshotRule::kLastDayOfPreviousMonth) == "last_day_of_previous_month");
  CHECK_FALSE(SnapshotRuleFromName("").has_value());
  CHECK_FALSE(SnapshotRuleFromName("LAST_DAY_OF_MONTH").has_value());
  CHECK_FALSE(SnapshotRuleFromName("last_day_of_month ").has_value());
  CHECK_FALSE(SnapshotRuleFromName("unknown").has_value());
}

}  // namespace
}  // namespace capledger::domain
