// The month report of DOMAIN.md §6: every clinic's listed count and amount per component for a
// month as known at K, with the rulebook, the snapshot date and the anomalies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/calculation.h"
#include "projection/projection.h"

namespace capledger::projection {

// One clinic's line of a month report.
struct ClinicMonthLine {
  std::string clinic;
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
  std::uint64_t rulebook_seq = 0;   // the RulebookPublished used
  std::uint64_t known_at_seq = 0;
  std::vector<ClinicMonthLine> clinics;  // open clinics on the snapshot date, by clinic id
  domain::Money total = domain::Money::Zero();
  std::vector<AnomalyLine> anomalies;
  friend bool operator==(const MonthReport&, const MonthReport&) = default;
};

// Computes the report for `month` as known at `known_at` (REQUIRES known_at <= applied_seq).
// With `only_clinic`, the report holds that clinic alone (computed without folding the others,
// except to rank the CNI supplement). kNoRulebookInForce if no rulebook covers the month;
// kNotFound if `only_clinic` is not open on the snapshot date.
Result<MonthReport> BuildMonthReport(const Projection& projection, domain::Month month, std::uint64_t known_at,
                                     const std::optional<std::string>& only_clinic = std::nullopt);

}  // namespace capledger::projection
