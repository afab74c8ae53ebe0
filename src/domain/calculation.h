// The amounts of DOMAIN.md §6.3–6.4 as pure functions: no I/O, no clock, no projection.
//
// Every amount is computed exactly as a rational number of öre and rounded once, half away from
// zero, to whole öre (DivideRoundHalfAway). Inputs come from the projections; these functions
// only apply the rulebook.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/event.h"
#include "domain/money.h"
#include "domain/rulebook.h"

namespace capledger::domain {

// Ages are counted in completed years; everyone this old or older shares the last slot.
inline constexpr int kAgeSlots = 151;  // 0 .. 150

// Listed residents of one clinic on the snapshot date, by age in completed years.
using AgeCounts = std::array<std::int64_t, kAgeSlots>;

// Age in completed years on `on` of someone born on `birth`: the birthday of 29 February is
// reached on 1 March in other years. Negative if not yet born; capped at kAgeSlots - 1.
int AgeOn(Date birth, Date on);

// The number of listed residents per capitation band of `rulebook` (one entry per band).
std::vector<std::int64_t> CountsPerBand(const Rulebook& rulebook, const AgeCounts& ages);

// What the calculation of one clinic and month needs besides the rulebook.
struct ClinicMonthFacts {
  bool open_on_snapshot = false;
  bool open_in_month = false;  // open on at least one day of the month: its visits are paid
  AgeCounts listed_by_age{};
  std::optional<std::int32_t> fulfilment_thousandths;  // latest report covering the month
  std::optional<VisitCounts> visits;                   // latest report for the month
  bool in_cni_top_n = false;                           // ranked among the first top_n on D
  std::optional<std::int32_t> distance_km_tenths;      // the distance on D
  std::optional<Money> start_grant_part;               // owed for this month (from the opening month's rulebook)
};

// Six zero amounts, one per component.
inline std::array<Money, kComponentCount> ZeroAmounts() {
  const Money z = Money::Zero();
  return {z, z, z, z, z, z};
}

// The amounts of every component for one clinic and month, and the counts behind them.
struct ClinicMonthAmounts {
  std::int64_t listed = 0;                         // N
  std::vector<std::int64_t> band_counts;           // n_b
  std::array<Money, kComponentCount> amounts = ZeroAmounts();  // indexed by Component
  Money total = Money::Zero();
  friend bool operator==(const ClinicMonthAmounts&, const ClinicMonthAmounts&) = default;
};

// Applies DOMAIN.md §6.3 with `rulebook` (the one in force for the month). A clinic not open on
// the snapshot date gets 0 for every component but visits, which are paid for work done if it was
// open on any day of the month. kInvalidArgument only on overflow.
Result<ClinicMonthAmounts> ComputeClinicMonth(const Rulebook& rulebook, const ClinicMonthFacts& facts);

// The start grant split into `months` parts: each part amount / months rounded half away from
// zero, the last part the amount minus the others. REQUIRES months >= 1.
std::vector<Money> StartGrantParts(Money amount, int months);

// A clinic that may receive the CNI supplement on a snapshot date.
struct CniCandidate {
  std::string clinic;
  std::int64_t listed = 0;                   // N on D
  std::int64_t cni_ten_thousandths = 0;      // the CNI on D
};

// The clinics that get the CNI supplement: those with N > 0, ranked by CNI highest first, ties by
// clinic id ascending; the first top_n. Returned in rank order.
std::vector<std::string> CniTopN(std::vector<CniCandidate> candidates, int top_n);

// The CNI on D from a delivery: the delivered value, or the one computed from the hits.
std::int64_t DeliveredOrComputedCni(const CniReported& report);

}  // namespace capledger::domain
