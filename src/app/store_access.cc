#include "app/store_access.h"

#include <fmt/format.h>

namespace capledger::app {

Result<std::unique_ptr<store::EventStore>> OpenStore(const CommandContext& context, Access access) {
  const auto& dir = context.config.data_dir;
  if (access != Access::kWrite && !std::filesystem::exists(dir / "CURRENT")) {
    return Fail(ErrorCode::kNotFound, fmt::format("no store in {}", dir.string()));
  }
  std::optional<RegionSecret> secret;
  if (access != Access::kRead) {
    auto resolved = ResolveSecret(context.config);
    if (!resolved) return tl::unexpected(resolved.error());
    secret = std::move(*resolved);
  }
  store::StoreOptions options;
  options.read_only = access != Access::kWrite;
  auto opened = store::EventStore::Open(dir, secret ? &*secret : nullptr, *context.clock, options);
  if (!opened && opened.error().code == ErrorCode::kLogDamaged) {
    opened.error().message += "; the store stays closed until an operator recovers it: `capledger recover` says "
                              "what recovery would do (docs/storage.md, \"When the log is damaged\")";
  }
  return opened;
}

}  // namespace capledger::app
