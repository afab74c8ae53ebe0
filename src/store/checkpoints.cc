// EventStore checkpoints: projection state saved at a seq so that start-up replays only the tail.
//
// A checkpoint is kept in chunks of at most kChunkBytes under SeqKey(seq) + BigEndian32(i), and
// completed by a marker under SeqKey(seq) + BigEndian32(0xFFFFFFFF) holding the chunk count and
// the total size. Each chunk goes in an unsynced write of its own as soon as it is full, the
// marker (with the last chunk and the removal of old checkpoints) in a last, synced one: a crash
// before the marker leaves chunks without one, which are ignored and removed by the next
// checkpoint. So a checkpoint of any size needs no value above RocksDB's limits, and neither
// writing nor reading it needs its whole state in memory: one chunk at a time. A key of 8 bytes
// alone is the earlier form (one value), still read.
#include <algorithm>

#include <rocksdb/write_batch.h>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "common/assert.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {

constexpr int kCheckpointsKept = 2;
constexpr std::size_t kChunkBytes = 16u << 20;         // 16 MiB per value
constexpr std::uint32_t kMarker = 0xFFFFFFFFu;

// Checkpoint chunks (16 MiB each) are read once per process: they are kept out of the block
// cache, where they would only push out the blocks of the events and indexes.
rocksdb::ReadOptions ChunkReads() {
  rocksdb::ReadOptions options = IteratorReads();
  options.fill_cache = false;
  return options;
}

void PutBigEndian32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

std::uint32_t ReadBigEndian32(std::string_view bytes) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  return v;
}

std::string ChunkKey(domain::Seq seq, std::uint32_t chunk) {
  std::string key = SeqKey(seq);
  PutBigEndian32(key, chunk);
  return key;
}

// The marker's value: chunk count and total bytes, 8 bytes each, big-endian.
std::string MarkerValue(std::uint64_t chunks, std::uint64_t bytes) {
  std::string value(16, '\0');
  WriteBigEndian64(value.data(), chunks);
  WriteBigEndian64(value.data() + 8, bytes);
  return value;
}

bool IsMarker(std::string_view key) { return key.size() == 12 && ReadBigEndian32(key.substr(8)) == kMarker; }

// Every key of the checkpoints family with its seq, newest first. A complete checkpoint's keys
// follow from its marker (chunk count) without reading its chunks; only chunks without a marker
// (a crash's remainder) and earlier-form keys are stepped over one by one.
Result<std::vector<std::pair<domain::Seq, std::string>>> CheckpointKeys(rocksdb::DB& db,
                                                                          rocksdb::ColumnFamilyHandle* cf) {
  std::vector<std::pair<domain::Seq, std::string>> keys;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(ChunkReads(), cf));
  it->SeekToLast();
  while (it->Valid()) {
    const std::string_view key = it->key().ToStringView();
    if (key.size() < 8) return Fail(ErrorCode::kCorruption, "a checkpoint key is shorter than 8 bytes");
    const domain::Seq seq = ReadSeq(key.substr(0, 8));
    if (!IsMarker(key) || it->value().size() != 16) {
      keys.emplace_back(seq, std::string(key));
      it->Prev();
      continue;
    }
    const std::uint64_t chunks = ReadBigEndian64(it->value().ToStringView().substr(0, 8));
    if (chunks > kMarker) return Fail(ErrorCode::kCorruption, "a checkpoint marker counts too many chunks");
    keys.emplace_back(seq, std::string(key));
    for (std::uint64_t i = chunks; i > 0; --i) keys.emplace_back(seq, ChunkKey(seq, static_cast<std::uint32_t>(i - 1)));
    // On to the key before this checkpoint's chunk 0 (an earlier-form key of the same seq, or
    // the previous checkpoint's last key).
    it->SeekForPrev(SeqKey(seq));
  }
  if (!it->status().ok()) return tl::unexpected(StatusError(it->status(), "listing checkpoints"));
  return keys;
}

}  // namespace

struct EventStore::CheckpointWriter::State {
  rocksdb::DB* db = nullptr;
  rocksdb::ColumnFamilyHandle* cf = nullptr;
  domain::Seq seq;
  std::vector<std::pair<domain::Seq, std::string>> earlier;  // every key there was, newest first
  std::string pending;      // the bytes of the chunk being filled
  std::uint32_t chunks = 0;  // chunks written
  std::uint64_t bytes = 0;   // bytes taken
  bool committed = false;
};

