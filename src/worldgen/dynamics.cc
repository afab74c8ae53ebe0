// The residents' month: deaths, moves out, relocations, re-listings, births and moves in.
#include "common/assert.h"
#include "worldgen/world.h"

namespace capledger::worldgen {
namespace {

constexpr std::size_t kNoSlot = SIZE_MAX;

// Completed years, near enough for choosing who dies or moves (not used for any payment).
int ApproximateAge(std::int32_t birth_days, std::int32_t today) { return (today - birth_days) * 4 / 1461; }

// Relative yearly mortality by age, in 1/10,000 (Swedish order of magnitude).
int DeathWeight(int age) {
  if (age < 1) return 20;
  if (age < 45) return 5;
  if (age < 65) return 40;
  if (age < 75) return 150;
  if (age < 85) return 450;
  return 1400;
}
constexpr int kDeathWeightMax = 1400;

// Relative propensity to move by age: young adults move most.
int MoveWeight(int age) {
  if (age < 18) return 10;
  if (age < 35) return 30;
  if (age < 65) return 10;
  return 3;
}
constexpr int kMoveWeightMax = 30;

}  // namespace

void World::ResidentMonth(Month month) {
  const std::uint64_t people = population_.alive_count();
  newcomers_from_ = population_.size();
  const Micros late = IsSpecial(late_death_months_, month) ? RandomTime(FirstDay(domain::AddMonths(month, 3)), 5) : -1;
  // Yearly rates: deaths 1.0 %, moves out and in 2.5 % each, relocations 1.5 %, active re-listing
  // 6 %, other unlistings 0.04 %, births 1.1 %. The ones already registered go first, so that a
  // newcomer has no other event in the month of arrival.
  Deaths(Count(people, 1000), month, late);
  MovesOut(Count(people, 2500), month);
  Relocations(Count(people, 1500), month);
  Relistings(Count(people, 6000), month);
  Unlistings(Count(people, 40), month);
  if (IsSpecial(wrong_listing_months_, month)) WrongListing(month);
  Births(Count(people, 1100), month);
  MovesIn(Count(people, 2500), month);
}

// n × rate / 12, the fraction rounded up with its own probability (a small world still moves).
std::uint64_t World::Count(std::uint64_t population, std::uint64_t per_100k_a_year) {
  constexpr std::uint64_t kDenominator = 100'000 * 12;
  const std::uint64_t total = population * per_100k_a_year;
  return total / kDenominator + (rng_.Below(kDenominator) < total % kDenominator ? 1 : 0);
}

Date World::DayIn(Month month) {
  const auto days = static_cast<unsigned>(domain::LastDay(month).day());
  return domain::AddDays(FirstDay(month), static_cast<int>(rng_.Below(days)));
}

// Events about `month` are learned on days 1-5 of the next month.
Micros World::Recorded(Month month) { return RandomTime(FirstDay(domain::AddMonths(month, 1)), 5); }

std::size_t World::PickAlive(int (*weight)(int age), int weight_max, std::int32_t today) {
  const std::size_t alive = population_.alive_count();
  if (alive == 0) return kNoSlot;
  for (int attempt = 0; attempt < 10'000; ++attempt) {
    const std::size_t slot = rng_.Below(alive);
    const int age = ApproximateAge(population_[population_.alive_at(slot)].birth_days, today);
    if (rng_.Below(static_cast<std::uint64_t>(weight_max)) < static_cast<std::uint64_t>(weight(age))) return slot;
  }
  return rng_.Below(alive);
}

// A resident who may change clinic this month (kMonthsBetweenChanges), or kNoSlot.
std::size_t World::PickChangeable(Month month) {
  const int now = MonthIndex(month);
  for (int attempt = 0; attempt < 20 && population_.alive_count() > 0; ++attempt) {
    const std::size_t slot = rng_.Below(population_.alive_count());
    if (now - population_[population_.alive_at(slot)].last_change >= kMonthsBetweenChanges) return slot;
  }
  return kNoSlot;
}

void World::Deaths(std::uint64_t n, Month month, Micros late) {
  const std::int32_t today = domain::DaysSinceEpoch(FirstDay(month));
  for (std::uint64_t k = 0; k < n; ++k) {
    const std::size_t slot = PickAlive(DeathWeight, kDeathWeightMax, today);
    if (slot == kNoSlot) return;
    const std::uint32_t id = population_.alive_at(slot);
    const Micros recorded = k == 0 && late >= 0 ? late : Recorded(month);  // drawn before the day (see Unlistings)
    HoldResident(id, domain::ResidentDied{{}, DayIn(month)}, recorded, false);
    SetClinic(population_[id], kNoClinic);
    population_.RemoveAliveAt(slot);
  }
}

// Some clinics also send the unlisting (before the move, so that it matches the listing).
void World::MovesOut(std::uint64_t n, Month month) {
  const std::int32_t today = domain::DaysSinceEpoch(FirstDay(month));
  for (std::uint64_t k = 0; k < n; ++k) {
    const std::size_t slot = PickAlive(MoveWeight, kMoveWeightMax, today);
    if (slot == kNoSlot) return;
    const std::uint32_t id = population_.alive_at(slot);
    const Date effective = DayIn(month);
    const Micros recorded = Recorded(month);
    if (population_[id].clinic != kNoClinic && rng_.PerMille(200)) {
      HoldUnlisted(id, population_[id].clinic, effective, domain::UnlistingReason::kMoved, recorded);
    }
    HoldResident(id, domain::ResidentMovedOut{{}, effective}, recorded, false);
    SetClinic(population_[id], kNoClinic);
    population_.RemoveAliveAt(slot);
  }
}

// A move to another municipality of the region (chosen by population); 40 % also re-list there.
void World::Relocations(std::uint64_t n, Month month) {
  for (std::uint64_t k = 0; k < n && population_.alive_count() > 0; ++k) {
    const std::uint32_t id = population_.alive_at(rng_.Below(population_.alive_count()));
    Person& person = population_[id];
    std::uint16_t target = person.municipality;
    for (int attempt = 0; attempt < 8 && target == person.municipality; ++attempt) {
      target = population_[population_.alive_at(rng_.Below(population_.alive_count()))].municipality;
    }
    if (target == person.municipality) continue;
    const Date effective = DayIn(month);
    const Micros recorded = Recorded(month);
    person.municipality = target;
    HoldResident(id, domain::ResidentRelocated{{}, effective, MunicipalityCode(target)}, recorded, false);
    if (!rng_.PerMille(400) || MonthIndex(month) - person.last_change < kMonthsBetweenChanges) continue;
    const std::uint16_t clinic = ClinicFor(target, 1000);
    if (clinic == person.clinic) continue;
    HoldListed(id, clinic, effective, domain::ListingReason::kChoice, recorded);
    SetClinic(person, clinic);
    person.last_change = static_cast<std::int16_t>(MonthIndex(month));
  }
}

// An active choice of another clinic, mostly in the home municipality; 15 % of the old clinics
// also send the unlisting, before the new listing of the same day.
void World::Relistings(std::uint64_t n, Month month) {
  for (std::uint64_t k = 0; k < n; ++k) {
    const std::size_t slot = PickChangeable(month);
    if (slot == kNoSlot) continue;
    const std::uint32_t id = population_.alive_at(slot);
    Person& person = population_[id];
    std::uint16_t clinic = person.clinic;
    for (int attempt = 0; attempt < 4 && clinic == person.clinic; ++attempt) clinic = ClinicFor(person.municipality, 850);
    if (clinic == person.clinic) continue;
    const Date effective = DayIn(month);
    const Micros recorded = Recorded(month);
    if (person.clinic != kNoClinic && rng_.PerMille(150)) {
      HoldUnlisted(id, person.clinic, effective, domain::UnlistingReason::kChoiceElsewhere, recorded);
    }
    HoldListed(id, clinic, effective, domain::ListingReason::kChoice, recorded);
    SetClinic(person, clinic);
    person.last_change = static_cast<std::int16_t>(MonthIndex(month));
  }
}

// An unlisting for another reason, of a resident whose listing did not change this month (its
// effective day could precede that change and name a clinic the resident was not yet at). The
// recorded time is drawn before the effective day: the order in which the worlds of every seed
// were first generated (as arguments of one call, in g++'s order).
void World::Unlistings(std::uint64_t n, Month month) {
  const int now = MonthIndex(month);
  for (std::uint64_t k = 0; k < n && population_.alive_count() > 0; ++k) {
    const std::uint32_t id = population_.alive_at(rng_.Below(population_.alive_count()));
    Person& person = population_[id];
    if (person.clinic == kNoClinic || person.last_change == now) continue;
    const Micros recorded = Recorded(month);
    HoldUnlisted(id, person.clinic, DayIn(month), domain::UnlistingReason::kOther, recorded);
    SetClinic(person, kNoClinic);
    person.last_change = static_cast<std::int16_t>(now);
  }
}

// A listing sent to a clinic of another municipality, retracted 2-5 weeks later together with
// the listing at the right clinic.
void World::WrongListing(Month month) {
  const std::size_t slot = PickChangeable(month);
  if (slot == kNoSlot || geography_.municipalities.size() < 2) return;
  const std::uint32_t id = population_.alive_at(slot);
  Person& person = population_[id];
  const auto misplaced = [&](std::uint16_t c) {
    return c != kNoClinic && c != person.clinic && geography_.clinics[c].municipality != person.municipality;
  };
  std::uint16_t wrong = kNoClinic;
  for (int attempt = 0; attempt < 32 && !misplaced(wrong); ++attempt) {
    wrong = geography_.municipalities[rng_.Below(geography_.municipalities.size())].clinics.front();
  }
  std::uint16_t right = person.clinic;
  for (int attempt = 0; attempt < 4 && right == person.clinic; ++attempt) right = ClinicFor(person.municipality, 1000);
  if (!misplaced(wrong) || right == person.clinic) return;
  const Date effective = DayIn(month);
  const Micros sent = Recorded(month);
  const std::int32_t tag = sink_.NewTag();
  HoldListed(id, wrong, effective, domain::ListingReason::kChoice, sent, tag);
  const Micros weeks_later = rng_.Between(14, 35) * kMicrosPerDay;  // drawn before the time of day, as it always was
  const Micros corrected = sent + weeks_later + rng_.Between(0, kMicrosPerDay / 4);
  sink_.Hold(PendingEvent{corrected, domain::EventRetracted{{}, "listing sent to the wrong clinic"}, {}, false, -1, tag});
  HoldListed(id, right, effective, domain::ListingReason::kChoice, corrected);
  SetClinic(person, right);
  person.last_change = static_cast<std::int16_t>(MonthIndex(month));
}

// Newborns live where a parent lives and are listed at the parent's clinic.
void World::Births(std::uint64_t n, Month month) {
  const std::int32_t today = domain::DaysSinceEpoch(FirstDay(month));
  for (std::uint64_t k = 0; k < n && population_.alive_count() > 0; ++k) {
    const auto parent_age = [&](std::uint32_t p) { return ApproximateAge(population_[p].birth_days, today); };
    std::uint32_t parent = population_.alive_at(rng_.Below(population_.alive_count()));
    for (int attempt = 0; attempt < 10 && (parent_age(parent) < 18 || parent_age(parent) > 44); ++attempt) {
      parent = population_.alive_at(rng_.Below(population_.alive_count()));
    }
    const std::uint16_t municipality = population_[parent].municipality;
    std::uint16_t clinic = population_[parent].clinic;
    if (clinic == kNoClinic) clinic = ClinicFor(municipality, 1000);
    const std::uint32_t id = population_.Add(domain::DaysSinceEpoch(DayIn(month)), municipality, 0);
    const Date born = domain::DateFromDays(population_[id].birth_days);
    const Micros recorded = Recorded(month);
    HoldRegistered(id, born, domain::RegistrationReason::kBirth, recorded);
    HoldListed(id, clinic, born, domain::ListingReason::kNewborn, recorded);
    SetClinic(population_[id], clinic);
    population_.MakeAlive(id);
  }
}

// Newcomers: mostly young adults, 6 % with a samordningsnummer; listed by proximity on arrival.
void World::MovesIn(std::uint64_t n, Month month) {
  for (std::uint64_t k = 0; k < n && population_.alive_count() > 0; ++k) {
    const std::uint64_t band = rng_.Below(100);
    const int age = band < 20 ? static_cast<int>(rng_.Between(1, 17))
                    : band < 70 ? static_cast<int>(rng_.Between(18, 34))
                    : band < 95 ? static_cast<int>(rng_.Between(35, 64))
                                : static_cast<int>(rng_.Between(65, 89));
    const Date arrival = DayIn(month);
    const std::int32_t birth = domain::DaysSinceEpoch(arrival) - age * 365 - age / 4 - static_cast<std::int32_t>(rng_.Between(1, 364));
    const std::uint8_t flags = kMovedIn | (rng_.PerMille(60) ? kCoordinationNumber : 0);
    const std::uint16_t municipality = population_[population_.alive_at(rng_.Below(population_.alive_count()))].municipality;
    const std::uint32_t id = population_.Add(birth, municipality, flags);
    const Micros recorded = Recorded(month);
    HoldRegistered(id, arrival, domain::RegistrationReason::kMovedIn, recorded);
    const std::uint16_t clinic = ClinicFor(municipality, 1000);
    HoldListed(id, clinic, arrival, domain::ListingReason::kProximity, recorded);
    SetClinic(population_[id], clinic);
    population_.MakeAlive(id);
  }
}

// An event about resident `id`, held until `recorded`: the personnummer with a dash for the
// listings (as 1177 writes it), without for the population register's events (as Navet does).
void World::HoldResident(std::uint32_t id, domain::EventBody body, Micros recorded, bool dash, std::int32_t tag) {
  sink_.Hold(PendingEvent{recorded, std::move(body), PersonnummerOf(population_[id], dash), false, tag});
}

void World::HoldRegistered(std::uint32_t id, Date effective, domain::RegistrationReason reason, Micros recorded) {
  const std::uint16_t code = MunicipalityCode(population_[id].municipality);
  HoldResident(id, domain::ResidentRegistered{{}, effective, code, reason}, recorded, false);
}

void World::HoldListed(std::uint32_t id, std::uint16_t clinic, Date effective, domain::ListingReason reason,
                       Micros recorded, std::int32_t tag) {
  HoldResident(id, domain::PatientListed{{}, geography_.clinics[clinic].id, effective, reason}, recorded, true, tag);
}

void World::HoldUnlisted(std::uint32_t id, std::uint16_t clinic, Date effective, domain::UnlistingReason reason,
                         Micros recorded) {
  HoldResident(id, domain::PatientUnlisted{{}, geography_.clinics[clinic].id, effective, reason}, recorded, true);
}

std::uint16_t World::MunicipalityCode(std::uint16_t municipality) const {
  return static_cast<std::uint16_t>(geography_.municipalities[municipality].code);
}

}  // namespace capledger::worldgen
