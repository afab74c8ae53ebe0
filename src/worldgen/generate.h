// A synthetic world as JSON Lines: the rulebooks, the clinics and an initial population, then
// month by month the residents' lives, the clinics' reports and a few late corrections.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "domain/rulebook.h"

namespace capledger::worldgen {

// The size and shape of a generated world.
struct WorldPreset {
  std::string name;
  std::int64_t residents = 0;  // the initial population
  int clinics = 0;             // open at the start (one more opens during the world)
  int private_clinics = 0;     // of `clinics`
  // A region of the multi-region world (regions.h) sets these; the named presets leave them 0.
  int county_code = 0;     // its län: 18 is Örebro's real municipalities, others synthetic ones
  int municipalities = 0;  // how many (with county_code): Örebro's largest, or synthetic ones
};

// "tiny" (3,000 residents in 3 Örebro municipalities, 5 clinics, 1 private), "orebro" (308,116
// residents in the 12 municipalities of Örebro län, 29 clinics, 4 private), "sweden" (10,500,000
// residents in 290 municipalities, 1,200 clinics, 480 private). kInvalidArgument otherwise.
Result<WorldPreset> FindPreset(const std::string& name);

// The largest --residents accepted: every birth date keeps fewer than 1,000 serial numbers.
inline constexpr std::int64_t kGeneratedResidentsMax = 25'000'000;

struct GenerateOptions {
  WorldPreset preset;
  int years = 1;  // simulated years from 1 January of first_year
  std::uint64_t seed = 1;
  int first_year = 2023;
  std::vector<domain::Rulebook> rulebooks;  // each becomes one RulebookPublished line
};

// What a generated world holds.
struct WorldSummary {
  std::uint64_t lines = 0;
  std::vector<std::pair<std::string, std::uint64_t>> lines_per_type;  // in a fixed type order
  std::uint64_t dropped = 0;  // late events that would have been recorded after the world's end
};

// Writes the world to `out` as JSON Lines, deterministic for (options, seed). Line k has the id
// "gen-k"; every line carries a recorded_at (a backfill) that never decreases along the file and
// is never later than 15 January of first_year + years, except a rulebook decided after that.
//
// Contents, in recorded_at order:
// - each rulebook, recorded on 15 December of the year before its valid_from;
// - each year's budget frame (BudgetFrameSet), decided on 10-25 November of the year before at
//   the expected cost of the year plus 0.5-2.5 %, in whole 100,000 kronor (budget.cc);
//   one year's frame revised by 1-3 % either way on 10-25 June; decision references invented;
//   none above what ingest accepts (codec::json::kBudgetFrameOreMax);
// - the clinics and the initial population (registered and listed effective 1 January of
//   first_year, 92 % at a clinic of their own municipality), recorded at midnight that day;
// - for each month M, recorded on days 1-5 of M + 1: births (1.1 % a year, listed at a parent's
//   clinic), deaths (1.0 %, mostly the old), moves out and in (2.5 % each; 6 % of newcomers
//   with a samordningsnummer), relocations within the region (1.5 %, 40 % re-listing there) and
//   active re-listings (6 %, some with the old clinic's unlisting), all effective in M; no
//   resident changes clinic twice within 7 months;
// - each clinic's visits of M on days 3-10 of M + 1; SCB's CNI for every clinic on days 10-12 of
//   March; the previous year's goal fulfilment on days 8-17 of April;
// - a private clinic in the largest municipality approved three months before it opens on the
//   1st of a month in April-October of the second year (the first if years == 1); 2 % of that
//   municipality (at most 5,000) queued for it and are listed on the opening day;
// - each year two deaths reported two months late, two listings sent to the wrong clinic and
//   retracted 2-5 weeks later with the right listing, two visit reports replaced weeks later;
// - optional missions (DOMAIN.md §9) while the rulebook in force on 1 January lists them: in the
//   first such year a third of the clinics open from the start take on a per_listed mission, a
//   quarter a per_unit one (1-6 units), a tenth a fixed one (at least one clinic each), from
//   1 January, recorded on 16-30 December; each year 2 + clinics / 6 changes on the 1st of
//   February-December (a mission taken on, a per_unit mission's units changed, a mission ended),
//   recorded 4-21 days before, one in five of those by October 10-50 days after; a mission the
//   new year's rulebook does not list as optional ended on 1 January (missions.cc).
//   Missions and frames draw from a random stream of their own: the other events are the ones the
//   seed gave before they were added (only their line ids shift).
// The preset figures and their sources are in geography.cc; a region's (county_code set) in
// regions.cc, its municipalities in geography.cc.
//
// The initial population's age structure (per municipality and age group 0-15, 16-24, 25-44,
// 45-64, 65+, the last tapering to 100) holds exactly for the ages in completed years on
// 31 December of first_year, the date of the official figures: the 0-15 group then has ages
// 1-15, and the year's newborns make up age 0.
//
// kInvalidArgument if preset.residents is not 1..kGeneratedResidentsMax or years not 1..10;
// kIoError if writing fails.
Result<WorldSummary> GenerateWorld(const GenerateOptions& options, std::FILE* out);

// Reads and validates every *.toml file of `dir` (codec::ParseRulebookToml), in the order of
// valid_from, then file name. kInvalidArgument names the file and field of the first invalid one;
// kNotFound if the directory holds no *.toml file.
Result<std::vector<domain::Rulebook>> LoadRulebooks(const std::filesystem::path& dir);

}  // namespace capledger::worldgen
