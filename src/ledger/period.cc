#include "ledger/period.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "projection/report.h"

namespace capledger::ledger {
namespace {

using domain::Component;
using domain::AddTo;
using domain::Money;
using domain::Month;

Month MonthOfYear(int year, unsigned m) { return Month{std::chrono::year(year), std::chrono::month(m)}; }

Status AddAll(ComponentTotals& sums, const ComponentTotals& amounts) {
  for (std::size_t c = 0; c < sums.size(); ++c) {
    if (auto added = AddTo(sums[c], amounts[c]); !added) return added;
  }
  return {};
}

Result<Money> Total(const ComponentTotals& amounts) {
  Money total = Money::Zero();
  for (const Money& m : amounts) {
    if (auto added = AddTo(total, m); !added) return tl::unexpected(added.error());
  }
  return total;
}

// Every clinic's amounts of a report, per component.
Result<ComponentTotals> ReportTotals(const projection::MonthReport& report) {
  ComponentTotals sums = domain::ZeroAmounts();
  for (const auto& line : report.clinics) {
    if (auto added = AddAll(sums, line.amounts.amounts); !added) return tl::unexpected(added.error());
  }
  return sums;
}

// The listings of a year's snapshot days, folded once (Projection::ListedByClinicOn) and looked
// up by day: a fresh process answers without building a snapshot index per month.
class YearListings {
 public:
  YearListings(const projection::Projection& p, domain::Seq known_at, std::vector<std::int32_t> days) {
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    days_ = std::move(days);
    if (!days_.empty()) listings_ = p.ListedByClinicOn(days_, known_at);
  }
  // REQUIRES `day` was one of the days given.
  const projection::Projection::Listing& On(std::int32_t day) const {
    const auto at = std::lower_bound(days_.begin(), days_.end(), day) - days_.begin();
    return listings_[static_cast<std::size_t>(at)];
  }

 private:
  std::vector<std::int32_t> days_;
  std::vector<projection::Projection::Listing> listings_;
};

// A month's report under `assumed`, its listing from `listings`.
Result<projection::MonthReport> ReportWith(const projection::Projection& p, Month month, domain::Seq known_at,
                                           const projection::Assumptions& assumed, const YearListings& listings) {
  const auto day = projection::EstimatedSnapshotDay(p, month, known_at, assumed);
  if (!day) return projection::BuildEstimatedReport(p, month, known_at, assumed);  // kNoRulebookInForce
  return projection::BuildEstimatedReport(p, month, known_at, assumed, listings.On(*day));
}

// The first run booked at K, if any (runs are booked in seq order, not in month order).
std::optional<Month> FirstRunMonth(const projection::Projection& p, domain::Seq known_at) {
  std::optional<Month> first;
  for (const auto& run : p.ledger().runs()) {
    if (run.seq > known_at) break;
    if (!first || run.run.run < *first) first = run.run.run;
  }
  return first;
}

Status CheckThrough(const projection::Projection& p, int year, Month through, domain::Seq known_at) {
  if (static_cast<int>(through.year()) != year) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("--through {} is not a month of {}", domain::FormatMonth(through), year));
  }
  const auto first = FirstRunMonth(p, known_at);
  if (!first) return Fail(ErrorCode::kInvalidArgument, fmt::format("no payout run is booked as known at seq {}", known_at));
  if (through < *first) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("--through {} is before the first run, {}, as known at seq {}",
                                                         domain::FormatMonth(through), domain::FormatMonth(*first), known_at));
  }
  return {};
}

// The booked entries with seq <= K for the months Y-01 .. through, into months[0 .. through].
Status AddOutcome(const projection::Projection& p, int year, Month through, domain::Seq known_at,
                  std::vector<PeriodMonth>& months) {
  for (const auto& booked : p.ledger().entries()) {
    if (booked.seq > known_at) break;
    const auto& e = booked.entry;
    if (static_cast<int>(e.period.year()) != year || through < e.period) continue;
    PeriodMonth& month = months[static_cast<unsigned>(e.period.month()) - 1];
    if (auto added = AddTo(month.amounts[static_cast<std::size_t>(e.component)], e.amount); !added) return added;
  }
  return {};
}

// What an estimated month assumes: nothing where a rulebook is in force at K, else `through`'s
// rulebook for that month alone.
projection::Assumptions EstimateAssumptions(const projection::Projection& p, Month month, domain::Seq known_at,
                                            const domain::Rulebook& through_rulebook) {
  if (p.RulebookInForce(month, known_at)) return projection::Assumptions{nullptr, month, month, false};
  return projection::Assumptions{&through_rulebook, month, month, false};
}

