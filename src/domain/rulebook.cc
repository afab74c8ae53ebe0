#include "domain/rulebook.h"

#include <fmt/format.h>

namespace capledger::domain {

namespace {
constexpr std::string_view kMissionKinds[] = {"base", "optional"};
constexpr std::string_view kMissionBases[] = {"per_unit", "per_listed", "fixed"};
}  // namespace

std::string_view Name(MissionKind kind) { return kMissionKinds[static_cast<std::size_t>(kind)]; }
std::string_view Name(MissionBasis basis) { return kMissionBases[static_cast<std::size_t>(basis)]; }

std::optional<MissionKind> MissionKindFromName(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kMissionKinds); ++i) {
    if (kMissionKinds[i] == name) return static_cast<MissionKind>(i);
  }
  return std::nullopt;
}

std::optional<MissionBasis> MissionBasisFromName(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kMissionBases); ++i) {
    if (kMissionBases[i] == name) return static_cast<MissionBasis>(i);
  }
  return std::nullopt;
}

const Mission* FindMission(const Rulebook& rulebook, std::string_view id) {
  for (const Mission& m : rulebook.missions) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

bool IsMissionId(std::string_view id) {
  if (id.size() < 2 || id.size() > 32) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::string_view SnapshotRuleName(SnapshotRule rule) {
  switch (rule) {
    case SnapshotRule::kLastDayOfMonth: return "last_day_of_month";
    case SnapshotRule::kFirstDayOfMonth: return "first_day_of_month";
    case SnapshotRule::kLastDayOfPreviousMonth: return "last_day_of_previous_month";
  }
  return "unknown";
}

std::optional<SnapshotRule> SnapshotRuleFromName(std::string_view name) {
  for (auto rule : {SnapshotRule::kLastDayOfMonth, SnapshotRule::kFirstDayOfMonth,
                    SnapshotRule::kLastDayOfPreviousMonth}) {
    if (SnapshotRuleName(rule) == name) return rule;
  }
  return std::nullopt;
}

Date SnapshotDate(SnapshotRule rule, Month month) {
  switch (rule) {
    case SnapshotRule::kLastDayOfMonth: return LastDay(month);
    case SnapshotRule::kFirstDayOfMonth: return FirstDay(month);
    case SnapshotRule::kLastDayOfPreviousMonth: return LastDay(AddMonths(month, -1));
  }
  return LastDay(month);
}

namespace {

std::optional<RulebookViolation> CheckAgeBands(const std::vector<AgeBand>& bands) {
  if (bands.empty()) return RulebookViolation{"capitation.bands", "needs at least one band"};
  for (std::size_t i = 0; i < bands.size(); ++i) {
    const std::string field = fmt::format("capitation.bands[{}].min_age", i);
    if (i == 0 && bands[i].min_age != 0) return RulebookViolation{field, "the first band must start at 0"};
    if (i > 0 && bands[i].min_age <= bands[i - 1].min_age) {
      return RulebookViolation{field, "bands must rise strictly"};
    }
    if (bands[i].min_age > kMinAgeMax) return RulebookViolation{field, "is above 150"};
  }
  return std::nullopt;
}

std::optional<RulebookViolation> CheckDistanceBands(const std::vector<DistanceBand>& bands) {
  if (bands.empty()) return RulebookViolation{"distance_supplement.bands", "needs at least one band"};
  for (std::size_t i = 0; i < bands.size(); ++i) {
    const std::string field = fmt::format("distance_supplement.bands[{}].min_km", i);
    // Distance bands may start above 0 (DOMAIN.md §5 example: 25.0 km): a clinic nearer than the
    // first band gets no distance supplement.
    if (bands[i].min_km_tenths < 0) return RulebookViolation{field, "must not be negative"};
    if (i > 0 && bands[i].min_km_tenths <= bands[i - 1].min_km_tenths) {
      return RulebookViolation{field, "bands must rise strictly"};
    }
  }
  return std::nullopt;
}

std::optional<RulebookViolation> CheckAmount(const std::string& field, Money amount, std::int64_t max_ore) {
  if (amount.ore() < 0) return RulebookViolation{field, "must not be negative"};
  if (amount.ore() > max_ore) {
    return RulebookViolation{field, fmt::format("is above the largest amount a rulebook may state, {} kr",
                                                FormatKronor(Money::FromOre(max_ore)))};
  }
  return std::nullopt;
}

// Every amount of the rulebook within its bound; the first one beyond it.
std::optional<RulebookViolation> CheckAmounts(const Rulebook& rb) {
  for (std::size_t i = 0; i < rb.capitation.size(); ++i) {
    if (auto v = CheckAmount(fmt::format("capitation.bands[{}].amount", i), rb.capitation[i].amount_per_year,
                             kRateOreMax)) {
      return v;
    }
  }
  if (rb.performance_per_year) {
    if (auto v = CheckAmount("performance.amount", *rb.performance_per_year, kRateOreMax)) return v;
  }
  if (rb.visits) {
    const std::pair<const char*, Money> rates[] = {{"visits.home_visit", rb.visits->home_visit},
                                                   {"visits.other_listed", rb.visits->other_listed},
                                                   {"visits.unlisted", rb.visits->unlisted},
                                                   {"visits.out_of_region", rb.visits->out_of_region}};
    for (const auto& [field, rate] : rates) {
      if (auto v = CheckAmount(field, rate, kRateOreMax)) return v;
    }
  }
  if (rb.start_grant) {
    if (auto v = CheckAmount("start_grant.amount", rb.start_grant->amount, kStartGrantOreMax)) return v;
  }
  if (rb.cni_supplement) {
    if (auto v = CheckAmount("cni_supplement.amount", rb.cni_supplement->amount_per_year, kRateOreMax)) return v;
  }
  for (std::size_t i = 0; rb.distance_supplement && i < rb.distance_supplement->size(); ++i) {
    if (auto v = CheckAmount(fmt::format("distance_supplement.bands[{}].amount", i),
                             (*rb.distance_supplement)[i].amount_per_year, kRateOreMax)) {
      return v;
    }
  }
  return std::nullopt;
}

// One [[missions]] table: a valid id not seen before; a base mission with nothing but its title;
// an optional one with an amount within bounds and age limits only on a per_listed basis.
std::optional<RulebookViolation> CheckMission(const Rulebook& rb, std::size_t i) {
  const Mission& m = rb.missions[i];
  const std::string at = fmt::format("missions[{}]", i);
  if (!IsMissionId(m.id)) return RulebookViolation{at + ".id", "must be 2-32 characters of a-z, 0-9 and '-'"};
  for (std::size_t j = 0; j < i; ++j) {
    if (rb.missions[j].id == m.id) return RulebookViolation{at + ".id", fmt::format("repeats missions[{}].id", j)};
  }
  if (m.kind == MissionKind::kBase) return std::nullopt;
  if (m.basis != MissionBasis::kPerListed && (m.min_age || m.max_age)) {
    return RulebookViolation{at + (m.min_age ? ".min_age" : ".max_age"), "applies to a per_listed mission only"};
  }
  if (m.min_age && (*m.min_age < 0 || *m.min_age > kMinAgeMax)) return RulebookViolation{at + ".min_age", "must be 0 to 150"};
  if (m.max_age && (*m.max_age < 1 || *m.max_age > kMinAgeMax + 1)) return RulebookViolation{at + ".max_age", "must be 1 to 151"};
  if (m.min_age.value_or(0) >= m.max_age.value_or(kMinAgeMax + 1)) {
    return RulebookViolation{at + ".max_age", "must be above min_age"};
  }
  return CheckAmount(at + ".amount", m.amount, kRateOreMax);
}

std::optional<RulebookViolation> CheckMissions(const Rulebook& rb) {
  if (rb.missions.size() > kMissionsMax) {
    return RulebookViolation{"missions", fmt::format("must list at most {} missions", kMissionsMax)};
  }
  for (std::size_t i = 0; i < rb.missions.size(); ++i) {
    if (auto v = CheckMission(rb, i)) return v;
  }
  return std::nullopt;
}

std::optional<RulebookViolation> CheckProvenance(const Rulebook& rb) {
  if (!rb.provenance) return std::nullopt;
  if (rb.provenance->decided_by.empty()) return RulebookViolation{"decided_by", "must name who decided the rulebook"};
  if (rb.provenance->replaces && *rb.provenance->replaces == rb.id) {
    return RulebookViolation{"replaces", "a rulebook cannot replace itself"};
  }
  return std::nullopt;
}

}  // namespace

std::string DescribeProvenance(const std::optional<Provenance>& provenance) {
  if (!provenance) return "not recorded";
  const Provenance& p = *provenance;
  std::string text = p.decided_on ? fmt::format("{}, {}", p.decided_by, FormatDate(*p.decided_on))
                                  : fmt::format("{}, date not recorded in the decisions at hand", p.decided_by);
  if (p.replaces) text += fmt::format("; replaces {}", *p.replaces);
  return text;
}

std::optional<RulebookViolation> CheckRulebook(const Rulebook& rb) {
  if (auto v = CheckProvenance(rb)) return v;
  if (rb.valid_from >= rb.valid_until) {
    return RulebookViolation{"valid_until", "must be after valid_from"};
  }
  if (rb.retro_window_months < 0 || rb.retro_window_months > kRetroWindowMonthsMax) {
    return RulebookViolation{"retro_window_months", "must be 0 to 120"};
  }
  if (auto v = CheckAgeBands(rb.capitation)) return v;
  if (rb.start_grant && (rb.start_grant->months < 1 || rb.start_grant->months > kStartGrantMonthsMax)) {
    return RulebookViolation{"start_grant.months", "must be 1 to 120"};
  }
  if (rb.cni_supplement && (rb.cni_supplement->top_n < 1 || rb.cni_supplement->top_n > kTopNMax)) {
    return RulebookViolation{"cni_supplement.top_n", "must be 1 to 100000"};
  }
  if (rb.distance_supplement) {
    if (auto v = CheckDistanceBands(*rb.distance_supplement)) return v;
  }
  if (auto v = CheckAmounts(rb)) return v;
  return CheckMissions(rb);
}

}  // namespace capledger::domain
