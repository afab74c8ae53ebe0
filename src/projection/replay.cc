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

// Replay is a pipeline of three threads: one reads the log's stored bytes, one decodes them, and
// the caller's applies. Each hands over batches of kReplayBatchEvents, at most
// kReplayBatchesQueued waiting between two stages (bounded memory). On two cores the work spreads
// over both: reading alone, or decoding and applying together, would leave one idle.
constexpr std::size_t kReplayBatchEvents = 4096;
constexpr std::size_t kReplayBatchesQueued = 4;
// How many events ahead of the one being applied the applier prefetches the pseudonym index's
// slot (Projection::Prefetch): far enough for a memory access to complete meanwhile. (Also
// prefetching the resident's pseudonym and fact list, through the slot, 8 ahead with the slot
// 16 ahead, was slower: 1.60-1.81 M events/s at Sweden scale against 1.92-1.99 M.)
constexpr std::size_t kPrefetchAhead = 8;

// Events as stored: the bytes of each, end to end, in seq order from `first`.
struct StoredBatch {
  domain::Seq first;
  std::string bytes;
  std::vector<std::uint32_t> ends;  // ends[i]: where event first + i ends in `bytes`
};

using StoredQueue = BoundedQueue<StoredBatch>;
using RecordQueue = BoundedQueue<std::vector<store::StoredRecord>>;

// Reads the log from `from_seq` into `queue` and closes it; the reader's status. Stops early once
// the queue is closed (a later stage has stopped).
Status ReadInto(const store::EventStore& store, domain::Seq from_seq, StoredQueue& queue) {
  StoredBatch batch;
  bool open = true;
  auto scanned = store.ScanStored(from_seq, 0, [&](domain::Seq seq, std::string_view stored) {
    if (batch.ends.empty()) batch.first = seq;
    batch.bytes.append(stored);
    batch.ends.push_back(static_cast<std::uint32_t>(batch.bytes.size()));
    if (batch.ends.size() < kReplayBatchEvents) return true;
    open = queue.Push(std::move(batch));
    batch = {};
    return open;
  });
  if (scanned && open && !batch.ends.empty()) queue.Push(std::move(batch));
  queue.Close();
  return scanned;
}

// Decodes every batch of `in` into `out`, in order, and closes both; the first event that does
// not decode stops it (kCorruption). Stops early once `out` is closed.
Status DecodeInto(StoredQueue& in, RecordQueue& out) {
  Status decoded;
  std::string value;  // an aligned copy of each event: FlatBuffers reads scalars in place
  for (auto batch = in.Pop(); decoded && batch; batch = in.Pop()) {
    std::vector<store::StoredRecord> records;
    records.reserve(batch->ends.size());
    std::uint32_t begin = 0;
    for (std::size_t i = 0; i < batch->ends.size(); ++i) {
      value.assign(batch->bytes, begin, batch->ends[i] - begin);
      begin = batch->ends[i];
      auto record = store::DecodeStoredValue(domain::Seq(batch->first.value() + i), value);
      if (!record) {
        decoded = tl::unexpected(record.error());
        break;
      }
      records.push_back(std::move(*record));
    }
    if (decoded && !out.Push(std::move(records))) break;
  }
  in.Close();  // the reader stops at its next push
  out.Close();
  return decoded;
}

}  // namespace

Status CatchUp(Projection& projection, const store::EventStore& store, ReplayStats* stats) {
  const TargetLookup lookup = StoreTargetLookup(store);
  StoredQueue stored(kReplayBatchesQueued);
  RecordQueue records(kReplayBatchesQueued);
  Status scanned;
  Status decoded;
  std::thread reader =
      StartThread("replay-reader", [&] { scanned = ReadInto(store, projection.applied_seq().Next(), stored); });
  std::thread decoder = StartThread("replay-decoder", [&] { decoded = DecodeInto(stored, records); });
  Status applied;
  std::uint64_t count = 0;
  for (auto batch = records.Pop(); applied && batch; batch = records.Pop()) {
    const std::size_t n = batch->size();
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kPrefetchAhead < n) projection.Prefetch((*batch)[i + kPrefetchAhead].stored.event.body);
      const store::StoredRecord& record = (*batch)[i];
      applied = projection.Apply(record.stored.seq, record.stored.event.body, lookup);
      if (!applied) break;
      ++count;
    }
  }
  records.Close();  // the decoder stops at its next push and closes the reader's queue
  decoder.join();
  reader.join();
  if (!scanned) return scanned;
  if (!decoded) return decoded;
  if (!applied) return applied;
  if (stats) stats->events_applied += count;
  return {};
}

