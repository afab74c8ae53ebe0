// The board's follow-up of the year against the budget frame (DOMAIN.md §10): the period report
// (outcome through a month, an estimate for each month after it, the forecast, the frame and
// the headroom) and the cost of a draft rulebook for a year.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/calculation.h"
#include "domain/event.h"
#include "projection/projection.h"

namespace capledger::ledger {

using ComponentTotals = std::array<domain::Money, domain::kComponentCount>;

// One month of the year: booked (outcome) or estimated.
struct PeriodMonth {
  domain::Month month;
  bool estimated = false;           // after `through`: an estimate, not booked entries
  std::string rulebook;             // estimated months: the rulebook used
  bool assumed_rulebook = false;    // none was in force for the month at K: `through`'s was used
  ComponentTotals amounts = domain::ZeroAmounts();
  domain::Money total = domain::Money::Zero();
};

// The frame for the year as known at K, if one was set.
struct FrameAtK {
  domain::Money amount = domain::Money::Zero();
  std::string decision;
  domain::Seq seq;  // of the BudgetFrameSet
};

// The period report for year Y through month M as known at K.
struct PeriodReport {
  int year = 0;
  domain::Month through;
  domain::Seq known_at_seq;
  std::vector<PeriodMonth> months;  // Y-01 .. Y-12: booked through M, then estimates
  ComponentTotals outcome = domain::ZeroAmounts();   // the booked months, per component
  domain::Money outcome_total = domain::Money::Zero();
  ComponentTotals forecast = domain::ZeroAmounts();  // outcome + the estimates, per component
  domain::Money forecast_total = domain::Money::Zero();
  std::optional<FrameAtK> frame;                     // none: "no frame set for the year"
  std::optional<domain::Money> headroom;             // frame − forecast, when there is a frame
  bool exceeds_frame = false;                        // headroom < 0
};

// Builds the period report (DOMAIN.md §10). Outcome: the entries with seq <= K whose period lies
// in Y-01 .. M, counted for the month they concern. Estimates: the §6 amounts of each later month
// at K, but visits and performance as M's. kInvalidArgument for M outside Y or before the first
// run booked at K (both name the argument); kNoRulebookInForce if M itself has no rulebook.
Result<PeriodReport> BuildPeriodReport(const projection::Projection& projection, int year, domain::Month through,
                                       domain::Seq known_at);

// The cost of a draft rulebook for year Y as known at K: each month's §6 amounts with the draft
// as the rulebook in force and each clinic's latest visits and fulfilment at K, per component;
// the frame; and per clinic the difference against the rulebooks in force (or the latest
// published one where none is in force for a month).
struct ClinicCost {
  domain::ClinicId clinic;
  domain::Money draft = domain::Money::Zero();
  domain::Money current = domain::Money::Zero();
  domain::Money difference = domain::Money::Zero();  // draft − current
};
struct DraftCost {
  int year = 0;
  domain::Seq known_at_seq;
  std::string draft_id;
  std::vector<PeriodMonth> months;                 // Y-01 .. Y-12 under the draft
  ComponentTotals total = domain::ZeroAmounts();   // the year under the draft, per component
  domain::Money total_all = domain::Money::Zero();
  domain::Money current_all = domain::Money::Zero();  // the year under the rulebooks in force
  std::vector<std::string> current_rulebooks;      // the rulebooks compared against, in month order, once each
  std::optional<FrameAtK> frame;
  std::optional<domain::Money> headroom;           // frame − the draft's year
  bool exceeds_frame = false;
  std::vector<ClinicCost> clinics;                 // by clinic id
};
// kNoRulebookInForce if no rulebook has been published at K to compare against.
Result<DraftCost> CostOfDraft(const projection::Projection& projection, const domain::Rulebook& draft, int year,
                              domain::Seq known_at);

// The frame for `year` at K (the latest BudgetFrameSet not retracted), if any.
std::optional<FrameAtK> FrameFor(const projection::Projection& projection, int year, domain::Seq known_at);

}  // namespace capledger::ledger
