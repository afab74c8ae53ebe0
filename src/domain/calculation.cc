#include "domain/calculation.h"

#include <algorithm>

#include "common/assert.h"

namespace capledger::domain {

std::vector<std::int64_t> CountsPerBand(const Rulebook& rulebook, const AgeCounts& ages) {
  std::vector<std::int64_t> counts(rulebook.capitation.size(), 0);
  for (std::size_t b = 0; b < counts.size(); ++b) {
    const AgeRange range = AgesOfBand(rulebook, b);
    std::int64_t sum = 0;  // a local sum, not counts[b]: the loop then needs no store per age
    for (int age = range.first; age < range.end; ++age) sum += ages[static_cast<std::size_t>(age)];
    counts[b] = sum;
  }
  return counts;
}

namespace {

__int128 Wide(std::int64_t value) { return static_cast<__int128>(value); }

// amount_per_year × N / 12 × (f / 1000) with one rounding; f = 1000 when there is no factor.
Result<Money> PerResidentPerMonth(Money per_year, std::int64_t listed, std::int64_t thousandths) {
  return DivideRoundHalfAway(Wide(per_year.ore()) * listed * thousandths, 12 * 1000);
}

Result<Money> Capitation(const Rulebook& rulebook, const std::vector<std::int64_t>& band_counts) {
  __int128 numerator = 0;
  for (std::size_t b = 0; b < band_counts.size(); ++b) {
    numerator += Wide(band_counts[b]) * rulebook.capitation[b].amount_per_year.ore();
  }
  return DivideRoundHalfAway(numerator, 12);
}

Result<Money> Visits(const VisitRates& rates, const VisitCounts& counts) {
  const __int128 total = Wide(counts.home_visits) * rates.home_visit.ore() +
                         Wide(counts.other_listed) * rates.other_listed.ore() +
                         Wide(counts.unlisted) * rates.unlisted.ore() +
                         Wide(counts.out_of_region) * rates.out_of_region.ore();
  return DivideRoundHalfAway(total, 1);
}

std::optional<Money> DistanceBandAmount(const std::vector<DistanceBand>& bands, std::int32_t distance_tenths) {
  std::optional<Money> amount;
  for (const auto& band : bands) {
    if (band.min_km_tenths <= distance_tenths) amount = band.amount_per_year;
  }
  return amount;
}

// The parts of the missions summed exactly and rounded once (DOMAIN.md §9, §6 step 4).
Result<Money> Missions(const Rulebook& rb, const ClinicMonthFacts& facts) {
  __int128 twelfths = 0;
  for (const MissionPart& part : MissionParts(rb, facts)) twelfths += part.twelfths;
  return DivideRoundHalfAway(twelfths, 12);
}

// Computes each component into `out.amounts`; the first overflow stops it.
Status ComputeComponents(const Rulebook& rb, const ClinicMonthFacts& facts, ClinicMonthAmounts& out) {
  auto set = [&](Component c, Result<Money> amount) -> Status {
    if (!amount) return tl::unexpected(amount.error());
    out.amounts[static_cast<std::size_t>(c)] = *amount;
    return {};
  };
  Status s = set(Component::kCapitation, Capitation(rb, out.band_counts));
  if (s && rb.performance_per_year && facts.fulfilment_thousandths) {
    s = set(Component::kPerformance,
            PerResidentPerMonth(*rb.performance_per_year, out.listed, *facts.fulfilment_thousandths));
  }
  if (s && rb.visits && facts.visits) s = set(Component::kVisits, Visits(*rb.visits, *facts.visits));
  // The start grant follows the rulebook in force for the opening month (DOMAIN.md §6.3), so the
  // part is paid even if this month's rulebook has no [start_grant] table.
  if (s && facts.start_grant_part) s = set(Component::kStartGrant, *facts.start_grant_part);
  if (s && rb.cni_supplement && facts.in_cni_top_n) {
    s = set(Component::kCniSupplement, PerResidentPerMonth(rb.cni_supplement->amount_per_year, out.listed, 1000));
  }
  if (s && rb.distance_supplement && facts.distance_km_tenths) {
    if (auto per_year = DistanceBandAmount(*rb.distance_supplement, *facts.distance_km_tenths)) {
      s = set(Component::kDistanceSupplement, PerResidentPerMonth(*per_year, out.listed, 1000));
    }
  }
  if (s && !facts.missions.empty()) s = set(Component::kMissions, Missions(rb, facts));
  return s;
}

}  // namespace

Result<ClinicMonthAmounts> ComputeClinicMonth(const Rulebook& rulebook, const ClinicMonthFacts& facts) {
  ClinicMonthAmounts out;
  out.band_counts.assign(rulebook.capitation.size(), 0);
  if (facts.open_on_snapshot) {
    out.band_counts = CountsPerBand(rulebook, facts.listed_by_age);
    for (std::int64_t n : out.band_counts) out.listed += n;
    if (auto computed = ComputeComponents(rulebook, facts, out); !computed) return tl::unexpected(computed.error());
  } else if (facts.open_in_month && rulebook.visits && facts.visits) {
    // Visits are paid for work done (DOMAIN.md §6 step 3): a clinic closing on the 20th is paid
    // for the visits of its last 19 days.
    auto visits = Visits(*rulebook.visits, *facts.visits);
    if (!visits) return tl::unexpected(visits.error());
    out.amounts[static_cast<std::size_t>(Component::kVisits)] = *visits;
  }
  for (const Money& amount : out.amounts) {
    auto sum = out.total.Plus(amount);
    if (!sum) return tl::unexpected(sum.error());
    out.total = *sum;
  }
  return out;
}

std::int64_t CountAged(const AgeCounts& ages, std::optional<int> min_age, std::optional<int> max_age) {
  const int from = std::clamp(min_age.value_or(0), 0, kAgeSlots);
  const int until = std::clamp(max_age.value_or(kAgeSlots), 0, kAgeSlots);
  std::int64_t n = 0;
  for (int age = from; age < until; ++age) n += ages[static_cast<std::size_t>(age)];
  return n;
}

std::vector<MissionPart> MissionParts(const Rulebook& rulebook, const ClinicMonthFacts& facts) {
  std::vector<MissionPart> parts;
  if (!facts.open_on_snapshot) return parts;
  for (const OfferedMission& offered : facts.missions) {
    MissionPart part;
    part.mission = offered.mission;
    part.seq = offered.seq;
    const Mission* m = FindMission(rulebook, offered.mission);
    if (m == nullptr || m->kind == MissionKind::kBase) {
      part.problem = m == nullptr ? MissionProblem::kNotInRulebook : MissionProblem::kBaseMission;
      parts.push_back(std::move(part));
      continue;
    }
    part.basis = m->basis;
    part.amount = m->amount;
    switch (m->basis) {
      case MissionBasis::kFixed:
        part.count = 1;
        part.twelfths = Wide(m->amount.ore()) * 12;
        break;
      case MissionBasis::kPerListed:
        part.count = CountAged(facts.listed_by_age, m->min_age, m->max_age);
        part.twelfths = Wide(part.count) * m->amount.ore();
        break;
      case MissionBasis::kPerUnit:
        if (!offered.units) {
          part.problem = MissionProblem::kUnitsMissing;
        } else {
          part.count = *offered.units;
          part.twelfths = Wide(part.count) * m->amount.ore();
        }
        break;
    }
    parts.push_back(std::move(part));
  }
  return parts;
}

std::vector<Money> StartGrantParts(Money amount, int months) {
  LEDGER_ASSERT(months >= 1);
  std::vector<Money> parts;
  parts.reserve(static_cast<std::size_t>(months));
  const Money part = *DivideRoundHalfAway(Wide(amount.ore()), months);  // |part| <= |amount|
  std::int64_t others = 0;
  for (int i = 0; i + 1 < months; ++i) {
    parts.push_back(part);
    others += part.ore();
  }
  parts.push_back(Money::FromOre(amount.ore() - others));
  return parts;
}

std::vector<ClinicId> CniTopN(std::vector<CniCandidate> candidates, int top_n) {
  std::erase_if(candidates, [](const CniCandidate& c) { return c.listed <= 0; });
  std::sort(candidates.begin(), candidates.end(), [](const CniCandidate& a, const CniCandidate& b) {
    if (a.cni_ten_thousandths != b.cni_ten_thousandths) return a.cni_ten_thousandths > b.cni_ten_thousandths;
    return a.clinic < b.clinic;
  });
  std::vector<ClinicId> top;
  for (const auto& c : candidates) {
    if (static_cast<int>(top.size()) >= top_n) break;
    top.push_back(c.clinic);
  }
  return top;
}

std::int64_t DeliveredOrComputedCni(const CniReported& report) {
  if (report.cni_ten_thousandths) return *report.cni_ten_thousandths;
  return CniTenThousandths(report.hits, report.population);
}

}  // namespace capledger::domain
