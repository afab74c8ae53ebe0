// A mission undertaken late (DOMAIN.md §9, §8): paid as adjustments of the months it covers, with
// the trace showing the mission's part and the undertaking as the cause, and the dispute
// attributing the difference to it. Figures by hand.
#include <algorithm>

#include <doctest/doctest.h>

#include "ledger/dispute.h"
#include "ledger/trace.h"
#include "ledger_world.h"
#include "support/clinic_id.h"

namespace capledger::testing {
namespace {

using domain::Component;
using domain::EntryKind;

// One band of 2,400.00 a year, and the optional mission "sabo": 5,400.00 per unit and year.
domain::Rulebook RulebookWithSabo() {
  domain::Rulebook rb = Rulebook2023(domain::SnapshotRule::kLastDayOfMonth, D(2024, 1, 1), D(2025, 1, 1));
  rb.id = "R-2024";
  rb.capitation = {{0, Kr(2400)}};
  rb.missions = {domain::Mission{"sabo", "Läkarmedverkan", domain::MissionKind::kOptional,
                                 domain::MissionBasis::kPerUnit, Kr(5400), std::nullopt, std::nullopt}};
  return rb;
}

TEST_CASE("a late MissionUndertaken is paid as adjustments, and the trace and the dispute attribute it") {
  LedgerWorld w;
  w.Publish(RulebookWithSabo());
  w.Clinic("VC-A", D(2020, 1, 1));
  w.Resident(1, D(1990, 1, 1), "VC-A", D(2023, 1, 1));
  w.Pay(M(2024, 1));
  w.Pay(M(2024, 2));
  const domain::Seq before = w.head();
  // Reported in March: VC-A has offered sabo with 3 units since 1 January.
  const domain::Seq undertaken = w.Add(domain::MissionUndertaken{"VC-A", "sabo", D(2024, 1, 1), 3});
  const ledger::PayoutPlan march = w.Pay(M(2024, 3));
  // 3 units × 540,000 öre / 12 = 135,000 öre a month: March's regular entry, and January's and
  // February's as adjustments (nothing, or 0, was booked for their missions before).
  std::vector<const domain::LedgerEntry*> missions;
  for (const auto& e : march.entries) {
    if (e.component == Component::kMissions) missions.push_back(&e);
  }
  REQUIRE(missions.size() == 3);
  std::sort(missions.begin(), missions.end(), [](const auto* a, const auto* b) { return a->period < b->period; });
  CHECK(missions[0]->period == M(2024, 1));
  CHECK(missions[0]->kind == EntryKind::kAdjustment);
  CHECK(missions[0]->amount.ore() == 135000);
  CHECK(missions[1]->period == M(2024, 2));
  CHECK(missions[1]->kind == EntryKind::kAdjustment);
  CHECK(missions[1]->amount.ore() == 135000);
  CHECK(missions[2]->period == M(2024, 3));
  CHECK(missions[2]->kind == EntryKind::kRegular);
  CHECK(missions[2]->amount.ore() == 135000);
  CHECK(missions[2]->debit == "expense:halsoval:missions");

  auto trace = ledger::TraceEntry(w.projection(), EventIdOf(missions[0]->entry_id));
  REQUIRE(trace.has_value());
  CHECK(trace->reproduces);
  REQUIRE(trace->missions.size() == 1);
  CHECK(trace->missions[0].mission == "sabo");
  CHECK(trace->missions[0].count == 3);
  CHECK(static_cast<std::int64_t>(trace->missions[0].twelfths) == 3 * 540000);  // 1,620,000 / 12 = 135,000
  CHECK(trace->missions[0].seq == undertaken);
  REQUIRE(trace->change.has_value());
  const auto cause = std::find_if(trace->change->causes.begin(), trace->change->causes.end(),
                                  [&](const ledger::Cause& c) { return c.seq == undertaken; });
  REQUIRE(cause != trace->change->causes.end());
  CHECK(cause->kind == ledger::CauseKind::kMission);
  CHECK(cause->event_type == "MissionUndertaken");
  CHECK(cause->parts[static_cast<std::size_t>(Component::kMissions)].ore() == 135000);

  auto dispute = ledger::Dispute(w.projection(), domain::ClinicId("VC-A"), M(2024, 2), before, w.head());
  REQUIRE(dispute.has_value());
  CHECK(dispute->difference[static_cast<std::size_t>(Component::kMissions)].ore() == 135000);
  REQUIRE(dispute->causes.size() == 1);  // the undertaking alone; the run's own events change nothing
  CHECK(dispute->causes[0].seq == undertaken);
  CHECK(dispute->causes[0].detail.find("sabo") != std::string::npos);

  // Ended from 1 April: April pays no missions, and March is not touched.
  w.Add(domain::MissionEnded{"VC-A", "sabo", D(2024, 4, 1)});
  const ledger::PayoutPlan april = w.Pay(M(2024, 4));
  for (const auto& e : april.entries) {
    if (e.component == Component::kMissions) CHECK(e.amount.ore() == 0);
  }
}

}  // namespace
}  // namespace capledger::testing
