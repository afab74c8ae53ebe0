// `capledger generate` with the options that GenerateArgs (commands.h) does not carry.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "app/commands.h"
#include "common/error.h"

namespace capledger::app {

// generate --preset P --years N --seed S [--residents N] [--rulebooks DIR]: writes the world of
// worldgen::GenerateWorld on stdout, with the rulebooks of the directory `rulebook_dir` (empty: the
// first of $CAPLEDGER_SOURCE_DIR/config/rulebooks, ./config/rulebooks and <binary>/../../config/rulebooks
// that exists). Logs the number of lines of each type on stderr.
int RunGenerateWithRulebooks(const CommandContext& context, const GenerateArgs& args, const std::string& rulebook_dir);

// The rulebook directory: `explicit_dir` if not empty (kNotFound if it is not a directory), else
// the first directory of $CAPLEDGER_SOURCE_DIR/config/rulebooks, ./config/rulebooks and
// <directory of the running binary>/../../config/rulebooks; kNotFound if none exists.
Result<std::filesystem::path> FindRulebookDir(const std::string& explicit_dir);

// generate --regions SET --out DIR [--scale F] [--years N] [--seed S] [--rulebooks DIR].
struct GenerateRegionsArgs {
  std::string regions;       // the region set: "sweden" (worldgen::FindRegionSet)
  std::string out;           // the directory to write into; created if missing
  std::string scale = "0.01";  // worldgen::ParseScalePerMillion
};

// Writes, for each region of the set in table order, DIR/<region>.jsonl: the world of
// worldgen::GenerateWorld for worldgen::RegionPreset at the scale, with the region's rulebooks
// (worldgen::RegionRulebooks of those in `rulebook_dir`, found as above) and the seed
// worldgen::RegionSeed(args.seed, index); then DIR/cluster.toml (worldgen::ClusterRegionsToml).
// Existing files of those names are replaced. Prints one line per region on stdout (its id,
// partition, residents, clinics, municipalities, lines and file); logs go to stderr.
// Exit 2 naming the reason on a bad region set, scale or rulebook directory, or a write failure.
int RunGenerateRegions(const CommandContext& context, const GenerateArgs& args, const GenerateRegionsArgs& regions,
                       const std::string& rulebook_dir);

}  // namespace capledger::app
