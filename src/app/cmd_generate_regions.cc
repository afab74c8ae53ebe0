// `capledger generate --regions sweden --out DIR`: one world per region of worldgen/regions.h,
// each in its own file, and the regions' [regions] tables for a cluster config.
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/generate_command.h"
#include "worldgen/generate.h"
#include "worldgen/regions.h"

namespace capledger::app {
namespace {

namespace fs = std::filesystem;

// What every region's world shares.
struct RegionsRun {
  std::span<const worldgen::Region> regions;
  std::int64_t scale_per_million = worldgen::kDefaultScalePerMillion;
  std::vector<domain::Rulebook> rulebooks;  // the repository's, as loaded
  fs::path out;
};

Status WriteText(const fs::path& path, const std::string& text) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return Fail(ErrorCode::kIoError, fmt::format("cannot create {}", path.string()));
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  if (std::fclose(file) != 0 || !written) return Fail(ErrorCode::kIoError, fmt::format("cannot write {}", path.string()));
  return {};
}

// Writes region number `index`'s world to OUT/<id>.jsonl and prints its summary line.
Status GenerateRegion(const RegionsRun& run, std::size_t index, const GenerateArgs& args) {
  const worldgen::Region& region = run.regions[index];
  auto rulebooks = worldgen::RegionRulebooks(region, run.rulebooks);
  if (!rulebooks) return tl::unexpected(rulebooks.error());
  const worldgen::WorldPreset preset = worldgen::RegionPreset(region, run.scale_per_million);
  const worldgen::GenerateOptions options{preset, args.years, worldgen::RegionSeed(args.seed, index), 2023,
                                          std::move(*rulebooks)};
  const fs::path path = run.out / fmt::format("{}.jsonl", region.id);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return Fail(ErrorCode::kIoError, fmt::format("cannot create {}", path.string()));
  auto summary = worldgen::GenerateWorld(options, file);
  if (std::fclose(file) != 0 && summary) return Fail(ErrorCode::kIoError, fmt::format("cannot write {}", path.string()));
  if (!summary) return tl::unexpected(summary.error());
  std::printf("%s partition %zu: %lld residents, %d clinics (%d private), %d municipalities, %llu lines -> %s\n",
              std::string(region.id).c_str(), index, static_cast<long long>(preset.residents), preset.clinics,
              preset.private_clinics, preset.municipalities, static_cast<unsigned long long>(summary->lines),
              path.string().c_str());
  std::fflush(stdout);
  return {};
}

Result<RegionsRun> PrepareRun(const GenerateRegionsArgs& args, const std::string& rulebook_dir) {
  RegionsRun run;
  auto regions = worldgen::FindRegionSet(args.regions);
  if (!regions) return tl::unexpected(regions.error());
  run.regions = *regions;
  auto scale = worldgen::ParseScalePerMillion(args.scale);
  if (!scale) return tl::unexpected(scale.error());
  run.scale_per_million = *scale;
  auto dir = FindRulebookDir(rulebook_dir);
  if (!dir) return tl::unexpected(dir.error());
  auto rulebooks = worldgen::LoadRulebooks(*dir);
  if (!rulebooks) return tl::unexpected(rulebooks.error());
  run.rulebooks = std::move(*rulebooks);
  run.out = args.out;
  std::error_code error;
  fs::create_directories(run.out, error);
  if (error) return Fail(ErrorCode::kIoError, fmt::format("--out {}: {}", args.out, error.message()));
  spdlog::info("generating {} regions at scale {} ({} per million), {} rulebooks from {}", run.regions.size(), args.scale,
               run.scale_per_million, run.rulebooks.size(), dir->string());
  return run;
}

}  // namespace

int RunGenerateRegions(const CommandContext& context, const GenerateArgs& args, const GenerateRegionsArgs& regions,
                       const std::string& rulebook_dir) {
  auto run = PrepareRun(regions, rulebook_dir);
  if (!run) return Refuse(context, run.error());
  spdlog::info("{} years from 2023, seed {} (each region's own seed mixed from it and its partition)", args.years,
               args.seed);
  for (std::size_t index = 0; index < run->regions.size(); ++index) {
    if (auto generated = GenerateRegion(*run, index, args); !generated) return Refuse(context, generated.error());
  }
  const fs::path toml = run->out / "cluster.toml";
  if (auto written = WriteText(toml, worldgen::ClusterRegionsToml(run->regions)); !written) {
    return Refuse(context, written.error());
  }
  spdlog::info("wrote {} worlds and {}", run->regions.size(), toml.string());
  return kExitOk;
}

}  // namespace capledger::app
