// The places of a generated world: municipalities with their initial age structure, and clinics
// with their distance to the nearest hospital.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/date.h"
#include "domain/ids.h"
#include "worldgen/generate.h"
#include "worldgen/rng.h"

namespace capledger::worldgen {

// The age groups of the official figures: 0-15, 16-24, 25-44, 45-64, 65+ (to about 100).
inline constexpr std::size_t kAgeGroups = 5;
inline constexpr std::array<int, kAgeGroups> kGroupMinAge = {0, 16, 25, 45, 65};
inline constexpr std::array<int, kAgeGroups> kGroupMaxAge = {15, 24, 44, 64, 100};
// Residents per age group.
using AgeCells = std::array<std::int64_t, kAgeGroups>;

// Distances in tenths of a km, as in "distance_to_hospital_km".
struct KmRange {
  std::int32_t lo = 0;
  std::int32_t hi = 0;
};

struct Municipality {
  int code = 0;  // kommun code, e.g. 1880
  std::string name;
  AgeCells initial{};       // the initial population per age group
  KmRange near;             // its clinics' distance to the nearest hospital
  KmRange far;              // of the last clinic when it has three or more (an outlying village)
  std::uint16_t neighbour = 0;          // where residents listed outside their municipality go
  std::vector<std::uint16_t> clinics;   // open clinics (indices into Geography::clinics)
};

struct ClinicSite {
  domain::ClinicId id;  // "VC-<kommun>-<nn>"
  std::string name;
  std::uint16_t municipality = 0;  // index into Geography::municipalities
  bool is_private = false;
  std::int32_t distance_tenths = 0;
  domain::Date opening;
  std::int32_t deprivation_per_mille = 1000;  // scales its CNI hits
  std::int32_t quality_per_mille = 800;       // its usual goal fulfilment
};

struct Geography {
  std::vector<Municipality> municipalities;  // Örebro's in the order, then synthetic ones
  std::vector<ClinicSite> clinics;           // in id order; a clinic opened later is appended
};

// The municipalities and clinics of `preset`, the initial age structure scaled to exactly
// preset.residents (unscaled for orebro at 308,116: the official table). Deterministic for `rng`.
Geography BuildGeography(const WorldPreset& preset, Rng& rng);

// A clinic opening on `opening` in municipality `m`, numbered after its existing clinics. The
// caller appends it; it is not in the municipality's open list.
ClinicSite NewClinicSite(const Geography& geography, std::uint16_t m, domain::Date opening, Rng& rng);

// The sum of a municipality's initial age groups.
std::int64_t InitialResidents(const Municipality& municipality);

// The municipality with the most initial residents.
std::uint16_t LargestMunicipality(const Geography& geography);

}  // namespace capledger::worldgen
