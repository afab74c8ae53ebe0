// Sweden's 21 regions: the table, the scaling of a region's world and its rulebooks.
#include "worldgen/regions.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace capledger::worldgen {
namespace {

// Residents: SCB, "Folkmängd i riket, län och kommuner 31 december 2023", per län, rounded from
// memory of that table: each within about 1 % of SCB's figure, Örebro exact (DOMAIN.md §1). They
// sum to 10,531,127, 0.2 % below SCB's 10,551,707 for the whole country.
// Municipalities: the real number of kommuner per län (290 in all).
// Clinics: round(residents / 9,000), except Örebro's real 29; about 1,166 in all (DOMAIN.md §1
// says about 1,200). Private clinics: a plausible share, high in the metropolitan regions (about
// half or more: Stockholm, Skåne, Västra Götaland, Halland), low in the north; Örebro's real 4.
// Capitation factor: invented, 0.97-1.08, higher where distances are long (Gotland, Norrbotten,
// Jämtland); Örebro 1.0000, since config/rulebooks is Örebro's.
constexpr std::array<Region, 21> kSweden = {{
    {"stockholm", "Stockholms län", 1, 2'454'821, 26, 273, 164, 10'400},
    {"uppsala", "Uppsala län", 3, 404'589, 8, 45, 15, 10'150},
    {"sodermanland", "Södermanlands län", 4, 301'801, 9, 34, 10, 9'900},
    {"ostergotland", "Östergötlands län", 5, 474'636, 13, 53, 13, 10'050},
    {"jonkoping", "Jönköpings län", 6, 370'395, 13, 41, 12, 9'800},
    {"kronoberg", "Kronobergs län", 7, 203'527, 8, 23, 6, 9'750},
    {"kalmar", "Kalmar län", 8, 246'010, 12, 27, 6, 9'850},
    {"gotland", "Gotlands län", 9, 61'001, 1, 7, 1, 10'800},
    {"blekinge", "Blekinge län", 10, 156'987, 5, 17, 4, 9'700},
    {"skane", "Skåne län", 12, 1'414'659, 33, 157, 78, 10'250},
    {"halland", "Hallands län", 13, 343'746, 6, 38, 18, 9'950},
    {"vastra-gotaland", "Västra Götalands län", 14, 1'751'717, 49, 195, 98, 10'300},
    {"varmland", "Värmlands län", 17, 283'492, 16, 31, 6, 9'925},
    {"orebro", "Örebro län", 18, 308'116, 12, 29, 4, 10'000},
    {"vastmanland", "Västmanlands län", 19, 279'334, 10, 31, 9, 9'950},
    {"dalarna", "Dalarnas län", 20, 288'387, 15, 32, 6, 10'125},
    {"gavleborg", "Gävleborgs län", 21, 287'767, 10, 32, 8, 9'875},
    {"vasternorrland", "Västernorrlands län", 22, 243'894, 7, 27, 5, 10'200},
    {"jamtland", "Jämtlands län", 23, 132'054, 8, 15, 3, 10'600},
    {"vasterbotten", "Västerbottens län", 24, 275'714, 15, 31, 5, 10'450},
    {"norrbotten", "Norrbottens län", 25, 248'480, 14, 28, 3, 10'750},
}};

constexpr std::string_view kRulebookCounty = "Örebro län";
constexpr std::size_t kRulebookIdCharsMax = 64;  // codec's rule for a rulebook id

// The decimal digits of `text` as a number, or -1 if one is not a digit (or there are none).
std::int64_t Digits(std::string_view text) {
  if (text.empty()) return -1;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

// "0.25" -> 250,000; -1 if not a number with at most 6 decimals and at most 7 integer digits.
std::int64_t PerMillion(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view("0") : text.substr(dot + 1);
  if (whole.size() > 7 || fraction.size() > 6) return -1;
  const std::int64_t units = Digits(whole);
  std::int64_t part = Digits(fraction);
  if (units < 0 || part < 0) return -1;
  for (std::size_t k = fraction.size(); k < 6; ++k) part *= 10;
  return units * kScaleOne + part;
}

std::string WithSuffix(const std::string& id, std::string_view region) { return fmt::format("{}-{}", id, region); }

std::string RegionTitle(const std::string& title, std::string_view county) {
  const std::size_t at = title.find(kRulebookCounty);
  if (at == std::string::npos) return fmt::format("{} ({})", title, county);
  std::string out = title;
  out.replace(at, kRulebookCounty.size(), county);
  return out;
}

// Every capitation band's amount × factor_bp / 10,000.
Status ScaleCapitation(std::vector<domain::AgeBand>& bands, int factor_bp) {
  for (domain::AgeBand& band : bands) {
    auto scaled = ScaleAmount(band.amount_per_year, factor_bp);
    if (!scaled) return tl::unexpected(scaled.error());
    band.amount_per_year = *scaled;
  }
  return {};
}

// A region id's character in an environment variable's name: a-z as A-Z, '-' as '_'.
char EnvChar(char c) {
  if (c == '-') return '_';
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

}  // namespace

std::span<const Region> SwedenRegions() { return kSweden; }

Result<std::span<const Region>> FindRegionSet(std::string_view name) {
  if (name == "sweden") return SwedenRegions();
  return Fail(ErrorCode::kInvalidArgument, fmt::format("unknown region set {} (sweden)", name));
}

Result<std::int64_t> ParseScalePerMillion(std::string_view text) {
  const std::int64_t scale = PerMillion(text);
  if (scale < kMinScalePerMillion || scale > kScaleOne) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("--scale must be a decimal from 0.001 to 1 with at most 6 decimals, not {}", text));
  }
  return scale;
}

std::int64_t ScaleCount(std::int64_t x, std::int64_t scale_per_million) {
  return (x * scale_per_million + kScaleOne / 2) / kScaleOne;
}

WorldPreset RegionPreset(const Region& region, std::int64_t scale_per_million) {
  WorldPreset preset;
  preset.name = std::string(region.id);
  preset.residents = std::max<std::int64_t>(1, ScaleCount(region.residents, scale_per_million));
  preset.clinics = static_cast<int>(std::max<std::int64_t>(2, ScaleCount(region.clinics, scale_per_million)));
  const int at_least = region.private_clinics > 0 ? 1 : 0;
  const auto scaled_private = static_cast<int>(ScaleCount(region.private_clinics, scale_per_million));
  preset.private_clinics = std::min(std::max(scaled_private, at_least), preset.clinics - 1);
  preset.county_code = region.county_code;
  preset.municipalities = std::min(region.municipalities, preset.clinics - preset.private_clinics);
  return preset;
}

Result<domain::Money> ScaleAmount(domain::Money amount, int factor_bp) {
  return domain::DivideRoundHalfAway(static_cast<__int128>(amount.ore()) * factor_bp, 10'000);
}

Result<domain::Rulebook> RegionRulebook(const Region& region, const domain::Rulebook& base) {
  if (region.id == kRulebooksRegion) return base;
  domain::Rulebook rulebook = base;
  rulebook.id = WithSuffix(base.id, region.id);
  if (rulebook.provenance && rulebook.provenance->replaces) {
    rulebook.provenance->replaces = WithSuffix(*rulebook.provenance->replaces, region.id);
  }
  rulebook.title = RegionTitle(base.title, region.county);
  if (auto scaled = ScaleCapitation(rulebook.capitation, region.capitation_factor_bp); !scaled) {
    return tl::unexpected(scaled.error());
  }
  const std::size_t replaces_size = rulebook.provenance && rulebook.provenance->replaces
                                        ? rulebook.provenance->replaces->size() : 0;
  if (rulebook.id.size() > kRulebookIdCharsMax || replaces_size > kRulebookIdCharsMax ||
      rulebook.title.size() > domain::kRulebookTextMax) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("rulebook {} for region {}: id or title too long", base.id, region.id));
  }
  if (auto violation = domain::CheckRulebook(rulebook)) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("rulebook {} for region {}: {}: {}", base.id, region.id,
                                                         violation->field, violation->message));
  }
  return rulebook;
}

