#include "worldgen/geography.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "common/assert.h"

namespace capledger::worldgen {
namespace {

using std::chrono::day;
using std::chrono::January;
using std::chrono::year;

struct OrebroRow {
  int code;
  const char* name;
  AgeCells cells;  // population on 2023-12-31 per age group (issue 3)
  KmRange near;    // where its clinics lie, from the nearest of Örebro, Karlskoga, Lindesberg
  KmRange far;
  int neighbour_code;
};

// Örebro län, 2023-12-31: 308,116 residents. Hospitals in Örebro, Karlskoga and Lindesberg; the
// other towns lie 12-80 km from the nearest one (Hällefors, Ljusnarsberg, Askersund, Laxå farthest).
constexpr std::array<OrebroRow, 12> kOrebro = {{
    {1882, "Askersund", {1811, 976, 2312, 2964, 3415}, {450, 550}, {550, 700}, 1861},
    {1862, "Degerfors", {1489, 792, 1823, 2554, 2699}, {120, 180}, {180, 250}, 1883},
    {1861, "Hallsberg", {3157, 1390, 4003, 3997, 3685}, {240, 320}, {350, 450}, 1881},
    {1863, "Hällefors", {1020, 583, 1294, 1645, 1953}, {550, 700}, {650, 800}, 1864},
    {1883, "Karlskoga", {5115, 2930, 7037, 7577, 7602}, {5, 80}, {80, 150}, 1862},
    {1881, "Kumla", {4740, 2143, 5575, 5483, 4575}, {140, 200}, {180, 250}, 1880},
    {1860, "Laxå", {887, 440, 1068, 1447, 1655}, {380, 480}, {450, 600}, 1861},
    {1814, "Lekeberg", {1962, 620, 2234, 1967, 1823}, {220, 300}, {280, 380}, 1880},
    {1885, "Lindesberg", {4120, 2089, 5218, 5828, 6037}, {5, 80}, {180, 300}, 1884},
    {1864, "Ljusnarsberg", {571, 330, 822, 1207, 1477}, {380, 500}, {500, 600}, 1885},
    {1884, "Nora", {1868, 849, 2270, 2637, 3003}, {180, 260}, {260, 330}, 1885},
    {1880, "Örebro", {29455, 20187, 43676, 36364, 29666}, {3, 100}, {150, 280}, 1881},
}};

// The 20 counties other than Örebro's (18), for the synthetic municipalities' codes.
constexpr std::array<int, 20> kOtherCounties = {1, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 17, 19, 20, 21, 22, 23, 24, 25};
constexpr int kSwedenSyntheticMunicipalities = 278;  // + Örebro's 12 = 290, as in Sweden
constexpr std::int64_t kSwedenResidents = 10'500'000;  // before scaling to --residents
constexpr int kOrebroCounty = 18;
// A region's synthetic municipality codes run from county × 100 + 10 up: at most 89 of them.
constexpr int kRegionMunicipalitiesMax = 89;

std::int64_t Total(const AgeCells& cells) { return std::accumulate(cells.begin(), cells.end(), std::int64_t{0}); }

Municipality FromRow(const OrebroRow& row) {
  Municipality m;
  m.code = row.code;
  m.name = row.name;
  m.initial = row.cells;
  m.near = row.near;
  m.far = row.far;
  return m;
}

// Örebro's municipalities whose codes are listed, in the order.
std::vector<Municipality> OrebroMunicipalities(const std::vector<int>& codes) {
  std::vector<Municipality> out;
  for (const OrebroRow& row : kOrebro) {
    if (codes.empty() || std::find(codes.begin(), codes.end(), row.code) != codes.end()) out.push_back(FromRow(row));
  }
  return out;
}

// The sweden preset's synthetic municipality number k: 20 counties in turn, 60 + k / 20 in each.
int SwedenSyntheticCode(int k) {
  return kOtherCounties[static_cast<std::size_t>(k) % kOtherCounties.size()] * 100 + 60 + k / 20;
}

// `count` synthetic municipalities with codes code_of(k), largest first (sizes ~ 1/(rank + 3)),
// each with the age profile of one of Örebro's, and farther from a hospital the smaller they are.
template <typename CodeOf>
void AddSyntheticMunicipalities(std::vector<Municipality>& out, int count, std::int64_t people, CodeOf code_of,
                                Rng& rng) {
  std::vector<std::int64_t> weights;
  for (int k = 0; k < count; ++k) weights.push_back(1'000'000 / (k + 3));
  const std::int64_t weight_sum = std::accumulate(weights.begin(), weights.end(), std::int64_t{0});
  for (int k = 0; k < count; ++k) {
    const OrebroRow& profile = kOrebro[static_cast<std::size_t>(k) % kOrebro.size()];
    const std::int64_t size = people * weights[static_cast<std::size_t>(k)] / weight_sum;
    Municipality m;
    m.code = code_of(k);
    m.name = fmt::format("Kommun {:04d}", m.code);
    for (std::size_t g = 0; g < kAgeGroups; ++g) m.initial[g] = profile.cells[g] * size / Total(profile.cells);
    const std::int32_t base = k < 40 ? 3 : static_cast<std::int32_t>(rng.Below(1300));
    m.near = {base, std::min(base + (k < 40 ? 90 : 150), 1500)};
    m.far = {std::min(base + 100, 1400), std::min(base + 350, 1500)};
    out.push_back(std::move(m));
  }
}

// Scales every cell so that they sum to `target` exactly: floors, then the largest remainders.
void ScaleCells(std::vector<Municipality>& municipalities, std::int64_t target) {
  std::int64_t total = 0;
  for (const auto& m : municipalities) total += Total(m.initial);
  if (total == target) return;
  struct Remainder { std::int64_t value; std::size_t m; std::size_t g; };
  std::vector<Remainder> remainders;
  std::int64_t assigned = 0;
  for (std::size_t i = 0; i < municipalities.size(); ++i) {
    for (std::size_t g = 0; g < kAgeGroups; ++g) {
      const __int128 scaled = static_cast<__int128>(municipalities[i].initial[g]) * target;
      municipalities[i].initial[g] = static_cast<std::int64_t>(scaled / total);
      remainders.push_back({static_cast<std::int64_t>(scaled % total), i, g});
      assigned += municipalities[i].initial[g];
    }
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const Remainder& a, const Remainder& b) {
    return a.value > b.value;
  });
  for (std::size_t k = 0; assigned < target; ++k, ++assigned) ++municipalities[remainders[k].m].initial[remainders[k].g];
}

void LinkNeighbours(std::vector<Municipality>& municipalities, const std::vector<int>& neighbour_codes) {
  const auto largest_other = [&](std::size_t self) {
    std::size_t best = self == 0 ? 1 : 0;
    for (std::size_t i = 0; i < municipalities.size(); ++i) {
      if (i != self && Total(municipalities[i].initial) > Total(municipalities[best].initial)) best = i;
    }
    return best;
  };
  for (std::size_t i = 0; i < municipalities.size(); ++i) {
    std::size_t target = largest_other(i);
    for (std::size_t j = 0; j < municipalities.size(); ++j) {
      if (j != i && municipalities[j].code == neighbour_codes[i]) target = j;
    }
    municipalities[i].neighbour = static_cast<std::uint16_t>(municipalities.size() == 1 ? 0 : target);
  }
}

// The neighbour codes: Örebro's from the table, a synthetic one's the next larger in its county.
std::vector<int> NeighbourCodes(const std::vector<Municipality>& municipalities) {
  std::vector<int> codes;
  for (std::size_t i = 0; i < municipalities.size(); ++i) {
    int code = municipalities[i].code;
    for (const OrebroRow& row : kOrebro) {
      if (row.code == code) code = row.neighbour_code;
    }
    if (code == municipalities[i].code) code = code % 100 > 60 ? code - 1 : code + 1;
    codes.push_back(code);
  }
  return codes;
}

// Clinics per municipality: one each, the rest by the highest residents per clinic (D'Hondt).
std::vector<int> ClinicSeats(const std::vector<Municipality>& municipalities, int clinics) {
  std::vector<int> seats(municipalities.size(), 1);
  for (int left = clinics - static_cast<int>(municipalities.size()); left > 0; --left) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < municipalities.size(); ++i) {
      const __int128 mine = static_cast<__int128>(Total(municipalities[i].initial)) * seats[best];
      if (mine > static_cast<__int128>(Total(municipalities[best].initial)) * seats[i]) best = i;
    }
    ++seats[best];
  }
  return seats;
}

