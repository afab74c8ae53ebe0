// The regional council's budget frame for Hälsoval compensation (DOMAIN.md §10). Each year's
// frame is set in November of the year before, near what the world is expected to cost that year
// under the rulebook in force for it; one year's frame is revised in June.
//
// The expected cost of year Y: the listed residents by age (on 1 July of Y, as the world stands
// when the frame is set; for the first year the initial population) priced by the rulebook in
// force on 1 January of Y (else the last one):
//   capitation: Σ_b n_b × amount_b; performance: N × amount × 0.780 (the clinics' usual goal
//   fulfilment, 620-940 per mille); visits: ExpectedVisitsOre; the parts of the new clinic's
//   start grant that fall in the year; the CNI supplement for top_n clinics and the distance supplement, each as
//   if every open clinic had N / (open clinics) listed; the missions offered on 1 July of Y
//   (per_listed: the residents of the age range / open clinics).
// An Örebro world of seed 42 is expected to cost 1,209 MSEK in 2023 and 1,362 MSEK in 2026 (with
// the supplements of KoK-2026); its reports add up to 1,198 and about 1,350 MSEK.
#include <algorithm>

#include <fmt/format.h>

#include "codec/json_field_rules.h"
#include "worldgen/world.h"

namespace capledger::worldgen {
namespace {

using std::chrono::day;
using std::chrono::January;
using std::chrono::July;
using std::chrono::June;
using std::chrono::November;
using std::chrono::year;

// Frames are set in whole 100,000.00 kronor.
constexpr std::int64_t kFrameStepOre = 10'000'000;
// The clinics' usual goal fulfilment (geography.cc: 620-940 per mille), in the middle.
constexpr std::int64_t kTypicalFulfilmentPerMille = 780;

// `ore` rounded half up to whole frame steps (a cost is positive).
std::int64_t RoundToStep(__int128 ore) {
  return static_cast<std::int64_t>((ore + kFrameStepOre / 2) / kFrameStepOre * kFrameStepOre);
}

// A council decision reference shaped like the region's diary numbers ("24RF123": year of the
// decision, RF for regionfullmäktige, a number). INVENTED for the synthetic world: the real
// frames' decision numbers are not in the decisions at hand.
std::string DecisionReference(int decided_in, Rng& rng) {
  return fmt::format("{:02d}RF{}", decided_in % 100, rng.Between(100, 999));
}

// Capitation, performance and visits of a year of `ages` listed residents under `rulebook`.
__int128 PerResidentOre(const domain::Rulebook& rulebook, const domain::AgeCounts& ages, std::int64_t listed) {
  __int128 ore = 0;
  const std::vector<std::int64_t> bands = domain::CountsPerBand(rulebook, ages);
  for (std::size_t b = 0; b < bands.size(); ++b) ore += __int128{bands[b]} * rulebook.capitation[b].amount_per_year.ore();
  if (rulebook.performance_per_year) {
    ore += __int128{listed} * rulebook.performance_per_year->ore() * kTypicalFulfilmentPerMille / 1000;
  }
  if (rulebook.visits) ore += ExpectedVisitsOre(*rulebook.visits, listed);
  return ore;
}

// The amount of the highest distance band the distance reaches, or 0.
std::int64_t DistanceAmountOre(const std::vector<domain::DistanceBand>& bands, std::int32_t tenths) {
  std::int64_t ore = 0;
  for (const domain::DistanceBand& band : bands) {
    if (band.min_km_tenths <= tenths) ore = band.amount_per_year.ore();
  }
  return ore;
}

}  // namespace

// The first year's frame, decided on 10-25 November of the year before the world starts.
void World::FirstBudgetFrame() {
  const int y = options_.first_year;
  const domain::AgeCounts ages = InitialAges(geography_);
  SetFrame(y, ExpectedYearOre(y, ages), RandomTimeOf(plan_rng_, Date{year(y - 1), November, day(10)}, 16));
}

// Next year's frame on 10-25 November; in revised_year_, a revision on 10-25 June that changes
// the frame by 1.0-3.0 % either way (a supplementary budget or a saving).
void World::BudgetFrames(Month known_in) {
  const int y = static_cast<int>(known_in.year());
  const auto month = static_cast<unsigned>(known_in.month());
  if (month == 11 && y + 1 < options_.first_year + options_.years) {
    const Date mid{year(y + 1), July, day(1)};
    SetFrame(y + 1, ExpectedYearOre(y + 1, ListedAges(mid)), RandomTimeOf(plan_rng_, Date{year(y), November, day(10)}, 16));
  }
  if (month == 6 && y == revised_year_) {
    const std::int64_t per_mille = plan_rng_.Between(10, 30);  // drawn before the sign, as it always was
    const std::int64_t change = per_mille * (plan_rng_.PerMille(500) ? 1 : -1);
    const std::int64_t first = frames_ore_[static_cast<std::size_t>(y - options_.first_year)];
    HoldFrame(y, RoundToStep(__int128{first} * (1000 + change) / 1000), y,
              RandomTimeOf(plan_rng_, Date{year(y), June, day(10)}, 16));
  }
}

// The rulebook in force on 1 January of `y`, else the last one (the council sizes a frame by the
// rules it knows); null if there is none.
const domain::Rulebook* World::RulebookForYear(int y) const {
  const domain::Rulebook* rulebook = RulebookOn(Date{year(y), January, day(1)});
  if (rulebook == nullptr && !options_.rulebooks.empty()) rulebook = &options_.rulebooks.back();
  return rulebook;
}

// What year `y` is expected to cost in all, in öre (the file comment), with `ages` listed.
std::int64_t World::ExpectedYearOre(int y, const domain::AgeCounts& ages) const {
  const domain::Rulebook* rulebook = RulebookForYear(y);
  if (rulebook == nullptr) return 0;
  const Date mid{year(y), July, day(1)};
  std::int64_t listed = 0;
  for (std::int64_t n : ages) listed += n;
  __int128 ore = PerResidentOre(*rulebook, ages, listed);
  ore += ExpectedSupplementsOre(*rulebook, mid, listed) + ExpectedMissionsOre(*rulebook, mid, ages);
  return static_cast<std::int64_t>(ore + ExpectedStartGrantOre(y));
}

// The parts of the new clinic's start grant that fall in `y`, one a month from its opening month.
std::int64_t World::ExpectedStartGrantOre(int y) const {
  const domain::Rulebook* rules = RulebookOn(FirstDay(opening_month_));
  if (rules == nullptr || !rules->start_grant || rules->start_grant->months < 1) return 0;
  const int opening = domain::MonthOrdinal(opening_month_);
  const int first = std::max(opening, domain::MonthOrdinal(Month{year(y), January}));
  const int last = std::min(opening + rules->start_grant->months, domain::MonthOrdinal(Month{year(y + 1), January}));
  if (first >= last) return 0;
  return rules->start_grant->amount.ore() * (last - first) / rules->start_grant->months;
}

// The CNI and distance supplements of a year, each open clinic with an equal share of `listed`.
std::int64_t World::ExpectedSupplementsOre(const domain::Rulebook& rulebook, Date mid, std::int64_t listed) const {
  const std::vector<std::size_t> open = OpenClinics(mid);
  if (open.empty()) return 0;
  const std::int64_t per_clinic = listed / static_cast<std::int64_t>(open.size());
  std::int64_t ore = 0;
  if (rulebook.cni_supplement) {
    const std::int64_t ranked = std::min<std::int64_t>(rulebook.cni_supplement->top_n, static_cast<std::int64_t>(open.size()));
    ore += ranked * per_clinic * rulebook.cni_supplement->amount_per_year.ore();
  }
  if (rulebook.distance_supplement) {
    for (std::size_t c : open) {
      ore += per_clinic * DistanceAmountOre(*rulebook.distance_supplement, geography_.clinics[c].distance_tenths);
    }
  }
  return ore;
}

// The missions the plan has offered on `mid`, for twelve months.
std::int64_t World::ExpectedMissionsOre(const domain::Rulebook& rulebook, Date mid, const domain::AgeCounts& ages) const {
  const auto open = static_cast<std::int64_t>(std::max<std::size_t>(OpenClinics(mid).size(), 1));
  std::int64_t ore = 0;
  for (const auto& [key, units] : MissionsOn(mid)) {
    const domain::Mission* m = domain::FindMission(rulebook, key.second);
    if (m == nullptr || m->kind != domain::MissionKind::kOptional) continue;
    switch (m->basis) {
      case domain::MissionBasis::kFixed: ore += 12 * m->amount.ore(); break;
      case domain::MissionBasis::kPerUnit: ore += units * m->amount.ore(); break;
      case domain::MissionBasis::kPerListed:
        ore += domain::CountAged(ages, m->min_age, m->max_age) * m->amount.ore() / open;
        break;
    }
  }
  return ore;
}

// The clinics known now that are open on `day` (the generator closes none).
std::vector<std::size_t> World::OpenClinics(Date day) const {
  std::vector<std::size_t> open;
  for (std::size_t c = 0; c < geography_.clinics.size(); ++c) {
    if (geography_.clinics[c].opening <= day) open.push_back(c);
  }
  return open;
}

// The residents listed now by their age on `on`, in completed years near enough for an estimate.
domain::AgeCounts World::ListedAges(Date on) const {
  domain::AgeCounts ages{};
  const std::int32_t today = domain::DaysSinceEpoch(on);
  for (std::size_t slot = 0; slot < population_.alive_count(); ++slot) {
    const Person& p = population_[population_.alive_at(slot)];
    if (p.clinic == kNoClinic) continue;
    const int age = std::clamp((today - p.birth_days) * 4 / 1461, 0, domain::kAgeSlots - 1);
    ++ages[static_cast<std::size_t>(age)];
  }
  return ages;
}

// The frame for `y`: the expected cost plus 0.5-2.5 %, in whole frame steps, decided the year before.
void World::SetFrame(int y, std::int64_t expected_ore, Micros recorded) {
  const std::int64_t frame = RoundToStep(__int128{expected_ore} * (1000 + plan_rng_.Between(5, 25)) / 1000);
  frames_ore_.push_back(frame);
  HoldFrame(y, frame, y - 1, recorded);
}

// A BudgetFrameSet, unless the frame exceeds what ingest accepts (codec::json::kBudgetFrameOreMax,
// 10,000 MSEK: the sweden preset as one region does) or there is no rulebook to size it by.
void World::HoldFrame(int y, std::int64_t ore, int decided_in, Micros recorded) {
  if (ore <= 0 || ore > codec::json::kBudgetFrameOreMax) return;
  sink_.Hold(PendingEvent{recorded, domain::BudgetFrameSet{y, domain::Money::FromOre(ore),
                                                           DecisionReference(decided_in, plan_rng_)}});
}

}  // namespace capledger::worldgen
