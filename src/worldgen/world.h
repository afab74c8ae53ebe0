// The generator's simulation: who lives where, who is listed where, and the events that say so.
// Internal to the worldgen layer.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "domain/calculation.h"
#include "domain/date.h"
#include "domain/rulebook.h"
#include "worldgen/generate.h"
#include "worldgen/geography.h"
#include "worldgen/rng.h"
#include "worldgen/sink.h"

namespace capledger::worldgen {

using domain::Date;
using domain::Month;
using domain::FirstDay;

inline constexpr std::uint16_t kNoClinic = 0xFFFF;
inline constexpr std::int16_t kNeverChanged = -100;
// Months between two active listing changes of one resident: with 7, no resident changes three
// times within 12 months (the national limit, DOMAIN.md §1), so the generator causes no such anomaly.
inline constexpr int kMonthsBetweenChanges = 7;

// One resident, 16 bytes: a Sweden-size world keeps 12 million of them.
struct Person {
  std::int32_t birth_days = 0;          // days since 1970-01-01
  std::uint16_t serial = 0;             // NNN of the personnummer
  std::uint16_t municipality = 0;       // index into Geography::municipalities
  std::uint16_t clinic = kNoClinic;     // index into Geography::clinics
  std::int16_t last_change = kNeverChanged;  // month index of the last active listing change
  std::uint8_t flags = 0;               // kCoordinationNumber | kMovedIn
};
inline constexpr std::uint8_t kCoordinationNumber = 1;  // a samordningsnummer (day + 60)
inline constexpr std::uint8_t kMovedIn = 2;             // moved into the region during the world

// Everyone who ever lived in the world, the ones registered now, and the personnummer serials
// taken per birth date (so that every resident's number is unique).
class Population {
 public:
  // Birth dates from 1 January 1890 to 31 December of `last_year`.
  explicit Population(int last_year);
  // A new person, not yet alive. A birth date whose 1,000 serials are taken moves a day later.
  std::uint32_t Add(std::int32_t birth_days, std::uint16_t municipality, std::uint8_t flags);
  Person& operator[](std::uint32_t id) { return people_[id]; }
  const Person& operator[](std::uint32_t id) const { return people_[id]; }

  void MakeAlive(std::uint32_t id) { alive_.push_back(id); }
  std::size_t alive_count() const { return alive_.size(); }
  std::uint32_t alive_at(std::size_t slot) const { return alive_[slot]; }
  // Removes the person at `slot` of the alive list (the last one takes the slot).
  void RemoveAliveAt(std::size_t slot);
  void Reserve(std::size_t people);
  // Everyone ever added; ids are 0 .. size() - 1 in the order added.
  std::uint32_t size() const { return static_cast<std::uint32_t>(people_.size()); }

 private:
  std::vector<Person> people_;
  std::vector<std::uint32_t> alive_;
  std::vector<std::uint16_t> serials_taken_;  // per (day since 1890, coordination)
  std::int32_t first_day_;
};

// The person's "YYYYMMDDNNNC" (or "YYYYMMDD-NNNC" if `dash`) with its Luhn check digit.
PersonnummerText PersonnummerOf(const Person& person, bool dash);

// Midnight UTC at the start of `date`, in microseconds.
Micros DayStart(Date date);

// A random time between 06:00 and 18:00 UTC on one of the `days` days from `first_day`.
Micros RandomTimeOf(Rng& rng, Date first_day, int days);

// The initial population (everyone is listed) by age in completed years on 31 December of the
// first year, the ages InitialGroup gives them.
domain::AgeCounts InitialAges(const Geography& geography);

// The visits a year of `listed` residents is expected to cost at `rates`, in öre: VisitEvent's
// volumes per 10,000 listed over the seasons, without the noise (whose mean is 100 %).
std::int64_t ExpectedVisitsOre(const domain::VisitRates& rates, std::int64_t listed);

// A MissionUndertaken (units >= 1) or a MissionEnded (units == 0) the generator plans.
struct PlannedMission {
  std::uint16_t clinic = 0;  // index into Geography::clinics
  std::string mission;
  Date effective;
  std::int64_t units = 0;    // per_unit missions: the units; other missions: 1 while offered
};

// A (clinic, mission) pair.
using MissionKey = std::pair<std::uint16_t, std::string>;

// The world over time. Each Step(K) writes what becomes known in month K: the residents' events
// and visit reports of month K - 1, and K's deliveries (CNI in March, performance in April, the
// rulebook in December). Late events are held by the sink until their time.
class World {
 public:
  // Builds the geography and plans the special months. Keeps `options` and `out`, which must
  // outlive the world.
  World(const GenerateOptions& options, std::FILE* out);
  // Writes the whole world to `out`; kIoError if writing fails.
  Status Run();
  const EventSink& sink() const { return sink_; }

