// Test helper: a second, deliberately plain implementation of DOMAIN.md §6, to check the
// projections against.
//
// It shares nothing with src/projection or domain/calculation.cc: it keeps the events as a list
// in seq order (grouped by resident and by clinic, nothing else) and recomputes everything for
// each (month, K) with straightforward loops over those lists, one resident at a time. Only the
// plain domain value types (Date, Month, Money, Rulebook, the event structs) are used. Amounts are exact rationals in öre, held as an
// __int128 numerator over a small denominator, rounded once, half away from zero.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/event.h"
#include "domain/rulebook.h"

namespace capledger::testing::oracle {

using domain::Date;
using domain::Month;

// --- Plain arithmetic on dates and money ----------------------------------------------------------

inline std::int64_t DayNumber(Date d) { return std::chrono::sys_days(d).time_since_epoch().count(); }
inline int MonthNumber(Month m) {
  return static_cast<int>(m.year()) * 12 + static_cast<int>(static_cast<unsigned>(m.month()));
}
inline Month MonthContaining(Date d) { return Month{d.year(), d.month()}; }
inline Month MonthAfter(Month m, int n) {
  const int k = MonthNumber(m) - 1 + n;
  return Month{std::chrono::year(k / 12), std::chrono::month(static_cast<unsigned>(k % 12 + 1))};
}
inline Date FirstOf(Month m) { return Date{m.year(), m.month(), std::chrono::day(1)}; }

// numerator / denominator rounded half away from zero (denominator > 0).
inline std::int64_t RoundHalfAwayFromZero(__int128 numerator, __int128 denominator) {
  const bool negative = numerator < 0;
  const __int128 magnitude = negative ? -numerator : numerator;
  __int128 quotient = magnitude / denominator;
  if (2 * (magnitude % denominator) >= denominator) ++quotient;
  return static_cast<std::int64_t>(negative ? -quotient : quotient);
}

// DOMAIN.md §5: the day of `month` on which the listed population is counted.
inline Date SnapshotDay(domain::SnapshotRule rule, Month month) {
  using domain::SnapshotRule;
  const Date first = FirstOf(month);
  switch (rule) {
    case SnapshotRule::kFirstDayOfMonth: return first;
    case SnapshotRule::kLastDayOfMonth:
      return Date{std::chrono::sys_days(FirstOf(MonthAfter(month, 1))) - std::chrono::days(1)};
    case SnapshotRule::kLastDayOfPreviousMonth: return Date{std::chrono::sys_days(first) - std::chrono::days(1)};
  }
  return first;
}

inline bool LeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// The day in `year` on which someone born on `birth` has a birthday: 1 March stands in for
// 29 February in a year without one (DOMAIN.md §6.2).
inline Date BirthdayIn(Date birth, int year) {
  const unsigned m = static_cast<unsigned>(birth.month());
  const unsigned d = static_cast<unsigned>(birth.day());
  if (m == 2 && d == 29 && !LeapYear(year)) return Date{std::chrono::year(year), std::chrono::March, std::chrono::day(1)};
  return Date{std::chrono::year(year), std::chrono::month(m), std::chrono::day(d)};
}

// Completed years on `on` (REQUIRES on >= birth): the years whose birthday has come by `on`.
inline int CompletedYears(Date birth, Date on) {
  const int year = static_cast<int>(on.year());
  int age = year - static_cast<int>(birth.year());
  if (DayNumber(on) < DayNumber(BirthdayIn(birth, year))) --age;
  return age;
}

// DOMAIN.md §6.2: CNI = (Σ weight × hits / population) / 2.476, truncated to 4 decimals, here in
// ten-thousandths. Weights in hundredths: 615, 572, 513, 419, 419, 397, 323.
inline std::int64_t CniFromHits(const domain::CniHits& h, std::int64_t population) {
  const __int128 index_hundredths = __int128{615} * h.over_65_alone + __int128{572} * h.born_abroad +
                                    __int128{513} * h.unemployed + __int128{419} * h.single_parent +
                                    __int128{419} * h.moved_in + __int128{397} * h.low_education +
                                    __int128{323} * h.under_5;
  // (I / 100) / population / (2476 / 1000) × 10000 = I × 100000 / (2476 × population); I >= 0.
  return static_cast<std::int64_t>(index_hundredths * 100000 / (__int128{2476} * population));
}

// --- What the oracle answers -----------------------------------------------------------------------

// One open clinic's figures for a month: counts per band and öre per component (indexed by
// domain::Component).
struct ClinicFigures {
  domain::ClinicId clinic;
  std::int64_t listed = 0;
  std::vector<std::int64_t> band_counts;
  std::array<std::int64_t, domain::kComponentCount> ore{};
  std::int64_t total = 0;
};

// A month as known at K. `computable` is false when no rulebook is in force (DOMAIN.md §6.1).
struct MonthFigures {
  bool computable = false;
  std::string rulebook_id;
  std::uint64_t rulebook_seq = 0;
  Date snapshot;
  // The clinics open on the snapshot date, and those open on another day of the month with a
  // visits report for it (paid for work done, every other component 0), by id.
  std::vector<ClinicFigures> clinics;
  std::int64_t total = 0;
};

// The calculation of DOMAIN.md §6 over a list of events, seq = position + 1.
class Oracle {
 public:
  explicit Oracle(std::vector<domain::Event> events) : events_(std::move(events)) {
    std::map<domain::EventId, std::uint64_t> seq_of_id;  // the first event stored under an id
    retracted_from_.assign(events_.size() + 1, kNever);
    for (std::size_t i = 0; i < events_.size(); ++i) {
      const std::uint64_t seq = i + 1;
      const domain::EventBody& body = events_[i].body;
      seq_of_id.emplace(events_[i].id, seq);
      if (const auto* retraction = std::get_if<domain::EventRetracted>(&body)) {
        // The target is void from the first retraction's seq on.
        auto target = seq_of_id.find(retraction->target);
        if (target != seq_of_id.end() && target->second < seq) {
          retracted_from_[target->second] = std::min(retracted_from_[target->second], seq);
        }
      } else if (const domain::ResidentRef* r = domain::ResidentOf(body)) {
        Resident& resident = residents_[r->pseudonym];
        if (resident.facts.empty()) resident.birth = r->birth_date;
        resident.facts.emplace_back(EffectiveDay(body), seq);
      } else if (std::holds_alternative<domain::RulebookPublished>(body)) {
        rulebook_events_.push_back(seq);
      } else if (const domain::ClinicId* clinic = ClinicNamed(body)) {
        clinic_events_[*clinic].push_back(seq);
      }
    }
    // §6.2 folds a resident's events in (effective, seq) order.
    for (auto& [pseudonym, resident] : residents_) std::sort(resident.facts.begin(), resident.facts.end());
  }

