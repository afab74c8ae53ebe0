// ledger_check --data DIR: the checks of a booked ledger that must hold on any store, run by
// tests/integration/ledger_walk_test.sh after a walk of payout runs over a generated world.
//
// 1. Every entry traces and reproduces at its own K (DOMAIN.md §8).
// 2. At the last run's K, for every month already run inside that run's retro window, the sum of
//    the entries booked for each (clinic, month, component) equals the amount recomputed at K.
// 3. Debits equal credits at the K of every run, and all account balances sum to zero.
// 4. For every clinic and a sample of months, the dispute between the month's own run and the
//    head attributes exactly the difference (the engine asserts the sum; this checks the sides
//    against independent reports).
// 5. No late report is lost (DOMAIN.md §8): at the last run's K, every (clinic, month,
//    performance or visits) of a month already run with a non-zero amount has an entry, whatever
//    the month's age; and every entry booked for a month older than its run's window is such a
//    late report: performance or visits, adjusting nothing.
// 6. Replaying the log from seq 1, each run planned again at its own K — recomputing every
//    earlier month, and as the run itself planned it — gives exactly the entries booked.
// Prints what it checked; exits 1 on the first failure, naming it.
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "common/clock.h"
#include "ledger/books.h"
#include "ledger/dispute.h"
#include "ledger/payout.h"
#include "ledger/trace.h"
#include "projection/replay.h"
#include "projection/report.h"
#include "store/event_store.h"

