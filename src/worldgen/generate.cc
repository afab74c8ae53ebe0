#include "worldgen/generate.h"

#include <fmt/format.h>

#include "worldgen/world.h"

namespace capledger::worldgen {

Result<WorldPreset> FindPreset(const std::string& name) {
  if (name == "tiny") return WorldPreset{name, 3'000, 5, 1};
  if (name == "orebro") return WorldPreset{name, 308'116, 29, 4};
  if (name == "sweden") return WorldPreset{name, 10'500'000, 1'200, 480};
  return Fail(ErrorCode::kInvalidArgument, fmt::format("unknown preset {} (tiny, orebro or sweden)", name));
}

Result<WorldSummary> GenerateWorld(const GenerateOptions& options, std::FILE* out) {
  if (options.preset.residents < 1 || options.preset.residents > kGeneratedResidentsMax) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("residents must be 1 to {}, not {}", kGeneratedResidentsMax, options.preset.residents));
  }
  if (options.years < 1 || options.years > 10) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("years must be 1 to 10, not {}", options.years));
  }
  World world(options, out);
  if (auto ran = world.Run(); !ran) return tl::unexpected(ran.error());
  WorldSummary summary;
  summary.lines = world.sink().lines();
  summary.dropped = world.sink().dropped();
  for (domain::EventType type : kGeneratedTypes) {
    summary.lines_per_type.emplace_back(std::string(domain::EventTypeName(type)), world.sink().count(type));
  }
  return summary;
}

}  // namespace capledger::worldgen
