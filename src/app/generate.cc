#include "app/generate.h"

#include <array>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "common/assert.h"
#include "domain/cni.h"
#include "domain/date.h"
#include "domain/personnummer.h"

namespace capledger::app {
namespace {

using domain::Date;
using domain::Month;
using domain::DateFromDays;
using domain::FirstDay;

// Örebro län's municipalities (kommun codes) and a weight for where people live (2023 shares).
constexpr std::array<int, 12> kMunicipalities = {1882, 1862, 1861, 1863, 1883, 1881,
                                                 1860, 1814, 1885, 1864, 1884, 1880};
constexpr std::array<int, 12> kMunicipalityWeights = {115, 94, 162, 65, 303, 225, 55, 86, 233, 44, 126, 1594};

// xoshiro256** seeded by splitmix64: the same stream on every machine.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : state_) {
      seed += 0x9e3779b97f4a7c15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }
  // Uniform in [0, n).
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }
  bool Chance(std::uint64_t per_million) { return Below(1'000'000) < per_million; }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> state_{};
};

struct Resident {
  std::string pnr;
  int municipality = 0;
  int clinic = -1;
};

struct Clinic {
  std::string id;
  int municipality = 0;
  int distance_tenths = 0;
};

class World {
 public:
  World(const GenerateOptions& options, std::FILE* out) : options_(options), rng_(options.seed), out_(out) {}
  Status Run();
  std::uint64_t lines() const { return lines_; }

 private:
  void Emit(std::string_view type, const std::string& body);
  void SetRecordedMonth(Month month);
  int RandomMunicipality();
  int ClinicIn(int municipality);
  std::string NewPersonnummer(Date birth);
  void AddClinic(const std::string& id, int municipality, Date opening);
  void Register(Resident& r, Date birth, Date effective, std::string_view reason);
  void List(Resident& r, int clinic, Date effective, std::string_view reason);
  void InitialPopulation();
  void SimulateMonth(Month month);
  void ResidentChanges(Month month);
  void ClinicReports(Month month);
  void NewClinicIfDue(Month month);
  Date DayIn(Month month) { return domain::AddDays(FirstDay(month), static_cast<int>(rng_.Below(28))); }
  std::size_t RandomAlive() { return alive_[rng_.Below(alive_.size())]; }
  void RemoveAlive(std::size_t slot_index);

  const GenerateOptions& options_;
  Rng rng_;
  std::FILE* out_;
  std::string buffer_;
  std::uint64_t lines_ = 0;
  std::int64_t recorded_us_ = 0;
  std::vector<Clinic> clinics_;
  std::vector<Resident> residents_;
  std::vector<std::size_t> alive_;  // indices of residents registered now
  std::unordered_set<std::string> used_numbers_;
  std::string last_wrong_listing_id_;
};

void World::Emit(std::string_view type, const std::string& body) {
  ++lines_;
  recorded_us_ += 1;
  fmt::format_to(std::back_inserter(buffer_), R"({{"type":"{}","id":"gen-{}","source":"generator",)"
                 R"("recorded_at":"{}",{}}})" "\n",
                 type, lines_, domain::FormatTimestamp(FromMicros(recorded_us_)), body);
  if (buffer_.size() > (1 << 20)) {
    std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
    buffer_.clear();
  }
}

// Events about month M are learned on the 2nd of M + 1 at 02:00 UTC.
void World::SetRecordedMonth(Month month) {
  const Date known = domain::AddDays(FirstDay(domain::AddMonths(month, 1)), 1);
  const std::int64_t us = (std::int64_t{domain::DaysSinceEpoch(known)} * 86400 + 7200) * 1'000'000;
  recorded_us_ = std::max(recorded_us_, us);
}

int World::RandomMunicipality() {
  std::uint64_t pick = rng_.Below(3247);  // the sum of kMunicipalityWeights
  for (std::size_t i = 0; i < kMunicipalities.size(); ++i) {
    if (pick < static_cast<std::uint64_t>(kMunicipalityWeights[i])) return kMunicipalities[i];
    pick -= static_cast<std::uint64_t>(kMunicipalityWeights[i]);
  }
  return kMunicipalities.back();
}

int World::ClinicIn(int municipality) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    const int c = static_cast<int>(rng_.Below(clinics_.size()));
    if (clinics_[static_cast<std::size_t>(c)].municipality == municipality) return c;
  }
  return static_cast<int>(rng_.Below(clinics_.size()));
}

std::string World::NewPersonnummer(Date birth) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const int serial = static_cast<int>(rng_.Below(1000));
    const std::string nine = fmt::format("{:02d}{:02d}{:02d}{:03d}", static_cast<int>(birth.year()) % 100,
                                         static_cast<unsigned>(birth.month()), static_cast<unsigned>(birth.day()), serial);
    std::string pnr = fmt::format("{}-{:03d}{}", domain::FormatDate(birth).substr(0, 4) + nine.substr(2, 4),
                                  serial, domain::LuhnCheckDigit(nine));
    if (used_numbers_.insert(pnr).second) return pnr;
  }
  LEDGER_ASSERT(false);  // 1,000 serials per birth date: the presets stay far below that
  return {};
}

