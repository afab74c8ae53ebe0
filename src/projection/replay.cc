#include "projection/replay.h"

#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "codec/seq_format.h"
#include "common/bounded_queue.h"
#include "common/thread.h"
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

namespace {

// Replay reads and decodes the log on one thread while the caller's thread applies: each side
// hands over batches of kReplayBatchEvents, at most kReplayBatchesQueued waiting (bounded memory).
constexpr std::size_t kReplayBatchEvents = 4096;
constexpr std::size_t kReplayBatchesQueued = 4;

using BatchQueue = BoundedQueue<std::vector<store::StoredRecord>>;

// Reads the log from `from_seq` into `queue` and closes it; the reader's status. Stops early once
// the queue is closed (the applier has stopped).
Status ScanInto(const store::EventStore& store, domain::Seq from_seq, BatchQueue& queue) {
  std::vector<store::StoredRecord> batch;
  batch.reserve(kReplayBatchEvents);
  bool open = true;
  auto scanned = store.Scan(from_seq, 0, [&](const store::StoredRecord& record) {
    batch.push_back(record);
    if (batch.size() < kReplayBatchEvents) return true;
    open = queue.Push(std::move(batch));
    batch = {};
    batch.reserve(kReplayBatchEvents);
    return open;
  });
  if (scanned && open && !batch.empty()) queue.Push(std::move(batch));
  queue.Close();
  return scanned;
}

}  // namespace

Status CatchUp(Projection& projection, const store::EventStore& store, ReplayStats* stats) {
  const TargetLookup lookup = StoreTargetLookup(store);
  BatchQueue queue(kReplayBatchesQueued);
  Status scanned;
  std::thread reader =
      StartThread("replay-reader", [&] { scanned = ScanInto(store, projection.applied_seq().Next(), queue); });
  Status applied;
  std::uint64_t count = 0;
  for (auto batch = queue.Pop(); applied && batch; batch = queue.Pop()) {
    for (const auto& record : *batch) {
      applied = projection.Apply(record.stored.seq, record.stored.event.body, lookup);
      if (!applied) break;
      ++count;
    }
  }
  queue.Close();  // the reader stops at its next push
  reader.join();
  if (!scanned) return scanned;
  if (!applied) return applied;
  if (stats) stats->events_applied += count;
  return {};
}

namespace {

// The newest checkpoint, read chunk by chunk into the projection (Seq{} state if there is none).
// A checkpoint that does not decode is passed over with a warning (the caller replays from seq
// 1); a read error of the store is an error.
Result<std::optional<Projection>> LoadCheckpoint(const store::EventStore& store) {
  auto reader = store.OpenLatestCheckpoint();
  if (!reader) return tl::unexpected(reader.error());
  if (!*reader) return std::optional<Projection>();
  std::optional<Error> read_error;
  const CheckpointSource source{(*reader)->bytes(), [&]() -> Result<std::string_view> {
                                  auto piece = (*reader)->Next();
                                  if (!piece) read_error = piece.error();
                                  return piece;
                                }};
  auto loaded = DeserializeProjection(source);
  if (read_error) return tl::unexpected(*read_error);
  if (!loaded || loaded->applied_seq() != (*reader)->seq()) {
    spdlog::warn("the checkpoint at seq {} does not load; rebuilding from seq 1", (*reader)->seq());
    return std::optional<Projection>();
  }
  return std::optional<Projection>(std::move(*loaded));
}

}  // namespace

Result<Projection> LoadProjection(const store::EventStore& store, bool use_checkpoint, ReplayStats* stats) {
  Projection projection;
  if (use_checkpoint) {
    auto loaded = LoadCheckpoint(store);
    if (!loaded) return tl::unexpected(loaded.error());
    if (*loaded) {
      projection = std::move(**loaded);
      if (stats) stats->checkpoint_seq = projection.applied_seq();
    }
  }
  if (auto caught_up = CatchUp(projection, store, stats); !caught_up) return tl::unexpected(caught_up.error());
  return projection;
}

Status SaveCheckpoint(const Projection& projection, store::EventStore& store) {
  auto writer = store.BeginCheckpoint(projection.applied_seq());
  if (!writer) return tl::unexpected(writer.error());
  std::uint64_t bytes = 0;
  const CheckpointSink sink = [&](std::string_view piece) {
    bytes += piece.size();
    return writer->Add(piece);
  };
  if (auto written = SerializeProjection(projection, sink); !written) return written;
  spdlog::info("checkpoint at seq {}: {:.1f} MiB", projection.applied_seq(), static_cast<double>(bytes) / (1 << 20));
  return writer->Commit();
}

}  // namespace capledger::projection
