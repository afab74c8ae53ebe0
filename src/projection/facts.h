// The compact, bitemporal facts the projections keep: each has its knowledge seq and the seq of
// the retraction that voided it (kNever if none). Flat structs in flat arrays, indexed by dense
// ids, so that a Sweden-size world fits in a few GB.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "common/limits.h"
#include "domain/event.h"
#include "domain/rulebook.h"

namespace capledger::projection {

// "Not retracted": larger than every seq.
inline constexpr std::uint32_t kNever = std::numeric_limits<std::uint32_t>::max();
// The largest seq the projections hold (seqs are stored in 32 bits); the store appends no more.
inline constexpr std::uint64_t kSeqMax = limits::kSeqMax;
static_assert(kSeqMax == kNever - 1);

// A fact counts as known at K if it was stored at or before K and not retracted at or before K.
inline bool VisibleAt(std::uint32_t seq, std::uint32_t retracted_at, domain::Seq known_at) {
  return seq <= known_at.value() && retracted_at > known_at.value();
}

// What a resident or listing event does in the fold of DOMAIN.md §6.2.
enum class ResidentFactKind : std::uint8_t {
  kRegistered = 0, kMovedOut = 1, kDied = 2, kRelocated = 3, kListed = 4, kUnlisted = 5 };

// One resident or listing event. Kept per resident, sorted by (effective, seq).
struct ResidentFact {
  std::int32_t effective = 0;          // days since epoch
  std::uint32_t seq = 0;
  std::uint32_t retracted_at = kNever;
  std::uint16_t clinic = 0;            // kListed, kUnlisted: the clinic's dense id
  ResidentFactKind kind = ResidentFactKind::kRegistered;
  std::uint8_t reason = 0;             // the event's reason enum, for explanations
  friend bool operator==(const ResidentFact&, const ResidentFact&) = default;
};
static_assert(sizeof(ResidentFact) == 16);

// A dated attribute: an opening, a closing, a distance, a CNI. Kept sorted by (effective, seq).
struct DatedFact {
  std::int32_t effective = 0;
  std::uint32_t seq = 0;
  std::uint32_t retracted_at = kNever;
  std::int32_t pad = 0;
  std::int64_t value = 0;              // distance in km tenths, CNI in ten-thousandths; else 0
  friend bool operator==(const DatedFact&, const DatedFact&) = default;
};
static_assert(sizeof(DatedFact) == 24);

// A performance report for months [from, to] (month ordinals). Kept in seq order.
struct PerformanceFact {
  std::uint32_t seq = 0;
  std::uint32_t retracted_at = kNever;
  std::int32_t from_month = 0;
  std::int32_t to_month = 0;
  std::int32_t fulfilment_thousandths = 0;
  friend bool operator==(const PerformanceFact&, const PerformanceFact&) = default;
};

// A visit report for one month. Kept in seq order.
struct VisitFact {
  std::uint32_t seq = 0;
  std::uint32_t retracted_at = kNever;
  std::int32_t month = 0;
  domain::VisitCounts counts;
  friend bool operator==(const VisitFact&, const VisitFact&) = default;
};

// A clinic's display name from a registration or change. Kept in seq order.
struct NameFact {
  std::uint32_t seq = 0;
  std::uint32_t retracted_at = kNever;
  std::string name;
  friend bool operator==(const NameFact&, const NameFact&) = default;
};

// A MissionUndertaken (undertaken, with its units if any) or a MissionEnded. Kept per clinic,
// sorted by (effective, seq).
struct MissionFact {
  std::int32_t effective = 0;
  std::uint32_t seq = 0;
  std::uint32_t retracted_at = kNever;
  bool undertaken = false;
  std::int64_t units = 0;  // 0: none given
  std::string mission;
  friend bool operator==(const MissionFact&, const MissionFact&) = default;
};

// A budget frame for a year (DOMAIN.md §10). Kept in seq order.
struct BudgetFrameFact {
  std::uint32_t seq = 0;
  std::uint32_t retracted_at = kNever;
  domain::BudgetFrameSet frame;
  friend bool operator==(const BudgetFrameFact&, const BudgetFrameFact&) = default;
};

// A published rulebook. Kept in seq order.
struct RulebookFact {
  std::uint32_t seq = 0;
  std::uint32_t retracted_at = kNever;
  domain::Rulebook rulebook;
  friend bool operator==(const RulebookFact&, const RulebookFact&) = default;
};

}  // namespace capledger::projection
