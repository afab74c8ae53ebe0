// A synthetic world as JSON Lines: residents, clinics, listings and reports over N years.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "common/error.h"

namespace capledger::app {

// The size of a generated world.
struct WorldPreset {
  std::string name;
  std::int64_t residents = 0;
  int clinics = 0;
};

// "tiny" (2,000 residents, 5 clinics), "orebro" (308,116, 29), "sweden" (10,500,000, 1,200).
Result<WorldPreset> FindPreset(const std::string& name);

struct GenerateOptions {
  WorldPreset preset;
  int years = 1;             // from 2023-01-01
  std::uint64_t seed = 1;
  int first_year = 2023;
};

// Writes the world to `out` as JSON Lines with recorded_at set (a backfill), deterministic for a
// seed: an initial population registered and listed on the first day, then month by month
// births, deaths, moves in and out, relocations, re-listings, visit reports, a CNI delivery each
// March, yearly performance reports arriving in March of the next year, and a few retractions.
// Returns the number of lines written.
Result<std::uint64_t> GenerateWorld(const GenerateOptions& options, std::FILE* out);

}  // namespace capledger::app
