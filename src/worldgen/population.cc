// The residents: unique personnummer, and the initial population of each municipality.
#include <algorithm>

#include "common/assert.h"
#include "domain/personnummer.h"
#include "worldgen/world.h"

namespace capledger::worldgen {
namespace {

using std::chrono::day;
using std::chrono::January;
using std::chrono::year;

constexpr int kFirstBirthYear = 1890;
constexpr std::int32_t kSerials = 1000;

// Relative number of residents of each age 65..100 (Sweden's taper: flat to the mid 70s, then
// falling steeply; a few reach 100).
constexpr std::array<int, 36> kOldAgeWeights = {112, 111, 110, 109, 108, 108, 107, 106, 104, 102, 100, 97,
                                                93,  88,  82,  75,  68,  62,  56,  50,  44,  38,  33,  28,
                                                23,  19,  15,  12,  9,   7,   5,   4,   3,   2,   1,   1};

std::int32_t DaysOf(int y, unsigned m, unsigned d) {
  return domain::DaysSinceEpoch(Date{year(y), std::chrono::month(m), day(d)});
}

// The age of the i-th of n residents of group g on the reference date, spread evenly over the
// group (for 65+, by kOldAgeWeights). The 0-15 group spans 1-15: age 0 are the year's newborns.
int AgeOf(std::size_t group, std::int64_t i, std::int64_t n) {
  if (group + 1 < kAgeGroups) {
    const int lo = group == 0 ? 1 : kGroupMinAge[group];
    const std::int64_t span = kGroupMaxAge[group] - lo + 1;
    return lo + static_cast<int>(i * span / n);
  }
  std::int64_t total = 0;
  for (int w : kOldAgeWeights) total += w;
  std::int64_t position = (2 * i + 1) * total / (2 * n);
  for (std::size_t a = 0; a < kOldAgeWeights.size(); ++a) {
    if (position < kOldAgeWeights[a]) return kGroupMinAge[group] + static_cast<int>(a);
    position -= kOldAgeWeights[a];
  }
  return kGroupMaxAge[group];
}

}  // namespace

Population::Population(int last_year) : first_day_(DaysOf(kFirstBirthYear, 1, 1)) {
  const std::int32_t days = DaysOf(last_year + 2, 1, 1) - first_day_;
  serials_taken_.assign(static_cast<std::size_t>(days) * 2, 0);
}

std::uint32_t Population::Add(std::int32_t birth_days, std::uint16_t municipality, std::uint8_t flags) {
  const std::size_t coordination = (flags & kCoordinationNumber) != 0 ? 1 : 0;
  std::size_t index = 0;
  for (;; ++birth_days) {
    LEDGER_ASSERT(birth_days >= first_day_);
    index = static_cast<std::size_t>(birth_days - first_day_) * 2 + coordination;
    LEDGER_ASSERT(index < serials_taken_.size());
    if (serials_taken_[index] < kSerials) break;
  }
  // A fixed permutation of 0..999 per birth date: serials look random and never repeat.
  const std::uint64_t mix = (index * 7919 + 13) % kSerials;
  const auto serial = static_cast<std::uint16_t>((serials_taken_[index]++ * 389ULL + mix) % kSerials);
  people_.push_back(Person{birth_days, serial, municipality, kNoClinic, kNeverChanged, flags});
  return static_cast<std::uint32_t>(people_.size() - 1);
}

void Population::RemoveAliveAt(std::size_t slot) {
  alive_[slot] = alive_.back();
  alive_.pop_back();
}

void Population::Reserve(std::size_t people) {
  people_.reserve(people);
  alive_.reserve(people);
}

PersonnummerText PersonnummerOf(const Person& person, bool dash) {
  const Date birth = domain::DateFromDays(person.birth_days);
  const auto y = static_cast<unsigned>(static_cast<int>(birth.year()));
  const unsigned d = static_cast<unsigned>(birth.day()) + ((person.flags & kCoordinationNumber) != 0 ? 60 : 0);
  LEDGER_ASSERT(y >= 1000 && y <= 9999 && person.serial < 1000);  // Population's birth years and serials
  // YYYYMMDDNNN: the digits of the four numbers, each zero-padded to its width.
  const std::uint64_t number = ((y * 100ULL + static_cast<unsigned>(birth.month())) * 100 + d) * 1000 + person.serial;
  char digits[11];
  std::uint64_t rest = number;
  for (int i = 10; i >= 0; --i, rest /= 10) digits[i] = static_cast<char>('0' + rest % 10);
  const int check = domain::LuhnCheckDigit(std::string_view(digits + 2, 9));
  PersonnummerText text;
  char* out = std::copy(digits, digits + 8, text.chars.data());
  if (dash) *out++ = '-';
  out = std::copy(digits + 8, digits + 11, out);
  *out++ = static_cast<char>('0' + check);
  text.size = static_cast<std::uint8_t>(out - text.chars.data());
  return text;
}

Micros DayStart(Date date) { return std::int64_t{domain::DaysSinceEpoch(date)} * kMicrosPerDay; }

// A clinic for a resident of `municipality`: one of the neighbouring municipality's with
// probability (1000 - own_per_mille) / 1000, scaled down by the neighbour's size relative to the
// home municipality's (so that a city does not flood a small neighbour), else one of its own.
std::uint16_t World::ClinicFor(std::uint16_t municipality, int own_per_mille) {
  const Municipality* m = &geography_.municipalities[municipality];
  const Municipality& neighbour = geography_.municipalities[m->neighbour];
  const std::int64_t home = std::max<std::int64_t>(InitialResidents(*m), 1);
  const std::int64_t away = std::min(InitialResidents(neighbour), home);
  const auto outside_per_billion = static_cast<std::uint64_t>((1000 - own_per_mille) * 1'000'000 * away / home);
  if (rng_.Below(1'000'000'000) < outside_per_billion) m = &neighbour;
  if (m->clinics.empty()) return static_cast<std::uint16_t>(rng_.Below(geography_.clinics.size()));
  return m->clinics[rng_.Below(m->clinics.size())];
}

void World::SetClinic(Person& person, std::uint16_t clinic) {
  if (person.clinic != kNoClinic) --listed_[person.clinic];
  person.clinic = clinic;
  if (clinic != kNoClinic) ++listed_[clinic];
}

domain::AgeCounts InitialAges(const Geography& geography) {
  domain::AgeCounts ages{};
  for (const Municipality& m : geography.municipalities) {
    for (std::size_t g = 0; g < kAgeGroups; ++g) {
      for (std::int64_t i = 0; i < m.initial[g]; ++i) ++ages[static_cast<std::size_t>(AgeOf(g, i, m.initial[g]))];
    }
  }
  return ages;
}

void World::InitialPopulation(Micros& clock) {
  std::int64_t total = 0;
  for (const auto& m : geography_.municipalities) {
    for (std::int64_t cell : m.initial) total += cell;
  }
  population_.Reserve(static_cast<std::size_t>(total + total * options_.years / 8 + 1024));
  for (std::size_t m = 0; m < geography_.municipalities.size(); ++m) {
    for (std::size_t g = 0; g < kAgeGroups; ++g) {
      InitialGroup(static_cast<std::uint16_t>(m), g, geography_.municipalities[m].initial[g], clock);
    }
  }
}

// The residents of one age group of a municipality: birth dates such that their ages on
// 31 December of the first year are spread over the group, registered and listed on 1 January.
void World::InitialGroup(std::uint16_t m, std::size_t group, std::int64_t count, Micros& clock) {
  const int reference_year = options_.first_year;
  for (std::int64_t i = 0; i < count; ++i) {
    const int birth_year = reference_year - AgeOf(group, i, count);
    const std::int32_t first = DaysOf(birth_year, 1, 1);
    const std::int32_t days = DaysOf(birth_year + 1, 1, 1) - first;
    const std::uint32_t id = population_.Add(first + static_cast<std::int32_t>(rng_.Below(static_cast<std::uint64_t>(days))), m, 0);
    population_.MakeAlive(id);
    SetClinic(population_[id], ClinicFor(m, 920));
    WriteInitial(id, clock);
    clock += 2;
  }
}

// Registered and listed from the first day: 70 % by choice, the others by proximity.
void World::WriteInitial(std::uint32_t id, Micros recorded) {
  const Person& person = population_[id];
  const Date start = FirstDay(first_month_);
  sink_.Write(recorded,
              domain::ResidentRegistered{{}, start, MunicipalityCode(person.municipality),
                                         domain::RegistrationReason::kInitial},
              PersonnummerOf(person, false));
  const auto reason = rng_.PerMille(700) ? domain::ListingReason::kChoice : domain::ListingReason::kProximity;
  sink_.Write(recorded + 1, domain::PatientListed{{}, geography_.clinics[person.clinic].id, start, reason},
              PersonnummerOf(person, true));
}

}  // namespace capledger::worldgen
