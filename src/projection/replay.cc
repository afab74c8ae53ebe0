#include "projection/replay.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "projection/checkpoint.h"

namespace capledger::projection {

TargetLookup StoreTargetLookup(const store::EventStore& store) {
  return [&store](std::string_view id) -> Result<RetractionTarget> {
    auto record = store.LookupId(id);
    if (!record) return tl::unexpected(record.error());
    if (!*record) return Fail(ErrorCode::kNotFound, fmt::format("retraction target {} is not stored", id));
    auto target = store.Read((*record)->seq);
    if (!target) return tl::unexpected(target.error());
    return RetractionTarget{(*record)->seq, std::move(target->stored.event.body)};
  };
}

Status CatchUp(Projection& projection, const store::EventStore& store, ReplayStats* stats) {
  const TargetLookup lookup = StoreTargetLookup(store);
  Status applied;
  std::uint64_t count = 0;
  auto scanned = store.Scan(projection.applied_seq() + 1, 0, [&](const store::StoredRecord& record) {
    applied = projection.Apply(record.stored.seq, record.stored.event.body, lookup);
    ++count;
    return applied.has_value();
  });
  if (!scanned) return scanned;
  if (!applied) return applied;
  if (stats) stats->events_applied += count;
  return {};
}

Result<Projection> LoadProjection(const store::EventStore& store, bool use_checkpoint, ReplayStats* stats) {
  Projection projection;
  if (use_checkpoint) {
    auto checkpoint = store.LatestCheckpoint();
    if (!checkpoint) return tl::unexpected(checkpoint.error());
    if (*checkpoint) {
      auto loaded = DeserializeProjection((*checkpoint)->state);
      if (loaded && loaded->applied_seq() == (*checkpoint)->seq) {
        projection = std::move(*loaded);
        if (stats) stats->checkpoint_seq = projection.applied_seq();
      } else {
        spdlog::warn("the checkpoint at seq {} does not load; rebuilding from seq 1", (*checkpoint)->seq);
      }
    }
  }
  if (auto caught_up = CatchUp(projection, store, stats); !caught_up) return tl::unexpected(caught_up.error());
  return projection;
}

Status SaveCheckpoint(const Projection& projection, store::EventStore& store) {
  return store.PutCheckpoint(projection.applied_seq(), SerializeProjection(projection));
}

}  // namespace capledger::projection
