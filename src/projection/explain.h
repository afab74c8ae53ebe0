// Why a resident counted (or not) for a clinic on a month's snapshot date, as known at K.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/event.h"
#include "projection/projection.h"

namespace capledger::projection {

// One of the resident's facts and how the fold on D at K treated it.
struct ExplainedFact {
  ResidentFact fact;
  enum class Use : std::uint8_t { kApplied, kAfterSnapshot, kNotYetKnown, kRetracted } use = Use::kApplied;
  bool decisive = false;  // the listing that placed the resident at the counted clinic
};

struct ResidentExplanation {
  domain::Pseudonym pseudonym;
  domain::Date birth_date;
  domain::Sex sex = domain::Sex::kFemale;
  domain::Month month;
  domain::Date snapshot;
  std::string rulebook_id;
  domain::Seq known_at_seq;
  ResidentState state;
  std::string clinic;      // listed at, if any
  bool clinic_open = false;
  bool counted = false;    // counts for `clinic` on the snapshot date
  int age = 0;             // completed years on the snapshot date
  int band = -1;           // capitation band index when counted
  std::string why;         // one sentence: why counted or not
  std::vector<ExplainedFact> facts;  // in (effective, seq) order
};

// Explains the fold of DOMAIN.md §6.2 for one resident. kNotFound if the resident is unknown,
// kNoRulebookInForce if no rulebook covers the month.
Result<ResidentExplanation> ExplainResident(const Projection& projection, const domain::Pseudonym& pseudonym,
                                            domain::Month month, domain::Seq known_at);

}  // namespace capledger::projection
