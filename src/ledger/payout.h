// Payout runs (DOMAIN.md §8): what a run for month M books as known at K, computed as a pure
// function of the projection, and the refusals that keep runs in calendar order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/event.h"
#include "projection/projection.h"
#include "projection/report.h"

namespace capledger::ledger {

// What one payout run books: its entries (regular entries for M first, by clinic then component;
// then adjustments by period, clinic, component) and the PayoutRun record that completes it.
struct PayoutPlan {
  domain::PayoutRun run;                     // run.total = the sum of the entries
  std::vector<domain::LedgerEntry> entries;  // ids E-<run>-000001, ... in this order
  std::vector<projection::AnomalyLine> anomalies;  // of the month's report (never booked)
};

// Plans the run for `month` as known at `known_at` (the log head when it runs):
// - kRefused if a run for `month` is already booked (the caller shows the existing run instead;
//   see FindExistingRun), if `month` is earlier than the last run, or if it would leave a gap
//   after the last run (runs go in calendar order, the first may be any month);
// - kNoRulebookInForce if no rulebook is in force for `month`, or if a month already paid can no
//   longer be computed (its rulebook was retracted): the run would otherwise reverse it silently.
// Every month already run within the rulebook's retro_window_months before `month` gets an
// adjustment per (clinic, component) whose recomputed amount differs from all that is booked for
// it; older months' differences are listed in run.unbooked instead.
// A month already run is recomputed only if something recorded since the previous run can
// change it (Projection::EarliestDayAffected); otherwise what the previous run found for it
// still holds: nothing to adjust if it was inside that run's window, the same unbooked
// differences if it was outside. `recompute_all` recomputes every month (the tests compare).
// REQUIRES known_at <= projection.applied_seq().
struct PlanOptions {
  bool recompute_all = false;
};
Result<PayoutPlan> PlanPayout(const projection::Projection& projection, domain::Month month, domain::Seq known_at,
                              const PlanOptions& options = {});

// The booked run for `month` and its entries, if the month has been run.
struct BookedPayout {
  projection::BookedRun run;
  std::vector<projection::BookedEntry> entries;  // every entry the run booked, in seq order
};
std::optional<BookedPayout> FindExistingRun(const projection::Projection& projection, domain::Month month);

// The events that book `plan`: its entries and then the PayoutRun, ids from EntryId/RunEventId.
std::vector<domain::Event> PayoutEvents(const PayoutPlan& plan);

}  // namespace capledger::ledger
