// Trace of one booked entry (DOMAIN.md §8): recompute it at its knowledge point, show the
// rulebook and parameters used, the counts per band and every counted resident with the event
// that placed them, and check that the recomputation equals what was booked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/calculation.h"
#include "domain/ids.h"
#include "ledger/dispute.h"
#include "projection/projection.h"
#include "projection/report.h"

namespace capledger::ledger {

struct TracedResident {
  domain::Pseudonym pseudonym;
  int age = 0;
  int band = 0;                 // index into the rulebook's capitation bands
  domain::Seq listed_seq;       // the PatientListed that put them at the clinic on D
};

struct EntryTrace {
  projection::BookedEntry entry;
  projection::ClinicMonthInputs inputs;  // header: the period's snapshot, rulebook and its seq, K
  domain::Rulebook rulebook;             // the parameters used
  domain::ClinicMonthAmounts amounts;    // every component of the clinic-month at K
  std::vector<TracedResident> residents; // counted on D at K, by pseudonym
  std::vector<domain::MissionPart> missions;  // the part of every mission offered on D (DOMAIN.md §9)
  domain::Money recomputed = domain::Money::Zero();     // the entry's component at K
  domain::Money booked_before = domain::Money::Zero();  // the entries it adjusts, summed
  domain::Money expected = domain::Money::Zero();       // recomputed − booked_before
  bool reproduces = false;                               // expected == the booked amount
  // An adjustment: what changed between the latest adjusted entry's K and this entry's K.
  std::optional<DisputeReport> change;
  // Set for an adjustment booked for a month older than its run's retro window: a late report,
  // paid because nothing had been booked for it (DOMAIN.md §8).
  struct OutsideWindow {
    int window_months = 0;      // retro_window_months of the rulebook in force for the run
    domain::Month window_start; // the first month the run corrects
  };
  std::optional<OutsideWindow> outside_window;
};

// Traces the entry with id `entry_id`. kNotFound if no such entry is booked.
Result<EntryTrace> TraceEntry(const projection::Projection& projection, const domain::EventId& entry_id);

}  // namespace capledger::ledger
