// Projection queries: everything "as of effective date D, as known at K".
#include <algorithm>
#include <thread>

#include "common/assert.h"
#include "common/thread.h"
#include "projection/projection.h"

#include <map>

namespace capledger::projection {
namespace {

using K = ResidentFactKind;

constexpr std::int32_t kYearDays = 365;
// At most two listing changes in 12 months is the law from 2022-07-01 (DOMAIN.md §1); before
// then Örebro had no limit, so earlier changes do not count towards it.
const std::int32_t kListingLimitFrom = domain::DaysSinceEpoch(domain::Date{std::chrono::year(2022), std::chrono::July, std::chrono::day(1)});

// The value of the visible fact with the latest effective date on or before `on`, ties by the
// highest seq: facts are sorted by (effective, seq), so it is the last visible one.
std::optional<std::int64_t> LatestOnOrBefore(const std::vector<DatedFact>& facts, std::int32_t on,
                                             domain::Seq known_at) {
  for (auto it = facts.rbegin(); it != facts.rend(); ++it) {
    if (it->effective <= on && VisibleAt(it->seq, it->retracted_at, known_at)) return it->value;
  }
  return std::nullopt;
}

}  // namespace

const RulebookFact* Projection::RulebookInForce(domain::Month month, domain::Seq known_at) const {
  const domain::Date first = domain::FirstDay(month);
  const RulebookFact* chosen = nullptr;
  for (const auto& fact : rulebooks_) {  // seq order: the last match is the latest published
    if (!VisibleAt(fact.seq, fact.retracted_at, known_at)) continue;
    if (fact.rulebook.valid_from <= first && first < fact.rulebook.valid_until) chosen = &fact;
  }
  return chosen;
}

std::vector<const RulebookFact*> Projection::RulebooksKnownAt(domain::Seq known_at) const {
  std::vector<const RulebookFact*> known;
  for (const auto& fact : rulebooks_) {
    if (VisibleAt(fact.seq, fact.retracted_at, known_at)) known.push_back(&fact);
  }
  return known;
}

namespace {

// The fold of DOMAIN.md §6.2 over one resident's facts, stepped date by date: Advance(on) applies
// every visible fact effective on or before `on` not applied yet, so a walk over ascending dates
// reads each fact once.
class ResidentFold {
 public:
  ResidentFold(std::span<const ResidentFact> facts, std::int32_t birth_day, domain::Seq known_at)
      : facts_(facts), birth_day_(birth_day), known_at_(known_at) {}

  // The state on `on`. REQUIRES `on` >= every earlier call's.
  ResidentState Advance(std::int32_t on) {
    for (; next_ < facts_.size() && facts_[next_].effective <= on; ++next_) Apply(facts_[next_]);
    ResidentState out = state_;
    if (out.clinic >= 0 && !out.resident) out.anomalies |= kListedNonResident;
    if (changes_seen_ > 2 && ChangesSince(on - kYearDays) > 2) out.anomalies |= kTooManyChanges;
    return out;
  }

 private:
  static constexpr std::size_t kChangesKept = 8;  // enough to tell "more than two" in any window

  void Apply(const ResidentFact& f) {
    if (!VisibleAt(f.seq, f.retracted_at, known_at_)) return;
    if (f.effective < birth_day_) state_.anomalies |= kEventBeforeBirth;
    switch (f.kind) {
      case K::kRegistered:
        if (died_) state_.anomalies |= kRegistrationAfterDeath;
        state_.resident = true;
        break;
      case K::kMovedOut:
      case K::kDied:
        died_ = died_ || f.kind == K::kDied;
        state_.resident = false;
        state_.clinic = -1;
        break;
      case K::kRelocated: break;
      case K::kListed:
        // A change is a listing after an earlier one; the first listing is not a change, nor is
        // one effective before the limit of two a year became law.
        if (listed_before_ && f.effective >= kListingLimitFrom) changes_[changes_seen_++ % kChangesKept] = f.effective;
        listed_before_ = true;
        state_.clinic = f.clinic;
        state_.listed_seq = f.seq;
        break;
      case K::kUnlisted:
        if (state_.clinic == f.clinic) {
          state_.clinic = -1;
        } else {
          state_.anomalies |= kUnlistingElsewhere;
        }
        break;
    }
  }

