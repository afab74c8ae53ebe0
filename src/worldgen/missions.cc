// The clinics' optional missions (DOMAIN.md §9). In the first year a rulebook lists an optional
// mission, some of the clinics open from the start take it on from 1 January; each year after
// that a few more take one on, change their units or end one, on the 1st of a month; a mission
// that the rulebook of a new year no longer lists as optional is ended on 1 January. Planned
// once, before the world starts, and held in the sink until its recorded time.
#include <algorithm>
#include <optional>

#include "worldgen/world.h"

namespace capledger::worldgen {
namespace {

using std::chrono::day;
using std::chrono::December;
using std::chrono::year;
using domain::MissionBasis;
using domain::MissionKind;

// Units of a per_unit mission (bed places in special housing, say).
constexpr std::int64_t kUnitsMin = 1;
constexpr std::int64_t kUnitsMax = 6;
// A change is reported late (after it took effect) with this probability, per mille.
constexpr std::uint64_t kLatePerMille = 200;

// Per mille of the clinics that take an optional mission on in the first year a rulebook lists
// it: a third take a per-listed mission (bvc), a quarter a per-unit one (läkarmedverkan i
// särskilt boende), one in ten a fixed one (jour).
std::uint64_t TakeUpPerMille(MissionBasis basis) {
  switch (basis) {
    case MissionBasis::kPerListed: return 333;
    case MissionBasis::kPerUnit: return 250;
    case MissionBasis::kFixed: return 100;
  }
  return 0;
}

bool IsOptional(const domain::Rulebook* rulebook, const std::string& id) {
  const domain::Mission* mission = rulebook == nullptr ? nullptr : domain::FindMission(*rulebook, id);
  return mission != nullptr && mission->kind == MissionKind::kOptional;
}

std::vector<const domain::Mission*> OptionalMissions(const domain::Rulebook& rulebook) {
  std::vector<const domain::Mission*> out;
  for (const domain::Mission& m : rulebook.missions) {
    if (m.kind == MissionKind::kOptional) out.push_back(&m);
  }
  return out;
}

Date FirstOf(int y, unsigned m) { return Date{year(y), std::chrono::month(m), day(1)}; }

}  // namespace

void World::PlanMissions() {
  mission_clinics_ = geography_.clinics.size();
  for (int y = options_.first_year; y < options_.first_year + options_.years; ++y) {
    const domain::Rulebook* rulebook = RulebookOn(FirstOf(y, 1));
    if (rulebook == nullptr) continue;  // no rulebook: nobody changes anything
    const domain::Rulebook* before = y == options_.first_year ? nullptr : RulebookOn(domain::AddDays(FirstOf(y, 1), -1));
    EndUnlistedMissions(y, *rulebook);
    for (const domain::Mission* m : OptionalMissions(*rulebook)) {
      if (!IsOptional(before, m->id)) TakeUpMission(y, *m);
    }
    MissionChanges(y, *rulebook);
  }
}

// What takes effect on 1 January of `y` is recorded after the rulebook (15 December, 10:00) on
// 16-30 December; in the world's first year, on 1 January after the initial population.
Micros World::NewYearRecorded(int y) {
  if (y == options_.first_year) return RandomTimeOf(plan_rng_, FirstOf(y, 1), 1);
  return RandomTimeOf(plan_rng_, Date{year(y - 1), December, day(16)}, 15);
}

void World::EndUnlistedMissions(int y, const domain::Rulebook& rulebook) {
  std::vector<MissionKey> ended;
  for (const auto& [key, units] : offered_) {
    if (!IsOptional(&rulebook, key.second)) ended.push_back(key);
  }
  for (const MissionKey& key : ended) HoldMission({key.first, key.second, FirstOf(y, 1), 0}, false, NewYearRecorded(y));
}

// TakeUpPerMille of the clinics take `mission` on from 1 January of `y`; at least one does, so
// that every world with the mission exercises it.
void World::TakeUpMission(int y, const domain::Mission& mission) {
  std::vector<std::uint16_t> takers;
  for (std::size_t c = 0; c < mission_clinics_; ++c) {
    const MissionKey key{static_cast<std::uint16_t>(c), mission.id};
    if (!offered_.contains(key) && plan_rng_.PerMille(TakeUpPerMille(mission.basis))) takers.push_back(key.first);
  }
  if (takers.empty() && mission_clinics_ > 0) {
    const auto c = static_cast<std::uint16_t>(plan_rng_.Below(mission_clinics_));
    if (!offered_.contains({c, mission.id})) takers.push_back(c);
  }
  const bool per_unit = mission.basis == MissionBasis::kPerUnit;
  for (std::uint16_t c : takers) {
    const std::int64_t units = per_unit ? plan_rng_.Between(kUnitsMin, kUnitsMax) : 1;
    HoldMission({c, mission.id, FirstOf(y, 1), units}, per_unit, NewYearRecorded(y));
  }
}

// 2 + clinics / 6 changes in a year (7 for Örebro's 29 clinics), each on the 1st of a month from
// February to December: 40 % a clinic takes a mission on, 30 % a per_unit mission's units change,
// 30 % a mission ends. A change that finds no clinic to apply to is skipped.
void World::MissionChanges(int y, const domain::Rulebook& rulebook) {
  std::vector<unsigned> months;
  const std::size_t changes = 2 + mission_clinics_ / 6;
  for (std::size_t k = 0; k < changes; ++k) months.push_back(static_cast<unsigned>(plan_rng_.Between(2, 12)));
  std::sort(months.begin(), months.end());
  for (unsigned m : months) {
    const Date effective = FirstOf(y, m);
    const Micros recorded = ChangeRecorded(effective, m <= 10);
    const std::uint64_t action = plan_rng_.Below(10);
    if (action < 4) {
      UndertakeSomewhere(rulebook, effective, recorded);
    } else if (action < 7) {
      ChangeSomeUnits(rulebook, effective, recorded);
    } else {
      EndSomewhere(effective, recorded);
    }
  }
}

void World::UndertakeSomewhere(const domain::Rulebook& rulebook, Date effective, Micros recorded) {
  const std::vector<const domain::Mission*> optional = OptionalMissions(rulebook);
  if (optional.empty() || mission_clinics_ == 0) return;
  for (int attempt = 0; attempt < 20; ++attempt) {
    const auto c = static_cast<std::uint16_t>(plan_rng_.Below(mission_clinics_));
    const domain::Mission& mission = *optional[plan_rng_.Below(optional.size())];
    const MissionKey key{c, mission.id};
    if (offered_.contains(key) || !SettledBefore(key, effective)) continue;
    const bool per_unit = mission.basis == MissionBasis::kPerUnit;
    HoldMission({c, mission.id, effective, per_unit ? plan_rng_.Between(kUnitsMin, kUnitsMax) : 1}, per_unit, recorded);
    return;
  }
}

// A later MissionUndertaken of the same (clinic, mission) with other units.
void World::ChangeSomeUnits(const domain::Rulebook& rulebook, Date effective, Micros recorded) {
  std::vector<std::pair<MissionKey, std::int64_t>> candidates;
  for (const auto& [key, units] : offered_) {
    const domain::Mission* mission = domain::FindMission(rulebook, key.second);
    if (mission != nullptr && mission->basis == MissionBasis::kPerUnit && SettledBefore(key, effective)) {
      candidates.emplace_back(key, units);
    }
  }
  if (candidates.empty()) return;
  const auto& [key, units] = candidates[plan_rng_.Below(candidates.size())];
  // units - kUnitsMin shifted by 1 .. span - 1 around the span: always other units.
  const std::int64_t span = kUnitsMax - kUnitsMin + 1;
  const std::int64_t changed = (units - kUnitsMin + plan_rng_.Between(1, span - 1)) % span + kUnitsMin;
  HoldMission({key.first, key.second, effective, changed}, true, recorded);
}

void World::EndSomewhere(Date effective, Micros recorded) {
  std::vector<MissionKey> candidates;
  for (const auto& [key, units] : offered_) {
    if (SettledBefore(key, effective)) candidates.push_back(key);
  }
  if (candidates.empty()) return;
  const MissionKey& key = candidates[plan_rng_.Below(candidates.size())];
  HoldMission({key.first, key.second, effective, 0}, false, recorded);
}

// At most one event per (clinic, mission) and effective date, so that no tie needs the seq.
bool World::SettledBefore(const MissionKey& key, Date effective) const {
  const auto it = last_change_.find(key);
  return it == last_change_.end() || it->second < effective;
}

// A change is recorded 4-21 days before it takes effect; one in five of those taking effect by
// 1 October is reported late instead, 10-50 days after (a payout run then corrects the months
// already paid), and still before the world ends.
Micros World::ChangeRecorded(Date effective, bool may_be_late) {
  if (may_be_late && plan_rng_.PerMille(kLatePerMille)) return RandomTimeOf(plan_rng_, domain::AddDays(effective, 10), 41);
  return RandomTimeOf(plan_rng_, domain::AddDays(effective, -21), 18);
}

void World::HoldMission(const PlannedMission& planned, bool per_unit, Micros recorded) {
  const MissionKey key{planned.clinic, planned.mission};
  if (planned.units > 0) {
    offered_[key] = planned.units;
  } else {
    offered_.erase(key);
  }
  last_change_[key] = planned.effective;
  missions_.push_back(planned);
  const domain::ClinicId& clinic = geography_.clinics[planned.clinic].id;
  if (planned.units == 0) {
    sink_.Hold(PendingEvent{recorded, domain::MissionEnded{clinic, planned.mission, planned.effective}});
    return;
  }
  const std::optional<std::int64_t> units = per_unit ? std::optional(planned.units) : std::nullopt;
  sink_.Hold(PendingEvent{recorded, domain::MissionUndertaken{clinic, planned.mission, planned.effective, units}});
}

// The missions offered on `day` by the plan, with their units; missions_ is in effective order.
std::map<MissionKey, std::int64_t> World::MissionsOn(Date day) const {
  std::map<MissionKey, std::int64_t> offered;
  for (const PlannedMission& planned : missions_) {
    if (planned.effective > day) continue;
    if (planned.units > 0) {
      offered[{planned.clinic, planned.mission}] = planned.units;
    } else {
      offered.erase({planned.clinic, planned.mission});
    }
  }
  return offered;
}

}  // namespace capledger::worldgen
