// Optional missions (DOMAIN.md §9) in small worlds whose amounts are worked out by hand in the
// comments: each basis, the single rounding of the sum, age limits at their edges (29 February
// too), units changed before and after the snapshot date, an ending on the snapshot date, a
// mission dropped by the next rulebook, a closed clinic, and the anomalies.
#include <algorithm>

#include <doctest/doctest.h>

#include "projection/world_builder.h"

namespace capledger::testing {
namespace {

using domain::Component;
using domain::Mission;
using domain::MissionBasis;
using domain::MissionKind;

Mission Optional(std::string id, MissionBasis basis, std::int64_t ore, std::optional<int> min_age = std::nullopt,
                 std::optional<int> max_age = std::nullopt) {
  return Mission{std::move(id), "Uppdrag", MissionKind::kOptional, basis, domain::Money::FromOre(ore), min_age, max_age};
}
Mission Base(std::string id) {
  Mission m;
  m.id = std::move(id);
  m.title = "Basuppdrag";
  return m;  // kind base: nothing else
}

// KoK-2023's amounts valid for 2025 (or from `from` to `until`), with these missions:
//   sabo  per_unit   5400.00 per unit and year  (540000 öre)
//   bvc   per_listed 1200.00 per child 0-5      (120000 öre; 0 <= age < 6)
//   jour  fixed     25000.00 per month          (2500000 öre)
//   unga  per_listed 1000.03 per listed aged 5+ (100003 öre; no upper limit)
//   extra per_unit   1000.00 per unit and year  (100000 öre)
//   mottagning       base
domain::Rulebook WithMissions(domain::SnapshotRule snapshot = domain::SnapshotRule::kLastDayOfMonth,
                              domain::Date from = D(2025, 1, 1), domain::Date until = D(2026, 1, 1)) {
  domain::Rulebook rb = Rulebook2023(snapshot, from, until);
  rb.id = "R-missions";
  rb.missions = {Optional("sabo", MissionBasis::kPerUnit, 540000), Optional("bvc", MissionBasis::kPerListed, 120000, 0, 6),
                 Optional("jour", MissionBasis::kFixed, 2500000), Optional("unga", MissionBasis::kPerListed, 100003, 5),
                 Optional("extra", MissionBasis::kPerUnit, 100000), Base("mottagning")};
  return rb;
}

domain::Seq Undertake(WorldBuilder& w, const domain::ClinicId& clinic, const std::string& mission, domain::Date from,
                        std::optional<std::int64_t> units = std::nullopt) {
  return w.Add(domain::MissionUndertaken{clinic, mission, from, units});
}
domain::Seq End(WorldBuilder& w, const domain::ClinicId& clinic, const std::string& mission, domain::Date from) {
  return w.Add(domain::MissionEnded{clinic, mission, from});
}

bool HasAnomaly(const projection::MonthReport& r, const std::string& code, const std::string& mention) {
  return std::any_of(r.anomalies.begin(), r.anomalies.end(), [&](const projection::AnomalyLine& a) {
    return a.code == code && a.detail.find(mention) != std::string::npos;
  });
}

TEST_CASE("missions: each basis, and the sum of the parts rounded once") {
  WorldBuilder w;
  w.Publish(WithMissions());
  w.Clinic("VC-A", D(2020, 1, 1));
  // March 2025, D = 2025-03-31.
  w.Resident(1, D(2019, 3, 31), "VC-A", D(2024, 1, 1));  // 6 on D (birthday on D): not 0-5; 5+: yes
  w.Resident(2, D(2019, 4, 1), "VC-A", D(2024, 1, 1));   // 5 on D: 0-5 yes; 5+ yes
  w.Resident(3, D(2025, 1, 15), "VC-A", D(2025, 1, 15)); // 0 on D: 0-5 yes; 5+ no
  w.Resident(4, D(1980, 1, 1), "VC-A", D(2024, 1, 1));   // 45 on D: 0-5 no; 5+ yes
  Undertake(w, "VC-A", "sabo", D(2025, 1, 1), 3);
  Undertake(w, "VC-A", "bvc", D(2025, 1, 1));
  Undertake(w, "VC-A", "jour", D(2025, 1, 1));
  Undertake(w, "VC-A", "unga", D(2025, 1, 1));
  Undertake(w, "VC-A", "extra", D(2025, 1, 1), 1);
  const auto line = Line(w.Report(M(2025, 3)), "VC-A");
  // Parts × 12, in öre:
  //   sabo  3 units × 540000          =  1,620,000   (135,000.00 öre a month)
  //   bvc   2 children × 120000       =    240,000   ( 20,000.00)
  //   jour  2500000 × 12              = 30,000,000   (2,500,000.00)
  //   unga  3 aged 5+ × 100003        =    300,009   ( 25,000.75)
  //   extra 1 unit × 100000           =    100,000   (  8,333.33)
  //   sum                             = 32,260,009 -> / 12 = 2,688,334.08 -> 2,688,334 öre.
  // Rounding each part first would give 135000 + 20000 + 2500000 + 25001 + 8333 = 2,688,334 too;
  // the next case is one where it would not.
  CHECK(Ore(line, Component::kMissions) == 2688334);
  // Capitation is untouched by the missions: bands 0 (r2, r3: 2 × 3600), 6 (r1: 1700), 45 (r4:
  // 2900): 3,600 + 3,600 + 1,700 + 2,900 = 11,800 kr; 1,180,000 öre / 12 = 98,333.33 -> 98,333 öre.
  CHECK(Ore(line, Component::kCapitation) == 98333);
  CHECK(line.amounts.total.ore() == 98333 + 2688334);
}

TEST_CASE("missions: two parts that each round down add up to an öre that a rounding per part would lose") {
  WorldBuilder w;
  auto rb = WithMissions();
  rb.missions = {Optional("unga", MissionBasis::kPerListed, 100003, 5), Optional("extra", MissionBasis::kPerUnit, 100000)};
  w.Publish(rb);
  w.Clinic("VC-A", D(2020, 1, 1));
  w.Resident(4, D(1980, 1, 1), "VC-A", D(2024, 1, 1));
  Undertake(w, "VC-A", "unga", D(2025, 1, 1));
  Undertake(w, "VC-A", "extra", D(2025, 1, 1), 1);
  // unga: 1 × 100003 = 100,003 twelfths (8,333.58 öre); extra: 100,000 twelfths (8,333.33).
  // Per part: 8,334 + 8,333 = 16,667. Exactly: 200,003 / 12 = 16,666.92 -> 16,667. Both agree here;
  // with unga at 100001 (8,333.42 -> 8,333) they would not: 200,001 / 12 = 16,666.75 -> 16,667,
  // while 8,333 + 8,333 = 16,666.
  CHECK(Ore(Line(w.Report(M(2025, 3)), "VC-A"), Component::kMissions) == 16667);
  rb.id = "R-missions-rev";
  rb.missions[0].amount = domain::Money::FromOre(100001);
  w.Publish(rb);  // a revision: the higher seq is in force
  CHECK(Ore(Line(w.Report(M(2025, 3)), "VC-A"), Component::kMissions) == 16667);
}

TEST_CASE("missions: age limits at their edges, with a birthday on 29 February") {
  WorldBuilder w;
  w.Publish(WithMissions(domain::SnapshotRule::kLastDayOfMonth, D(2025, 1, 1), D(2027, 1, 1)));
  w.Clinic("VC-A", D(2020, 1, 1));
  w.Resident(1, D(2020, 2, 29), "VC-A", D(2024, 1, 1));
  Undertake(w, "VC-A", "bvc", D(2025, 1, 1));   // 0 <= age < 6
  Undertake(w, "VC-A", "unga", D(2025, 1, 1));  // 5 <= age
  // February 2025, D = 2025-02-28: the 5th birthday comes on 1 March in 2025: age 4.
  //   bvc 1 × 120000 = 120,000; unga 0. 120,000 / 12 = 10,000 öre.
  CHECK(Ore(Line(w.Report(M(2025, 2)), "VC-A"), Component::kMissions) == 10000);
  // March 2025, D = 2025-03-31: age 5. bvc 120,000 + unga 100,003 = 220,003 / 12 = 18,333.58
  // -> 18,334 öre.
  CHECK(Ore(Line(w.Report(M(2025, 3)), "VC-A"), Component::kMissions) == 18334);
  // February 2026, D = 2026-02-28: still 5 (the 6th birthday is on 1 March 2026): 18,334 öre.
  CHECK(Ore(Line(w.Report(M(2026, 2)), "VC-A"), Component::kMissions) == 18334);
  // March 2026, D = 2026-03-31: 6, out of bvc: unga alone, 100,003 / 12 = 8,333.58 -> 8,334 öre.
  CHECK(Ore(Line(w.Report(M(2026, 3)), "VC-A"), Component::kMissions) == 8334);
}

TEST_CASE("missions: units changed before and after the snapshot date, and on it") {
  WorldBuilder w;
  // First day of month: D is the 1st, so a change on the 15th counts from the next month.
  w.Publish(WithMissions(domain::SnapshotRule::kFirstDayOfMonth));
  w.Clinic("VC-A", D(2020, 1, 1));
  Undertake(w, "VC-A", "sabo", D(2025, 1, 1), 3);
  Undertake(w, "VC-A", "sabo", D(2025, 4, 15), 5);  // after April's D (04-01), before May's
  Undertake(w, "VC-A", "sabo", D(2025, 6, 1), 6);   // on June's D
  // No resident is listed: the clinic is open, and the missions are paid all the same.
  // April: 3 × 540000 / 12 = 135,000; May: 5 × 540000 / 12 = 225,000; June: 6 × 45,000 = 270,000.
  CHECK(Ore(Line(w.Report(M(2025, 4)), "VC-A"), Component::kMissions) == 135000);
  CHECK(Ore(Line(w.Report(M(2025, 5)), "VC-A"), Component::kMissions) == 225000);
  CHECK(Ore(Line(w.Report(M(2025, 6)), "VC-A"), Component::kMissions) == 270000);
  // Two changes effective the same day: the higher seq decides (4 units, not 6, from July 1).
  Undertake(w, "VC-A", "sabo", D(2025, 7, 1), 6);
  Undertake(w, "VC-A", "sabo", D(2025, 7, 1), 4);  // 4 × 45,000 = 180,000
  CHECK(Ore(Line(w.Report(M(2025, 7)), "VC-A"), Component::kMissions) == 180000);
}

TEST_CASE("missions: an ending on the snapshot date, and a mission taken up again") {
  WorldBuilder w;
  w.Publish(WithMissions());
  w.Clinic("VC-A", D(2020, 1, 1));
  Undertake(w, "VC-A", "jour", D(2025, 1, 1));
  End(w, "VC-A", "jour", D(2025, 3, 31));  // the first day not offered is March's D
  // February (D = 02-28): offered, 2,500,000 öre; March (D = 03-31): not offered, 0.
  CHECK(Ore(Line(w.Report(M(2025, 2)), "VC-A"), Component::kMissions) == 2500000);
  CHECK(Ore(Line(w.Report(M(2025, 3)), "VC-A"), Component::kMissions) == 0);
  Undertake(w, "VC-A", "jour", D(2025, 5, 1));
  CHECK(Ore(Line(w.Report(M(2025, 4)), "VC-A"), Component::kMissions) == 0);
  CHECK(Ore(Line(w.Report(M(2025, 5)), "VC-A"), Component::kMissions) == 2500000);
}

TEST_CASE("missions: one dropped by the next year's rulebook is not paid and is reported") {
  WorldBuilder w;
  w.Publish(WithMissions());
  auto next = WithMissions(domain::SnapshotRule::kLastDayOfMonth, D(2026, 1, 1), D(2027, 1, 1));
  next.id = "R-2026";
  std::erase_if(next.missions, [](const Mission& m) { return m.id == "jour"; });
  w.Publish(next);
  w.Clinic("VC-A", D(2020, 1, 1));
  Undertake(w, "VC-A", "jour", D(2025, 1, 1));
  Undertake(w, "VC-A", "sabo", D(2025, 1, 1), 2);
  // December 2025: jour 2,500,000 + sabo 2 × 45,000 = 2,590,000 öre.
  const auto dec = w.Report(M(2025, 12));
  CHECK(Ore(Line(dec, "VC-A"), Component::kMissions) == 2590000);
  CHECK_FALSE(HasAnomaly(dec, "mission_not_in_rulebook", "jour"));
  // January 2026 under R-2026: sabo alone, 90,000 öre; jour is an anomaly.
  const auto jan = w.Report(M(2026, 1));
  CHECK(Ore(Line(jan, "VC-A"), Component::kMissions) == 90000);
  CHECK(HasAnomaly(jan, "mission_not_in_rulebook", "jour"));
}

TEST_CASE("missions: a closed clinic gets nothing; base, unlisted and unit-less missions are anomalies") {
  WorldBuilder w;
  w.Publish(WithMissions());
  w.Clinic("VC-A", D(2020, 1, 1));
  w.Clinic("VC-B", D(2020, 1, 1));
  Undertake(w, "VC-A", "jour", D(2025, 1, 1));
  Undertake(w, "VC-A", "mottagning", D(2025, 1, 1));  // base: paid by capitation
  Undertake(w, "VC-A", "okand", D(2025, 1, 1));       // not in the rulebook
  Undertake(w, "VC-A", "sabo", D(2025, 1, 1));        // per_unit without units
  Undertake(w, "VC-B", "jour", D(2025, 1, 1));
  w.Add(domain::ClinicClosed{"VC-B", D(2025, 3, 15)});
  // February: VC-A jour alone 2,500,000; VC-B open, jour 2,500,000.
  const auto feb = w.Report(M(2025, 2));
  CHECK(Ore(Line(feb, "VC-A"), Component::kMissions) == 2500000);
  CHECK(Ore(Line(feb, "VC-B"), Component::kMissions) == 2500000);
  CHECK(HasAnomaly(feb, "mission_is_base", "mottagning"));
  CHECK(HasAnomaly(feb, "mission_not_in_rulebook", "okand"));
  CHECK(HasAnomaly(feb, "mission_units_missing", "sabo"));
  // March (D = 03-31): VC-B closed on the 15th, so not open on D: no line, no missions.
  const auto mar = w.Report(M(2025, 3));
  CHECK(std::none_of(mar.clinics.begin(), mar.clinics.end(), [](const auto& l) { return l.clinic == "VC-B"; }));
  CHECK(mar.total.ore() == 2500000);  // VC-A's jour; nobody is listed, so nothing else
}

TEST_CASE("missions: a retracted undertaking pays nothing from its retraction on") {
  WorldBuilder w;
  w.Publish(WithMissions());
  w.Clinic("VC-A", D(2020, 1, 1));
  const domain::Seq jour = Undertake(w, "VC-A", "jour", D(2025, 1, 1));
  const domain::Seq before = w.head();
  w.Retract(jour);
  CHECK(Ore(Line(w.Report(M(2025, 2), before), "VC-A"), Component::kMissions) == 2500000);
  CHECK(Ore(Line(w.Report(M(2025, 2)), "VC-A"), Component::kMissions) == 0);
}

}  // namespace
}  // namespace capledger::testing
