#include <cstdio>

#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/generate.h"
#include "app/generate_command.h"

namespace capledger::app {

int RunGenerate(const CommandContext& context, const GenerateArgs& args) {
  return RunGenerateWithRulebooks(context, args, "");
}

int RunGenerateWithRulebooks(const CommandContext& context, const GenerateArgs& args, const std::string& rulebook_dir) {
  auto preset = FindPreset(args.preset);
  if (!preset) return Refuse(context, preset.error());
  if (args.residents > 0) preset->residents = args.residents;
  auto dir = FindRulebookDir(rulebook_dir);
  if (!dir) return Refuse(context, dir.error());
  auto rulebooks = LoadRulebooks(*dir);
  if (!rulebooks) return Refuse(context, rulebooks.error());
  GenerateOptions options{*preset, args.years, args.seed, 2023, std::move(*rulebooks)};
  spdlog::info("generating preset {} ({} residents, {} clinics), {} years, seed {}, {} rulebooks from {}", preset->name,
               preset->residents, preset->clinics, args.years, args.seed, options.rulebooks.size(), dir->string());
  auto summary = GenerateWorld(options, stdout);
  if (!summary) return Refuse(context, summary.error());
  for (const auto& [type, lines] : summary->lines_per_type) spdlog::info("  {:>20} {:>10}", type, lines);
  spdlog::info("generated {} events ({} late events fell after the world's end and were left out)", summary->lines,
               summary->dropped);
  return kExitOk;
}

}  // namespace capledger::app