// The private clinics: the second clinic of each municipality, largest first, then the third, ...
std::vector<std::vector<bool>> PrivateClinics(const std::vector<Municipality>& municipalities,
                                              const std::vector<int>& seats, int count) {
  std::vector<std::size_t> order(municipalities.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return Total(municipalities[a].initial) > Total(municipalities[b].initial);
  });
  std::vector<std::vector<bool>> is_private(municipalities.size());
  for (std::size_t i = 0; i < municipalities.size(); ++i) is_private[i].assign(static_cast<std::size_t>(seats[i]), false);
  for (int level = 1, placed = 1; count > 0 && placed > 0; ++level) {
    placed = 0;
    for (std::size_t k = 0; k < order.size() && count > 0; ++k) {
      if (seats[order[k]] <= level) continue;
      is_private[order[k]][static_cast<std::size_t>(level)] = true;
      --count;
      ++placed;
    }
  }
  return is_private;
}

domain::Date RandomDate(Rng& rng, int first_year, int last_year) {
  const std::int32_t from = domain::DaysSinceEpoch(domain::Date{year(first_year), January, day(1)});
  const std::int32_t to = domain::DaysSinceEpoch(domain::Date{year(last_year + 1), January, day(1)});
  return domain::DateFromDays(static_cast<std::int32_t>(rng.Between(from, to - 1)));
}

