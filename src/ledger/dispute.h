// Disputes (DOMAIN.md §8): one clinic's amounts for a month at two knowledge points, and the
// difference attributed, to the öre, to the events recorded between them.
//
// The attribution walks the log from K1 to K2 through every seq at which something that can
// change the clinic's month was recorded (an event about a resident ever listed there, the
// clinic's own facts, a rulebook, another clinic's CNI or opening, or a retraction of any of
// these), and recomputes the amounts after each. Each cause's part is the change in the rounded
// amount it made, so the parts telescope: per component they sum exactly to amount(K2) −
// amount(K1). What no single recorded event accounts for (another clinic's list emptying or
// filling, which can move the CNI ranking) is one last cause of kind "other_clinics".
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/calculation.h"
#include "domain/event.h"
#include "domain/ids.h"
#include "projection/projection.h"

namespace capledger::ledger {

// Why a clinic-month's amounts changed at one seq.
enum class CauseKind : std::uint8_t {
  kResidentGained,    // a resident counts who did not (late registration, listing, retraction...)
  kResidentLost,      // a resident no longer counts (death or move reported, re-listing...)
  kRulebook,          // a rulebook published or retracted (a revision)
  kCniDelivery,       // a CNI delivery for this clinic
  kCniRanking,        // another clinic's CNI, opening or closing changed the ranking
  kPerformanceReport,
  kVisitsReport,
  kClinicChange,      // this clinic's registration, closing or distance
  kMission,           // this clinic undertook, changed or ended an optional mission
  kOtherClinics,      // see the header comment
};
std::string_view Name(CauseKind kind);

using ComponentAmounts = std::array<domain::Money, domain::kComponentCount>;

struct Cause {
  domain::Seq seq = {};       // the event recorded at this seq made the difference
  CauseKind kind = CauseKind::kOtherClinics;
  std::string event_type = {};  // its type ("PatientListed", "EventRetracted", ...)
  domain::Seq retracted_seq = {};  // an EventRetracted: the seq of the event it voids (else Seq{})
  std::optional<domain::Pseudonym> resident = {};  // resident causes
  std::string detail = {};       // one sentence for people
  ComponentAmounts parts = domain::ZeroAmounts();
};

// One side of a dispute.
struct DisputeSide {
  domain::Seq known_at_seq;
  bool computable = false;    // false: no rulebook in force for the month at this K
  std::string rulebook_id;
  domain::Date snapshot;
  domain::ClinicMonthAmounts amounts;  // zero if not computable or the clinic is not open on D
};

struct DisputeReport {
  domain::ClinicId clinic;
  domain::Month month;
  DisputeSide before;
  DisputeSide after;
  ComponentAmounts difference = domain::ZeroAmounts();  // after − before, per component
  std::vector<Cause> causes;                             // by seq; every cause has a non-zero part
};

// The dispute for `clinic` and `month` between known_at K1 and K2. kInvalidArgument if K1 > K2;
// kNotFound if the clinic is unknown. REQUIRES K2 <= projection.applied_seq().
Result<DisputeReport> Dispute(const projection::Projection& projection, const domain::ClinicId& clinic,
                              domain::Month month, domain::Seq k1, domain::Seq k2);

}  // namespace capledger::ledger