namespace {

using namespace capledger;

int Failed(const std::string& what) {
  std::fprintf(stderr, "ledger_check: FAILED: %s\n", what.c_str());
  return 1;
}

int CheckTraces(const projection::Projection& p) {
  for (const auto& booked : p.ledger().entries()) {
    auto trace = ledger::TraceEntry(p, booked.entry.entry_id);
    if (!trace) return Failed(booked.entry.entry_id.str() + ": " + trace.error().message);
    if (!trace->reproduces) return Failed(booked.entry.entry_id.str() + " does not reproduce");
  }
  std::printf("traced %zu entries: all reproduce\n", p.ledger().entries().size());
  return 0;
}

int CheckWindow(const projection::Projection& p) {
  const auto* last = p.ledger().LastRun();
  if (!last) return Failed("no run is booked");
  const domain::Seq k = last->run.known_at_seq;
  const auto* rulebook = p.RulebookInForce(last->run.run, k);
  const domain::Month from = domain::AddMonths(last->run.run, -rulebook->rulebook.retro_window_months);
  std::size_t checked = 0;
  for (const auto& run : p.ledger().runs()) {
    if (run.run.run < from) continue;
    auto report = projection::BuildMonthReport(p, run.run.run, k);
    if (!report) return Failed(report.error().message);
    std::map<std::pair<domain::ClinicId, int>, std::int64_t> booked;
    for (const auto& e : ledger::SelectEntries(p, {run.run.run, std::nullopt, std::nullopt})) {
      if (e.seq <= last->seq) booked[{e.entry.clinic, static_cast<int>(e.entry.component)}] += e.entry.amount.ore();
    }
    for (const auto& line : report->clinics) {
      for (int c = 0; c < domain::kComponentCount; ++c) {
        const std::int64_t recomputed = line.amounts.amounts[static_cast<std::size_t>(c)].ore();
        if (booked[{line.clinic, c}] != recomputed) {
          return Failed(domain::FormatMonth(run.run.run) + " " + line.clinic.str() + " component " + std::to_string(c) +
                        ": booked " + std::to_string(booked[{line.clinic, c}]) + " öre, recomputed " +
                        std::to_string(recomputed));
        }
        booked.erase({line.clinic, c});
        ++checked;
      }
    }
    for (const auto& [key, ore] : booked) {  // clinics no longer open: everything reversed
      if (ore != 0) return Failed(domain::FormatMonth(run.run.run) + " " + key.first.str() + ": booked for a closed clinic");
    }
  }
  std::printf("window of the last run: %zu (clinic, month, component) totals equal the recomputation\n", checked);
  return 0;
}

int CheckLateReports(const projection::Projection& p) {
  const auto* last = p.ledger().LastRun();
  const domain::Seq k = last->run.known_at_seq;
  std::set<std::tuple<domain::ClinicId, int, int>> booked;  // (clinic, month ordinal, component)
  std::size_t outside = 0;
  for (const auto& e : p.ledger().entries()) {
    booked.insert({e.entry.clinic, domain::MonthOrdinal(e.entry.period), static_cast<int>(e.entry.component)});
    const auto* rulebook = p.RulebookInForce(e.entry.run, e.entry.known_at_seq);
    if (e.entry.period >= domain::AddMonths(e.entry.run, -rulebook->rulebook.retro_window_months)) continue;
    ++outside;
    const bool report = e.entry.component == domain::Component::kPerformance || e.entry.component == domain::Component::kVisits;
    if (!report || !e.entry.adjusts.empty()) return Failed(e.entry.entry_id.str() + " is booked outside its window and is no late report");
  }
  std::size_t checked = 0;
  for (const auto& run : p.ledger().runs()) {
    auto report = projection::BuildMonthReport(p, run.run.run, k);
    if (!report) return Failed(report.error().message);
    for (const auto& line : report->clinics) {
      for (domain::Component c : {domain::Component::kPerformance, domain::Component::kVisits}) {
        if (line.amounts.amounts[static_cast<std::size_t>(c)] == domain::Money::Zero()) continue;
        ++checked;
        if (!booked.count({line.clinic, domain::MonthOrdinal(run.run.run), static_cast<int>(c)})) {
          return Failed(domain::FormatMonth(run.run.run) + " " + line.clinic.str() + " " + std::string(domain::Name(c)) +
                        " is owed at the last run's K but was never booked");
        }
      }
    }
  }
  std::printf("late reports: %zu owed performance and visits amounts all booked; %zu entries outside a window, each a late report\n",
              checked, outside);
  return 0;
}

int CheckBalances(const projection::Projection& p) {
  std::set<std::string> accounts;
  for (const auto& e : p.ledger().entries()) {
    accounts.insert(e.entry.debit);
    accounts.insert(e.entry.credit);
  }
  for (const auto& run : p.ledger().runs()) {
    auto trial = ledger::Trial(p, run.seq);
    if (!trial || trial->debits != trial->credits) return Failed("debits differ from credits");
    std::int64_t sum = 0;
    for (const auto& account : accounts) sum += ledger::AccountBalance(p, account, run.seq)->balance.ore();
    if (sum != 0) return Failed("balances do not sum to zero at seq " + std::to_string(run.seq.value()));
  }
  std::printf("balances: %zu accounts sum to zero at each of %zu runs\n", accounts.size(), p.ledger().runs().size());
  return 0;
}

int CheckDisputes(const projection::Projection& p) {
  std::size_t checked = 0;
  const auto& runs = p.ledger().runs();
  for (std::size_t i = 0; i < runs.size(); i += 5) {
    const domain::Month month = runs[i].run.run;
    const domain::Seq k1 = runs[i].run.known_at_seq;
    auto before = projection::BuildMonthReport(p, month, k1);
    auto after = projection::BuildMonthReport(p, month, p.applied_seq());
    if (!before || !after) return Failed("a disputed month does not compute");
    for (const auto& line : after->clinics) {
      auto clinic = domain::ClinicId::Parse(line.clinic);
      if (!clinic) return Failed(clinic.error().message);
      auto d = ledger::Dispute(p, *clinic, month, k1, p.applied_seq());
      if (!d) return Failed(d.error().message);
      if (d->after.amounts.total != line.amounts.total) return Failed("dispute side differs from the report");
      for (const auto& old : before->clinics) {
        if (old.clinic == line.clinic && d->before.amounts.total != old.amounts.total) {
          return Failed("dispute's earlier side differs from the report");
        }
      }
      ++checked;
    }
  }
  std::printf("disputes: %zu clinic-months attributed to the öre\n", checked);
  return 0;
}

int CheckReplans(const store::EventStore& store, const projection::Projection& final) {
  const auto& runs = final.ledger().runs();
  std::size_t next = 0;
  std::string failure;
  projection::Projection p;
  const auto lookup = projection::StoreTargetLookup(store);
  auto compare = [&](const projection::BookedRun& run) {
    std::vector<domain::LedgerEntry> booked;
    for (const auto& e : final.ledger().entries()) {
      if (e.entry.run == run.run.run) booked.push_back(e.entry);
    }
    for (bool all : {true, false}) {
      auto plan = ledger::PlanPayout(p, run.run.run, run.run.known_at_seq, ledger::PlanOptions{all});
      if (!plan) return failure = domain::FormatMonth(run.run.run) + ": " + plan.error().message, false;
      if (plan->entries != booked || plan->run != run.run) {
        return failure = "the run for " + domain::FormatMonth(run.run.run) + " planned again (recompute_all " +
                         (all ? "on" : "off") + ") differs from what was booked",
               false;
      }
    }
    return true;
  };
  auto scanned = store.Scan(domain::Seq(1), 0, [&](const store::StoredRecord& record) {
    if (!p.Apply(record.stored.seq, record.stored.event.body, lookup)) return failure = "replay failed", false;
    while (next < runs.size() && runs[next].run.known_at_seq == p.applied_seq()) {
      if (!compare(runs[next++])) return false;
    }
    return true;
  });
  if (!failure.empty()) return Failed(failure);
  if (!scanned || next != runs.size()) return Failed("not every run was planned again");
  std::printf("replans: each of %zu runs planned again at its K equals what it booked\n", runs.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::string(argv[1]) != "--data") return std::fprintf(stderr, "usage: ledger_check --data DIR\n"), 2;
  SystemClock clock;
  store::StoreOptions options;
  options.read_only = true;
  auto store = store::EventStore::Open(argv[2], nullptr, clock, options);
  if (!store) return Failed(store.error().message);
  auto p = projection::LoadProjection(**store);
  if (!p) return Failed(p.error().message);
  if (int rc = CheckTraces(*p)) return rc;
  if (int rc = CheckWindow(*p)) return rc;
  if (int rc = CheckLateReports(*p)) return rc;
  if (int rc = CheckBalances(*p)) return rc;
  if (int rc = CheckDisputes(*p)) return rc;
  return CheckReplans(**store, *p);
}