  // Every open clinic's figures for `month` as known at `known_at` (REQUIRES known_at <= the
  // number of events).
  MonthFigures Compute(Month month, std::uint64_t known_at) const {
    const Query q = Prepare(known_at);
    MonthFigures out;
    const std::optional<std::uint64_t> rulebook_seq = RulebookInForce(q, month);
    if (!rulebook_seq) return out;
    const domain::Rulebook& rb = RulebookAt(*rulebook_seq);
    out.computable = true;
    out.rulebook_id = rb.id;
    out.rulebook_seq = *rulebook_seq;
    out.snapshot = SnapshotDay(rb.snapshot, month);
    const Date on = out.snapshot;

    // The clinics open on D, by id (std::map keeps them sorted).
    std::map<domain::ClinicId, ClinicFigures> open;
    for (const domain::ClinicId& clinic : RegisteredClinics(q)) {
      if (IsOpenOn(q, clinic, on)) open[clinic].clinic = clinic;
    }
    for (auto& [id, figures] : open) figures.band_counts.assign(rb.capitation.size(), 0);

    // Each resident's fold on D, counted in their clinic's age band (and their age kept for the
    // per_listed missions).
    std::map<domain::ClinicId, std::vector<int>> ages;
    for (const auto& [pseudonym, resident] : residents_) {
      const domain::ClinicId* clinic = FoldResident(q, resident, DayNumber(on));
      if (!clinic) continue;
      auto it = open.find(*clinic);
      if (it == open.end()) continue;
      if (DayNumber(on) < DayNumber(resident.birth)) continue;  // not yet born on D
      it->second.band_counts[BandOf(rb, CompletedYears(resident.birth, on))] += 1;
      ages[*clinic].push_back(CompletedYears(resident.birth, on));
    }
    for (auto& [id, figures] : open) {
      for (std::int64_t n : figures.band_counts) figures.listed += n;
    }

    const std::vector<domain::ClinicId> cni_winners = CniWinners(q, rb, open, on);
    for (auto& [id, figures] : open) {
      Amounts(q, rb, month, on, std::find(cni_winners.begin(), cni_winners.end(), id) != cni_winners.end(), ages[id],
              figures);
    }
    // §6.3: visits are paid for work done, to a clinic open on any day of M, even if not on D.
    for (const domain::ClinicId& clinic : RegisteredClinics(q)) {
      if (open.count(clinic) || !OpenOnSomeDay(q, clinic, month)) continue;
      const auto counts = Visits(q, clinic, month);
      if (!counts) continue;
      ClinicFigures& figures = open[clinic];
      figures.clinic = clinic;
      figures.band_counts.assign(rb.capitation.size(), 0);
      if (rb.visits) figures.ore[static_cast<std::size_t>(domain::Component::kVisits)] = VisitsOre(*rb.visits, *counts);
      for (std::int64_t ore : figures.ore) figures.total += ore;
    }
    for (auto& [id, figures] : open) {
      out.total += figures.total;
      out.clinics.push_back(figures);
    }
    return out;
  }

