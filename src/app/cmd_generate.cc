// `capledger generate`: the command line's options and the rulebook directory to the world
// generator (worldgen/generate.h), the world to stdout, its counts to the log.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/generate_command.h"
#include "worldgen/generate.h"

namespace capledger::app {
namespace {

namespace fs = std::filesystem;

bool IsDirectory(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(path, error);
}

// The places tried after an explicit --rulebooks, in order.
std::vector<fs::path> DefaultRulebookDirs() {
  std::vector<fs::path> dirs;
  if (const char* source = std::getenv("CAPLEDGER_SOURCE_DIR"); source != nullptr && *source != '\0') {
    dirs.push_back(fs::path(source) / "config" / "rulebooks");
  }
  dirs.push_back(fs::path("config") / "rulebooks");
  std::error_code error;
  const fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (!error) dirs.push_back(binary.parent_path() / ".." / ".." / "config" / "rulebooks");
  return dirs;
}

}  // namespace

Result<fs::path> FindRulebookDir(const std::string& explicit_dir) {
  if (!explicit_dir.empty()) {
    if (IsDirectory(explicit_dir)) return fs::path(explicit_dir);
    return Fail(ErrorCode::kNotFound, fmt::format("--rulebooks {}: not a directory", explicit_dir));
  }
  for (const fs::path& dir : DefaultRulebookDirs()) {
    if (IsDirectory(dir)) return dir.lexically_normal();
  }
  return Fail(ErrorCode::kNotFound,
              "no rulebook directory: give --rulebooks DIR, set CAPLEDGER_SOURCE_DIR, or run from the source tree");
}

int RunGenerate(const CommandContext& context, const GenerateArgs& args) {
  return RunGenerateWithRulebooks(context, args, "");
}

int RunGenerateWithRulebooks(const CommandContext& context, const GenerateArgs& args, const std::string& rulebook_dir) {
  auto preset = worldgen::FindPreset(args.preset);
  if (!preset) return Refuse(context, preset.error());
  if (args.residents > 0) preset->residents = args.residents;
  auto dir = FindRulebookDir(rulebook_dir);
  if (!dir) return Refuse(context, dir.error());
  auto rulebooks = worldgen::LoadRulebooks(*dir);
  if (!rulebooks) return Refuse(context, rulebooks.error());
  worldgen::GenerateOptions options{*preset, args.years, args.seed, 2023, std::move(*rulebooks)};
  spdlog::info("generating preset {} ({} residents, {} clinics), {} years, seed {}, {} rulebooks from {}", preset->name,
               preset->residents, preset->clinics, args.years, args.seed, options.rulebooks.size(), dir->string());
  auto summary = worldgen::GenerateWorld(options, stdout);
  if (!summary) return Refuse(context, summary.error());
  for (const auto& [type, lines] : summary->lines_per_type) spdlog::info("  {:>20} {:>10}", type, lines);
  spdlog::info("generated {} events ({} late events fell after the world's end and were left out)", summary->lines,
               summary->dropped);
  return kExitOk;
}

}  // namespace capledger::app