namespace {

// A tail of at most this many events after the checkpoint is read on a second thread while the
// checkpoint loads, for the pseudonyms it names; the projection's resident index is made for
// those only (ResidentIndexing), and the tail is then replayed. A month's
// tail at Sweden scale is some 180,000 events naming as many residents, against 10 million in a
// whole index (256 MiB of fresh memory and half a second of inserts). A longer tail is replayed
// with the whole index.
constexpr std::uint64_t kShortTailEvents = 1'000'000;

// Every pseudonym that an Apply of the log from `from_seq` to the head will look up: the
// residents its events name, and those of its retractions' targets (a target that is not found
// is left to the Apply to report). The first error of the store, or kCorruption for an event that
// does not decode.
Result<std::vector<domain::Pseudonym>> TailPseudonyms(const store::EventStore& store, domain::Seq from_seq,
                                                      std::uint64_t events, const TargetLookup& lookup) {
  std::vector<domain::Pseudonym> pseudonyms;
  pseudonyms.reserve(events);
  Status decoded;
  std::string value;  // an aligned copy of each event: FlatBuffers reads scalars in place
  auto scanned = store.ScanStored(from_seq, 0, [&](domain::Seq seq, std::string_view stored) {
    value.assign(stored);
    auto record = store::DecodeStoredValue(seq, value);
    if (!record) {
      decoded = tl::unexpected(record.error());
      return false;
    }
    const domain::EventBody& body = record->stored.event.body;
    if (const domain::ResidentRef* resident = domain::ResidentOf(body)) pseudonyms.push_back(resident->pseudonym);
    if (const auto* retraction = std::get_if<domain::EventRetracted>(&body)) {
      if (auto target = lookup(retraction->target)) {
        if (const domain::ResidentRef* resident = domain::ResidentOf(target->body)) {
          pseudonyms.push_back(resident->pseudonym);
        }
      }
    }
    return true;
  });
  if (!scanned) return tl::unexpected(scanned.error());
  if (!decoded) return tl::unexpected(decoded.error());
  return pseudonyms;
}

// A projection read from a checkpoint, and the checkpoint's seq.
struct FromCheckpoint {
  Projection projection;
  domain::Seq checkpoint_seq;
};

// The newest checkpoint, read chunk by chunk into the projection (nullopt if there is none). A
// checkpoint that does not decode is passed over with a warning (the caller replays from seq 1);
// a read error of the store is an error. A short tail after it (kShortTailEvents) is read
// meanwhile for the residents it names, and the resident index made for those only.
Result<std::optional<FromCheckpoint>> LoadCheckpoint(const store::EventStore& store) {
  auto reader = store.OpenLatestCheckpoint();
  if (!reader) return tl::unexpected(reader.error());
  if (!*reader) return std::optional<FromCheckpoint>();
  const domain::Seq seq = (*reader)->seq();
  const std::uint64_t tail_events = store.head().seq.value() - seq.value();
  std::optional<Error> tail_error;
  ResidentIndexing indexing;
  if (tail_events <= kShortTailEvents) {
    indexing.wanted = [&store, &tail_error, seq, tail_events]() -> std::optional<std::vector<domain::Pseudonym>> {
      auto pseudonyms = TailPseudonyms(store, seq.Next(), tail_events, StoreTargetLookup(store));
      if (pseudonyms) return std::move(*pseudonyms);
      tail_error = pseudonyms.error();
      return std::nullopt;
    };
  }
  std::optional<Error> read_error;
  const CheckpointSource source{(*reader)->bytes(), [&]() -> Result<std::string_view> {
                                  auto piece = (*reader)->Next();
                                  if (!piece) read_error = piece.error();
                                  return piece;
                                }};
  auto loaded = DeserializeProjection(source, indexing);
  if (read_error) return tl::unexpected(*read_error);
  if (tail_error) return tl::unexpected(*tail_error);
  if (!loaded || loaded->applied_seq() != seq) {
    spdlog::warn("the checkpoint at seq {} does not load; rebuilding from seq 1", seq);
    return std::optional<FromCheckpoint>();
  }
  return std::optional<FromCheckpoint>(FromCheckpoint{std::move(*loaded), seq});
}

}  // namespace

Result<Projection> LoadProjection(const store::EventStore& store, bool use_checkpoint, ReplayStats* stats) {
  Projection projection;
  if (use_checkpoint) {
    auto loaded = LoadCheckpoint(store);
    if (!loaded) return tl::unexpected(loaded.error());
    if (*loaded) {
      projection = std::move((*loaded)->projection);
      if (stats) stats->checkpoint_seq = (*loaded)->checkpoint_seq;
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