  const std::vector<domain::Event>& events() const { return events_; }

 private:
  static constexpr std::uint64_t kNever = ~std::uint64_t{0};

  // The knowledge point of a computation.
  struct Query {
    std::uint64_t known_at = 0;
  };
  Query Prepare(std::uint64_t known_at) const { return Query{known_at}; }

  // An event counts as known at K if it was stored at or before K and not retracted at or before K.
  bool Visible(const Query& q, std::uint64_t seq) const { return seq <= q.known_at && retracted_from_[seq] > q.known_at; }

  // The clinic a clinic event (not a listing) is about.
  static const domain::ClinicId* ClinicNamed(const domain::EventBody& body) {
    if (const auto* e = std::get_if<domain::ClinicRegistered>(&body)) return &e->clinic;
    if (const auto* e = std::get_if<domain::ClinicChanged>(&body)) return &e->clinic;
    if (const auto* e = std::get_if<domain::ClinicClosed>(&body)) return &e->clinic;
    if (const auto* e = std::get_if<domain::CniReported>(&body)) return &e->clinic;
    if (const auto* e = std::get_if<domain::PerformanceReported>(&body)) return &e->clinic;
    if (const auto* e = std::get_if<domain::VisitsReported>(&body)) return &e->clinic;
    if (const auto* e = std::get_if<domain::MissionUndertaken>(&body)) return &e->clinic;
    if (const auto* e = std::get_if<domain::MissionEnded>(&body)) return &e->clinic;
    return nullptr;
  }

  // The events about `clinic`, in seq order.
  const std::vector<std::uint64_t>& ClinicEvents(const domain::ClinicId& clinic) const {
    static const std::vector<std::uint64_t> kNone;
    auto it = clinic_events_.find(clinic);
    return it == clinic_events_.end() ? kNone : it->second;
  }

  const domain::Event& At(std::uint64_t seq) const { return events_[seq - 1]; }
  const domain::Rulebook& RulebookAt(std::uint64_t seq) const {
    return std::get<domain::RulebookPublished>(At(seq).body).rulebook;
  }