void World::AddClinic(const std::string& id, int municipality, Date opening) {
  const int distance = static_cast<int>(rng_.Below(800));
  clinics_.push_back(Clinic{id, municipality, distance});
  Emit("ClinicRegistered",
       fmt::format(R"("clinic":"{}","name":"Vårdcentralen {}","operator":"{}","municipality":"{:04d}",)"
                   R"("distance_to_hospital_km":"{}.{}","effective":"{}")",
                   id, id, rng_.Chance(140'000) ? "private" : "region", municipality, distance / 10, distance % 10,
                   domain::FormatDate(opening)));
}

void World::Register(Resident& r, Date birth, Date effective, std::string_view reason) {
  r.pnr = NewPersonnummer(birth);
  Emit("ResidentRegistered", fmt::format(R"("personnummer":"{}","effective":"{}","municipality":"{:04d}","reason":"{}")",
                                         r.pnr, domain::FormatDate(effective), r.municipality, reason));
}

void World::List(Resident& r, int clinic, Date effective, std::string_view reason) {
  r.clinic = clinic;
  Emit("PatientListed", fmt::format(R"("personnummer":"{}","clinic":"{}","effective":"{}","reason":"{}")", r.pnr,
                                    clinics_[static_cast<std::size_t>(clinic)].id, domain::FormatDate(effective), reason));
}


void World::RemoveAlive(std::size_t slot_index) {
  alive_[slot_index] = alive_.back();
  alive_.pop_back();
}

void World::InitialPopulation() {
  const Date start = Date{std::chrono::year(options_.first_year), std::chrono::January, std::chrono::day(1)};
  recorded_us_ = (std::int64_t{domain::DaysSinceEpoch(start)} * 86400) * 1'000'000;
  for (int c = 0; c < options_.preset.clinics; ++c) {
    AddClinic(fmt::format("VC-{:04d}", c + 1), kMunicipalities[static_cast<std::size_t>(c) % kMunicipalities.size()],
              Date{std::chrono::year(2010), std::chrono::January, std::chrono::day(1)});
  }
  residents_.resize(static_cast<std::size_t>(options_.preset.residents));
  alive_.reserve(residents_.size() * 5 / 4);
  for (std::size_t i = 0; i < residents_.size(); ++i) {
    Resident& r = residents_[i];
    r.municipality = RandomMunicipality();
    const Date birth = DateFromDays(domain::DaysSinceEpoch(start) - 1 - static_cast<std::int32_t>(rng_.Below(95 * 365)));
    Register(r, birth, start, "initial");
    List(r, ClinicIn(r.municipality), start, rng_.Chance(300'000) ? "choice" : "proximity");
    alive_.push_back(i);
  }
}

void World::ResidentChanges(Month month) {
  const std::uint64_t population = alive_.size();
  // Yearly rates (DOMAIN: births 1.1 %, deaths 1.0 %, moves 2.5 % each way, re-listing 6 %).
  const auto monthly = [&](std::uint64_t per_100k) { return population * per_100k / 100'000 / 12; };
  for (std::uint64_t n = monthly(1100); n > 0; --n) {
    Resident r;
    r.municipality = RandomMunicipality();
    const Date birth = DayIn(month);
    Register(r, birth, birth, "birth");
    List(r, ClinicIn(r.municipality), birth, "newborn");
    residents_.push_back(std::move(r));
    alive_.push_back(residents_.size() - 1);
  }
  for (std::uint64_t n = monthly(2500); n > 0; --n) {
    Resident r;
    r.municipality = RandomMunicipality();
    const Date moved = DayIn(month);
    const Date birth = DateFromDays(domain::DaysSinceEpoch(moved) - 1 - static_cast<std::int32_t>(rng_.Below(80 * 365)));
    Register(r, birth, moved, "moved_in");
    List(r, ClinicIn(r.municipality), moved, "proximity");
    residents_.push_back(std::move(r));
    alive_.push_back(residents_.size() - 1);
  }
  for (std::uint64_t n = monthly(1000) + monthly(2500); n > 0 && !alive_.empty(); --n) {
    const std::size_t slot = rng_.Below(alive_.size());
    Resident& r = residents_[alive_[slot]];
    const bool dies = n <= monthly(1000);
    Emit(dies ? "ResidentDied" : "ResidentMovedOut",
         fmt::format(R"("personnummer":"{}","effective":"{}")", r.pnr, domain::FormatDate(DayIn(month))));
    RemoveAlive(slot);
  }
  for (std::uint64_t n = monthly(1500); n > 0; --n) {
    Resident& r = residents_[RandomAlive()];
    r.municipality = RandomMunicipality();
    Emit("ResidentRelocated", fmt::format(R"("personnummer":"{}","effective":"{}","municipality":"{:04d}")", r.pnr,
                                          domain::FormatDate(DayIn(month)), r.municipality));
  }
  for (std::uint64_t n = monthly(6000); n > 0; --n) {
    Resident& r = residents_[RandomAlive()];
    const int old_clinic = r.clinic;
    const Date day = DayIn(month);
    List(r, static_cast<int>(rng_.Below(clinics_.size())), day, "choice");
    if (n % 10 == 0 && old_clinic >= 0 && old_clinic != r.clinic) {
      Emit("PatientUnlisted", fmt::format(R"("personnummer":"{}","clinic":"{}","effective":"{}","reason":"choice_elsewhere")",
                                          r.pnr, clinics_[static_cast<std::size_t>(old_clinic)].id, domain::FormatDate(day)));
    }
  }
}

void World::ClinicReports(Month month) {
  for (const Clinic& c : clinics_) {
    const std::uint64_t base = 200 + rng_.Below(800);
    Emit("VisitsReported", fmt::format(R"("clinic":"{}","month":"{}","counts":{{"home_visits":{},"other_listed":{},)"
                                       R"("unlisted":{},"out_of_region":{}}})",
                                       c.id, domain::FormatMonth(month), base / 20, base, base / 10, base / 40));
  }
  if (static_cast<unsigned>(month.month()) != 3) return;
  for (const Clinic& c : clinics_) {
    domain::CniHits hits{static_cast<std::int64_t>(rng_.Below(900)), static_cast<std::int64_t>(rng_.Below(1500)),
                         static_cast<std::int64_t>(rng_.Below(700)), static_cast<std::int64_t>(rng_.Below(400)),
                         static_cast<std::int64_t>(rng_.Below(900)), static_cast<std::int64_t>(rng_.Below(1200)),
                         static_cast<std::int64_t>(rng_.Below(600))};
    const std::int64_t population = 8000 + static_cast<std::int64_t>(rng_.Below(8000));
    const std::int64_t cni = domain::CniTenThousandths(hits, population);
    Emit("CniReported",
         fmt::format(R"("clinic":"{}","effective":"{}","vintage":"SCB-{}","population":{},"hits":{{)"
                     R"("over_65_alone":{},"born_abroad":{},"unemployed":{},"single_parent":{},"moved_in":{},)"
                     R"("low_education":{},"under_5":{}}},"cni":"{}.{:04d}")",
                     c.id, domain::FormatDate(FirstDay(month)), domain::FormatMonth(month), population,
                     hits.over_65_alone, hits.born_abroad, hits.unemployed, hits.single_parent, hits.moved_in,
                     hits.low_education, hits.under_5, cni / 10000, cni % 10000));
    const int year = static_cast<int>(month.year()) - 1;
    if (year < options_.first_year) continue;
    const std::uint64_t fulfilment = 600 + rng_.Below(351);
    Emit("PerformanceReported", fmt::format(R"("clinic":"{}","period_from":"{}-01","period_to":"{}-12","fulfilment":"0.{:03d}")",
                                            c.id, year, year, fulfilment));
  }
}

// In the second year a new clinic opens on 1 September; a wrong listing is retracted each June.
void World::NewClinicIfDue(Month month) {
  const unsigned m = static_cast<unsigned>(month.month());
  if (m == 6 && !alive_.empty()) {
    Resident& r = residents_[RandomAlive()];
    Emit("PatientListed", fmt::format(R"("personnummer":"{}","clinic":"{}","effective":"{}","reason":"transfer")",
                                      r.pnr, clinics_.front().id, domain::FormatDate(DayIn(month))));
    Emit("EventRetracted", fmt::format(R"("target":"gen-{}","reason":"listing sent to the wrong clinic")", lines_));
  }
  if (m == 8 && static_cast<int>(month.year()) == options_.first_year + 1) {
    const int municipality = kMunicipalities.back();
    AddClinic(fmt::format("VC-{:04d}", clinics_.size() + 1), municipality,
              Date{month.year(), std::chrono::September, std::chrono::day(1)});
  }
}

void World::SimulateMonth(Month month) {
  SetRecordedMonth(month);
  ResidentChanges(month);
  ClinicReports(month);
  NewClinicIfDue(month);
}

Status World::Run() {
  InitialPopulation();
  const Month first{std::chrono::year(options_.first_year), std::chrono::January};
  for (int i = 0; i < options_.years * 12; ++i) SimulateMonth(domain::AddMonths(first, i));
  std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
  buffer_.clear();
  if (std::fflush(out_) != 0 || std::ferror(out_)) return Fail(ErrorCode::kIoError, "writing the world failed");
  return {};
}

}  // namespace

Result<WorldPreset> FindPreset(const std::string& name) {
  if (name == "tiny") return WorldPreset{name, 2'000, 5};
  if (name == "orebro") return WorldPreset{name, 308'116, 29};
  if (name == "sweden") return WorldPreset{name, 10'500'000, 1'200};
  return Fail(ErrorCode::kInvalidArgument, fmt::format("unknown preset {} (tiny, orebro or sweden)", name));
}

Result<std::uint64_t> GenerateWorld(const GenerateOptions& options, std::FILE* out) {
  World world(options, out);
  if (auto ran = world.Run(); !ran) return tl::unexpected(ran.error());
  return world.lines();
}

}  // namespace capledger::app