// An estimated month (DOMAIN.md §10): the §6 amounts of `month` at K, with visits and
// performance taken from `through`'s totals; `through_rulebook` where none is in force.
Status Estimate(const projection::Projection& p, Month month, domain::Seq known_at, const ComponentTotals& through_amounts,
                const projection::Assumptions& assumed, const YearListings& listings, PeriodMonth& out) {
  out.estimated = true;
  out.assumed_rulebook = assumed.rulebook != nullptr;
  auto report = ReportWith(p, month, known_at, assumed, listings);
  if (!report) return tl::unexpected(report.error());
  out.rulebook = report->rulebook_id;
  auto amounts = ReportTotals(*report);
  if (!amounts) return tl::unexpected(amounts.error());
  for (Component c : {Component::kVisits, Component::kPerformance}) {
    (*amounts)[static_cast<std::size_t>(c)] = through_amounts[static_cast<std::size_t>(c)];
  }
  out.amounts = *amounts;
  return {};
}

// Sets the budget frame of `r.year` known at K, and what `spent` leaves of it (negative when the
// frame is exceeded), on a PeriodReport or a DraftCost.
template <typename Report>
Status SetFrame(const projection::Projection& p, domain::Seq known_at, Money spent, Report& r) {
  r.frame = FrameFor(p, r.year, known_at);
  if (!r.frame) return {};
  auto headroom = r.frame->amount.Minus(spent);
  if (!headroom) return tl::unexpected(headroom.error());
  r.headroom = *headroom;
  r.exceeds_frame = headroom->ore() < 0;
  return {};
}

// Totals, forecast, frame and headroom from the months.
Status Conclude(const projection::Projection& p, domain::Seq known_at, PeriodReport& r) {
  for (PeriodMonth& m : r.months) {
    auto total = Total(m.amounts);
    if (!total) return tl::unexpected(total.error());
    m.total = *total;
    if (!m.estimated) {
      if (auto added = AddAll(r.outcome, m.amounts); !added) return added;
    }
    if (auto added = AddAll(r.forecast, m.amounts); !added) return added;
  }
  auto outcome = Total(r.outcome);
  auto forecast = Total(r.forecast);
  if (!outcome || !forecast) return tl::unexpected(outcome ? forecast.error() : outcome.error());
  r.outcome_total = *outcome;
  r.forecast_total = *forecast;
  return SetFrame(p, known_at, r.forecast_total, r);
}

}  // namespace

std::optional<FrameAtK> FrameFor(const projection::Projection& projection, int year, domain::Seq known_at) {
  const auto* fact = projection.BudgetFrameFor(year, known_at);
  if (!fact) return std::nullopt;
  return FrameAtK{fact->frame.amount, fact->frame.decision, domain::Seq(fact->seq)};
}

Result<PeriodReport> BuildPeriodReport(const projection::Projection& projection, int year, Month through,
                                       domain::Seq known_at) {
  if (auto checked = CheckThrough(projection, year, through, known_at); !checked) return tl::unexpected(checked.error());
  const projection::RulebookFact* through_rulebook = projection.RulebookInForce(through, known_at);
  if (!through_rulebook) return tl::unexpected(projection::ReportHeader(projection, through, known_at).error());
  PeriodReport r;
  r.year = year;
  r.through = through;
  r.known_at_seq = known_at;
  std::vector<projection::Assumptions> assumed(12);
  std::vector<std::int32_t> days;
  for (unsigned m = 1; m <= 12; ++m) {
    PeriodMonth month;
    month.month = MonthOfYear(year, m);
    assumed[m - 1] = EstimateAssumptions(projection, month.month, known_at, through_rulebook->rulebook);
    if (!(month.month < through)) {
      days.push_back(*projection::EstimatedSnapshotDay(projection, month.month, known_at, assumed[m - 1]));
    }
    r.months.push_back(std::move(month));
  }
  const YearListings listings(projection, known_at, std::move(days));
  auto through_report = ReportWith(projection, through, known_at, assumed[static_cast<unsigned>(through.month()) - 1], listings);
  if (!through_report) return tl::unexpected(through_report.error());
  auto through_amounts = ReportTotals(*through_report);
  if (!through_amounts) return tl::unexpected(through_amounts.error());
  if (auto added = AddOutcome(projection, year, through, known_at, r.months); !added) return tl::unexpected(added.error());
  for (std::size_t i = 0; i < r.months.size(); ++i) {
    PeriodMonth& m = r.months[i];
    if (!(through < m.month)) continue;
    if (auto estimated = Estimate(projection, m.month, known_at, *through_amounts, assumed[i], listings, m); !estimated) {
      return tl::unexpected(estimated.error());
    }
  }
  if (auto concluded = Conclude(projection, known_at, r); !concluded) return tl::unexpected(concluded.error());
  return r;
}