  // §6.1: valid_from <= first day of M < valid_until; the highest seq among several.
  std::optional<std::uint64_t> RulebookInForce(const Query& q, Month month) const {
    const std::int64_t first = DayNumber(FirstOf(month));
    std::optional<std::uint64_t> chosen;
    for (std::uint64_t seq : rulebook_events_) {
      if (!Visible(q, seq)) continue;
      const domain::Rulebook& rb = RulebookAt(seq);
      if (DayNumber(rb.valid_from) <= first && first < DayNumber(rb.valid_until)) chosen = seq;
    }
    return chosen;
  }

  std::vector<domain::ClinicId> RegisteredClinics(const Query& q) const {
    std::vector<domain::ClinicId> clinics;
    for (const auto& [clinic, seqs] : clinic_events_) {
      for (std::uint64_t seq : seqs) {
        if (std::holds_alternative<domain::ClinicRegistered>(At(seq).body) && Visible(q, seq)) {
          clinics.push_back(clinic);
          break;
        }
      }
    }
    return clinics;
  }

  // The effective date of the latest registration by seq.
  std::optional<Date> OpeningDate(const Query& q, const domain::ClinicId& clinic) const {
    std::optional<Date> opening;
    for (std::uint64_t seq : ClinicEvents(clinic)) {
      const auto* reg = std::get_if<domain::ClinicRegistered>(&At(seq).body);
      if (reg && Visible(q, seq)) opening = reg->effective;
    }
    return opening;
  }

  // Opened on or before D and no closure effective on or before D.
  bool IsOpenOn(const Query& q, const domain::ClinicId& clinic, Date on) const {
    const std::optional<Date> opening = OpeningDate(q, clinic);
    if (!opening || DayNumber(*opening) > DayNumber(on)) return false;
    for (std::uint64_t seq : ClinicEvents(clinic)) {
      const auto* closed = std::get_if<domain::ClinicClosed>(&At(seq).body);
      if (closed && Visible(q, seq) && DayNumber(closed->effective) <= DayNumber(on)) return false;
    }
    return true;
  }

  // Open on at least one day of the month, tried day by day.
  bool OpenOnSomeDay(const Query& q, const domain::ClinicId& clinic, Month month) const {
    for (Date day = FirstOf(month); MonthContaining(day) == month; day = Date{std::chrono::sys_days(day) + std::chrono::days(1)}) {
      if (IsOpenOn(q, clinic, day)) return true;
    }
    return false;
  }

  static std::int64_t VisitsOre(const domain::VisitRates& rates, const domain::VisitCounts& counts) {
    const __int128 sum = __int128{counts.home_visits} * rates.home_visit.ore() +
                         __int128{counts.other_listed} * rates.other_listed.ore() +
                         __int128{counts.unlisted} * rates.unlisted.ore() +
                         __int128{counts.out_of_region} * rates.out_of_region.ore();
    return RoundHalfAwayFromZero(sum, 1);
  }

  static std::int64_t EffectiveDay(const domain::EventBody& body) {
    return std::visit(
        [](const auto& e) -> std::int64_t {
          using T = std::decay_t<decltype(e)>;
          if constexpr (requires { e.effective; } && !std::is_same_v<T, domain::RulebookPublished>) {
            return DayNumber(e.effective);
          } else {
            return 0;
          }
        },
        body);
  }

  // A resident's birth date and events, by (effective day, seq).
  struct Resident {
    Date birth;
    std::vector<std::pair<std::int64_t, std::uint64_t>> facts;
  };

