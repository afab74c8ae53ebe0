// Who runs a clinic and where it is, as known at any K: what the public follow-up and the
// clinic's page show (DOMAIN.md §11: operator, municipality).
#include <doctest/doctest.h>

#include "projection/checkpoint.h"
#include "projection/world_builder.h"

namespace capledger::testing {
namespace {

using domain::Operator;

std::int32_t Day(domain::Date date) { return domain::DaysSinceEpoch(date); }

TEST_CASE("a clinic's operator follows its registration and later changes, by effective date and as known at K") {
  WorldBuilder w;
  const domain::Seq registered = w.Add(domain::ClinicRegistered{"VC-A", "Vårdcentralen A", Operator::kRegion, 1880,
                                                                  125, D(2020, 1, 1)});
  domain::ClinicChanged sold;
  sold.clinic = "VC-A";
  sold.effective = D(2024, 7, 1);
  sold.op = Operator::kPrivate;
  const domain::Seq sale = w.Add(sold);
  domain::ClinicChanged renamed;  // a change without an operator leaves it as it was
  renamed.clinic = "VC-A";
  renamed.effective = D(2024, 9, 1);
  renamed.name = "Hälsan A";
  w.Add(renamed);
  const auto& p = w.projection();
  const std::uint16_t a = *p.ClinicIndex("VC-A");
  CHECK(p.OperatorOn(a, Day(D(2019, 12, 31)), w.head()) == std::nullopt);  // before it opened
  CHECK(p.OperatorOn(a, Day(D(2020, 1, 1)), w.head()) == Operator::kRegion);
  CHECK(p.OperatorOn(a, Day(D(2024, 6, 30)), w.head()) == Operator::kRegion);
  CHECK(p.OperatorOn(a, Day(D(2024, 7, 1)), w.head()) == Operator::kPrivate);
  CHECK(p.OperatorOn(a, Day(D(2024, 10, 1)), w.head()) == Operator::kPrivate);
  // Before the sale was known, the region ran it on every day.
  CHECK(p.OperatorOn(a, Day(D(2024, 10, 1)), Before(sale)) == Operator::kRegion);
  CHECK(p.OperatorOn(a, Day(D(2024, 10, 1)), Before(registered)) == std::nullopt);
  // Retracting the sale restores the region from the retraction on.
  const domain::Seq retraction = w.Retract(sale);
  CHECK(p.OperatorOn(a, Day(D(2024, 10, 1)), retraction) == Operator::kRegion);
  CHECK(p.OperatorOn(a, Day(D(2024, 10, 1)), Before(retraction)) == Operator::kPrivate);
}

TEST_CASE("a clinic's municipality is its latest registration's; a listing alone gives none") {
  WorldBuilder w;
  w.Born(1, D(1980, 1, 1));
  w.Register(1, D(2023, 1, 1));
  w.List(1, "VC-B", D(2023, 1, 1));  // names VC-B before it is registered
  const domain::Seq first = w.Add(domain::ClinicRegistered{"VC-B", "Vårdcentralen B", Operator::kPrivate, 1880,
                                                               125, D(2023, 2, 1)});
  const domain::Seq corrected = w.Add(domain::ClinicRegistered{"VC-B", "Vårdcentralen B", Operator::kPrivate,
                                                                   1814, 125, D(2023, 2, 1)});
  const auto& p = w.projection();
  const std::uint16_t b = *p.ClinicIndex("VC-B");
  CHECK(p.Municipality(b, Before(first)) == std::nullopt);
  CHECK(p.Municipality(b, first) == 1880);      // Örebro
  CHECK(p.Municipality(b, corrected) == 1814);  // Lekeberg: the later registration decides
  w.Retract(corrected);
  CHECK(p.Municipality(b, w.head()) == 1880);
}

TEST_CASE("operators and municipalities survive a checkpoint") {
  WorldBuilder w;
  w.Add(domain::ClinicRegistered{"VC-C", "Vårdcentralen C", Operator::kPrivate, 1885, 125, D(2021, 3, 1)});
  domain::ClinicChanged change;
  change.clinic = "VC-C";
  change.effective = D(2022, 1, 1);
  change.op = Operator::kRegion;
  w.Add(change);
  auto loaded = projection::DeserializeProjection(projection::SerializeProjection(w.projection()));
  REQUIRE(loaded.has_value());
  CHECK(*loaded == w.projection());
  const std::uint16_t c = *loaded->ClinicIndex("VC-C");
  CHECK(loaded->Municipality(c, w.head()) == 1885);
  CHECK(loaded->OperatorOn(c, Day(D(2021, 12, 31)), w.head()) == Operator::kPrivate);
  CHECK(loaded->OperatorOn(c, Day(D(2022, 1, 1)), w.head()) == Operator::kRegion);
}

}  // namespace
}  // namespace capledger::testing
