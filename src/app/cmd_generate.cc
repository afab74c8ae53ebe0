#include <cstdio>

#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/generate.h"

namespace capledger::app {

int RunGenerate(const CommandContext& context, const GenerateArgs& args) {
  auto preset = FindPreset(args.preset);
  if (!preset) return Refuse(context, preset.error());
  if (args.residents > 0) preset->residents = args.residents;
  GenerateOptions options{*preset, args.years, args.seed};
  spdlog::info("generating preset {} ({} residents, {} clinics), {} years, seed {}", preset->name,
               preset->residents, preset->clinics, args.years, args.seed);
  auto lines = GenerateWorld(options, stdout);
  if (!lines) return Refuse(context, lines.error());
  spdlog::info("generated {} events", *lines);
  return kExitOk;
}

}  // namespace capledger::app
