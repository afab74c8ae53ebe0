#include "ledger/payout.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "common/assert.h"
#include "ledger/accounts.h"

namespace capledger::ledger {
namespace {

using domain::Component;
using domain::Money;
using projection::EntryTarget;
using projection::MonthReport;

using domain::kComponents;

Status CheckOrder(const projection::LedgerTable& ledger, domain::Month month) {
  if (ledger.FindRun(month)) {
    return Fail(ErrorCode::kRefused, fmt::format("{} has already been run", domain::FormatMonth(month)));
  }
  const projection::BookedRun* last = ledger.LastRun();
  if (!last) return {};
  const std::string last_text = domain::FormatMonth(last->run.run);
  if (month < last->run.run) {
    return Fail(ErrorCode::kRefused, fmt::format("{} is earlier than the last run ({}): runs go in calendar order",
                                                 domain::FormatMonth(month), last_text));
  }
  const domain::Month next = domain::AddMonths(last->run.run, 1);
  if (month != next) {
    return Fail(ErrorCode::kRefused, fmt::format("the last run is for {}: the next run must be for {}, not {}",
                                                 last_text, domain::FormatMonth(next), domain::FormatMonth(month)));
  }
  return {};
}

Money AmountIn(const MonthReport& report, const domain::ClinicId& clinic, Component component) {
  for (const auto& line : report.clinics) {
    if (line.clinic == clinic) return line.amounts.amounts[static_cast<std::size_t>(component)];
  }
  return Money::Zero();  // a clinic not open on D is owed nothing for the month
}

domain::LedgerEntry NewEntry(domain::Month run, const domain::ClinicId& clinic, domain::Month period, Component component,
                             Money amount, domain::Seq known_at, const std::string& rulebook) {
  domain::LedgerEntry e;
  e.run = run;
  e.clinic = clinic;
  e.period = period;
  e.component = component;
  e.kind = run == period ? domain::EntryKind::kRegular : domain::EntryKind::kAdjustment;
  e.amount = amount;
  e.known_at_seq = known_at;
  e.rulebook = rulebook;
  e.debit = ExpenseAccount(component);
  e.credit = PayableAccount(clinic);
  return e;
}

void AddRegularEntries(const MonthReport& report, domain::Seq known_at, PayoutPlan& plan) {
  for (const auto& line : report.clinics) {
    for (Component c : kComponents) {
      const Money amount = line.amounts.amounts[static_cast<std::size_t>(c)];
      if (amount != Money::Zero()) {
        plan.entries.push_back(NewEntry(report.month, line.clinic, report.month, c, amount, known_at, report.rulebook_id));
      }
    }
  }
}

// A late report (DOMAIN.md §8): a performance or visits amount for a (clinic, month, component)
// that nothing was ever booked for.
bool IsLateReport(Component component, bool nothing_booked) {
  return (component == Component::kPerformance || component == Component::kVisits) && nothing_booked;
}

// Every (clinic, component) that has a booked entry for the month or a non-zero amount in the
// report, ordered by clinic then component.
std::vector<EntryTarget> TargetsToCheck(const projection::LedgerTable& ledger, const MonthReport& report) {
  std::vector<EntryTarget> targets = ledger.TargetsFor(report.month);
  const std::int32_t period = domain::MonthOrdinal(report.month);
  for (const auto& line : report.clinics) {
    for (Component c : kComponents) {
      if (line.amounts.amounts[static_cast<std::size_t>(c)] != Money::Zero()) {
        targets.push_back(EntryTarget{line.clinic, period, c});
      }
    }
  }
  std::sort(targets.begin(), targets.end(), [](const EntryTarget& a, const EntryTarget& b) {
    return a.clinic != b.clinic ? a.clinic < b.clinic : a.component < b.component;
  });
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  return targets;
}

// Books adjustments (inside the window) or lists unbooked differences (outside it) for one
// month already run. Outside the window a late report is still paid (DOMAIN.md §8): a performance
// or visits amount for a (clinic, month) that nothing was ever booked for is booked, adjusting
// nothing; a correction of an amount already booked stays unbooked.
Status CorrectMonth(const projection::LedgerTable& ledger, const MonthReport& report, bool in_window,
                    domain::Seq known_at, domain::Month run, PayoutPlan& plan) {
  for (const EntryTarget& target : TargetsToCheck(ledger, report)) {
    std::int64_t booked = 0;
    std::vector<domain::EventId> adjusts;
    for (std::size_t i : ledger.EntriesFor(target, known_at)) {
      const auto& entry = ledger.entries()[i].entry;
      booked += entry.amount.ore();
      adjusts.push_back(entry.entry_id);
    }
    auto difference = AmountIn(report, target.clinic, target.component).Minus(Money::FromOre(booked));
    if (!difference) return tl::unexpected(difference.error());
    if (*difference == Money::Zero()) continue;
    if (!in_window && !IsLateReport(target.component, adjusts.empty())) {
      plan.run.unbooked.push_back(domain::UnbookedDifference{target.clinic, report.month, target.component, *difference});
      continue;
    }
    auto entry = NewEntry(run, target.clinic, report.month, target.component, *difference, known_at, report.rulebook_id);
    entry.adjusts = std::move(adjusts);
    plan.entries.push_back(std::move(entry));
  }
  return {};
}

// What is known about one earlier month before recomputing it.
struct EarlierMonth {
  domain::Month month;
  bool recompute = true;
  std::vector<domain::UnbookedDifference> carried;  // unbooked differences that still stand
};

// The months already run before `month`, ascending, each marked with whether it must be
// recomputed at `known_at` or still stands as the previous run left it.
std::vector<EarlierMonth> EarlierRuns(const projection::Projection& p, domain::Month month, domain::Seq known_at,
                                      domain::Month window_start, bool recompute_all) {
  const auto& ledger = p.ledger();
  const projection::BookedRun* previous = ledger.LastRun();
  std::optional<domain::Month> previous_window_start;
  std::int32_t changed_from = std::numeric_limits<std::int32_t>::min();
  if (previous && !recompute_all && previous->run.known_at_seq <= known_at) {
    const auto* rulebook = p.RulebookInForce(previous->run.run, previous->run.known_at_seq);
    LEDGER_ASSERT(rulebook != nullptr);  // the previous run was planned with it
    previous_window_start = domain::AddMonths(previous->run.run, -rulebook->rulebook.retro_window_months);
    changed_from = p.EarliestDayAffected(previous->run.known_at_seq, known_at);
  }
  std::vector<EarlierMonth> months;
  for (const auto& run : ledger.runs()) {
    if (run.run.run >= month) continue;
    EarlierMonth m{run.run.run, true, {}};
    const bool unchanged = domain::DaysSinceEpoch(domain::LastDay(m.month)) < changed_from;
    const bool was_corrected = previous_window_start && m.month >= *previous_window_start;
    const bool in_window = m.month >= window_start;
    if (unchanged && was_corrected) m.recompute = false;  // booked == owed then, and nothing changed
    if (unchanged && !was_corrected && !in_window) {
      m.recompute = false;
      for (const auto& u : previous->run.unbooked) {
        if (u.period == m.month) m.carried.push_back(u);
      }
      // A difference a run booked before late reports were paid may be one now: recompute.
      if (std::any_of(m.carried.begin(), m.carried.end(),
                      [&](const domain::UnbookedDifference& u) {
                        const EntryTarget target{u.clinic, domain::MonthOrdinal(u.period), u.component};
                        return IsLateReport(u.component, ledger.EntriesFor(target, known_at).empty());
                      })) {
        m.recompute = true;
        m.carried.clear();
      }
    }
    months.push_back(std::move(m));
  }
  std::sort(months.begin(), months.end(), [](const EarlierMonth& a, const EarlierMonth& b) { return a.month < b.month; });
  return months;
}

Status NumberAndTotal(PayoutPlan& plan) {
  Money total = Money::Zero();
  std::uint32_t ordinal = 0;
  for (auto& entry : plan.entries) {
    entry.entry_id = EntryId(plan.run.run, ++ordinal);
    auto sum = total.Plus(entry.amount);
    if (!sum) return tl::unexpected(sum.error());
    total = *sum;
  }
  plan.run.entry_count = static_cast<std::int64_t>(plan.entries.size());
  plan.run.total = total;
  return {};
}

}  // namespace

Result<PayoutPlan> PlanPayout(const projection::Projection& projection, domain::Month month, domain::Seq known_at,
                              const PlanOptions& options) {
  LEDGER_ASSERT(known_at <= projection.applied_seq());
  const auto& ledger = projection.ledger();
  if (auto ordered = CheckOrder(ledger, month); !ordered) return tl::unexpected(ordered.error());
  const auto* rulebook = projection.RulebookInForce(month, known_at);
  if (!rulebook) {
    return Fail(ErrorCode::kNoRulebookInForce, fmt::format("no rulebook is in force for {} as known at seq {}",
                                                           domain::FormatMonth(month), known_at));
  }
  const domain::Month window_start = domain::AddMonths(month, -rulebook->rulebook.retro_window_months);
  const std::vector<EarlierMonth> earlier = EarlierRuns(projection, month, known_at, window_start, options.recompute_all);
  std::vector<domain::Month> months;
  for (const auto& m : earlier) {
    if (m.recompute) months.push_back(m.month);
  }
  months.push_back(month);
  auto reports = projection::BuildMonthReports(projection, months, known_at);
  if (!reports.back()) return tl::unexpected(reports.back().error());
  const MonthReport& current = *reports.back();
  PayoutPlan plan;
  plan.run.run = month;
  plan.run.known_at_seq = known_at;
  plan.run.rulebook = current.rulebook_id;
  plan.anomalies = current.anomalies;
  AddRegularEntries(current, known_at, plan);
  std::size_t next_report = 0;
  for (const auto& m : earlier) {
    if (!m.recompute) {
      plan.run.unbooked.insert(plan.run.unbooked.end(), m.carried.begin(), m.carried.end());
      continue;
    }
    const auto& report = reports[next_report++];
    if (!report) {
      return Fail(report.error().code, fmt::format("{} has been paid but cannot be recomputed as known at seq {}: {}",
                                                   domain::FormatMonth(m.month), known_at, report.error().message));
    }
    if (auto corrected = CorrectMonth(ledger, *report, m.month >= window_start, known_at, month, plan); !corrected) {
      return tl::unexpected(corrected.error());
    }
  }
  if (auto numbered = NumberAndTotal(plan); !numbered) return tl::unexpected(numbered.error());
  return plan;
}

std::optional<BookedPayout> FindExistingRun(const projection::Projection& projection, domain::Month month) {
  const auto* run = projection.ledger().FindRun(month);
  if (!run) return std::nullopt;
  BookedPayout out{*run, {}};
  for (const auto& entry : projection.ledger().entries()) {
    if (entry.entry.run == month) out.entries.push_back(entry);
  }
  return out;
}

std::vector<domain::Event> PayoutEvents(const PayoutPlan& plan) {
  std::vector<domain::Event> events;
  events.reserve(plan.entries.size() + 1);
  for (const auto& entry : plan.entries) {
    events.push_back(domain::Event{entry.entry_id, std::string(kLedgerSource), entry});
  }
  events.push_back(domain::Event{RunEventId(plan.run.run), std::string(kLedgerSource), plan.run});
  return events;
}

}  // namespace capledger::ledger
