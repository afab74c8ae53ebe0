// Projection queries: everything "as of effective date D, as known at K".
#include <algorithm>

#include "common/assert.h"
#include "projection/projection.h"

namespace capledger::projection {
namespace {

using K = ResidentFactKind;

constexpr std::int32_t kYearDays = 365;

// The value of the visible fact with the latest effective date on or before `on`, ties by the
// highest seq: facts are sorted by (effective, seq), so it is the last visible one.
std::optional<std::int64_t> LatestOnOrBefore(const std::vector<DatedFact>& facts, std::int32_t on,
                                             std::uint64_t known_at) {
  for (auto it = facts.rbegin(); it != facts.rend(); ++it) {
    if (it->effective <= on && VisibleAt(it->seq, it->retracted_at, known_at)) return it->value;
  }
  return std::nullopt;
}

// Counts listing changes effective in (on - 1 year, on] for the too-many-changes anomaly.
bool TooManyChanges(int changes_in_window) { return changes_in_window > 2; }

}  // namespace

const RulebookFact* Projection::RulebookInForce(domain::Month month, std::uint64_t known_at) const {
  const domain::Date first = domain::FirstDay(month);
  const RulebookFact* chosen = nullptr;
  for (const auto& fact : rulebooks_) {  // seq order: the last match is the latest published
    if (!VisibleAt(fact.seq, fact.retracted_at, known_at)) continue;
    if (fact.rulebook.valid_from <= first && first < fact.rulebook.valid_until) chosen = &fact;
  }
  return chosen;
}

ResidentState Projection::FoldResident(std::uint32_t resident, std::int32_t on, std::uint64_t known_at) const {
  ResidentState state;
  const std::int32_t birth = residents_.birth_days[resident];
  bool died = false;
  bool listed_before = false;
  int changes_in_window = 0;
  for (const ResidentFact& f : residents_.facts[resident]) {
    if (f.effective > on) break;
    if (!VisibleAt(f.seq, f.retracted_at, known_at)) continue;
    if (f.effective < birth) state.anomalies |= kEventBeforeBirth;
    switch (f.kind) {
      case K::kRegistered:
        if (died) state.anomalies |= kRegistrationAfterDeath;
        state.resident = true;
        break;
      case K::kMovedOut:
      case K::kDied:
        died = died || f.kind == K::kDied;
        state.resident = false;
        state.clinic = -1;
        break;
      case K::kRelocated: break;
      case K::kListed:
        // A change is a listing after an earlier one; the first listing is not a change.
        if (listed_before && f.effective > on - kYearDays) ++changes_in_window;
        listed_before = true;
        state.clinic = f.clinic;
        state.listed_seq = f.seq;
        break;
      case K::kUnlisted:
        if (state.clinic == f.clinic) {
          state.clinic = -1;
        } else {
          state.anomalies |= kUnlistingElsewhere;
        }
        break;
    }
  }
  if (state.clinic >= 0 && !state.resident) state.anomalies |= kListedNonResident;
  if (TooManyChanges(changes_in_window)) state.anomalies |= kTooManyChanges;
  return state;
}

std::optional<std::int32_t> Projection::OpeningDay(std::uint16_t clinic, std::uint64_t known_at) const {
  // The latest registration by seq decides the opening date, whatever its effective date.
  const DatedFact* latest = nullptr;
  for (const auto& fact : clinics_.registrations[clinic]) {
    if (VisibleAt(fact.seq, fact.retracted_at, known_at) && (!latest || fact.seq > latest->seq)) latest = &fact;
  }
  if (!latest) return std::nullopt;
  return latest->effective;
}

bool Projection::OpenOn(std::uint16_t clinic, std::int32_t on, std::uint64_t known_at) const {
  auto opening = OpeningDay(clinic, known_at);
  if (!opening || *opening > on) return false;
  for (const auto& fact : clinics_.closures[clinic]) {
    if (fact.effective <= on && VisibleAt(fact.seq, fact.retracted_at, known_at)) return false;
  }
  return true;
}

std::optional<std::int64_t> Projection::DistanceOn(std::uint16_t clinic, std::int32_t on, std::uint64_t known_at) const {
  return LatestOnOrBefore(clinics_.distances[clinic], on, known_at);
}

std::optional<std::int64_t> Projection::CniOn(std::uint16_t clinic, std::int32_t on, std::uint64_t known_at) const {
  return LatestOnOrBefore(clinics_.cnis[clinic], on, known_at);
}

const PerformanceFact* Projection::PerformanceFor(std::uint16_t clinic, domain::Month month,
                                                  std::uint64_t known_at) const {
  const std::int32_t m = domain::MonthOrdinal(month);
  const auto& facts = clinics_.performance[clinic];
  for (auto it = facts.rbegin(); it != facts.rend(); ++it) {
    if (it->from_month <= m && m <= it->to_month && VisibleAt(it->seq, it->retracted_at, known_at)) return &*it;
  }
  return nullptr;
}

const VisitFact* Projection::VisitsFor(std::uint16_t clinic, domain::Month month, std::uint64_t known_at) const {
  const std::int32_t m = domain::MonthOrdinal(month);
  const auto& facts = clinics_.visits[clinic];
  for (auto it = facts.rbegin(); it != facts.rend(); ++it) {
    if (it->month == m && VisibleAt(it->seq, it->retracted_at, known_at)) return &*it;
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

Projection::Listing Projection::ListedByClinic(std::int32_t on, std::uint64_t known_at) const {
  Listing listing;
  listing.by_clinic.assign(clinics_.id.size(), domain::AgeCounts{});
  auto& counts = listing.by_clinic;
  const domain::Date on_date = domain::DateFromDays(on);
  for (std::uint32_t r = 0; r < residents_.facts.size(); ++r) {
    const ResidentState state = FoldResident(r, on, known_at);
    for (int bit = 0; state.anomalies != 0 && bit < kAnomalyKinds; ++bit) {
      if (state.anomalies & (1u << bit)) ++listing.anomaly_residents[static_cast<std::size_t>(bit)];
    }
    if (!state.resident || state.clinic < 0) continue;
    const int age = domain::AgeOn(domain::DateFromDays(residents_.birth_days[r]), on_date);
    if (age < 0) continue;  // not yet born on D
    counts[static_cast<std::size_t>(state.clinic)][static_cast<std::size_t>(age)] += 1;
  }
  return listing;
}

domain::AgeCounts Projection::ListedAtClinic(std::uint16_t clinic, std::int32_t on, std::uint64_t known_at) const {
  domain::AgeCounts counts{};
  const domain::Date on_date = domain::DateFromDays(on);
  for (std::uint32_t r : clinics_.listed_residents[clinic]) {
    const ResidentState state = FoldResident(r, on, known_at);
    if (!state.resident || state.clinic != clinic) continue;
    const int age = domain::AgeOn(domain::DateFromDays(residents_.birth_days[r]), on_date);
    if (age >= 0) counts[static_cast<std::size_t>(age)] += 1;
  }
  return counts;
}

bool Projection::AnyListedAt(std::uint16_t clinic, std::int32_t on, std::uint64_t known_at) const {
  for (std::uint32_t r : clinics_.listed_residents[clinic]) {
    const ResidentState state = FoldResident(r, on, known_at);
    if (state.resident && state.clinic == clinic && residents_.birth_days[r] <= on) return true;
  }
  return false;
}

}  // namespace capledger::projection