EventStore::CheckpointWriter::CheckpointWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
EventStore::CheckpointWriter::CheckpointWriter(CheckpointWriter&&) noexcept = default;
EventStore::CheckpointWriter::~CheckpointWriter() = default;

Result<EventStore::CheckpointWriter> EventStore::BeginCheckpoint(domain::Seq seq) {
  if (impl_->read_only) return Fail(ErrorCode::kRefused, "checkpoints need a store opened for writing");
  LEDGER_ASSERT(seq <= head().seq);
  // Every key of every checkpoint (or of chunks a crash left), newest seq first. Keys are
  // deleted one by one: RocksDB 7.8's memtable insert hints (rocksdb_options.cc) and range
  // deletions do not mix.
  auto keys = CheckpointKeys(*impl_->db, impl_->checkpoints);
  if (!keys) return tl::unexpected(keys.error());
  auto state = std::make_unique<CheckpointWriter::State>();
  state->db = impl_->db.get();
  state->cf = impl_->checkpoints;
  state->seq = seq;
  state->earlier = std::move(*keys);
  // A crash's leftovers at this seq go first, before any chunk of this checkpoint is written.
  rocksdb::WriteBatch leftovers;
  for (const auto& [s, key] : state->earlier) {
    if (s == seq) leftovers.Delete(state->cf, key);
  }
  if (leftovers.Count() > 0) {
    auto s = state->db->Write(rocksdb::WriteOptions(), &leftovers);
    if (!s.ok()) return tl::unexpected(StatusError(s, "writing a checkpoint"));
  }
  state->pending.reserve(kChunkBytes);
  return CheckpointWriter(std::move(state));
}

Status EventStore::CheckpointWriter::WriteChunk() {
  State& st = *state_;
  LEDGER_ASSERT(st.chunks < kMarker);
  auto s = st.db->Put(rocksdb::WriteOptions(), st.cf, ChunkKey(st.seq, st.chunks), st.pending);
  if (!s.ok()) return tl::unexpected(StatusError(s, "writing a checkpoint"));
  ++st.chunks;
  st.pending.clear();
  return {};
}

Status EventStore::CheckpointWriter::Add(std::string_view bytes) {
  State& st = *state_;
  LEDGER_ASSERT(!st.committed);
  st.bytes += bytes.size();
  while (!bytes.empty()) {
    const std::size_t take = std::min(bytes.size(), kChunkBytes - st.pending.size());
    st.pending.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (st.pending.size() == kChunkBytes) {
      if (auto written = WriteChunk(); !written) return written;
    }
  }
  return {};
}

Status EventStore::CheckpointWriter::Commit() {
  State& st = *state_;
  LEDGER_ASSERT(!st.committed);
  rocksdb::WriteBatch batch;
  std::uint32_t chunks = st.chunks;
  if (!st.pending.empty()) batch.Put(st.cf, ChunkKey(st.seq, chunks++), st.pending);
  batch.Put(st.cf, ChunkKey(st.seq, kMarker), MarkerValue(chunks, st.bytes));
  int kept = 1;
  domain::Seq previous = st.seq;
  for (const auto& [s, key] : st.earlier) {
    if (s == st.seq) continue;
    if (s != previous) ++kept;
    previous = s;
    if (kept > kCheckpointsKept) batch.Delete(st.cf, key);
  }
  rocksdb::WriteOptions options;
  options.sync = true;
  auto s = st.db->Write(options, &batch);
  if (!s.ok()) return tl::unexpected(StatusError(s, "writing a checkpoint"));
  st.committed = true;
  return {};
}

Status EventStore::PutCheckpoint(domain::Seq seq, std::string_view state) {
  auto writer = BeginCheckpoint(seq);
  if (!writer) return tl::unexpected(writer.error());
  if (auto added = writer->Add(state); !added) return added;
  return writer->Commit();
}

struct EventStore::CheckpointReader::State {
  std::unique_ptr<rocksdb::Iterator> it;  // at the next chunk to give
  domain::Seq seq;
  std::uint64_t chunks = 0;  // per the marker; 0 for an earlier-form checkpoint (one value)
  std::uint64_t bytes = 0;
  std::uint64_t next = 0;   // chunks given
  std::uint64_t given = 0;  // bytes given
  bool earlier_form = false;
};

