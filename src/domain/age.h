// Age in completed years, and the capitation band it falls in: the one rule of each (DOMAIN.md
// §6.2), used by the calculation, the projection's hot loops, explain, trace and dispute alike.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/assert.h"
#include "domain/date.h"
#include "domain/rulebook.h"

namespace capledger::domain {

// Ages are counted in completed years; everyone this old or older shares the last slot.
inline constexpr int kAgeSlots = 151;  // 0 .. 150

// A date as the integer yyyymmdd (2024-02-29 -> 20240229).
std::int32_t YmdOf(Date date);

// Completed years on the date `on_ymd` of someone born on `birth_ymd` (both yyyymmdd), or -1 if
// not yet born: (on - birth) / 10000 compares (month, day) as the calendar does, so a birthday on
// 29 February is reached on 1 March in other years. Capped at kAgeSlots - 1. Inline: the
// projection folds millions of residents with it.
inline int AgeFromYmd(std::int32_t birth_ymd, std::int32_t on_ymd) {
  if (on_ymd < birth_ymd) return -1;
  const int age = (on_ymd - birth_ymd) / 10000;
  return age < kAgeSlots ? age : kAgeSlots - 1;
}

// The same rule for dates: AgeFromYmd(YmdOf(birth), YmdOf(on)).
inline int AgeOn(Date birth, Date on) { return AgeFromYmd(YmdOf(birth), YmdOf(on)); }

// The ages [first, end) of capitation band `band` of `rulebook`: from its min_age up to the next
// band's min_age, the last band up to kAgeSlots (rulebook.h). The one definition of a band;
// CapitationBandOf and CountsPerBand both read it. REQUIRES band < rulebook.capitation.size().
struct AgeRange {
  int first = 0;
  int end = 0;
};
inline AgeRange AgesOfBand(const Rulebook& rulebook, std::size_t band) {
  const auto& bands = rulebook.capitation;
  LEDGER_ASSERT(band < bands.size());
  const int first = bands[band].min_age < kAgeSlots ? bands[band].min_age : kAgeSlots;
  const int next = band + 1 < bands.size() ? bands[band + 1].min_age : kAgeSlots;
  return AgeRange{first, next < kAgeSlots ? next : kAgeSlots};
}

// The index of the capitation band of `rulebook` that `age` falls in (the first band starts at 0,
// so there is one). REQUIRES 0 <= age < kAgeSlots.
int CapitationBandOf(const Rulebook& rulebook, int age);

}  // namespace capledger::domain
