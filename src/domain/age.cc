#include "domain/age.h"

#include <algorithm>

#include "common/assert.h"

namespace capledger::domain {

std::int32_t YmdOf(Date date) {
  return static_cast<std::int32_t>(static_cast<int>(date.year()) * 10000 +
                                   static_cast<int>(static_cast<unsigned>(date.month())) * 100 +
                                   static_cast<int>(static_cast<unsigned>(date.day())));
}

int CapitationBandOf(const Rulebook& rulebook, int age) {
  LEDGER_ASSERT(age >= 0 && age < kAgeSlots);
  for (std::size_t b = 0; b < rulebook.capitation.size(); ++b) {
    const AgeRange ages = AgesOfBand(rulebook, b);
    if (age >= ages.first && age < ages.end) return static_cast<int>(b);
  }
  LEDGER_ASSERT(false && "the first band starts at 0 (CheckRulebook)");
  return 0;
}

}  // namespace capledger::domain
