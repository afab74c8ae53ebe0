// Care Need Index as Statistics Sweden (SCB) computes it: DOMAIN.md §6.2.
#pragma once

#include <cstdint>

namespace capledger::domain {

// The seven CNI variables counted over a clinic's listed population.
struct CniHits {
  std::int64_t over_65_alone = 0;  // weight 6.15
  std::int64_t born_abroad = 0;    // weight 5.72
  std::int64_t unemployed = 0;     // weight 5.13
  std::int64_t single_parent = 0;  // weight 4.19
  std::int64_t moved_in = 0;       // weight 4.19
  std::int64_t low_education = 0;  // weight 3.97
  std::int64_t under_5 = 0;        // weight 3.23
  friend bool operator==(const CniHits&, const CniHits&) = default;
};

// The exact index Σ weight × hits, in hundredths (weights are given to two decimals).
// REQUIRES every hit count in [0, 1e9].
std::int64_t CniIndexHundredths(const CniHits& hits);

// CNI = (index / population) / 2.476 from the exact index, truncated (not rounded) to 4 decimals,
// returned in ten-thousandths: 1.2345 -> 12345. REQUIRES population > 0.
std::int64_t CniTenThousandths(const CniHits& hits, std::int64_t population);

}  // namespace capledger::domain
