// The open data of the public follow-up (DOMAIN.md §11): one row per clinic and month of a year,
// through month M, as known at K. No resident-level data, and statistical disclosure control is
// applied here, before any renderer sees a count: a count per capitation band from 1 to 4 leaves
// this layer only as "suppressed" (published as "<5").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/calculation.h"
#include "domain/date.h"
#include "domain/event.h"
#include "domain/money.h"
#include "projection/projection.h"

namespace capledger::ledger {

// A count per band from 1 to kSuppressedMax is published as "<5".
inline constexpr std::int64_t kSuppressedMax = 4;

// A count as it may be published: the number, or only that it is from 1 to kSuppressedMax
// (`suppressed`, value 0: published as "<5").
struct PublishedCount {
  std::int64_t value = 0;
  bool suppressed = false;
  friend bool operator==(const PublishedCount&, const PublishedCount&) = default;
};

// `count` as it may be published: suppressed if it is from 1 to kSuppressedMax.
PublishedCount Publishable(std::int64_t count);

// One clinic in one month.
struct OpenDataRow {
  domain::ClinicId clinic;
  std::string name;                          // as known at K
  std::optional<std::uint16_t> municipality;  // kommun code of its registration; empty if unregistered
  std::optional<domain::Operator> op;         // on the snapshot date
  domain::Month month;
  std::int64_t listed = 0;                    // N on the snapshot date (not suppressed: DOMAIN.md §11)
  // One per column of OpenData::band_min_ages: the band's count, suppressed or not; empty where
  // the month's rulebook has no band starting at that age.
  std::vector<std::optional<PublishedCount>> band_counts;
  // Each component: the sum of the entries with seq <= K for this clinic and month, all runs and
  // adjustments included; indexed by domain::Component.
  std::array<domain::Money, domain::kComponentCount> amounts = domain::ZeroAmounts();
  domain::Money total = domain::Money::Zero();
  std::optional<std::int64_t> cni_ten_thousandths;  // the CNI in force on the snapshot date
};

// An optional mission a clinic offers: its id and, if the rulebook lists it, its title.
struct OfferedMissionTitle {
  std::string id;
  std::string title;  // empty if the rulebook in force does not list it
};

// One clinic over the months of the open data, for comparing clinics.
struct OpenDataClinic {
  domain::ClinicId clinic;
  std::string name;
  std::optional<std::uint16_t> municipality;
  std::optional<domain::Operator> op;                // on the last reported snapshot date
  std::int64_t listed_last = 0;                      // N on the last reported snapshot date
  std::int64_t listed_sum = 0;                       // Σ N over the reported months
  domain::Money total = domain::Money::Zero();       // Σ of its rows' totals
  // total ÷ the mean listed count over the reported months (ledger::PerListed): what the clinic
  // was paid per listed resident from January through the last month; empty if nobody was listed.
  std::optional<domain::Money> per_listed;
  std::optional<std::int64_t> cni_ten_thousandths;   // on the last reported snapshot date
  std::vector<OfferedMissionTitle> missions;         // offered on the last reported snapshot date
};

// The open data of a year through a month as known at K.
struct OpenData {
  int year = 0;
  domain::Month through;
  domain::Seq known_at_seq;
  // The capitation bands' lower ages over every month's rulebook, ascending: the band columns.
  std::vector<int> band_min_ages;
  // By month, then clinic id: every clinic open on the month's snapshot date or with an entry for
  // the month, for the months from January through `through` that have a rulebook in force.
  std::vector<OpenDataRow> rows;
  // The months with a report (a rulebook in force at K), in order; the last is "the last month".
  std::vector<domain::Month> reported_months;
  // Every clinic of `rows`, by id.
  std::vector<OpenDataClinic> clinics;
};

// Builds the open data. kInvalidArgument if `through` is not in `year`; kNoRulebookInForce if no
// month from January through `through` has a rulebook in force at K; kInternal on overflow.
Result<OpenData> BuildOpenData(const projection::Projection& projection, int year, domain::Month through,
                               domain::Seq known_at);

}  // namespace capledger::ledger
