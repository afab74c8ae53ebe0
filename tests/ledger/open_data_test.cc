// The open data of the public follow-up (DOMAIN.md §11) on a small world paid month by month:
// one row per clinic and month, band counts from 1 to 4 suppressed, amounts from the entries.
// Every figure by hand.
#include <doctest/doctest.h>

#include "ledger/annual.h"
#include "ledger/open_data.h"
#include "ledger_world.h"

namespace capledger::testing {
namespace {

using domain::Component;

std::size_t Index(Component c) { return static_cast<std::size_t>(c); }

// A band column's cell: a number shown, or "<5".
std::optional<ledger::PublishedCount> Shown(std::int64_t n) { return ledger::PublishedCount{n, false}; }
const std::optional<ledger::PublishedCount> kSuppressed = ledger::PublishedCount{0, true};

// Three bands: 0-19 2,400.00, 20-64 1,200.00 (10,000 öre a month), 65+ 3,600.00 (30,000 öre a month).
domain::Rulebook ThreeBands() {
  domain::Rulebook rb = Rulebook2023(domain::SnapshotRule::kLastDayOfMonth, D(2024, 1, 1), D(2025, 1, 1));
  rb.id = "R-2024";
  rb.capitation = {{0, Kr(2400)}, {20, Kr(1200)}, {65, Kr(3600)}};
  return rb;
}

// VC-A: 6 residents aged 34 and 2 aged 70: 6 × 10,000 + 2 × 30,000 = 120,000 öre a month.
// VC-B: 5 residents aged 34: 5 × 10,000 = 50,000 öre a month. Nobody under 20 anywhere.
struct OpenDataWorld {
  LedgerWorld w;
  domain::Seq after_january;
  OpenDataWorld() {
    w.Publish(ThreeBands());
    w.Clinic("VC-A", D(2020, 1, 1));
    w.Clinic("VC-B", D(2020, 1, 1));
    for (std::uint8_t r = 1; r <= 6; ++r) w.Resident(r, D(1990, 1, 1), "VC-A", D(2023, 1, 1));
    for (std::uint8_t r = 7; r <= 8; ++r) w.Resident(r, D(1954, 1, 1), "VC-A", D(2023, 1, 1));
    for (std::uint8_t r = 11; r <= 15; ++r) w.Resident(r, D(1990, 1, 1), "VC-B", D(2023, 1, 1));
    w.Pay(M(2024, 1));
    after_january = w.head();
    w.Pay(M(2024, 2));
  }
};

TEST_CASE("open data: a row per clinic and month, band counts from 1 to 4 suppressed, amounts booked") {
  OpenDataWorld world;
  auto data = ledger::BuildOpenData(world.w.projection(), 2024, M(2024, 2), world.w.head());
  REQUIRE(data.has_value());
  CHECK(data->band_min_ages == std::vector<int>{0, 20, 65});
  REQUIRE(data->rows.size() == 4);  // (January, VC-A), (January, VC-B), (February, VC-A), (February, VC-B)
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& row = data->rows[i];
    const bool a = i % 2 == 0;
    CHECK(row.month == M(2024, i < 2 ? 1 : 2));
    CHECK(row.clinic == (a ? "VC-A" : "VC-B"));
    CHECK(row.name == (a ? "Vårdcentralen VC-A" : "Vårdcentralen VC-B"));
    CHECK(row.municipality == std::optional<std::uint16_t>(1880));
    CHECK(row.op == domain::Operator::kRegion);
    CHECK(row.listed == (a ? 8 : 5));  // the total is published as it is
    REQUIRE(row.band_counts.size() == 3);
    CHECK(row.band_counts[0] == Shown(0));                          // nobody: 0 is published
    CHECK(row.band_counts[1] == Shown(a ? 6 : 5));                  // 5 and 6 are published
    CHECK(row.band_counts[2] == (a ? kSuppressed : Shown(0)));      // 2: suppressed, "<5"
    CHECK(row.amounts[Index(Component::kCapitation)].ore() == (a ? 120'000 : 50'000));
    CHECK(row.total.ore() == (a ? 120'000 : 50'000));
    CHECK_FALSE(row.cni_ten_thousandths.has_value());  // no CNI was reported
  }
}

TEST_CASE("open data: a month not yet paid at K has its listed counts and no amounts") {
  OpenDataWorld world;
  auto data = ledger::BuildOpenData(world.w.projection(), 2024, M(2024, 2), world.after_january);
  REQUIRE(data.has_value());
  REQUIRE(data->rows.size() == 4);
  CHECK(data->rows[0].total.ore() == 120'000);  // January, VC-A: paid
  CHECK(data->rows[2].listed == 8);             // February, VC-A: counted, not paid
  CHECK(data->rows[2].total.ore() == 0);
  CHECK(data->rows[3].total.ore() == 0);
}

TEST_CASE("open data: the amounts sum to the annual report's fixed and variable compensation") {
  OpenDataWorld world;
  const auto& p = world.w.projection();
  auto data = ledger::BuildOpenData(p, 2024, M(2024, 12), world.w.head());
  auto annual = ledger::BuildAnnualReport(p, 2024, world.w.head());
  REQUIRE(data.has_value());
  REQUIRE(annual.has_value());
  std::int64_t sum = 0;
  for (const auto& row : data->rows) sum += row.total.ore();
  // Two months paid: (120,000 + 50,000) × 2 = 340,000 öre.
  CHECK(sum == 340'000);
  CHECK(annual->total.total.ore() == 340'000);
  CHECK(data->rows.size() == 24);  // both clinics open on every snapshot date of 2024
}

TEST_CASE("open data: each clinic summed over the months, and paid per listed resident") {
  OpenDataWorld world;
  auto data = ledger::BuildOpenData(world.w.projection(), 2024, M(2024, 2), world.w.head());
  REQUIRE(data.has_value());
  CHECK(data->reported_months == std::vector<domain::Month>{M(2024, 1), M(2024, 2)});
  REQUIRE(data->clinics.size() == 2);
  const auto& a = data->clinics[0];
  const auto& b = data->clinics[1];
  CHECK(a.clinic == "VC-A");
  CHECK(a.listed_last == 8);
  CHECK(a.listed_sum == 16);
  CHECK(a.total.ore() == 240'000);  // 2 × 120,000
  // 240,000 öre × 2 months / 16 listed = 30,000 öre per listed resident (January-February).
  CHECK(a.per_listed == domain::Money::FromOre(30'000));
  CHECK(a.op == domain::Operator::kRegion);
  CHECK(b.clinic == "VC-B");
  // 100,000 öre × 2 / 10 = 20,000 öre.
  CHECK(b.per_listed == domain::Money::FromOre(20'000));
  CHECK(b.missions.empty());
}

TEST_CASE("open data: a count is suppressed exactly from 1 to 4") {
  CHECK(ledger::Publishable(0) == ledger::PublishedCount{0, false});
  CHECK(ledger::Publishable(1) == ledger::PublishedCount{0, true});
  CHECK(ledger::Publishable(4) == ledger::PublishedCount{0, true});
  CHECK(ledger::Publishable(5) == ledger::PublishedCount{5, false});
}

TEST_CASE("open data: a month outside the year, or a year without a rulebook, is refused") {
  OpenDataWorld world;
  const auto& p = world.w.projection();
  CHECK(ledger::BuildOpenData(p, 2024, M(2025, 1), world.w.head()).error().code == ErrorCode::kInvalidArgument);
  CHECK(ledger::BuildOpenData(p, 2023, M(2023, 12), world.w.head()).error().code == ErrorCode::kNoRulebookInForce);
}

}  // namespace
}  // namespace capledger::testing