namespace {

// The rulebook to compare a draft against for `month`: the one in force at K, else the latest
// published (the highest seq visible at K).
const domain::Rulebook* CurrentRulebook(const projection::Projection& p, Month month, domain::Seq known_at) {
  if (const auto* fact = p.RulebookInForce(month, known_at)) return &fact->rulebook;
  const auto known = p.RulebooksKnownAt(known_at);
  return known.empty() ? nullptr : &known.back()->rulebook;
}

// Adds each clinic's total of `report` to `per_clinic` through `field`.
Status AddPerClinic(const projection::MonthReport& report, std::map<domain::ClinicId, ClinicCost>& per_clinic,
                    Money ClinicCost::*field) {
  for (const auto& line : report.clinics) {
    ClinicCost& cost = per_clinic[line.clinic];
    cost.clinic = line.clinic;
    if (auto added = AddTo(cost.*field, line.amounts.total); !added) return added;
  }
  return {};
}

// Fills the year's totals, each clinic's difference and the frame's headroom of a costed draft
// whose months are in `r` and whose per-clinic sums are in `per_clinic`.
Status CloseDraftCost(const projection::Projection& projection, std::map<domain::ClinicId, ClinicCost>& per_clinic,
                      DraftCost& r) {
  auto total = Total(r.total);
  if (!total) return tl::unexpected(total.error());
  r.total_all = *total;
  for (auto& [id, cost] : per_clinic) {
    auto difference = cost.draft.Minus(cost.current);
    if (!difference) return tl::unexpected(difference.error());
    cost.difference = *difference;
    r.clinics.push_back(cost);
  }
  return SetFrame(projection, r.known_at_seq, r.total_all, r);
}

}  // namespace

Result<DraftCost> CostOfDraft(const projection::Projection& projection, const domain::Rulebook& draft, int year,
                              domain::Seq known_at) {
  DraftCost r;
  r.year = year;
  r.known_at_seq = known_at;
  r.draft_id = draft.id;
  std::map<domain::ClinicId, ClinicCost> per_clinic;
  const Month first = MonthOfYear(year, 1);
  const Month last = MonthOfYear(year, 12);
  const projection::Assumptions drafted_assumptions{&draft, first, last, true};
  std::vector<projection::Assumptions> current_assumptions;
  std::vector<std::int32_t> days;
  for (unsigned m = 1; m <= 12; ++m) {
    const Month month = MonthOfYear(year, m);
    const domain::Rulebook* current = CurrentRulebook(projection, month, known_at);
    if (!current) {
      return Fail(ErrorCode::kNoRulebookInForce,
                  fmt::format("no rulebook is published as known at seq {} to compare the draft with", known_at));
    }
    if (std::find(r.current_rulebooks.begin(), r.current_rulebooks.end(), current->id) == r.current_rulebooks.end()) {
      r.current_rulebooks.push_back(current->id);
    }
    current_assumptions.push_back(projection::Assumptions{current, month, month, true});
    days.push_back(*projection::EstimatedSnapshotDay(projection, month, known_at, drafted_assumptions));
    days.push_back(*projection::EstimatedSnapshotDay(projection, month, known_at, current_assumptions.back()));
  }
  const YearListings listings(projection, known_at, std::move(days));
  for (unsigned m = 1; m <= 12; ++m) {
    const Month month = MonthOfYear(year, m);
    auto drafted = ReportWith(projection, month, known_at, drafted_assumptions, listings);
    auto now = ReportWith(projection, month, known_at, current_assumptions[m - 1], listings);
    if (!drafted) return tl::unexpected(drafted.error());
    if (!now) return tl::unexpected(now.error());
    PeriodMonth pm;
    pm.month = month;
    pm.estimated = true;
    pm.rulebook = draft.id;
    auto amounts = ReportTotals(*drafted);
    if (!amounts) return tl::unexpected(amounts.error());
    pm.amounts = *amounts;
    pm.total = drafted->total;
    if (auto added = AddAll(r.total, pm.amounts); !added) return tl::unexpected(added.error());
    if (auto added = AddTo(r.current_all, now->total); !added) return tl::unexpected(added.error());
    if (auto added = AddPerClinic(*drafted, per_clinic, &ClinicCost::draft); !added) return tl::unexpected(added.error());
    if (auto added = AddPerClinic(*now, per_clinic, &ClinicCost::current); !added) return tl::unexpected(added.error());
    r.months.push_back(std::move(pm));
  }
  if (auto done = CloseDraftCost(projection, per_clinic, r); !done) return tl::unexpected(done.error());
  return r;
}

}  // namespace capledger::ledger
