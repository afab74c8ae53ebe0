// The annual report to the regional board (DOMAIN.md §11): per clinic, the listed residents on
// each month's snapshot date and their mean, the fixed and the variable compensation booked for
// the year, and both per listed resident and year.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/money.h"
#include "projection/projection.h"

namespace capledger::ledger {

// One clinic's year. Fixed: capitation, missions, start_grant, cni_supplement,
// distance_supplement; variable: performance, visits; each the sum of the entries with seq <= K
// whose period lies in the year.
struct AnnualClinic {
  domain::ClinicId clinic;
  std::string name;
  std::vector<std::int64_t> listed;   // on D of each month that has a report at K, in month order
  std::int64_t listed_sum = 0;        // Σ listed
  domain::Money fixed = domain::Money::Zero();
  domain::Money variable = domain::Money::Zero();
  domain::Money total = domain::Money::Zero();  // fixed + variable
  // fixed (variable) ÷ the mean listed count = amount × months / listed_sum, rounded half away
  // from zero to öre; empty when nobody was listed.
  std::optional<domain::Money> fixed_per_listed;
  std::optional<domain::Money> variable_per_listed;
};

struct AnnualReport {
  int year = 0;
  domain::Seq known_at_seq;
  std::vector<domain::Month> months;  // the months with a report at K (a rulebook in force)
  std::vector<AnnualClinic> clinics;  // every clinic with an entry for the year or a listed resident, by id
  AnnualClinic total;                 // the same over all clinics (clinic "TOTAL")
};

// Builds the annual report for `year` as known at K. The mean listed count is Σ listed over the
// months with a report, divided by their number (12 when a rulebook covers the whole year).
// kNoRulebookInForce if no month of the year has a rulebook in force.
Result<AnnualReport> BuildAnnualReport(const projection::Projection& projection, int year, domain::Seq known_at);

// `amount` per listed resident over `months` months whose listed counts sum to `listed_sum`:
// amount × months / listed_sum, rounded half away from zero to öre; empty if nobody was listed.
// kInternal on overflow.
Result<std::optional<domain::Money>> PerListed(domain::Money amount, std::size_t months, std::int64_t listed_sum);

// Whether a component is fixed compensation (DOMAIN.md §11); the rest are variable.
bool IsFixedCompensation(domain::Component component);

}  // namespace capledger::ledger