  // §6.2: fold the resident's known events effective on or before D in (effective, seq) order.
  // Returns the clinic they are listed at if they are a resident at the end, else null.
  const domain::ClinicId* FoldResident(const Query& q, const Resident& r, std::int64_t on) const {
    bool resident = false;
    const domain::ClinicId* clinic = nullptr;
    for (const auto& [effective, seq] : r.facts) {
      if (effective > on) break;
      if (!Visible(q, seq)) continue;
      const domain::EventBody& body = At(seq).body;
      if (std::holds_alternative<domain::ResidentRegistered>(body)) {
        resident = true;
      } else if (std::holds_alternative<domain::ResidentMovedOut>(body) || std::holds_alternative<domain::ResidentDied>(body)) {
        resident = false;
        clinic = nullptr;
      } else if (const auto* listed = std::get_if<domain::PatientListed>(&body)) {
        clinic = &listed->clinic;
      } else if (const auto* unlisted = std::get_if<domain::PatientUnlisted>(&body)) {
        if (clinic && *clinic == unlisted->clinic) clinic = nullptr;  // at another clinic: changes nothing
      }
      // ResidentRelocated changes nothing in the count.
    }
    return resident ? clinic : nullptr;
  }

  // The band with the highest min_age <= age (bands start at 0).
  static std::size_t BandOf(const domain::Rulebook& rb, int age) {
    std::size_t band = 0;
    for (std::size_t b = 0; b < rb.capitation.size(); ++b) {
      if (rb.capitation[b].min_age <= age && rb.capitation[b].min_age >= rb.capitation[band].min_age) band = b;
    }
    return band;
  }

  // An attribute of `clinic` on D: the fact with the latest effective date on or before D, ties
  // by the highest seq. `value` gives a fact's value, or nothing if the event is not one of them.
  template <typename ValueOf>
  std::optional<std::int64_t> AttributeOn(const Query& q, const domain::ClinicId& clinic, Date on, ValueOf value) const {
    std::optional<std::int64_t> best;
    std::int64_t best_day = 0;
    for (std::uint64_t seq : ClinicEvents(clinic)) {
      if (!Visible(q, seq)) continue;
      const std::optional<std::pair<Date, std::int64_t>> fact = value(At(seq).body);
      if (!fact || DayNumber(fact->first) > DayNumber(on)) continue;
      if (!best || DayNumber(fact->first) >= best_day) {  // seq rises: ties go to the later
        best = fact->second;
        best_day = DayNumber(fact->first);
      }
    }
    return best;
  }

  std::optional<std::int64_t> DistanceOn(const Query& q, const domain::ClinicId& clinic, Date on) const {
    return AttributeOn(q, clinic, on, [&](const domain::EventBody& body) -> std::optional<std::pair<Date, std::int64_t>> {
      if (const auto* reg = std::get_if<domain::ClinicRegistered>(&body)) {
        return std::pair{reg->effective, std::int64_t{reg->distance_to_hospital_km_tenths}};
      }
      if (const auto* change = std::get_if<domain::ClinicChanged>(&body); change && change->distance_to_hospital_km_tenths) {
        return std::pair{change->effective, std::int64_t{*change->distance_to_hospital_km_tenths}};
      }
      return std::nullopt;
    });
  }

  std::optional<std::int64_t> CniOn(const Query& q, const domain::ClinicId& clinic, Date on) const {
    return AttributeOn(q, clinic, on, [&](const domain::EventBody& body) -> std::optional<std::pair<Date, std::int64_t>> {
      const auto* cni = std::get_if<domain::CniReported>(&body);
      if (!cni) return std::nullopt;
      return std::pair{cni->effective, cni->cni_ten_thousandths ? *cni->cni_ten_thousandths
                                                                 : CniFromHits(cni->hits, cni->population)};
    });
  }