  // Listing changes effective after `after` among those applied (the last kChangesKept suffice:
  // they are the latest by effective date, and three in the window are all that matter).
  int ChangesSince(std::int32_t after) const {
    int n = 0;
    const std::size_t kept = std::min<std::size_t>(changes_seen_, kChangesKept);
    for (std::size_t i = 0; i < kept; ++i) n += changes_[i] > after ? 1 : 0;
    return n;
  }

  std::span<const ResidentFact> facts_;
  std::int32_t birth_day_;
  domain::Seq known_at_;
  std::size_t next_ = 0;
  ResidentState state_;
  bool died_ = false;
  bool listed_before_ = false;
  std::size_t changes_seen_ = 0;
  std::array<std::int32_t, kChangesKept> changes_{};
};

}  // namespace

ResidentState Projection::FoldResident(std::uint32_t resident, std::int32_t on, domain::Seq known_at) const {
  return ResidentFold(residents_.facts.Of(resident), residents_.birth_days[resident], known_at).Advance(on);
}

std::string Projection::NameAt(std::uint16_t clinic, domain::Seq known_at) const {
  const auto& names = clinics_.names[clinic];
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    if (VisibleAt(it->seq, it->retracted_at, known_at)) return it->name;
  }
  return {};
}

namespace {

// The latest registration by seq visible at K: it decides the opening date and the municipality,
// whatever its effective date.
const DatedFact* LatestRegistration(const std::vector<DatedFact>& registrations, domain::Seq known_at) {
  const DatedFact* latest = nullptr;
  for (const auto& fact : registrations) {
    if (VisibleAt(fact.seq, fact.retracted_at, known_at) && (!latest || fact.seq > latest->seq)) latest = &fact;
  }
  return latest;
}

}  // namespace

std::optional<std::int32_t> Projection::OpeningDay(std::uint16_t clinic, domain::Seq known_at) const {
  const DatedFact* latest = LatestRegistration(clinics_.registrations[clinic], known_at);
  if (!latest) return std::nullopt;
  return latest->effective;
}

std::optional<std::uint16_t> Projection::Municipality(std::uint16_t clinic, domain::Seq known_at) const {
  const DatedFact* latest = LatestRegistration(clinics_.registrations[clinic], known_at);
  if (!latest) return std::nullopt;
  return static_cast<std::uint16_t>(latest->value);
}