Result<std::vector<domain::Rulebook>> RegionRulebooks(const Region& region, std::span<const domain::Rulebook> base) {
  std::vector<domain::Rulebook> out;
  for (const domain::Rulebook& rulebook : base) {
    auto derived = RegionRulebook(region, rulebook);
    if (!derived) return tl::unexpected(derived.error());
    out.push_back(std::move(*derived));
  }
  return out;
}

std::uint64_t RegionSeed(std::uint64_t seed, std::size_t index) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (static_cast<std::uint64_t>(index) + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string ClusterRegionsToml(std::span<const Region> regions) {
  std::string out =
      "# Sweden's regions as [regions] tables for a cluster config (docs/cluster.md, docs/regions.md),\n"
      "# written by `capledger generate --regions`: partition = the region's place in the table.\n"
      "# Each secret_env must name a variable holding that region's own 64-hex-digit secret.\n";
  for (std::size_t i = 0; i < regions.size(); ++i) {
    std::string env(regions[i].id);
    std::transform(env.begin(), env.end(), env.begin(), EnvChar);
    out += fmt::format("\n[regions.{}]\npartition = {}\nsecret_env = \"CAPLEDGER_SECRET_{}\"\n", regions[i].id, i, env);
  }
  return out;
}

}  // namespace capledger::worldgen
