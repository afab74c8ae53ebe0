// The clinics' side: registrations, the new clinic and its queue, monthly visit reports, SCB's
// CNI each March and the performance reports each April.
#include <algorithm>

#include "domain/cni.h"
#include "worldgen/world.h"

namespace capledger::worldgen {
namespace {

// Visit volume by calendar month, in per cent of an ordinary month (summer and Christmas low).
constexpr std::array<std::int64_t, 12> kSeasonPercent = {110, 110, 105, 100, 100, 90, 55, 85, 105, 105, 105, 85};
// Paid visits a month per 10,000 listed in an ordinary month: with KoK-2023's rates an Örebro
// world costs about 1,200 MSEK a year in all (seed 42: capitation 945, visits 219, performance
// 34), near the region's roughly 1,100 MSEK budget (DOMAIN.md §1). Other-listed and
// unlisted visits follow the season; home visits do not; out-of-region visits triple in July.
constexpr std::int64_t kOtherListedPer10k = 700;
constexpr std::int64_t kHomeVisitsPer10k = 40;
constexpr std::int64_t kUnlistedPer10k = 100;
constexpr std::int64_t kOutOfRegionPer10k = 30;
constexpr std::int64_t kOutOfRegionJulyPercent = 300;

// Per clinic, the listed residents SCB counts CNI hits over.
struct CniBase {
  std::int64_t total = 0;
  std::int64_t over_65 = 0;
  std::int64_t aged_16_64 = 0;
  std::int64_t aged_25_64 = 0;
  std::int64_t under_5 = 0;
  std::int64_t moved_in = 0;
};

// SCB's hits for a clinic: shares of its listed residents, scaled by how deprived its area is.
domain::CniHits HitsOf(const CniBase& b, std::int64_t deprivation_per_mille) {
  const auto share = [&](std::int64_t n, std::int64_t per_mille) { return n * per_mille * deprivation_per_mille / 1'000'000; };
  domain::CniHits hits;
  hits.over_65_alone = share(b.over_65, 380);
  hits.born_abroad = share(b.total, 110);
  hits.unemployed = share(b.aged_16_64, 60);
  hits.single_parent = share(b.aged_25_64, 45);
  hits.moved_in = b.moved_in + share(b.total, 30);
  hits.low_education = share(b.aged_25_64, 120);
  hits.under_5 = b.under_5;
  return hits;
}

// Counts every clinic's listed residents by the CNI variables' age limits on `today`.
std::vector<CniBase> CniBases(std::size_t clinics, const Population& population, std::int32_t today) {
  std::vector<CniBase> bases(clinics);
  for (std::size_t slot = 0; slot < population.alive_count(); ++slot) {
    const Person& p = population[population.alive_at(slot)];
    if (p.clinic == kNoClinic) continue;
    CniBase& b = bases[p.clinic];
    const int age = (today - p.birth_days) * 4 / 1461;  // near enough for synthetic hits
    ++b.total;
    b.over_65 += age >= 65 ? 1 : 0;
    b.aged_16_64 += age >= 16 && age < 65 ? 1 : 0;
    b.aged_25_64 += age >= 25 && age < 65 ? 1 : 0;
    b.under_5 += age < 5 ? 1 : 0;
    b.moved_in += (p.flags & kMovedIn) != 0 && age >= 1 ? 1 : 0;
  }
  return bases;
}

}  // namespace

// A year's per cent-months: Σ kSeasonPercent = 1,160 for the seasonal categories, 1,200 for home
// visits, 11 × 100 + 300 = 1,400 for out-of-region visits.
std::int64_t ExpectedVisitsOre(const domain::VisitRates& rates, std::int64_t listed) {
  std::int64_t season = 0;
  for (std::int64_t percent : kSeasonPercent) season += percent;
  const __int128 per_10k_percent = __int128{kOtherListedPer10k} * season * rates.other_listed.ore() +
                                   __int128{kUnlistedPer10k} * season * rates.unlisted.ore() +
                                   __int128{kHomeVisitsPer10k} * 1200 * rates.home_visit.ore() +
                                   __int128{kOutOfRegionPer10k} * (1100 + kOutOfRegionJulyPercent) * rates.out_of_region.ore();
  return static_cast<std::int64_t>(per_10k_percent * listed / 1'000'000);
}

domain::ClinicRegistered World::ClinicEvent(std::size_t clinic) const {
  const ClinicSite& c = geography_.clinics[clinic];
  return domain::ClinicRegistered{c.id, c.name, c.is_private ? domain::Operator::kPrivate : domain::Operator::kRegion,
                                  MunicipalityCode(c.municipality), c.distance_tenths, c.opening};
}

void World::RegisterClinics(Micros& clock) {
  for (std::size_t c = 0; c < geography_.clinics.size(); ++c) sink_.Write(clock++, ClinicEvent(c));
}

// The new clinic is approved three months before it opens.
void World::RegisterNewClinic() {
  const Month approved = domain::AddMonths(opening_month_, -3);
  geography_.clinics.push_back(NewClinicSite(geography_, opening_municipality_, FirstDay(opening_month_), rng_));
  listed_.push_back(0);
  sink_.Hold(PendingEvent{RandomTime(domain::AddDays(FirstDay(approved), 9), 10),
                          ClinicEvent(geography_.clinics.size() - 1)});
}

// Residents of the municipality who queued (2 %, at most 5,000) are listed on the opening day.
void World::OpenNewClinic() {
  const auto clinic = static_cast<std::uint16_t>(geography_.clinics.size() - 1);
  Municipality& m = geography_.municipalities[opening_municipality_];
  m.clinics.push_back(clinic);
  std::int64_t residents = 0;
  for (std::int64_t cell : m.initial) residents += cell;
  const std::int64_t queue = std::clamp<std::int64_t>(residents / 50, 1, 5'000);
  const Date opening = FirstDay(opening_month_);
  const int now = MonthIndex(opening_month_);
  std::int64_t listed = 0;
  for (std::int64_t attempt = 0; attempt < queue * 50 && listed < queue && population_.alive_count() > 0; ++attempt) {
    const std::uint32_t id = population_.alive_at(rng_.Below(population_.alive_count()));
    Person& person = population_[id];
    if (person.municipality != opening_municipality_ || now - person.last_change < kMonthsBetweenChanges) continue;
    if (person.clinic == clinic || id >= newcomers_from_) continue;  // a newcomer is not yet known to be here
    HoldListed(id, clinic, opening, domain::ListingReason::kQueueOpening, RandomTime(opening, 3));
    SetClinic(person, clinic);
    person.last_change = static_cast<std::int16_t>(now);
    ++listed;
  }
}

// Every open clinic reports the month's visits on days 3-10 of the next month; in the planned
// months one clinic sends a corrected report 20-45 days later, which replaces the first.
void World::VisitReports(Month month) {
  const Date last_day = domain::LastDay(month);
  const Date known = domain::AddDays(FirstDay(domain::AddMonths(month, 1)), 2);
  std::vector<std::size_t> open;
  for (std::size_t c = 0; c < geography_.clinics.size(); ++c) {
    if (geography_.clinics[c].opening <= last_day) open.push_back(c);
  }
  const std::size_t fixed = IsSpecial(visit_fix_months_, month) && !open.empty() ? open[rng_.Below(open.size())] : SIZE_MAX;
  for (std::size_t c : open) {
    const Micros recorded = RandomTime(known, 8);
    sink_.Hold(PendingEvent{recorded, VisitEvent(c, month, 100)});
    if (c != fixed) continue;
    const Micros corrected = recorded + rng_.Between(20, 45) * kMicrosPerDay;
    sink_.Hold(PendingEvent{corrected, VisitEvent(c, month, rng_.Between(103, 112))});
  }
}

// The visit counts follow the clinic's listed residents, the season and some noise; `percent`
// scales a corrected report of the same counts.
domain::VisitsReported World::VisitEvent(std::size_t clinic, Month month, std::int64_t percent) {
  const std::int64_t listed = listed_[clinic];
  const std::int64_t season = kSeasonPercent[static_cast<unsigned>(month.month()) - 1];
  Rng noise(visit_noise_seed_ ^ (static_cast<std::uint64_t>(clinic) << 32) ^
            static_cast<std::uint64_t>(domain::MonthOrdinal(month)));
  const auto noisy = [&](std::int64_t per_10k, std::int64_t season_percent) {
    return listed * per_10k * season_percent * noise.Between(85, 115) * percent / 10'000'000'000;
  };
  domain::VisitCounts v;
  v.other_listed = noisy(kOtherListedPer10k, season);
  v.home_visits = noisy(kHomeVisitsPer10k, 100);
  v.unlisted = noisy(kUnlistedPer10k, season);
  v.out_of_region = noisy(kOutOfRegionPer10k, static_cast<unsigned>(month.month()) == 7 ? kOutOfRegionJulyPercent : 100);
  return domain::VisitsReported{geography_.clinics[clinic].id, month, v};
}

// SCB's delivery on days 10-12 of March: every clinic open on 1 March with listed residents, CNI
// computed from the hits exactly as SCB does (DOMAIN.md §6.2), effective 1 March.
void World::CniDeliveries(Month march) {
  const Date effective = FirstDay(march);
  const std::vector<CniBase> bases = CniBases(geography_.clinics.size(), population_, domain::DaysSinceEpoch(effective));
  Micros recorded = RandomTime(domain::AddDays(effective, 9), 3);
  for (std::size_t c = 0; c < geography_.clinics.size(); ++c) {
    if (geography_.clinics[c].opening > effective || bases[c].total == 0) continue;
    const domain::CniHits hits = HitsOf(bases[c], geography_.clinics[c].deprivation_per_mille);
    const std::int64_t cni = domain::CniTenThousandths(hits, bases[c].total);
    sink_.Hold(PendingEvent{recorded++, domain::CniReported{geography_.clinics[c].id, effective,
                                                            "SCB-" + domain::FormatMonth(march), bases[c].total, hits,
                                                            cni}});
  }
}

// Goal fulfilment of `year` for every clinic open in it (from its opening month), delivered on
// days 8-17 of April the year after.
void World::PerformanceReports(int year, Month april) {
  const Month january{std::chrono::year(year), std::chrono::January};
  const Month december{std::chrono::year(year), std::chrono::December};
  Micros recorded = RandomTime(domain::AddDays(FirstDay(april), 7), 10);
  for (const ClinicSite& c : geography_.clinics) {
    if (c.opening > domain::LastDay(december)) continue;
    const Month from = std::max(january, domain::MonthOf(c.opening));
    const auto fulfilment =
        static_cast<std::int32_t>(std::clamp<std::int64_t>(c.quality_per_mille + rng_.Between(-60, 60), 0, 1000));
    sink_.Hold(PendingEvent{recorded++, domain::PerformanceReported{c.id, from, december, fulfilment}});
  }
}

}  // namespace capledger::worldgen
