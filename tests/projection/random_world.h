// Test helper: seeded random event streams that are small but adversarial for DOMAIN.md §6.
//
// A world holds a few clinics (some opening late, some closing, re-registered with another
// opening date, moving further from a hospital), CNI deliveries with and without a delivered cni,
// visit and performance reports (replaced, late, for clinics that are not open), tens to a few
// hundred residents (births on 29 February, deaths, moves out and back, relocations, listings at
// unregistered clinics, unlistings at the wrong clinic, same-day events), rulebooks with every
// snapshot rule and every optional table, revisions published after their months, and
// retractions of any retractable event. Events are recorded out of effective order.
//
// Every event is one the store accepts: ids "ev-<n>" are unique, a retraction names an earlier
// event that is not a retraction, a delivered cni equals the one computed from the hits.
// The same seed gives the same world on every machine (splitmix64, no std distributions).
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/date.h"
#include "domain/event.h"
#include "domain/rulebook.h"
#include "support/clinic_id.h"

namespace capledger::testing {

// splitmix64: a small, fully specified generator, so a printed seed reproduces a world anywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi] (the tiny modulo bias does not matter here).
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool Chance(int percent) { return Between(0, 99) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(Between(0, static_cast<std::int64_t>(items.size()) - 1))];
  }

 private:
  std::uint64_t state_;
};

// A generated world: events in seq order (seq = index + 1) and where it is worth looking.
struct RandomWorld {
  std::uint64_t seed = 0;
  std::vector<domain::Event> events;
  std::vector<std::uint64_t> notable_seqs;  // retractions and rulebook publications
  std::vector<domain::Month> months;        // months worth a report (some have no rulebook)
};

// How big a world is.
struct WorldShape {
  int residents_min = 10;
  int residents_max = 200;
  int big_world_percent = 10;  // this share of worlds gets residents_big residents
  int residents_big = 300;
};

namespace world_detail {

using domain::Date;
using domain::Month;

inline std::int32_t Days(Date d) { return std::chrono::sys_days(d).time_since_epoch().count(); }
inline Date FromDays(std::int64_t days) {
  return Date{std::chrono::sys_days(std::chrono::days(static_cast<std::int32_t>(days)))};
}
inline Date Ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
}
inline Month Ym(int y, unsigned m) { return Month{std::chrono::year(y), std::chrono::month(m)}; }
inline int Ordinal(Month m) { return static_cast<int>(m.year()) * 12 + static_cast<int>(static_cast<unsigned>(m.month())) - 1; }
inline Month FromOrdinal(int o) { return Ym(o / 12, static_cast<unsigned>(o % 12 + 1)); }
inline Date First(Month m) { return Date{m.year(), m.month(), std::chrono::day(1)}; }
inline Date Last(Month m) { return Date{std::chrono::year_month_day_last(m.year(), std::chrono::month_day_last(m.month()))}; }

// The months a world is about, and the span of its effective dates.
inline const Month kFirstMonth = Ym(2023, 1);
inline const Month kLastMonth = Ym(2025, 12);
inline const Date kDatesFrom = Ymd(2022, 11, 1);
inline const Date kDatesUntil = Ymd(2026, 1, 31);

// Effective dates crowd where the rules bite: first and last days of months, the day next to
// them, 28 February to 1 March.
inline Date RandomDate(Rng& rng) {
  const int roll = static_cast<int>(rng.Between(0, 99));
  if (roll < 35) {
    const Month m = FromOrdinal(static_cast<int>(rng.Between(Ordinal(Ym(2022, 11)), Ordinal(Ym(2026, 1)))));
    switch (rng.Between(0, 3)) {
      case 0: return First(m);
      case 1: return Last(m);
      case 2: return FromDays(Days(First(m)) + 1);
      default: return FromDays(Days(Last(m)) - 1);
    }
  }
  if (roll < 43) {
    const int year = static_cast<int>(rng.Between(2023, 2025));
    switch (rng.Between(0, 2)) {
      case 0: return Ymd(year, 2, 28);
      case 1: return year == 2024 ? Ymd(2024, 2, 29) : Ymd(year, 3, 1);
      default: return Ymd(year, 3, 1);
    }
  }
  return FromDays(rng.Between(Days(kDatesFrom), Days(kDatesUntil)));
}

