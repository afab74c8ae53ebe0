// Sweden's 21 regions for a multi-region world (issue 11, "regions as tenants"): each region's
// size, its clinics, its partition of the cluster's log topic and how its rulebooks differ from
// the repository's (which are Örebro's). `capledger generate --regions sweden` writes one world
// per region with these; docs/regions.md describes the table and its sources.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/money.h"
#include "domain/rulebook.h"
#include "worldgen/generate.h"

namespace capledger::worldgen {

// One region of the table. The figures are unscaled (--scale 1).
struct Region {
  std::string_view id;       // [a-z0-9-]{1,32}: its [regions.<id>] table and its file's name
  std::string_view county;   // "Stockholms län": takes the place of "Örebro län" in rulebook titles
  int county_code = 0;       // länskod: its municipality codes are county_code × 100 + 10 + k
  std::int64_t residents = 0;  // SCB, 31 December 2023
  int municipalities = 0;    // its kommuner (Örebro's 12 are real, the others' synthetic)
  int clinics = 0;           // about one per 9,000 residents (Örebro: its real 29)
  int private_clinics = 0;   // of `clinics`
  int capitation_factor_bp = 10'000;  // its capitation amounts are the repository's × this / 10,000
};

// The scale the multi-region world is generated at unless --scale says otherwise: 1 %.
inline constexpr std::int64_t kDefaultScalePerMillion = 10'000;
// The smallest --scale accepted, 0.001 (Gotland then has 61 residents).
inline constexpr std::int64_t kMinScalePerMillion = 1'000;
inline constexpr std::int64_t kScaleOne = 1'000'000;
// The region whose rulebooks config/rulebooks holds: its rulebooks stay exactly as loaded.
inline constexpr std::string_view kRulebooksRegion = "orebro";

// The 21 regions in the order of their county codes (Stockholm 01 ... Norrbotten 25). A region's
// place in this table is its partition of the log topic, 0 to 20. Static data; never empty.
std::span<const Region> SwedenRegions();

// The regions of a region set: "sweden" gives SwedenRegions(); anything else is kInvalidArgument.
Result<std::span<const Region>> FindRegionSet(std::string_view name);

// Parses --scale: a decimal fraction with at most 6 decimals ("0.01", "1", "0.25"), as parts per
// million. kInvalidArgument unless kMinScalePerMillion <= result <= kScaleOne.
Result<std::int64_t> ParseScalePerMillion(std::string_view text);

// x × scale / 10^6 rounded half up to a whole number (x >= 0): the one rounding rule of the table.
std::int64_t ScaleCount(std::int64_t x, std::int64_t scale_per_million);

// The world preset of `region` at `scale_per_million` (docs/regions.md):
// residents = ScaleCount(residents), at least 1; clinics = ScaleCount(clinics), at least 2;
// private = ScaleCount(private_clinics), at least 1 if the region has any, at most clinics - 1;
// municipalities = min(municipalities, clinics - private), the largest ones, so that every
// municipality has a clinic and every private clinic a municipality with a second one.
// At scale 1 every region keeps its table's figures (Örebro: 308,116, 29, 4 and its 12).
WorldPreset RegionPreset(const Region& region, std::int64_t scale_per_million);

// `amount` × factor_bp / 10,000, rounded once half away from zero to whole öre (the rounding of
// DOMAIN.md §6.4). kInternal on overflow.
Result<domain::Money> ScaleAmount(domain::Money amount, int factor_bp);

// The rulebook `base` as `region` has it. For kRulebooksRegion, `base` unchanged. For any other
// region: the id and `replaces` with "-<region id>" appended, "Örebro län" in the title replaced by
// the region's county (appended in parentheses if absent), every capitation band's amount scaled
// by ScaleAmount(capitation_factor_bp); nothing else changes. kInvalidArgument if the result
// breaks a rule of domain::CheckRulebook or the id/title limits.
Result<domain::Rulebook> RegionRulebook(const Region& region, const domain::Rulebook& base);

// RegionRulebook of each of `base`, in order.
Result<std::vector<domain::Rulebook>> RegionRulebooks(const Region& region, std::span<const domain::Rulebook> base);

// The seed of region number `index`'s world: (seed, index) mixed by splitmix64, so that no two
// regions' random streams overlap and the same (seed, index) always gives the same world.
std::uint64_t RegionSeed(std::uint64_t seed, std::size_t index);

// The [regions.<id>] tables of `regions` as TOML for a cluster config (docs/cluster.md): partition
// = the index in `regions`, secret_env = "CAPLEDGER_SECRET_<ID>" (upper case, '-' as '_').
std::string ClusterRegionsToml(std::span<const Region> regions);

}  // namespace capledger::worldgen