  // §6.3 CNI: open clinics with N > 0 and a CNI on D, highest CNI first, ties by id; the top_n.
  std::vector<domain::ClinicId> CniWinners(const Query& q, const domain::Rulebook& rb,
                                      const std::map<domain::ClinicId, ClinicFigures>& open, Date on) const {
    if (!rb.cni_supplement) return {};
    std::vector<std::pair<std::int64_t, domain::ClinicId>> ranked;
    for (const auto& [id, figures] : open) {
      if (figures.listed <= 0) continue;
      if (const std::optional<std::int64_t> cni = CniOn(q, id, on)) ranked.emplace_back(*cni, id);
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<domain::ClinicId> winners;
    for (std::size_t i = 0; i < ranked.size() && i < static_cast<std::size_t>(rb.cni_supplement->top_n); ++i) {
      winners.push_back(ranked[i].second);
    }
    return winners;
  }

  // The fulfilment (thousandths) of the latest report by seq whose period covers M.
  std::optional<std::int64_t> Fulfilment(const Query& q, const domain::ClinicId& clinic, Month month) const {
    std::optional<std::int64_t> f;
    for (std::uint64_t seq : ClinicEvents(clinic)) {
      const auto* p = std::get_if<domain::PerformanceReported>(&At(seq).body);
      if (p && Visible(q, seq) && MonthNumber(p->period_from) <= MonthNumber(month) &&
          MonthNumber(month) <= MonthNumber(p->period_to)) {
        f = p->fulfilment_thousandths;
      }
    }
    return f;
  }

  // The counts of the latest visit report by seq for (c, M).
  std::optional<domain::VisitCounts> Visits(const Query& q, const domain::ClinicId& clinic, Month month) const {
    std::optional<domain::VisitCounts> counts;
    for (std::uint64_t seq : ClinicEvents(clinic)) {
      const auto* v = std::get_if<domain::VisitsReported>(&At(seq).body);
      if (v && Visible(q, seq) && v->month == month) counts = v->counts;
    }
    return counts;
  }

  // §6.3 start grant: the part for M of the grant of the rulebook in force for the opening month
  // O as known at K, counted from O', the first month from O on whose snapshot date (under that
  // month's rulebook) the clinic is open. The caller knows the clinic is open on M's snapshot date.
  std::int64_t StartGrantPart(const Query& q, const domain::ClinicId& clinic, Month month) const {
    const std::optional<Date> opening = OpeningDate(q, clinic);
    if (!opening) return 0;
    const Month opened = MonthContaining(*opening);
    const std::optional<std::uint64_t> at_opening = RulebookInForce(q, opened);
    if (!at_opening) return 0;
    const auto& grant = RulebookAt(*at_opening).start_grant;
    if (!grant) return 0;
    Month first_paid = opened;
    while (first_paid < month) {
      const std::optional<std::uint64_t> rulebook = RulebookInForce(q, first_paid);
      if (rulebook && IsOpenOn(q, clinic, SnapshotDay(RulebookAt(*rulebook).snapshot, first_paid))) break;
      first_paid = MonthAfter(first_paid, 1);
    }
    const int part = MonthNumber(month) - MonthNumber(first_paid) + 1;  // 1-based: part i is month O' + i - 1
    if (part < 1 || part > grant->months) return 0;
    const std::int64_t each = RoundHalfAwayFromZero(grant->amount.ore(), grant->months);
    if (part < grant->months) return each;
    return grant->amount.ore() - each * (grant->months - 1);
  }

  // §9: for each mission, the latest MissionUndertaken or MissionEnded of the clinic effective
  // on or before D (ties by the highest seq); an undertaking of an optional mission the rulebook
  // lists pays fixed: amount; per_listed: n × amount / 12 for the residents counted with
  // min_age <= age < max_age; per_unit: units × amount / 12. Summed in twelfths, rounded once.
  std::int64_t MissionsOre(const Query& q, const domain::Rulebook& rb, const domain::ClinicId& clinic, Date on,
                           const std::vector<int>& ages) const {
    std::map<std::string, std::pair<std::int64_t, std::uint64_t>> latest;  // mission -> (day, seq)
    for (std::uint64_t seq : ClinicEvents(clinic)) {
      if (!Visible(q, seq)) continue;
      const domain::EventBody& body = At(seq).body;
      std::string mission;
      std::int64_t day = 0;
      if (const auto* u = std::get_if<domain::MissionUndertaken>(&body)) {
        mission = u->mission;
        day = DayNumber(u->effective);
      } else if (const auto* e = std::get_if<domain::MissionEnded>(&body)) {
        mission = e->mission;
        day = DayNumber(e->effective);
      } else {
        continue;
      }
      if (day > DayNumber(on)) continue;
      auto it = latest.find(mission);
      if (it == latest.end() || day >= it->second.first) latest[mission] = {day, seq};  // seq rises: ties to the later
    }
    __int128 twelfths = 0;
    for (const auto& [mission, at] : latest) {
      const auto* undertaken = std::get_if<domain::MissionUndertaken>(&At(at.second).body);
      if (!undertaken) continue;
      const domain::Mission* listed = nullptr;
      for (const auto& m : rb.missions) {
        if (m.id == mission) listed = &m;
      }
      if (!listed || listed->kind != domain::MissionKind::kOptional) continue;
      switch (listed->basis) {
        case domain::MissionBasis::kFixed: twelfths += __int128{listed->amount.ore()} * 12; break;
        case domain::MissionBasis::kPerUnit:
          if (undertaken->units) twelfths += __int128{*undertaken->units} * listed->amount.ore();
          break;
        case domain::MissionBasis::kPerListed: {
          std::int64_t n = 0;
          for (int age : ages) {
            if (age >= listed->min_age.value_or(0) && (!listed->max_age || age < *listed->max_age)) ++n;
          }
          twelfths += __int128{n} * listed->amount.ore();
          break;
        }
      }
    }
    return RoundHalfAwayFromZero(twelfths, 12);
  }

  void Amounts(const Query& q, const domain::Rulebook& rb, Month month, Date on, bool cni_winner,
               const std::vector<int>& ages, ClinicFigures& f) const {
    using domain::Component;
    auto set = [&](Component c, std::int64_t ore) { f.ore[static_cast<std::size_t>(c)] = ore; };
    const __int128 n = f.listed;

    __int128 capitation = 0;  // Σ_b n_b × amount_b, over 12
    for (std::size_t b = 0; b < rb.capitation.size(); ++b) {
      capitation += __int128{f.band_counts[b]} * rb.capitation[b].amount_per_year.ore();
    }
    set(Component::kCapitation, RoundHalfAwayFromZero(capitation, 12));

    if (rb.performance_per_year) {
      // N × amount / 12 × f / 1000; no report yet: f = 0.
      const std::int64_t thousandths = Fulfilment(q, f.clinic, month).value_or(0);
      set(Component::kPerformance, RoundHalfAwayFromZero(n * rb.performance_per_year->ore() * thousandths, 12 * 1000));
    }
    if (rb.visits) {
      if (const auto counts = Visits(q, f.clinic, month)) set(Component::kVisits, VisitsOre(*rb.visits, *counts));
    }
    set(Component::kStartGrant, StartGrantPart(q, f.clinic, month));
    if (rb.cni_supplement && cni_winner) {
      set(Component::kCniSupplement, RoundHalfAwayFromZero(n * rb.cni_supplement->amount_per_year.ore(), 12));
    }
    if (rb.distance_supplement) {
      if (const auto distance = DistanceOn(q, f.clinic, on)) {
        const domain::DistanceBand* chosen = nullptr;  // the highest band with min_km <= distance
        for (const auto& band : *rb.distance_supplement) {
          if (band.min_km_tenths <= *distance && (!chosen || band.min_km_tenths > chosen->min_km_tenths)) chosen = &band;
        }
        if (chosen) set(Component::kDistanceSupplement, RoundHalfAwayFromZero(n * chosen->amount_per_year.ore(), 12));
      }
    }
    set(Component::kMissions, MissionsOre(q, rb, f.clinic, on, ages));
    f.total = 0;
    for (std::int64_t ore : f.ore) f.total += ore;
  }

  std::vector<domain::Event> events_;
  std::vector<std::uint64_t> retracted_from_;  // by seq: the first retraction of it, or kNever
  std::vector<std::uint64_t> rulebook_events_;  // seq order, as all these lists
  std::map<domain::ClinicId, std::vector<std::uint64_t>> clinic_events_;
  std::map<domain::Pseudonym, Resident> residents_;
};

}  // namespace capledger::testing::oracle
