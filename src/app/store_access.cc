#include "app/store_access.h"

#include <fmt/format.h>

namespace capledger::app {

Result<std::unique_ptr<store::EventStore>> OpenStore(const CommandContext& context, Access access,
                                                     const Clock* clock) {
  const auto& dir = context.config.data_dir;
  if (access == Access::kWrite && context.config.cluster.enabled) {
    return Fail(ErrorCode::kRefused,
                fmt::format("in cluster mode a node's store is written by its indexer only (region {}): submit "
                            "through a node's API (docs/cluster.md)",
                            context.config.region ? context.config.region->id : std::string("?")));
  }
  const bool writes = access == Access::kWrite || access == Access::kIndex;
  if (!writes && !std::filesystem::exists(dir / "CURRENT")) {
    return Fail(ErrorCode::kNotFound, fmt::format("no store in {}", dir.string()));
  }
  std::optional<RegionSecret> secret;
  if (access != Access::kRead) {
    auto resolved = ResolveSecret(context.config);
    if (!resolved) return tl::unexpected(resolved.error());
    secret = std::move(*resolved);
  }
  store::StoreOptions options;
  options.read_only = !writes;
  if (writes && dir.has_parent_path()) {
    std::error_code ignored;  // a parent that cannot be made fails the open below, which says so
    std::filesystem::create_directories(dir.parent_path(), ignored);
  }
  auto opened = store::EventStore::Open(dir, secret ? &*secret : nullptr, clock ? *clock : *context.clock, options);
  if (!opened && opened.error().code == ErrorCode::kLogDamaged) {
    opened.error().message += "; the store stays closed until an operator recovers it: `capledger recover` says "
                              "what recovery would do (docs/storage.md, \"When the log is damaged\")";
  }
  return opened;
}

}  // namespace capledger::app