inline domain::Money Ore(std::int64_t ore) { return domain::Money::FromOre(ore); }

// Distances and band edges come from one menu, so that a distance often sits on an edge.
inline const std::vector<std::int32_t> kDistanceMenu = {0, 99, 100, 101, 249, 250, 251, 499, 500, 501, 750, 900};
inline const std::vector<std::int32_t> kBandEdgeMenu = {0, 100, 250, 500, 750};

// Mission ids: the rulebooks list some of the first four; "m-x" is never listed (an anomaly).
inline const std::vector<std::string> kMissionMenu = {"m-a", "m-b", "m-c", "m-d", "m-x"};
// Age limits from one menu, so that a resident's age often sits on a limit.
inline const std::vector<int> kMissionAgeMenu = {0, 1, 5, 6, 18, 65, 150};

// Some of the listed mission ids, a few as base; each optional one with a random basis, odd öre
// amounts (so that twelfths have remainders) and, for per_listed, age limits now and then.
inline void RandomMissions(Rng& rng, domain::Rulebook& rb) {
  for (std::size_t i = 0; i + 1 < kMissionMenu.size(); ++i) {
    if (!rng.Chance(60)) continue;
    domain::Mission m;
    m.id = kMissionMenu[i];
    m.title = "Uppdrag " + m.id;
    m.kind = rng.Chance(20) ? domain::MissionKind::kBase : domain::MissionKind::kOptional;
    if (m.kind == domain::MissionKind::kOptional) {
      m.basis = static_cast<domain::MissionBasis>(rng.Between(0, 2));
      m.amount = Ore(rng.Between(0, 3'000'000));
      if (m.basis == domain::MissionBasis::kPerListed && rng.Chance(70)) {
        int lo = rng.Pick(kMissionAgeMenu);
        int hi = rng.Pick(kMissionAgeMenu);
        if (lo > hi) std::swap(lo, hi);
        if (lo < hi) {
          if (rng.Chance(80)) m.min_age = lo;
          m.max_age = hi;
        }
      }
    }
    rb.missions.push_back(m);
  }
}

