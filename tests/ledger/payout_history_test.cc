// Six months of payout runs over a small world with late facts, every entry worked out by hand
// (DOMAIN.md §6 and §8).
#include <doctest/doctest.h>

#include "ledger/books.h"
#include "ledger/dispute.h"
#include "ledger/trace.h"
#include "ledger_world.h"
#include "support/clinic_id.h"

namespace capledger::testing {
namespace {

using domain::Component;
using domain::EntryKind;

// One capitation band for everyone, so that each resident is worth amount / 12 a month.
domain::Rulebook SimpleRulebook(const std::string& id, std::int64_t capitation_ore, std::int64_t performance_ore) {
  domain::Rulebook rb = Rulebook2023(domain::SnapshotRule::kLastDayOfMonth, D(2024, 1, 1), D(2025, 1, 1));
  rb.id = id;
  rb.capitation = {{0, domain::Money::FromOre(capitation_ore)}};
  rb.performance_per_year = domain::Money::FromOre(performance_ore);
  rb.visits.reset();
  return rb;
}

void CheckEntry(const domain::LedgerEntry& e, const std::string& id, const std::string& clinic, domain::Month period,
                Component component, EntryKind kind, std::int64_t amount_ore, const std::string& rulebook,
                const std::vector<domain::EventId>& adjusts = {}) {
  CAPTURE(id);
  CHECK(e.entry_id == id);
  CHECK(e.clinic == clinic);
  CHECK(e.period == period);
  CHECK(e.component == component);
  CHECK(e.kind == kind);
  CHECK(e.amount.ore() == amount_ore);
  CHECK(e.rulebook == rulebook);
  CHECK(e.adjusts == adjusts);
  CHECK(e.debit == "expense:halsoval:" + std::string(domain::Name(component)));
  CHECK(e.credit == "payable:" + clinic);
}

// The world, month by month. Residents 1-5 are listed at VC-A and 7 at VC-B since 2023; resident
// 6 is listed at VC-A from 2024-01-15 by mistake (retracted in February, with the right listing
// at VC-B). Resident 5 dies on 2024-02-10, reported in April. A provisional rulebook (1,000.00 a
// year; performance 142.30) pays January; KoK-2024 (1,035.00, i.e. × 1.035; performance 192.00)
// arrives after January is paid. A half-year performance report (0.500) arrives in May.
struct History {
  LedgerWorld w;
  std::vector<ledger::PayoutPlan> runs;
  domain::Seq k_feb;
  domain::Seq death_seq;
  domain::Seq performance_seq;

