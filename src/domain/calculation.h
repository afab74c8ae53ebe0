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
#include "domain/age.h"
#include "domain/rulebook.h"

namespace capledger::domain {

// Listed residents of one clinic on the snapshot date, by age in completed years.
using AgeCounts = std::array<std::int64_t, kAgeSlots>;

// The number of listed residents per capitation band of `rulebook` (one entry per band).
std::vector<std::int64_t> CountsPerBand(const Rulebook& rulebook, const AgeCounts& ages);

// An optional mission a clinic offers on the snapshot date: the latest MissionUndertaken for it
// (DOMAIN.md §9). Whether the rulebook lists it is the calculation's to decide.
struct OfferedMission {
  std::string mission;
  std::optional<std::int64_t> units;
  Seq seq;  // of the MissionUndertaken
  friend bool operator==(const OfferedMission&, const OfferedMission&) = default;
};

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
  std::vector<OfferedMission> missions;                // offered on D, by mission id ascending
};

// Why an offered mission is paid nothing (an anomaly, DOMAIN.md §9).
enum class MissionProblem : std::uint8_t {
  kNone = 0,
  kNotInRulebook = 1,  // the rulebook in force does not list it
  kBaseMission = 2,    // the rulebook lists it as base
  kUnitsMissing = 3,   // a per_unit mission undertaken without units
};

// The part of one offered mission in a month: the exact amount in twelfths of an öre (the sum of
// the parts is rounded once), and the count it was computed from.
struct MissionPart {
  std::string mission;
  MissionBasis basis = MissionBasis::kFixed;
  std::int64_t count = 0;           // units, or counted listed residents; 1 for fixed
  Money amount = Money::Zero();     // the rulebook's amount (per year, or per month for fixed)
  __int128 twelfths = 0;            // the exact part × 12, in öre
  MissionProblem problem = MissionProblem::kNone;
  Seq seq;                          // of the MissionUndertaken
};

// The parts of every mission `facts` offers under `rulebook`, in the order of facts.missions.
// A clinic not open on D offers nothing (an empty result).
std::vector<MissionPart> MissionParts(const Rulebook& rulebook, const ClinicMonthFacts& facts);

// Residents of `ages` with min_age <= age < max_age (absent limits: 0 and no upper limit).
std::int64_t CountAged(const AgeCounts& ages, std::optional<int> min_age, std::optional<int> max_age);

// Zero amounts, one per component.
inline std::array<Money, kComponentCount> ZeroAmounts() {
  const Money z = Money::Zero();
  static_assert(kComponentCount == 7);
  return {z, z, z, z, z, z, z};
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
  ClinicId clinic;
  std::int64_t listed = 0;                   // N on D
  std::int64_t cni_ten_thousandths = 0;      // the CNI on D
};

// The clinics that get the CNI supplement: those with N > 0, ranked by CNI highest first, ties by
// clinic id ascending; the first top_n. Returned in rank order.
std::vector<ClinicId> CniTopN(std::vector<CniCandidate> candidates, int top_n);

// The CNI on D from a delivery: the delivered value, or the one computed from the hits.
std::int64_t DeliveredOrComputedCni(const CniReported& report);

}  // namespace capledger::domain