ClinicSite MakeClinic(const Municipality& m, std::uint16_t m_index, int number, bool is_private, bool outlying,
                      Rng& rng) {
  ClinicSite c;
  c.id = domain::ClinicId::Made(fmt::format("VC-{:04d}-{:02d}", m.code, number));
  c.name = is_private ? fmt::format("Läkarhuset {} {}", m.name, number) : fmt::format("Vårdcentralen {} {}", m.name, number);
  c.municipality = m_index;
  c.is_private = is_private;
  const KmRange range = outlying ? m.far : m.near;
  c.distance_tenths = static_cast<std::int32_t>(rng.Between(range.lo, range.hi));
  c.opening = is_private ? RandomDate(rng, 2010, 2019) : RandomDate(rng, 1975, 2009);  // Hälsoval since 2010
  c.deprivation_per_mille = static_cast<std::int32_t>(rng.Between(550, 1800));
  c.quality_per_mille = static_cast<std::int32_t>(rng.Between(620, 940));
  return c;
}

void PlaceClinics(Geography& geography, int clinics, int private_clinics, Rng& rng) {
  auto& municipalities = geography.municipalities;
  LEDGER_ASSERT(clinics >= static_cast<int>(municipalities.size()));
  const std::vector<int> seats = ClinicSeats(municipalities, clinics);
  const auto is_private = PrivateClinics(municipalities, seats, private_clinics);
  for (std::size_t i = 0; i < municipalities.size(); ++i) {
    for (int n = 1; n <= seats[i]; ++n) {
      const bool outlying = seats[i] >= 3 && n == seats[i];
      municipalities[i].clinics.push_back(static_cast<std::uint16_t>(geography.clinics.size()));
      geography.clinics.push_back(MakeClinic(municipalities[i], static_cast<std::uint16_t>(i), n,
                                             is_private[i][static_cast<std::size_t>(n - 1)], outlying, rng));
    }
  }
}

// A region's municipalities (regions.h): Örebro's `municipalities` largest real ones (all 12 at
// scale 1), in the table's order; for another county that many synthetic ones, coded
// county × 100 + 10 + k, so that no two regions' clinic ids ("VC-<kommun>-<nn>") meet.
std::vector<Municipality> RegionMunicipalities(const WorldPreset& preset, Rng& rng) {
  LEDGER_ASSERT(preset.municipalities >= 1 && preset.municipalities <= kRegionMunicipalitiesMax);
  if (preset.county_code == kOrebroCounty) {
    std::vector<OrebroRow> rows(kOrebro.begin(), kOrebro.end());
    std::stable_sort(rows.begin(), rows.end(), [](const OrebroRow& a, const OrebroRow& b) {
      return Total(a.cells) > Total(b.cells);
    });
    std::vector<int> codes;
    for (std::size_t i = 0; i < static_cast<std::size_t>(preset.municipalities) && i < rows.size(); ++i) {
      codes.push_back(rows[i].code);
    }
    return OrebroMunicipalities(codes);
  }
  std::vector<Municipality> out;
  AddSyntheticMunicipalities(out, preset.municipalities, preset.residents,
                             [&](int k) { return preset.county_code * 100 + 10 + k; }, rng);
  return out;
}

}  // namespace

Geography BuildGeography(const WorldPreset& preset, Rng& rng) {
  Geography geography;
  if (preset.county_code != 0) {
    geography.municipalities = RegionMunicipalities(preset, rng);
  } else if (preset.name == "tiny") {
    geography.municipalities = OrebroMunicipalities({1880, 1881, 1882});
  } else {
    geography.municipalities = OrebroMunicipalities({});
  }
  if (preset.name == "sweden") {  // Örebro's 308,116 and the rest of Sweden's 10.5 million
    std::int64_t orebro = 0;
    for (const auto& m : geography.municipalities) orebro += Total(m.initial);
    AddSyntheticMunicipalities(geography.municipalities, kSwedenSyntheticMunicipalities, kSwedenResidents - orebro,
                               SwedenSyntheticCode, rng);
  }
  ScaleCells(geography.municipalities, preset.residents);
  LinkNeighbours(geography.municipalities, NeighbourCodes(geography.municipalities));
  PlaceClinics(geography, preset.clinics, preset.private_clinics, rng);
  return geography;
}

ClinicSite NewClinicSite(const Geography& geography, std::uint16_t m, domain::Date opening, Rng& rng) {
  const Municipality& municipality = geography.municipalities[m];
  int number = 1;
  for (const ClinicSite& c : geography.clinics) number += c.municipality == m ? 1 : 0;
  ClinicSite c = MakeClinic(municipality, m, number, true, false, rng);
  c.opening = opening;
  return c;
}

std::int64_t InitialResidents(const Municipality& municipality) { return Total(municipality.initial); }

std::uint16_t LargestMunicipality(const Geography& geography) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < geography.municipalities.size(); ++i) {
    if (Total(geography.municipalities[i].initial) > Total(geography.municipalities[best].initial)) best = i;
  }
  return static_cast<std::uint16_t>(best);
}

}  // namespace capledger::worldgen
