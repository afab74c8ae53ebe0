// The month report of DOMAIN.md §6: every clinic's listed count and amount per component for a
// month as known at K, with the rulebook, the snapshot date and the anomalies.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/calculation.h"
#include "domain/ids.h"
#include "projection/projection.h"

namespace capledger::projection {

// One clinic's line of a month report.
struct ClinicMonthLine {
  domain::ClinicId clinic;
  std::string name;
  domain::ClinicMonthAmounts amounts;
  friend bool operator==(const ClinicMonthLine&, const ClinicMonthLine&) = default;
};

// A finding that does not change the calculation (DOMAIN.md §4.1).
struct AnomalyLine {
  std::string code;
  std::string detail;
  friend bool operator==(const AnomalyLine&, const AnomalyLine&) = default;
};

// The report for one month at one knowledge point.
struct MonthReport {
  domain::Month month;
  domain::Date snapshot;
  std::string rulebook_id;
  domain::Seq rulebook_seq;         // the RulebookPublished used
  std::optional<domain::Provenance> rulebook_provenance;  // who decided it; empty: not recorded
  domain::Seq known_at_seq;
  std::vector<ClinicMonthLine> clinics;  // open clinics on the snapshot date, by clinic id
  domain::Money total = domain::Money::Zero();
  std::vector<AnomalyLine> anomalies;
  friend bool operator==(const MonthReport&, const MonthReport&) = default;
};

// Computes the report for `month` as known at `known_at` (REQUIRES known_at <= applied_seq).
// With `only_clinic`, the report holds that clinic alone (computed without folding the others,
// except to rank the CNI supplement). kNoRulebookInForce if no rulebook covers the month;
// kNotFound if `only_clinic` is not open on the snapshot date.
Result<MonthReport> BuildMonthReport(const Projection& projection, domain::Month month, domain::Seq known_at,
                                     const std::optional<domain::ClinicId>& only_clinic = std::nullopt);

// The inputs of the calculation for one clinic and month as known at K, given the residents
// listed there on the snapshot date by age (`ages`). The CNI ranking takes N > 0 for this clinic
// from `ages` and for the others from the projection. `rulebook` points into the projection.
struct ClinicMonthInputs {
  MonthReport header;  // month, snapshot, rulebook, K; no lines
  const domain::Rulebook* rulebook = nullptr;
  std::int32_t snapshot_day = 0;
  domain::ClinicMonthFacts facts;  // open_on_snapshot false if the clinic is not open on D
};
// The snapshot header alone (kNoRulebookInForce if no rulebook covers the month).
Result<MonthReport> ReportHeader(const Projection& projection, domain::Month month, domain::Seq known_at);
// kNoRulebookInForce as above. REQUIRES `clinic` is a dense clinic id of the projection.
Result<ClinicMonthInputs> ClinicInputsAt(const Projection& projection, std::uint16_t clinic, domain::Month month,
                                         domain::Seq known_at, const domain::AgeCounts& ages);

// What an estimate assumes where the §6 report would use the log (DOMAIN.md §10): a rulebook in
// force for the months [from, through] in place of the published one (a draft, or the rulebook of
// the last reported month where none is published), and, with latest_reports, for a clinic with
// no visits or performance report for the month, those of the latest earlier month that has one
// at K (a month with its own reports keeps them).
struct Assumptions {
  const domain::Rulebook* rulebook = nullptr;  // nullptr: the published rulebooks throughout
  domain::Month from;
  domain::Month through;
  bool latest_reports = false;
};

// The all-clinics report of `month` as known at K under `assumed` (header.rulebook_seq is Seq{} when
// the assumed rulebook is used). kNoRulebookInForce if neither the assumptions nor the log give a
// rulebook for the month.
Result<MonthReport> BuildEstimatedReport(const Projection& projection, domain::Month month, domain::Seq known_at,
                                         const Assumptions& assumed);
// The same with the listing on its snapshot date given (from Projection::ListedByClinicOn, which
// folds the residents once for many dates; a question over a year asks it once).
Result<MonthReport> BuildEstimatedReport(const Projection& projection, domain::Month month, domain::Seq known_at,
                                         const Assumptions& assumed, const Projection::Listing& listing);
// The snapshot date (days since epoch) of `month` under `assumed`, or under the log's rulebook;
// empty if neither gives a rulebook for the month.
std::optional<std::int32_t> EstimatedSnapshotDay(const Projection& projection, domain::Month month,
                                                 domain::Seq known_at, const Assumptions& assumed);

// The all-clinics reports of several months as known at one K, folding the residents once for
// all their snapshot dates. One result per month, in the order given; each equals what
// BuildMonthReport gives for that month alone.
std::vector<Result<MonthReport>> BuildMonthReports(const Projection& projection, std::span<const domain::Month> months,
                                                   domain::Seq known_at);

}  // namespace capledger::projection
