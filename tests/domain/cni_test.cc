// Care Need Index as SCB computes it (DOMAIN.md §6.2): index = Σ weight × hits with the weights
// 6.15, 5.72, 5.13, 4.19, 4.19, 3.97, 3.23; CNI = (index / population) / 2.476, truncated to 4
// decimals. Each expected figure is worked out by hand in its comment (and was checked with
// Python's integer arithmetic).
#include <doctest/doctest.h>

#include "domain/cni.h"

namespace capledger::domain {
namespace {

CniHits Hits(std::int64_t over_65_alone, std::int64_t born_abroad, std::int64_t unemployed,
             std::int64_t single_parent, std::int64_t moved_in, std::int64_t low_education, std::int64_t under_5) {
  return CniHits{over_65_alone, born_abroad, unemployed, single_parent, moved_in, low_education, under_5};
}

TEST_CASE("each variable carries its own weight") {
  CHECK(CniIndexHundredths(Hits(1, 0, 0, 0, 0, 0, 0)) == 615);
  CHECK(CniIndexHundredths(Hits(0, 1, 0, 0, 0, 0, 0)) == 572);
  CHECK(CniIndexHundredths(Hits(0, 0, 1, 0, 0, 0, 0)) == 513);
  CHECK(CniIndexHundredths(Hits(0, 0, 0, 1, 0, 0, 0)) == 419);
  CHECK(CniIndexHundredths(Hits(0, 0, 0, 0, 1, 0, 0)) == 419);
  CHECK(CniIndexHundredths(Hits(0, 0, 0, 0, 0, 1, 0)) == 397);
  CHECK(CniIndexHundredths(Hits(0, 0, 0, 0, 0, 0, 1)) == 323);
  CHECK(CniIndexHundredths(Hits(0, 0, 0, 0, 0, 0, 0)) == 0);
  CHECK(CniTenThousandths(Hits(0, 0, 0, 0, 0, 0, 0), 1000) == 0);
}

TEST_CASE("a small clinic: the CNI is truncated, not rounded") {
  // Index = 6.15·10 + 5.72·20 + 5.13·5 + 4.19·3 + 4.19·7 + 3.97·11 + 3.23·4
  //       = 61.50 + 114.40 + 25.65 + 12.57 + 29.33 + 43.67 + 12.92 = 300.04.
  // CNI = 300.04 / 1000 / 2.476 = 0.30004 / 2.476 = 0.121179... -> 0.1211 (rounding would give 0.1212).
  const CniHits hits = Hits(10, 20, 5, 3, 7, 11, 4);
  CHECK(CniIndexHundredths(hits) == 30004);
  CHECK(CniTenThousandths(hits, 1000) == 1211);
}

TEST_CASE("one resident living alone over 65") {
  // 6.15 / 1 / 2.476 = 2.483844... -> 2.4838 (the fifth decimal, 4, is dropped).
  CHECK(CniTenThousandths(Hits(1, 0, 0, 0, 0, 0, 0), 1) == 24838);
  // 3.23 / 1 / 2.476 = 1.304523... -> 1.3045.
  CHECK(CniTenThousandths(Hits(0, 0, 0, 0, 0, 0, 1), 1) == 13045);
}

TEST_CASE("an index of exactly 2.476 per resident is CNI 1.0000, not 0.9999") {
  // 1238 children under 5 in a population of 1615: index = 3.23 · 1238 = 3998.74;
  // 3998.74 / 1615 = 2.476 exactly (3.23 · 1238 = 2.476 · 1615 since 323 · 1238 = 399874 = 2476 · 161.5);
  // 2.476 / 2.476 = 1.0000.
  const CniHits hits = Hits(0, 0, 0, 0, 0, 0, 1238);
  CHECK(CniIndexHundredths(hits) == 399874);
  CHECK(CniTenThousandths(hits, 1615) == 10000);
  // One more resident makes it fall just below 1: 3998.74 / 1616 = 2.474467...; / 2.476 = 0.999381... -> 0.9993.
  CHECK(CniTenThousandths(hits, 1616) == 9993);
}

TEST_CASE("an Örebro-sized clinic") {
  // Index = 6.15·600 + 5.72·1800 + 5.13·500 + 4.19·300 + 4.19·900 + 3.97·1100 + 3.23·650
  //       = 3690 + 10296 + 2565 + 1257 + 3771 + 4367 + 2099.50 = 28045.50.
  // CNI = 28045.50 / 12000 / 2.476 = 2.337125 / 2.476 = 0.943911... -> 0.9439.
  const CniHits hits = Hits(600, 1800, 500, 300, 900, 1100, 650);
  CHECK(CniIndexHundredths(hits) == 2804550);
  CHECK(CniTenThousandths(hits, 12000) == 9439);
}

TEST_CASE("the largest hit counts do not overflow") {
  // Every count 10^9: index = (6.15+5.72+5.13+4.19+4.19+3.97+3.23) · 10^9 = 32.58 · 10^9.
  // CNI = 32.58e9 / 1 / 2.476 = 13158319870.7592891... -> 13158319870.7592.
  const CniHits hits = Hits(1'000'000'000, 1'000'000'000, 1'000'000'000, 1'000'000'000, 1'000'000'000,
                            1'000'000'000, 1'000'000'000);
  CHECK(CniIndexHundredths(hits) == 3'258'000'000'000);
  CHECK(CniTenThousandths(hits, 1) == 131'583'198'707'592);
}

}  // namespace
}  // namespace capledger::domain