bool Projection::OpenOn(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const {
  auto opening = OpeningDay(clinic, known_at);
  if (!opening || *opening > on) return false;
  for (const auto& fact : clinics_.closures[clinic]) {
    if (fact.effective <= on && VisibleAt(fact.seq, fact.retracted_at, known_at)) return false;
  }
  return true;
}

bool Projection::OpenInMonth(std::uint16_t clinic, domain::Month month, domain::Seq known_at) const {
  // Open days run from the opening to the first closure, so the month's first open day, if any,
  // is the later of its first day and the opening.
  auto opening = OpeningDay(clinic, known_at);
  if (!opening) return false;
  const std::int32_t first = std::max(*opening, domain::DaysSinceEpoch(domain::FirstDay(month)));
  return first <= domain::DaysSinceEpoch(domain::LastDay(month)) && OpenOn(clinic, first, known_at);
}

std::optional<std::int64_t> Projection::ListCapOn(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const {
  auto cap = LatestOnOrBefore(clinics_.list_caps[clinic], on, known_at);
  if (cap && *cap == 0) return std::nullopt;
  return cap;
}

std::optional<std::int64_t> Projection::DistanceOn(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const {
  return LatestOnOrBefore(clinics_.distances[clinic], on, known_at);
}

std::optional<domain::Operator> Projection::OperatorOn(std::uint16_t clinic, std::int32_t on,
                                                      domain::Seq known_at) const {
  auto op = LatestOnOrBefore(clinics_.operators[clinic], on, known_at);
  if (!op) return std::nullopt;
  return static_cast<domain::Operator>(*op);
}

std::optional<std::int64_t> Projection::CniOn(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const {
  return LatestOnOrBefore(clinics_.cnis[clinic], on, known_at);
}

const PerformanceFact* Projection::PerformanceFor(std::uint16_t clinic, domain::Month month,
                                                  domain::Seq known_at) const {
  const std::int32_t m = domain::MonthOrdinal(month);
  const auto& facts = clinics_.performance[clinic];
  for (auto it = facts.rbegin(); it != facts.rend(); ++it) {
    if (it->from_month <= m && m <= it->to_month && VisibleAt(it->seq, it->retracted_at, known_at)) return &*it;
  }
  return nullptr;
}

const VisitFact* Projection::VisitsFor(std::uint16_t clinic, domain::Month month, domain::Seq known_at) const {
  const std::int32_t m = domain::MonthOrdinal(month);
  const auto& facts = clinics_.visits[clinic];
  for (auto it = facts.rbegin(); it != facts.rend(); ++it) {
    if (it->month == m && VisibleAt(it->seq, it->retracted_at, known_at)) return &*it;
  }
  return nullptr;
}

std::vector<domain::OfferedMission> Projection::MissionsOn(std::uint16_t clinic, std::int32_t on,
                                                           domain::Seq known_at) const {
  // Facts are sorted by (effective, seq): the last visible one of each mission on or before `on`
  // is the latest effective, ties by the highest seq.
  std::map<std::string_view, const MissionFact*> latest;
  for (const MissionFact& f : clinics_.missions[clinic]) {
    if (f.effective > on) break;
    if (VisibleAt(f.seq, f.retracted_at, known_at)) latest[f.mission] = &f;
  }
  std::vector<domain::OfferedMission> offered;
  for (const auto& [mission, f] : latest) {
    if (!f->undertaken) continue;
    offered.push_back(domain::OfferedMission{f->mission, f->units > 0 ? std::optional(f->units) : std::nullopt, domain::Seq(f->seq)});
  }
  return offered;
}

const BudgetFrameFact* Projection::BudgetFrameFor(int year, domain::Seq known_at) const {
  for (auto it = budget_frames_.rbegin(); it != budget_frames_.rend(); ++it) {
    if (it->frame.year == year && VisibleAt(it->seq, it->retracted_at, known_at)) return &*it;
  }
  return nullptr;
}

std::string_view AnomalyCode(int bit) {
  static constexpr std::array<std::string_view, kAnomalyKinds> kCodes = {
      "listed_non_resident", "unlisting_elsewhere", "event_before_birth", "registration_after_death",
      "too_many_listing_changes"};
  LEDGER_ASSERT(bit >= 0 && bit < kAnomalyKinds);
  return kCodes[static_cast<std::size_t>(bit)];
}

Projection::Listing Projection::ListedByClinic(std::int32_t on, domain::Seq known_at) const {
  LEDGER_ASSERT(known_at <= applied_seq_);
  if (auto index = index_cache_.GetIfAskedBefore(*this, on)) {
    Listing listing;
    index->ListingAt(known_at, clinics_.id.size(), listing.by_clinic, listing.anomaly_residents);
    return listing;
  }
  const std::int32_t days[] = {on};
  return std::move(ListedByClinicOn(days, known_at).front());
}

namespace {

// Residents per worker thread below which a query folds on the calling thread alone.
constexpr std::uint32_t kResidentsPerThreadMin = 50'000;
constexpr unsigned kFoldThreadsMax = 4;

void AddListing(Projection::Listing& into, const Projection::Listing& from) {
  for (std::size_t c = 0; c < into.by_clinic.size(); ++c) {
    for (std::size_t a = 0; a < into.by_clinic[c].size(); ++a) into.by_clinic[c][a] += from.by_clinic[c][a];
  }
  for (std::size_t b = 0; b < into.anomaly_residents.size(); ++b) into.anomaly_residents[b] += from.anomaly_residents[b];
}

}  // namespace

void Projection::FoldRange(std::uint32_t first, std::uint32_t last, std::span<const std::int32_t> days,
                           std::span<const std::int32_t> on_ymd, domain::Seq known_at,
                           std::vector<Listing>& listings) const {
  for (std::uint32_t r = first; r < last; ++r) {
    ResidentFold fold(residents_.facts.Of(r), residents_.birth_days[r], known_at);
    for (std::size_t d = 0; d < days.size(); ++d) {
      const ResidentState state = fold.Advance(days[d]);
      Listing& listing = listings[d];
      for (int bit = 0; state.anomalies != 0 && bit < kAnomalyKinds; ++bit) {
        if (state.anomalies & (1u << bit)) ++listing.anomaly_residents[static_cast<std::size_t>(bit)];
      }
      if (!state.resident || state.clinic < 0) continue;
      const int age = domain::AgeFromYmd(residents_.birth_ymd[r], on_ymd[d]);
      if (age < 0) continue;  // not yet born on D
      listing.by_clinic[static_cast<std::size_t>(state.clinic)][static_cast<std::size_t>(age)] += 1;
    }
  }
}

std::vector<Projection::Listing> Projection::ListedByClinicOn(std::span<const std::int32_t> days,
                                                              domain::Seq known_at) const {
  LEDGER_ASSERT(!days.empty() && std::is_sorted(days.begin(), days.end()));
  std::vector<std::int32_t> on_ymd;
  for (std::int32_t day : days) on_ymd.push_back(domain::YmdOf(domain::DateFromDays(day)));
  auto empty_listings = [&] {
    std::vector<Listing> listings(days.size());
    for (auto& listing : listings) listing.by_clinic.assign(clinics_.id.size(), domain::AgeCounts{});
    return listings;
  };
  const std::uint32_t n = residents_.facts.size();
  const unsigned threads =
      std::clamp<unsigned>(n / kResidentsPerThreadMin, 1, std::min(kFoldThreadsMax, std::thread::hardware_concurrency()));
  std::vector<std::vector<Listing>> parts(threads);
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    parts[t] = empty_listings();
    const auto first = static_cast<std::uint32_t>(std::uint64_t{n} * t / threads);
    const auto last = static_cast<std::uint32_t>(std::uint64_t{n} * (t + 1) / threads);
    if (t + 1 == threads) {
      FoldRange(first, last, days, on_ymd, known_at, parts[t]);  // the last part on this thread
    } else {
      workers.push_back(StartThread("listing-fold", [&, t, first, last] {
        FoldRange(first, last, days, on_ymd, known_at, parts[t]);
      }));
    }
  }
  for (auto& worker : workers) worker.join();
  for (unsigned t = 1; t < threads; ++t) {
    for (std::size_t d = 0; d < days.size(); ++d) AddListing(parts[0][d], parts[t][d]);
  }
  return std::move(parts[0]);
}

domain::AgeCounts Projection::ListedAtClinic(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const {
  LEDGER_ASSERT(known_at <= applied_seq_);
  if (auto index = index_cache_.GetIfAskedBefore(*this, on)) return index->CountsAt(clinic, known_at);
  domain::AgeCounts ages{};
  for (const CountedResident& counted : CountedAt(clinic, on, known_at)) ++ages[static_cast<std::size_t>(counted.age)];
  return ages;
}

bool Projection::HasSnapshotIndex(std::int32_t on) const { return index_cache_.Has(on); }

std::vector<Projection::CountedResident> Projection::CountedAt(std::uint16_t clinic, std::int32_t on,
                                                               domain::Seq known_at) const {
  std::vector<CountedResident> out;
  const std::int32_t on_ymd = domain::YmdOf(domain::DateFromDays(on));
  for (std::uint32_t r : clinics_.listed_residents[clinic]) {
    const ResidentState state = FoldResident(r, on, known_at);
    if (!state.resident || state.clinic != clinic) continue;
    const int age = domain::AgeFromYmd(residents_.birth_ymd[r], on_ymd);
    if (age >= 0) out.push_back(CountedResident{r, age, state.listed_seq});
  }
  std::sort(out.begin(), out.end(), [](const CountedResident& a, const CountedResident& b) { return a.resident < b.resident; });
  return out;
}

bool Projection::AnyListedAt(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const {
  LEDGER_ASSERT(known_at <= applied_seq_);
  if (auto index = index_cache_.Find(on)) return index->AnyAt(clinic, known_at);
  // No index of the day is kept: fold the clinic's residents until one counts (usually the
  // first), rather than build the day's index for one yes-or-no (a trace, a dispute).
  const std::int32_t on_ymd = domain::YmdOf(domain::DateFromDays(on));
  for (std::uint32_t r : clinics_.listed_residents[clinic]) {
    const ResidentState state = FoldResident(r, on, known_at);
    if (state.resident && state.clinic == clinic && domain::AgeFromYmd(residents_.birth_ymd[r], on_ymd) >= 0) return true;
  }
  return false;
}

}  // namespace capledger::projection
