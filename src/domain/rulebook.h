// The rulebook (Krav- och kvalitetsbok) as a value: DOMAIN.md §5.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/date.h"
#include "domain/money.h"

namespace capledger::domain {

// Which day of a month the listed population is counted on.
enum class SnapshotRule : std::uint8_t {
  kLastDayOfMonth = 0,
  kFirstDayOfMonth = 1,
  kLastDayOfPreviousMonth = 2,
};

// A capitation band: residents aged min_age up to the next band's min_age (exclusive).
struct AgeBand {
  int min_age = 0;
  Money amount_per_year = Money::Zero();
  friend bool operator==(const AgeBand&, const AgeBand&) = default;
};

// A distance band: clinics at least min_km_tenths / 10 km from a hospital.
struct DistanceBand {
  std::int32_t min_km_tenths = 0;
  Money amount_per_year = Money::Zero();
  friend bool operator==(const DistanceBand&, const DistanceBand&) = default;
};

// Per-visit rates.
struct VisitRates {
  Money home_visit = Money::Zero();
  Money other_listed = Money::Zero();
  Money unlisted = Money::Zero();
  Money out_of_region = Money::Zero();
  friend bool operator==(const VisitRates&, const VisitRates&) = default;
};

// A start-up grant paid in `months` equal parts from the opening month.
struct StartGrant {
  Money amount = Money::Zero();
  int months = 0;
  friend bool operator==(const StartGrant&, const StartGrant&) = default;
};

// A supplement for the top_n clinics by CNI.
struct CniSupplement {
  int top_n = 0;
  Money amount_per_year = Money::Zero();
  friend bool operator==(const CniSupplement&, const CniSupplement&) = default;
};

// A mission of DOMAIN.md §9. The base mission is listed for the record and paid by capitation;
// an optional mission has its own compensation.
enum class MissionKind : std::uint8_t { kBase = 0, kOptional = 1 };
// How an optional mission is paid: units × amount / 12, counted listed × amount / 12, or amount.
enum class MissionBasis : std::uint8_t { kPerUnit = 0, kPerListed = 1, kFixed = 2 };

// One [[missions]] table. For a base mission only id, title and kind are set.
struct Mission {
  std::string id;     // [a-z0-9-]{2,32}, unique within the rulebook
  std::string title;
  MissionKind kind = MissionKind::kBase;
  MissionBasis basis = MissionBasis::kFixed;  // optional missions only
  Money amount = Money::Zero();  // per unit and year, per listed resident and year, or per month (fixed)
  std::optional<int> min_age;    // per_listed only: residents with min_age <= age < max_age count
  std::optional<int> max_age;
  friend bool operator==(const Mission&, const Mission&) = default;
};

// Who decided a rulebook and when (DOMAIN.md §5: decided_by, decided_on, replaces).
struct Provenance {
  std::string decided_by;               // the body that decided it: "regionstyrelsen", ...
  std::optional<Date> decided_on;       // empty: the date is not in the decisions at hand ("unknown")
  std::optional<std::string> replaces;  // the id of the rulebook it succeeds
  friend bool operator==(const Provenance&, const Provenance&) = default;
};

// One rulebook version. Absent optional tables mean the component is 0 under this rulebook.
struct Rulebook {
  std::string id;
  std::string title;
  std::string decision;
  // Required of a rulebook published now; empty for one published before it was recorded, which
  // is shown as "decided: not recorded".
  std::optional<Provenance> provenance;
  Date valid_from;   // inclusive
  Date valid_until;  // exclusive
  SnapshotRule snapshot = SnapshotRule::kLastDayOfMonth;
  int retro_window_months = 0;
  std::vector<AgeBand> capitation;
  std::optional<Money> performance_per_year;
  std::optional<VisitRates> visits;
  std::optional<StartGrant> start_grant;
  std::optional<CniSupplement> cni_supplement;
  std::optional<std::vector<DistanceBand>> distance_supplement;
  std::vector<Mission> missions;  // in the order of the file; empty: no mission listed
  friend bool operator==(const Rulebook&, const Rulebook&) = default;
};

// Limits a rulebook must stay within.
inline constexpr int kMinAgeMax = 150;
inline constexpr int kRetroWindowMonthsMax = 120;
inline constexpr int kStartGrantMonthsMax = 120;
inline constexpr int kTopNMax = 100'000;
inline constexpr std::size_t kRulebookTextMax = 200;
// The largest amounts a rulebook may state (docs/decisions.md): 1,000,000.00 kronor per resident
// and year, or per visit, for every rate; 100,000,000.00 kronor for a start grant in total. Real
// rates are some thousand kronor; the bounds keep a typo from booking billions, and every monthly
// amount of a clinic within int64 öre whatever the counts (limits::kCountMax visits × a rate).
inline constexpr std::int64_t kRateOreMax = 100'000'000;
inline constexpr std::int64_t kStartGrantOreMax = 10'000'000'000;

// The largest number of [[missions]] a rulebook may list.
inline constexpr std::size_t kMissionsMax = 100;

// The stable names of the mission kinds and bases, as in the TOML ("optional", "per_unit", ...).
std::string_view Name(MissionKind kind);
std::string_view Name(MissionBasis basis);
std::optional<MissionKind> MissionKindFromName(std::string_view name);
std::optional<MissionBasis> MissionBasisFromName(std::string_view name);

// The mission of `rulebook` with `id`, if it lists one.
const Mission* FindMission(const Rulebook& rulebook, std::string_view id);

// True for a mission id of DOMAIN.md §9: 2 to 32 characters of a-z, 0-9 and '-'.
bool IsMissionId(std::string_view id);

// The stable names of the snapshot rules, as in the TOML ("last_day_of_month", ...).
std::string_view SnapshotRuleName(SnapshotRule rule);
std::optional<SnapshotRule> SnapshotRuleFromName(std::string_view name);

// The snapshot date of `month` under `rule`.
Date SnapshotDate(SnapshotRule rule, Month month);

// A rule a rulebook breaks: the dotted field path ("capitation.bands[1].min_age") and why.
struct RulebookViolation {
  std::string field;
  std::string message;
};

// Who decided the rulebook and when, for people: "regionstyrelsen, 2023-12-12", "regionstyrelsen,
// date not recorded in the decisions at hand", or "not recorded" (a rulebook published before
// provenance was kept).
std::string DescribeProvenance(const std::optional<Provenance>& provenance);
inline std::string DescribeProvenance(const Rulebook& rulebook) { return DescribeProvenance(rulebook.provenance); }

// Checks the rules of DOMAIN.md §5 that go beyond the shape of each field: bands start at 0 and
// rise strictly, valid_from < valid_until, counts within limits, amounts within kRateOreMax and
// kStartGrantOreMax, a decided_by that is not empty and a rulebook that does not replace itself.
// Returns the first violation.
std::optional<RulebookViolation> CheckRulebook(const Rulebook& rulebook);

}  // namespace capledger::domain