  History() {
    w.Publish(SimpleRulebook("R-PROV-2024", 100000, 14230));
    w.Clinic("VC-A", D(2020, 1, 1));
    w.Clinic("VC-B", D(2020, 1, 1));
    for (std::uint8_t r = 1; r <= 5; ++r) w.Resident(r, D(1980, 1, r), "VC-A", D(2023, 1, 1));
    w.Resident(7, D(1975, 6, 1), "VC-B", D(2023, 1, 1));
    w.Born(6, D(1990, 3, 3));
    w.Register(6, D(2023, 1, 1));
    const domain::Seq wrong = w.List(6, "VC-A", D(2024, 1, 15));
    runs.push_back(w.Pay(M(2024, 1)));
    w.Publish(SimpleRulebook("KoK-2024", 103500, 19200));
    w.Retract(wrong);
    w.List(6, "VC-B", D(2024, 1, 15));
    k_feb = w.head();
    runs.push_back(w.Pay(M(2024, 2)));
    runs.push_back(w.Pay(M(2024, 3)));
    death_seq = w.Died(5, D(2024, 2, 10));
    runs.push_back(w.Pay(M(2024, 4)));
    performance_seq = w.Add(domain::PerformanceReported{"VC-A", M(2024, 1), M(2024, 6), 500});
    runs.push_back(w.Pay(M(2024, 5)));
    runs.push_back(w.Pay(M(2024, 6)));
  }
};

TEST_CASE("January is paid under the provisional rulebook with the wrongly listed resident") {
  History h;
  const auto& jan = h.runs[0];
  // VC-A: residents 1-6, 6 × 100,000 öre / 12 = 50,000 öre. No performance report: f = 0, so no
  // performance entry. VC-B: resident 7, 100,000 / 12 = 8,333.33 -> 8,333 öre.
  REQUIRE(jan.entries.size() == 2);
  CheckEntry(Entry(jan, 1), "E-2024-01-000001", "VC-A", M(2024, 1), Component::kCapitation, EntryKind::kRegular, 50000,
             "R-PROV-2024");
  CheckEntry(Entry(jan, 2), "E-2024-01-000002", "VC-B", M(2024, 1), Component::kCapitation, EntryKind::kRegular, 8333,
             "R-PROV-2024");
  CHECK(jan.run.total.ore() == 58333);
  CHECK(jan.run.rulebook == "R-PROV-2024");
}

TEST_CASE("February corrects January for the late rulebook and the retracted listing") {
  History h;
  const auto& feb = h.runs[1];
  // KoK-2024 is now in force for both months (published later, so it wins).
  // VC-A February: residents 1-5: 5 × 103,500 / 12 = 43,125 öre.
  // VC-B February: residents 6 and 7: 2 × 103,500 / 12 = 17,250 öre.
  // January recomputed: VC-A 5 residents = 43,125, booked 50,000: -6,875.
  //                     VC-B 2 residents = 17,250, booked 8,333: +8,917.
  REQUIRE(feb.entries.size() == 4);
  CheckEntry(Entry(feb, 1), "E-2024-02-000001", "VC-A", M(2024, 2), Component::kCapitation, EntryKind::kRegular, 43125,
             "KoK-2024");
  CheckEntry(Entry(feb, 2), "E-2024-02-000002", "VC-B", M(2024, 2), Component::kCapitation, EntryKind::kRegular, 17250,
             "KoK-2024");
  CheckEntry(Entry(feb, 3), "E-2024-02-000003", "VC-A", M(2024, 1), Component::kCapitation, EntryKind::kAdjustment,
             -6875, "KoK-2024", {"E-2024-01-000001"});
  CheckEntry(Entry(feb, 4), "E-2024-02-000004", "VC-B", M(2024, 1), Component::kCapitation, EntryKind::kAdjustment,
             8917, "KoK-2024", {"E-2024-01-000002"});
  CHECK(feb.run.total.ore() == 43125 + 17250 - 6875 + 8917);
}

TEST_CASE("March changes nothing earlier; April corrects February and March for the late death") {
  History h;
  const auto& mar = h.runs[2];
  REQUIRE(mar.entries.size() == 2);
  CheckEntry(Entry(mar, 1), "E-2024-03-000001", "VC-A", M(2024, 3), Component::kCapitation, EntryKind::kRegular, 43125,
             "KoK-2024");
  CheckEntry(Entry(mar, 2), "E-2024-03-000002", "VC-B", M(2024, 3), Component::kCapitation, EntryKind::kRegular, 17250,
             "KoK-2024");
  const auto& apr = h.runs[3];
  // Resident 5 died on 2024-02-10: not counted on 29 February or 31 March, still counted on 31
  // January. VC-A: 4 × 103,500 / 12 = 34,500 öre; February and March each 34,500 - 43,125 = -8,625.
  REQUIRE(apr.entries.size() == 4);
  CheckEntry(Entry(apr, 1), "E-2024-04-000001", "VC-A", M(2024, 4), Component::kCapitation, EntryKind::kRegular, 34500,
             "KoK-2024");
  CheckEntry(Entry(apr, 2), "E-2024-04-000002", "VC-B", M(2024, 4), Component::kCapitation, EntryKind::kRegular, 17250,
             "KoK-2024");
  CheckEntry(Entry(apr, 3), "E-2024-04-000003", "VC-A", M(2024, 2), Component::kCapitation, EntryKind::kAdjustment,
             -8625, "KoK-2024", {"E-2024-02-000001"});
  CheckEntry(Entry(apr, 4), "E-2024-04-000004", "VC-A", M(2024, 3), Component::kCapitation, EntryKind::kAdjustment,
             -8625, "KoK-2024", {"E-2024-03-000001"});
  CHECK(apr.run.total.ore() == 34500 + 17250 - 8625 - 8625);
}

TEST_CASE("May pays the half-year performance report for May and as corrections for January to April") {
  History h;
  const auto& may = h.runs[4];
  // performance = N × 19,200 / 12 × 0.500: N = 4 -> 3,200 öre; January had N = 5 -> 4,000 öre.
  // Nothing was booked for performance before, so the adjustments adjust no entry.
  REQUIRE(may.entries.size() == 7);
  CheckEntry(Entry(may, 1), "E-2024-05-000001", "VC-A", M(2024, 5), Component::kCapitation, EntryKind::kRegular, 34500,
             "KoK-2024");
  CheckEntry(Entry(may, 2), "E-2024-05-000002", "VC-A", M(2024, 5), Component::kPerformance, EntryKind::kRegular, 3200,
             "KoK-2024");
  CheckEntry(Entry(may, 3), "E-2024-05-000003", "VC-B", M(2024, 5), Component::kCapitation, EntryKind::kRegular, 17250,
             "KoK-2024");
  CheckEntry(Entry(may, 4), "E-2024-05-000004", "VC-A", M(2024, 1), Component::kPerformance, EntryKind::kAdjustment,
             4000, "KoK-2024");
  CheckEntry(Entry(may, 5), "E-2024-05-000005", "VC-A", M(2024, 2), Component::kPerformance, EntryKind::kAdjustment,
             3200, "KoK-2024");
  CheckEntry(Entry(may, 6), "E-2024-05-000006", "VC-A", M(2024, 3), Component::kPerformance, EntryKind::kAdjustment,
             3200, "KoK-2024");
  CheckEntry(Entry(may, 7), "E-2024-05-000007", "VC-A", M(2024, 4), Component::kPerformance, EntryKind::kAdjustment,
             3200, "KoK-2024");
  const auto& jun = h.runs[5];
  REQUIRE(jun.entries.size() == 3);
  CheckEntry(Entry(jun, 1), "E-2024-06-000001", "VC-A", M(2024, 6), Component::kCapitation, EntryKind::kRegular, 34500,
             "KoK-2024");
  CheckEntry(Entry(jun, 2), "E-2024-06-000002", "VC-A", M(2024, 6), Component::kPerformance, EntryKind::kRegular, 3200,
             "KoK-2024");
  CheckEntry(Entry(jun, 3), "E-2024-06-000003", "VC-B", M(2024, 6), Component::kCapitation, EntryKind::kRegular, 17250,
             "KoK-2024");
  for (const auto& run : h.runs) CHECK(run.run.unbooked.empty());
}

TEST_CASE("the books balance and every account holds what was booked to it") {
  History h;
  const auto& p = h.w.projection();
  auto trial = ledger::Trial(p, h.w.head());
  REQUIRE(trial.has_value());
  // Capitation booked at VC-A, run by run: 50,000 (Jan); 43,125 - 6,875 (Feb); 43,125 (Mar);
  // 34,500 - 8,625 - 8,625 (Apr); 34,500 (May); 34,500 (Jun) = 215,625, which is also January
  // to June as recomputed now: 43,125 + 5 × 34,500. VC-B: 8,333; 17,250 + 8,917; then four
  // more months of 17,250 = 103,500 (six months of 17,250). Performance at VC-A: 3,200 and
  // 4,000 + 3 × 3,200 in May, 3,200 in June = 20,000.
  const std::int64_t vc_a_cap = 50000 - 6875 + 43125 + 43125 - 8625 + 34500 - 8625 + 34500 + 34500;
  const std::int64_t vc_b_cap = 8333 + 8917 + 5 * 17250;
  const std::int64_t vc_a_perf = 3200 + 4000 + 3200 + 3200 + 3200 + 3200;
  CHECK(vc_a_cap == 43125 + 34500 + 34500 + 34500 + 34500 + 34500);  // Jan..Jun as recomputed now
  CHECK(trial->debits.ore() == vc_a_cap + vc_b_cap + vc_a_perf);
  CHECK(trial->debits == trial->credits);
  auto balance = [&](const std::string& account) { return ledger::AccountBalance(p, account, h.w.head())->balance.ore(); };
  CHECK(balance("expense:halsoval:capitation") == vc_a_cap + vc_b_cap);
  CHECK(balance("expense:halsoval:performance") == vc_a_perf);
  CHECK(balance("payable:VC-A") == -(vc_a_cap + vc_a_perf));
  CHECK(balance("payable:VC-B") == -vc_b_cap);
  CHECK(balance("expense:halsoval:capitation") + balance("expense:halsoval:performance") + balance("payable:VC-A") +
            balance("payable:VC-B") == 0);
  // As known just before the February run, only January was booked: 50,000 + 8,333.
  CHECK(ledger::AccountBalance(p, "expense:halsoval:capitation", h.k_feb)->balance.ore() == 58333);
}

TEST_CASE("every entry of every run traces and reproduces") {
  History h;
  std::size_t traced = 0;
  for (const auto& booked : h.w.projection().ledger().entries()) {
    auto trace = ledger::TraceEntry(h.w.projection(), EventIdOf(booked.entry.entry_id));
    REQUIRE(trace.has_value());
    CAPTURE(booked.entry.entry_id);
    CHECK(trace->reproduces);
    CHECK(trace->expected == booked.entry.amount);
    ++traced;
  }
  CHECK(traced == 2 + 4 + 2 + 4 + 7 + 3);
}

TEST_CASE("the trace of the April adjustment names the late death") {
  History h;
  auto trace = ledger::TraceEntry(h.w.projection(), domain::EventId("E-2024-04-000003"));
  REQUIRE(trace.has_value());
  // February recomputed at the April K: 4 residents, 34,500; booked before: 43,125.
  CHECK(trace->amounts.listed == 4);
  CHECK(trace->recomputed.ore() == 34500);
  CHECK(trace->booked_before.ore() == 43125);
  CHECK(trace->residents.size() == 4);
  REQUIRE(trace->change.has_value());
  REQUIRE(trace->change->causes.size() == 1);
  const auto& cause = trace->change->causes[0];
  CHECK(cause.seq == h.death_seq);
  CHECK(cause.kind == ledger::CauseKind::kResidentLost);
  CHECK(cause.event_type == "ResidentDied");
  CHECK(cause.parts[0].ore() == -8625);
}

TEST_CASE("a dispute over February between its run and now attributes every öre") {
  History h;
  auto d = ledger::Dispute(h.w.projection(), domain::ClinicId("VC-A"), M(2024, 2), h.k_feb, h.w.head());
  REQUIRE(d.has_value());
  // Capitation 43,125 -> 34,500 (the death); performance 0 -> 3,200 (the report).
  CHECK(d->before.amounts.amounts[0].ore() == 43125);
  CHECK(d->after.amounts.amounts[0].ore() == 34500);
  CHECK(d->difference[0].ore() == -8625);
  CHECK(d->difference[1].ore() == 3200);
  REQUIRE(d->causes.size() == 2);
  CHECK(d->causes[0].seq == h.death_seq);
  CHECK(d->causes[0].parts[0].ore() == -8625);
  CHECK(d->causes[1].seq == h.performance_seq);
  CHECK(d->causes[1].kind == ledger::CauseKind::kPerformanceReport);
  CHECK(d->causes[1].parts[1].ore() == 3200);
}

TEST_CASE("refusals: a month already run, an earlier month, a gap, and a month without a rulebook") {
  History h;
  // Running June again is refused by the planner; the command shows the existing run instead.
  CHECK(h.w.Refusal(M(2024, 6)).code == ErrorCode::kRefused);
  CHECK(ledger::FindExistingRun(h.w.projection(), M(2024, 6))->entries.size() == 3);
  CHECK(h.w.Refusal(M(2024, 3)).code == ErrorCode::kRefused);   // earlier than the last run
  CHECK(h.w.Refusal(M(2024, 8)).code == ErrorCode::kRefused);   // would leave July out
  LedgerWorld empty;
  empty.Publish(SimpleRulebook("R", 100000, 0));
  CHECK(empty.Refusal(M(2025, 1)).code == ErrorCode::kNoRulebookInForce);  // R ends on 2025-01-01
  CHECK(empty.Refusal(M(2023, 12)).code == ErrorCode::kNoRulebookInForce);
  empty.Pay(M(2024, 12));  // the first run may be any month
  CHECK(empty.Refusal(M(2025, 1)).code == ErrorCode::kNoRulebookInForce);  // and must wait for its rulebook
}

}  // namespace
}  // namespace capledger::testing