 private:
  // world.cc
  void PlanSpecialMonths();
  void ScheduleRulebooks();
  void Step(Month known_in);
  Micros RandomTime(Date first_day, int days);
  int MonthIndex(Month month) const;
  bool IsSpecial(const std::vector<int>& months, Month month) const;
  const domain::Rulebook* RulebookOn(Date day) const;
  // population.cc
  void InitialPopulation(Micros& clock);
  void InitialGroup(std::uint16_t m, std::size_t group, std::int64_t count, Micros& clock);
  void WriteInitial(std::uint32_t id, Micros recorded);
  std::uint16_t ClinicFor(std::uint16_t municipality, int own_per_mille);
  void SetClinic(Person& person, std::uint16_t clinic);
  // dynamics.cc
  void ResidentMonth(Month month);
  std::uint64_t Count(std::uint64_t population, std::uint64_t per_100k_a_year);
  Date DayIn(Month month);
  Micros Recorded(Month month);
  std::size_t PickAlive(int (*weight)(int age), int weight_max, std::int32_t today);
  std::size_t PickChangeable(Month month);
  void Deaths(std::uint64_t n, Month month, Micros late);
  void MovesOut(std::uint64_t n, Month month);
  void Relocations(std::uint64_t n, Month month);
  void Relistings(std::uint64_t n, Month month);
  void Unlistings(std::uint64_t n, Month month);
  void WrongListing(Month month);
  void Births(std::uint64_t n, Month month);
  void MovesIn(std::uint64_t n, Month month);
  void HoldResident(std::uint32_t id, domain::EventBody body, Micros recorded, bool dash, std::int32_t tag = -1);
  void HoldRegistered(std::uint32_t id, Date effective, domain::RegistrationReason reason, Micros recorded);
  void HoldListed(std::uint32_t id, std::uint16_t clinic, Date effective, domain::ListingReason reason, Micros recorded,
                  std::int32_t tag = -1);
  void HoldUnlisted(std::uint32_t id, std::uint16_t clinic, Date effective, domain::UnlistingReason reason,
                    Micros recorded);
  std::uint16_t MunicipalityCode(std::uint16_t municipality) const;
  // reports.cc
  domain::ClinicRegistered ClinicEvent(std::size_t clinic) const;
  void RegisterClinics(Micros& clock);
  void RegisterNewClinic();
  void OpenNewClinic();
  void VisitReports(Month month);
  domain::VisitsReported VisitEvent(std::size_t clinic, Month month, std::int64_t percent);
  void CniDeliveries(Month march);
  void PerformanceReports(int year, Month april);
  // missions.cc
  void PlanMissions();
  Micros NewYearRecorded(int year);
  void EndUnlistedMissions(int year, const domain::Rulebook& rulebook);
  void TakeUpMission(int year, const domain::Mission& mission);
  void MissionChanges(int year, const domain::Rulebook& rulebook);
  void UndertakeSomewhere(const domain::Rulebook& rulebook, Date effective, Micros recorded);
  void ChangeSomeUnits(const domain::Rulebook& rulebook, Date effective, Micros recorded);
  void EndSomewhere(Date effective, Micros recorded);
  bool SettledBefore(const MissionKey& key, Date effective) const;
  Micros ChangeRecorded(Date effective, bool may_be_late);
  void HoldMission(const PlannedMission& planned, bool per_unit, Micros recorded);
  std::map<MissionKey, std::int64_t> MissionsOn(Date day) const;
  // budget.cc
  void FirstBudgetFrame();
  void BudgetFrames(Month known_in);
  const domain::Rulebook* RulebookForYear(int year) const;
  std::int64_t ExpectedYearOre(int year, const domain::AgeCounts& ages) const;
  std::int64_t ExpectedStartGrantOre(int year) const;
  std::int64_t ExpectedSupplementsOre(const domain::Rulebook& rulebook, Date mid, std::int64_t listed) const;
  std::int64_t ExpectedMissionsOre(const domain::Rulebook& rulebook, Date mid, const domain::AgeCounts& ages) const;
  std::vector<std::size_t> OpenClinics(Date day) const;
  domain::AgeCounts ListedAges(Date on) const;
  void SetFrame(int year, std::int64_t expected_ore, Micros recorded);
  void HoldFrame(int year, std::int64_t ore, int decided_in, Micros recorded);

  const GenerateOptions& options_;
  Rng rng_;
  Geography geography_;
  Population population_;
  EventSink sink_;
  std::vector<std::int64_t> listed_;  // per clinic: residents listed now
  Month first_month_;
  Month last_month_;
  Month opening_month_;               // when the new clinic opens
  std::uint16_t opening_municipality_ = 0;
  std::uint32_t newcomers_from_ = 0;  // ids from here on arrived in the month last simulated
  std::vector<int> late_death_months_;    // month indices with a death reported two months late
  std::vector<int> wrong_listing_months_;  // ... with a listing sent to the wrong clinic
  std::vector<int> visit_fix_months_;      // ... whose visit report for one clinic is replaced
  std::uint64_t visit_noise_seed_ = 0;  // a clinic's report and its correction share the noise
  // Missions and budget frames draw from a stream of their own, so that adding them left the
  // residents' world of a seed as it was.
  Rng plan_rng_;
  std::vector<PlannedMission> missions_;      // in effective order, as planned
  std::map<MissionKey, std::int64_t> offered_;  // while planning: units of the missions offered
  std::map<MissionKey, Date> last_change_;      // while planning: the last event's effective
  std::size_t mission_clinics_ = 0;           // the clinics open from the start take missions
  std::vector<std::int64_t> frames_ore_;      // per year of the world: the frame first set
  int revised_year_ = 0;                      // the year whose frame is revised in June
};

}  // namespace capledger::worldgen