inline domain::Rulebook RandomRulebook(Rng& rng, const std::string& id, Date from, Date until) {
  domain::Rulebook rb;
  rb.id = id;
  rb.title = "Krav- och kvalitetsbok " + id;
  rb.decision = "RS-" + id;
  rb.valid_from = from;
  rb.valid_until = until;
  rb.snapshot = static_cast<domain::SnapshotRule>(rng.Between(0, 2));
  rb.retro_window_months = static_cast<int>(rng.Between(0, 24));
  int min_age = 0;
  const int bands = static_cast<int>(rng.Between(1, 7));
  for (int b = 0; b < bands && min_age <= domain::kMinAgeMax; ++b) {
    // Odd öre amounts so that every division by 12 has a remainder to round.
    rb.capitation.push_back(domain::AgeBand{min_age, Ore(rng.Chance(10) ? 0 : rng.Between(1, 900'000))});
    min_age += static_cast<int>(rng.Between(1, 25));
  }
  if (rng.Chance(70)) rb.performance_per_year = Ore(rng.Between(0, 30'000));
  if (rng.Chance(70)) {
    rb.visits = domain::VisitRates{Ore(rng.Between(0, 200'000)), Ore(rng.Between(0, 100'000)),
                                   Ore(rng.Between(0, 100'000)), Ore(rng.Between(0, 200'000))};
  }
  if (rng.Chance(50)) {
    // Tiny amounts make parts round to 0 or 1 öre and the last part absorb (or undercut) the rest.
    const std::int64_t amount = rng.Chance(30) ? rng.Between(0, 60) : rng.Between(0, 200'000'000);
    rb.start_grant = domain::StartGrant{Ore(amount), static_cast<int>(rng.Between(1, 13))};
  }
  if (rng.Chance(50)) {
    rb.cni_supplement = domain::CniSupplement{static_cast<int>(rng.Between(1, 4)), Ore(rng.Between(0, 100'000))};
  }
  if (rng.Chance(50)) {
    std::vector<domain::DistanceBand> distance;
    for (std::int32_t edge : kBandEdgeMenu) {
      if (rng.Chance(50)) distance.push_back(domain::DistanceBand{edge, Ore(rng.Between(0, 100'000))});
    }
    if (distance.empty()) distance.push_back(domain::DistanceBand{rng.Pick(kBandEdgeMenu), Ore(rng.Between(0, 100'000))});
    rb.distance_supplement = distance;
  }
  if (rng.Chance(60)) RandomMissions(rng, rb);
  return rb;
}

// An event before it has its place in the log: `key` (a day) decides when it becomes known.
struct Pending {
  std::int64_t key = 0;
  std::uint64_t tie = 0;
  domain::EventBody body;
};

class Generator {
 public:
  Generator(std::uint64_t seed, const WorldShape& shape) : rng_(seed), shape_(shape) { world_.seed = seed; }

  RandomWorld Build() {
    Rulebooks();
    Clinics();
    const int residents = rng_.Chance(shape_.big_world_percent)
                              ? shape_.residents_big
                              : static_cast<int>(rng_.Between(shape_.residents_min, shape_.residents_max));
    for (int r = 0; r < residents; ++r) Resident();
    Emit();
    Months();
    return std::move(world_);
  }

 private:
  // Facts from before the world's months become known at its start, as if loaded from an older
  // system; the rest some days after they take effect (see Delay).
  void Add(std::int64_t key, domain::EventBody body) {
    pending_.push_back(Pending{std::max(key, kLoadDay), rng_.Next(), std::move(body)});
  }
  static constexpr std::int64_t kLoadDay = 19266;  // 2022-10-01

  // How long after (or, rarely, before) its effective date a fact becomes known.
  std::int64_t Delay() {
    const int roll = static_cast<int>(rng_.Between(0, 99));
    if (roll < 60) return rng_.Between(0, 20);
    if (roll < 80) return rng_.Between(21, 150);
    if (roll < 90) return rng_.Between(151, 700);
    return -rng_.Between(1, 90);
  }

  void Rulebooks() {
    // Cut [2023-01-01, 2026-01-01) into consecutive validity periods, some starting mid-month,
    // and leave some uncovered.
    std::vector<Date> cuts = {rng_.Chance(10) ? Ymd(2023, 3, 1) : Ymd(2023, 1, 1)};
    std::vector<int> cut_months;
    for (int i = static_cast<int>(rng_.Between(0, 3)); i > 0; --i) {
      cut_months.push_back(static_cast<int>(rng_.Between(Ordinal(Ym(2023, 4)), Ordinal(Ym(2025, 10)))));
    }
    std::sort(cut_months.begin(), cut_months.end());
    cut_months.erase(std::unique(cut_months.begin(), cut_months.end()), cut_months.end());
    for (int o : cut_months) {
      const Date first = First(FromOrdinal(o));
      cuts.push_back(rng_.Chance(30) ? FromDays(Days(first) + rng_.Between(1, 27)) : first);
    }
    const Date end = rng_.Chance(10) ? Ymd(2025, 10, 1) : Ymd(2026, 1, 1);
    while (Days(cuts.back()) >= Days(end)) cuts.pop_back();  // every period at least a day long
    cuts.push_back(end);
    int n = 0;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
      if (cuts.size() > 2 && rng_.Chance(6)) continue;  // a gap: these months cannot be computed
      const Date from = cuts[i];
      const Date until = cuts[i + 1];
      domain::EventBody rulebook = domain::RulebookPublished{RandomRulebook(rng_, "KoK-" + std::to_string(++n), from, until)};
      const int when = static_cast<int>(rng_.Between(0, 99));
      if (when < 50) {  // known before the load
        pending_.push_back(Pending{kLoadDay - 1, rng_.Next(), std::move(rulebook)});
      } else if (when < 80) {  // shortly before it takes effect
        Add(Days(from) - rng_.Between(1, 60), std::move(rulebook));
      } else {  // after its first months
        Add(Days(from) + rng_.Between(0, 120), std::move(rulebook));
      }
      for (int revisions = rng_.Chance(40) ? static_cast<int>(rng_.Between(1, 2)) : 0; revisions > 0; --revisions) {
        // A revision for the same or a shifted period, often published after the months it covers.
        Date rfrom = from;
        Date runtil = until;
        if (rng_.Chance(40)) rfrom = FromDays(Days(from) + rng_.Between(-40, 40));
        if (rng_.Chance(40)) runtil = FromDays(Days(until) + rng_.Between(-40, 120));
        if (Days(runtil) <= Days(rfrom)) runtil = FromDays(Days(rfrom) + 1);
        Add(Days(from) + rng_.Between(-20, 800),
            domain::RulebookPublished{RandomRulebook(rng_, "KoK-" + std::to_string(n) + "-rev" +
                                                               std::to_string(revisions), rfrom, runtil)});
      }
    }
  }

  domain::CniReported RandomCni(const domain::ClinicId& clinic) {
    domain::CniReported cni;
    cni.clinic = clinic;
    cni.effective = rng_.Chance(30) ? Ymd(static_cast<int>(rng_.Between(2023, 2025)), 1, 1) : RandomDate(rng_);
    cni.vintage = "SCB-" + std::to_string(static_cast<int>(cni.effective.year()));
    if (!cni_shapes_.empty() && rng_.Chance(30)) {
      // The same delivery as another clinic's: equal CNIs, so ties are ranked by clinic id.
      const auto& [population, hits] = rng_.Pick(cni_shapes_);
      cni.population = population;
      cni.hits = hits;
    } else {
      cni.population = rng_.Between(1, 3000);
      const std::int64_t cap = std::max<std::int64_t>(1, cni.population / 3);
      cni.hits = domain::CniHits{rng_.Between(0, cap), rng_.Between(0, cap), rng_.Between(0, cap), rng_.Between(0, cap),
                                 rng_.Between(0, cap), rng_.Between(0, cap), rng_.Between(0, cap)};
      cni_shapes_.emplace_back(cni.population, cni.hits);
    }
    if (rng_.Chance(50)) cni.cni_ten_thousandths = ScbCni(cni.hits, cni.population);
    return cni;
  }

  // SCB's CNI in ten-thousandths (DOMAIN.md §6.2), for the deliveries that carry it: the index in
  // hundredths is Σ weight×100 × hits; CNI × 10^4 = (I/100) / pop / 2.476 × 10^4 = I × 10^5 / (2476 pop).
  static std::int64_t ScbCni(const domain::CniHits& h, std::int64_t population) {
    const __int128 index = static_cast<__int128>(615) * h.over_65_alone + 572 * h.born_abroad + 513 * h.unemployed +
                           419 * h.single_parent + 419 * h.moved_in + 397 * h.low_education + 323 * h.under_5;
    return static_cast<std::int64_t>(index * 100000 / (static_cast<__int128>(2476) * population));
  }

  void Reports(const domain::ClinicId& clinic) {
    for (int i = static_cast<int>(rng_.Between(0, 3)); i > 0; --i) AddCni(clinic);
    for (int i = static_cast<int>(rng_.Between(0, 3)); i > 0; --i) {
      const int from = static_cast<int>(rng_.Between(Ordinal(Ym(2022, 10)), Ordinal(Ym(2025, 12))));
      const int to = from + static_cast<int>(rng_.Between(0, 14));
      const std::int64_t known = Days(Last(FromOrdinal(to))) + (rng_.Chance(30) ? -rng_.Between(0, 300) : rng_.Between(5, 400));
      Add(known, domain::PerformanceReported{clinic, FromOrdinal(from), FromOrdinal(to),
                                             static_cast<std::int32_t>(rng_.Between(0, 1000))});
    }
    for (int i = static_cast<int>(rng_.Between(0, 8)); i > 0; --i) {
      const Month m = FromOrdinal(static_cast<int>(rng_.Between(Ordinal(kFirstMonth), Ordinal(kLastMonth))));
      for (int copies = rng_.Chance(30) ? 2 : 1; copies > 0; --copies) {  // a replacement for the same month
        const std::int64_t known = Days(Last(m)) + (rng_.Chance(20) ? rng_.Between(60, 500) : rng_.Between(1, 40));
        Add(known, domain::VisitsReported{clinic, m,
                                          domain::VisitCounts{rng_.Between(0, 60), rng_.Between(0, 60),
                                                              rng_.Between(0, 60), rng_.Between(0, 60)}});
      }
    }
  }
  void AddCni(const domain::ClinicId& clinic) {
    domain::CniReported cni = RandomCni(clinic);
    const std::int64_t known = Days(cni.effective) + Delay();
    if (rng_.Chance(25)) {  // delivered again for the same day with other figures: the later one holds
      domain::CniReported again = RandomCni(clinic);
      again.effective = cni.effective;
      Add(known + rng_.Between(0, 60), std::move(again));
    }
    Add(known, std::move(cni));
  }

  void Clinics() {
    std::vector<domain::ClinicId> pool = {"VC-A", "VC-B", "VC-C", "VC-D", "VC-E", "VC-F", "VC-G", "VC-H", "VC-AB", "HC-1", "HC-10", "HC-2"};
    for (std::size_t i = pool.size() - 1; i > 0; --i) std::swap(pool[i], pool[static_cast<std::size_t>(rng_.Between(0, static_cast<std::int64_t>(i)))]);
    const std::size_t registered = static_cast<std::size_t>(rng_.Between(2, 7));
    for (std::size_t i = 0; i < pool.size(); ++i) {
      if (i < registered) {
        registered_.push_back(pool[i]);
      } else if (unregistered_.size() < 2) {
        unregistered_.push_back(pool[i]);
      }
    }
    for (const domain::ClinicId& id : registered_) Clinic(id);
    for (const domain::ClinicId& id : unregistered_) {
      if (rng_.Chance(50)) Reports(id);  // reports for a clinic that never opens: anomalies
    }
  }

  void Clinic(const domain::ClinicId& id) {
    const Date opening = rng_.Chance(55) ? FromDays(rng_.Between(Days(Ymd(2010, 1, 1)), Days(Ymd(2022, 12, 31))))
                                         : RandomDate(rng_);
    auto registration = [&](Date open, std::int32_t distance, std::int64_t known) {
      Add(known, domain::ClinicRegistered{id, "Vårdcentralen " + id.str(), rng_.Chance(70) ? domain::Operator::kRegion : domain::Operator::kPrivate,
                                          1880, distance, open});
    };
    registration(opening, rng_.Pick(kDistanceMenu),
                 rng_.Chance(80) ? Days(opening) - rng_.Between(0, 400) : Days(opening) + rng_.Between(0, 200));
    if (rng_.Chance(20)) {  // registered again with another opening date
      const Date again = RandomDate(rng_);
      registration(again, rng_.Chance(50) ? rng_.Pick(kDistanceMenu) : 0,
                   std::max(Days(opening), Days(again)) + rng_.Between(-100, 300));
    }
    for (int closures = rng_.Chance(25) ? (rng_.Chance(20) ? 2 : 1) : 0; closures > 0; --closures) {
      const Date closed = RandomDate(rng_);
      Add(Days(closed) + Delay(), domain::ClinicClosed{id, closed});
    }
    std::optional<Date> changed;
    for (int changes = rng_.Chance(30) ? static_cast<int>(rng_.Between(1, 3)) : 0; changes > 0; --changes) {
      domain::ClinicChanged change;
      change.clinic = id;
      // Now and then a correction effective the same day as an earlier change, or as the opening:
      // ties that the highest seq decides.
      const int roll = static_cast<int>(rng_.Between(0, 99));
      change.effective = changed && roll < 35 ? *changed : roll < 50 ? opening : RandomDate(rng_);
      changed = change.effective;
      change.distance_to_hospital_km_tenths = rng_.Pick(kDistanceMenu);
      if (rng_.Chance(30)) change.name = "Hälsocentralen " + id.str();
      Add(Days(change.effective) + Delay(), change);
    }
    if (rng_.Chance(10)) {  // a change that touches no amount
      domain::ClinicChanged change;
      change.clinic = id;
      change.effective = RandomDate(rng_);
      change.list_cap = rng_.Between(0, 5000);
      Add(Days(change.effective) + Delay(), change);
    }
    Missions(id);
    Reports(id);
  }

  // Undertakings (some with units, some changing them, some on the same day as another), and
  // endings, at random dates and with random delays.
  void Missions(const domain::ClinicId& id) {
    for (int i = static_cast<int>(rng_.Between(0, 5)); i > 0; --i) {
      const std::string mission = rng_.Pick(kMissionMenu);
      const Date effective = RandomDate(rng_);
      std::optional<std::int64_t> units;
      if (rng_.Chance(85)) units = rng_.Between(1, 12);
      Add(Days(effective) + Delay(), domain::MissionUndertaken{id, mission, effective, units});
      if (rng_.Chance(30)) {  // more units later, or the same day (the highest seq decides)
        const Date later = rng_.Chance(30) ? effective : RandomDate(rng_);
        Add(std::max(Days(effective), Days(later)) + Delay(), domain::MissionUndertaken{id, mission, later, rng_.Between(1, 12)});
      }
      if (rng_.Chance(35)) {
        const Date ended = RandomDate(rng_);
        Add(Days(ended) + Delay(), domain::MissionEnded{id, mission, ended});
      }
    }
  }

  domain::ClinicId AnyClinic() {
    if (!unregistered_.empty() && rng_.Chance(8)) return rng_.Pick(unregistered_);
    return rng_.Pick(registered_);
  }

  Date BirthDate(bool& newborn) {
    newborn = false;
    const int roll = static_cast<int>(rng_.Between(0, 99));
    if (roll < 5) {  // 29 February, mostly in years long before the world's months
      static const std::vector<int> kLeapYears = {1924, 1944, 1948, 1960, 1980, 1996, 2000, 2004, 2008, 2016, 2020, 2024};
      const int year = rng_.Pick(kLeapYears);
      newborn = year == 2024;
      return Ymd(year, 2, 29);
    }
    if (roll < 17) {
      newborn = true;
      return FromDays(rng_.Between(Days(kDatesFrom), Days(Ymd(2025, 12, 31))));
    }
    return FromDays(rng_.Between(Days(Ymd(1915, 1, 1)), Days(Ymd(2022, 10, 31))));
  }

  void Resident() {
    domain::ResidentRef ref;
    for (auto& byte : ref.pseudonym.bytes) byte = static_cast<std::uint8_t>(rng_.Next());
    bool newborn = false;
    ref.birth_date = BirthDate(newborn);
    ref.sex = rng_.Chance(50) ? domain::Sex::kMale : domain::Sex::kFemale;
    auto resident_event = [&](Date effective, domain::EventBody body) { Add(Days(effective) + Delay(), std::move(body)); };

    Date t;
    if (newborn) {
      t = rng_.Chance(90) ? ref.birth_date : FromDays(Days(ref.birth_date) + rng_.Between(-10, 10));
      resident_event(t, domain::ResidentRegistered{ref, t, 1880, domain::RegistrationReason::kBirth});
    } else {
      t = rng_.Chance(60) ? FromDays(Days(kDatesFrom) - rng_.Between(0, 2000)) : RandomDate(rng_);
      if (Days(t) < Days(ref.birth_date)) t = ref.birth_date;
      resident_event(t, domain::ResidentRegistered{ref, t, 1880,
                                                   rng_.Chance(50) ? domain::RegistrationReason::kInitial
                                                                   : domain::RegistrationReason::kMovedIn});
    }
    domain::ClinicId clinic = AnyClinic();
    const Date listed = rng_.Chance(60) ? t : FromDays(Days(t) + rng_.Between(-30, 60));
    resident_event(listed, domain::PatientListed{ref, clinic, listed,
                                                 newborn ? domain::ListingReason::kNewborn : domain::ListingReason::kProximity});
    for (int steps = static_cast<int>(rng_.Between(0, 4)); steps > 0; --steps) {
      const int when = static_cast<int>(rng_.Between(0, 99));
      if (when < 15) {
        // the same day as the previous event
      } else if (when < 85) {
        t = FromDays(Days(t) + rng_.Between(1, 400));
      } else {
        t = RandomDate(rng_);  // out of order with the story so far
      }
      const int what = static_cast<int>(rng_.Between(0, 99));
      if (what < 25) {
        clinic = AnyClinic();
        resident_event(t, domain::PatientListed{ref, clinic, t, domain::ListingReason::kChoice});
      } else if (what < 40) {
        resident_event(t, domain::PatientUnlisted{ref, clinic, t, domain::UnlistingReason::kChoiceElsewhere});
      } else if (what < 45) {
        resident_event(t, domain::PatientUnlisted{ref, AnyClinic(), t, domain::UnlistingReason::kOther});
      } else if (what < 55) {
        resident_event(t, domain::ResidentMovedOut{ref, t});
        if (rng_.Chance(60)) {  // and back in, listed again
          t = FromDays(Days(t) + rng_.Between(0, 200));
          resident_event(t, domain::ResidentRegistered{ref, t, 1881, domain::RegistrationReason::kMovedIn});
          clinic = AnyClinic();
          resident_event(t, domain::PatientListed{ref, clinic, t, domain::ListingReason::kProximity});
        }
      } else if (what < 62) {
        resident_event(t, domain::ResidentDied{ref, t});
        if (!rng_.Chance(5)) break;  // rarely, a registration after death (an anomaly)
        t = FromDays(Days(t) + rng_.Between(0, 100));
        resident_event(t, domain::ResidentRegistered{ref, t, 1880, domain::RegistrationReason::kMovedIn});
      } else if (what < 72) {
        resident_event(t, domain::ResidentRelocated{ref, t, static_cast<std::uint16_t>(1860 + rng_.Between(0, 25))});
      }
    }
  }

  // Orders the pending events by knowledge day and gives them seqs, with retractions of earlier
  // events (rulebooks too, now and then one already retracted) among them.
  void Emit() {
    std::vector<std::size_t> order(pending_.size());  // sorting indexes: cheaper than moving bodies
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const Pending& x = pending_[a];
      const Pending& y = pending_[b];
      return x.key != y.key ? x.key < y.key : x.tie < y.tie;
    });
    world_.events.reserve(pending_.size() + pending_.size() / 10);
    std::vector<std::uint64_t> retractable;  // seqs of events other than rulebooks and retractions
    std::vector<std::uint64_t> rulebooks;
    std::vector<std::uint64_t> retracted;
    const int retraction_percent = static_cast<int>(rng_.Between(1, 5));
    auto push = [&](domain::EventBody body) {
      const std::uint64_t seq = world_.events.size() + 1;
      const bool is_retraction = std::holds_alternative<domain::EventRetracted>(body);
      const bool is_rulebook = std::holds_alternative<domain::RulebookPublished>(body);
      world_.events.push_back(domain::Event{EventIdOf("ev-" + std::to_string(seq)), "test", std::move(body)});
      if (is_retraction || is_rulebook) world_.notable_seqs.push_back(seq);
      if (is_rulebook) {
        rulebooks.push_back(seq);
      } else if (!is_retraction) {
        retractable.push_back(seq);
      }
    };
    // A quarter of the worlds retract one rulebook (or a revision), somewhere along the log.
    bool rulebook_retraction = rng_.Chance(25);
    auto retract = [&] {
      if (retractable.empty()) return;
      std::uint64_t target = 0;
      if (!retracted.empty() && rng_.Chance(5)) {
        target = rng_.Pick(retracted);  // retracting again changes nothing
      } else if (rulebook_retraction && !rulebooks.empty() && rng_.Chance(30)) {
        target = rng_.Pick(rulebooks);
        rulebook_retraction = false;
      } else {
        target = rng_.Pick(retractable);
      }
      retracted.push_back(target);
      push(domain::EventRetracted{EventIdOf("ev-" + std::to_string(target)), "wrong"});
    };
    for (std::size_t i : order) {
      push(std::move(pending_[i].body));
      if (rng_.Chance(retraction_percent)) retract();
    }
    for (int i = static_cast<int>(rng_.Between(0, 3)); i > 0; --i) retract();
  }

  void Months() {
    for (int i = 0; i < 5; ++i) {
      world_.months.push_back(FromOrdinal(static_cast<int>(rng_.Between(Ordinal(Ym(2022, 12)), Ordinal(Ym(2026, 1))))));
    }
    // The opening month of a clinic and the month after it: start grant parts.
    for (const auto& e : world_.events) {
      const auto* reg = std::get_if<domain::ClinicRegistered>(&e.body);
      if (!reg) continue;
      const Month opened = domain::Month{reg->effective.year(), reg->effective.month()};
      if (Ordinal(kFirstMonth) <= Ordinal(opened) && Ordinal(opened) <= Ordinal(kLastMonth)) {
        world_.months.push_back(opened);
        world_.months.push_back(FromOrdinal(Ordinal(opened) + 1));
        break;
      }
    }
  }

  Rng rng_;
  WorldShape shape_;
  RandomWorld world_;
  std::vector<Pending> pending_;
  std::vector<domain::ClinicId> registered_;
  std::vector<domain::ClinicId> unregistered_;
  std::vector<std::pair<std::int64_t, domain::CniHits>> cni_shapes_;
};

}  // namespace world_detail

// The world of `seed`.
inline RandomWorld GenerateWorld(std::uint64_t seed, const WorldShape& shape = {}) {
  return world_detail::Generator(seed, shape).Build();
}

// The world of `seed` with the default shape, generated once per test run and shared by the
// tests that ask for the same seed.
inline const RandomWorld& CachedWorld(std::uint64_t seed) {
  static std::map<std::uint64_t, RandomWorld> cache;
  auto it = cache.find(seed);
  if (it == cache.end()) it = cache.emplace(seed, GenerateWorld(seed)).first;
  return it->second;
}

// A few knowledge points worth asking at: the head, just before and at retractions and rulebook
// publications, and anywhere. Includes 0 now and then (nothing known).
inline std::vector<std::uint64_t> KnowledgePoints(const RandomWorld& world, Rng& rng, int notable = 3, int anywhere = 2) {
  const std::uint64_t head = world.events.size();
  std::vector<std::uint64_t> ks = {head};
  for (int i = 0; i < notable && !world.notable_seqs.empty(); ++i) {
    const std::uint64_t seq = rng.Pick(world.notable_seqs);
    ks.push_back(rng.Chance(50) ? seq : seq - 1);
  }
  for (int i = 0; i < anywhere; ++i) ks.push_back(static_cast<std::uint64_t>(rng.Between(rng.Chance(5) ? 0 : 1, static_cast<std::int64_t>(head))));
  return ks;
}

// The seeds a test runs: `count` seeds from `first`, or the one seed in CAPLEDGER_SEED (to
// reproduce a failure), or CAPLEDGER_WORLDS seeds from `first` (to search further).
inline std::vector<std::uint64_t> TestSeeds(std::uint64_t first, int count) {
  if (const char* one = std::getenv("CAPLEDGER_SEED")) return {std::strtoull(one, nullptr, 10)};
  if (const char* many = std::getenv("CAPLEDGER_WORLDS")) count = std::atoi(many);
  std::vector<std::uint64_t> seeds;
  for (int i = 0; i < count; ++i) seeds.push_back(first + static_cast<std::uint64_t>(i));
  return seeds;
}

}  // namespace capledger::testing