EventStore::CheckpointReader::CheckpointReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
EventStore::CheckpointReader::CheckpointReader(CheckpointReader&&) noexcept = default;
EventStore::CheckpointReader::~CheckpointReader() = default;
domain::Seq EventStore::CheckpointReader::seq() const { return state_->seq; }
std::uint64_t EventStore::CheckpointReader::bytes() const { return state_->bytes; }

Result<std::string_view> EventStore::CheckpointReader::Next() {
  State& st = *state_;
  if (st.earlier_form) {
    if (st.given == st.bytes) return std::string_view();
    st.given = st.bytes;
    return st.it->value().ToStringView();
  }
  if (st.next == st.chunks) {
    if (st.given != st.bytes) {
      return Fail(ErrorCode::kCorruption,
                  fmt::format("checkpoint at seq {}: {} of {} bytes in its chunks", st.seq, st.given, st.bytes));
    }
    return std::string_view();
  }
  if (st.next == 0) {
    st.it->Seek(ChunkKey(st.seq, 0));
  } else {
    st.it->Next();
  }
  if (!st.it->Valid()) {
    if (!st.it->status().ok()) return tl::unexpected(StatusError(st.it->status(), "reading a checkpoint"));
    return Fail(ErrorCode::kCorruption, fmt::format("checkpoint at seq {}: chunk {} is missing", st.seq, st.next));
  }
  if (st.it->key().ToStringView() != ChunkKey(st.seq, static_cast<std::uint32_t>(st.next))) {
    return Fail(ErrorCode::kCorruption, fmt::format("checkpoint at seq {}: chunk {} is missing", st.seq, st.next));
  }
  const std::string_view chunk = st.it->value().ToStringView();
  if (chunk.size() > st.bytes - st.given || chunk.empty()) {
    return Fail(ErrorCode::kCorruption, fmt::format("checkpoint at seq {}: chunk {} has {} bytes, {} of {} were left",
                                                    st.seq, st.next, chunk.size(), st.bytes - st.given, st.bytes));
  }
  ++st.next;
  st.given += chunk.size();
  return chunk;
}

Result<std::optional<EventStore::CheckpointReader>> EventStore::OpenLatestCheckpoint() const {
  auto st = std::make_unique<CheckpointReader::State>();
  st->it.reset(impl_->db->NewIterator(ChunkReads(), impl_->checkpoints));
  rocksdb::Iterator& it = *st->it;
  // The newest complete checkpoint: a marker, or an earlier-form 8-byte key; chunks without a
  // marker (a checkpoint cut short by a crash) are passed over.
  for (it.SeekToLast(); it.Valid(); it.Prev()) {
    const std::string_view key = it.key().ToStringView();
    if (key.size() == 8) {
      st->seq = ReadSeq(key);
      st->bytes = it.value().size();
      st->earlier_form = true;
      return std::optional<CheckpointReader>(CheckpointReader(std::move(st)));
    }
    if (key.size() != 12) return Fail(ErrorCode::kCorruption, "a checkpoint key is neither 8 nor 12 bytes");
    if (!IsMarker(key)) continue;
    if (it.value().size() != 16) return Fail(ErrorCode::kCorruption, "a checkpoint marker is not 16 bytes");
    st->seq = ReadSeq(key.substr(0, 8));
    st->chunks = ReadBigEndian64(it.value().ToStringView().substr(0, 8));
    st->bytes = ReadBigEndian64(it.value().ToStringView().substr(8, 8));
    if (st->bytes > st->chunks * kChunkBytes) return Fail(ErrorCode::kCorruption, "a checkpoint marker's sizes disagree");
    return std::optional<CheckpointReader>(CheckpointReader(std::move(st)));
  }
  if (!it.status().ok()) return tl::unexpected(StatusError(it.status(), "reading checkpoints"));
  return std::optional<CheckpointReader>();
}

Result<std::optional<EventStore::Checkpoint>> EventStore::LatestCheckpoint() const {
  auto reader = OpenLatestCheckpoint();
  if (!reader) return tl::unexpected(reader.error());
  if (!*reader) return std::optional<Checkpoint>();
  Checkpoint checkpoint{(*reader)->seq(), {}};
  checkpoint.state.reserve((*reader)->bytes());
  for (;;) {
    auto piece = (*reader)->Next();
    if (!piece) return tl::unexpected(piece.error());
    if (piece->empty()) break;
    checkpoint.state.append(*piece);
  }
  return std::optional<Checkpoint>(std::move(checkpoint));
}

}  // namespace capledger::store
