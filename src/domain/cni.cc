#include "domain/cni.h"

#include "common/assert.h"

namespace capledger::domain {

std::int64_t CniIndexHundredths(const CniHits& h) {
  return 615 * h.over_65_alone + 572 * h.born_abroad + 513 * h.unemployed + 419 * h.single_parent +
         419 * h.moved_in + 397 * h.low_education + 323 * h.under_5;
}

std::int64_t CniTenThousandths(const CniHits& hits, std::int64_t population) {
  LEDGER_ASSERT(population > 0);
  // CNI × 10^4 = (I/100) / pop / (2476/1000) × 10^4 = I × 100000 / (2476 × pop), I in hundredths.
  const __int128 numerator = static_cast<__int128>(CniIndexHundredths(hits)) * 100000;
  const __int128 denominator = static_cast<__int128>(2476) * population;
  return static_cast<std::int64_t>(numerator / denominator);  // non-negative: truncation = floor
}

}  // namespace capledger::domain
