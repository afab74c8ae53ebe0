// EventStore checkpoints: projection state saved at a seq so that start-up replays only the tail.
//
// A checkpoint is kept in chunks of at most kChunkBytes under SeqKey(seq) + BigEndian32(i), and
// completed by a marker under SeqKey(seq) + BigEndian32(0xFFFFFFFF) holding the chunk count and
// the total size. The chunks go in several unsynced writes, the marker (with the removal of old
// checkpoints) in the last, synced one: a crash before the marker leaves chunks without one,
// which are ignored and removed by the next checkpoint. So a checkpoint of any size needs no
// value above RocksDB's limits, and neither writing nor reading it holds a second copy of the
// whole state. A key of 8 bytes alone is the earlier form (one value), still read.
#include <rocksdb/write_batch.h>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "common/assert.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {

constexpr int kCheckpointsKept = 2;
constexpr std::size_t kChunkBytes = 16u << 20;         // 16 MiB per value
constexpr std::size_t kBatchBytes = 64u << 20;          // chunks per unsynced write
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

Status EventStore::PutCheckpoint(domain::Seq seq, std::string_view state) {
  if (impl_->read_only) return Fail(ErrorCode::kRefused, "checkpoints need a store opened for writing");
  LEDGER_ASSERT(seq <= head().seq);
  // Every key of every checkpoint (or of chunks a crash left), newest seq first. Keys are
  // deleted one by one: RocksDB 7.8's memtable insert hints (rocksdb_options.cc) and range
  // deletions do not mix.
  auto keys = CheckpointKeys(*impl_->db, impl_->checkpoints);
  if (!keys) return tl::unexpected(keys.error());
  rocksdb::WriteBatch batch;
  for (const auto& [s, key] : *keys) {
    if (s == seq) batch.Delete(impl_->checkpoints, key);  // a crash's leftovers at this seq
  }
  const std::uint64_t chunks = (state.size() + kChunkBytes - 1) / kChunkBytes;
  for (std::uint64_t i = 0; i < chunks; ++i) {
    const std::string_view chunk = state.substr(i * kChunkBytes, kChunkBytes);
    batch.Put(impl_->checkpoints, ChunkKey(seq, static_cast<std::uint32_t>(i)),
              rocksdb::Slice(chunk.data(), chunk.size()));
    if (batch.GetDataSize() >= kBatchBytes) {
      auto s = impl_->db->Write(rocksdb::WriteOptions(), &batch);
      if (!s.ok()) return tl::unexpected(StatusError(s, "writing a checkpoint"));
      batch.Clear();
    }
  }
  batch.Put(impl_->checkpoints, ChunkKey(seq, kMarker), MarkerValue(chunks, state.size()));
  int kept = 1;
  domain::Seq previous = seq;
  for (const auto& [s, key] : *keys) {
    if (s == seq) continue;
    if (s != previous) ++kept;
    previous = s;
    if (kept > kCheckpointsKept) batch.Delete(impl_->checkpoints, key);
  }
  rocksdb::WriteOptions options;
  options.sync = true;
  auto s = impl_->db->Write(options, &batch);
  if (!s.ok()) return tl::unexpected(StatusError(s, "writing a checkpoint"));
  return {};
}

namespace {

// Reads the chunks of the checkpoint at `seq` whose marker says `chunks` and `bytes`.
Result<std::string> ReadChunks(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf, domain::Seq seq,
                               std::uint64_t chunks, std::uint64_t bytes) {
  std::string state;
  state.reserve(bytes);
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(ChunkReads(), cf));
  std::uint64_t next = 0;
  for (it->Seek(ChunkKey(seq, 0)); it->Valid() && next < chunks; it->Next(), ++next) {
    if (it->key().ToStringView() != ChunkKey(seq, static_cast<std::uint32_t>(next))) {
      return Fail(ErrorCode::kCorruption, fmt::format("checkpoint at seq {}: chunk {} is missing", seq, next));
    }
    state.append(it->value().data(), it->value().size());
  }
  if (!it->status().ok()) return tl::unexpected(StatusError(it->status(), "reading a checkpoint"));
  if (next != chunks || state.size() != bytes) {
    return Fail(ErrorCode::kCorruption, fmt::format("checkpoint at seq {}: {} of {} chunks, {} of {} bytes", seq,
                                                    next, chunks, state.size(), bytes));
  }
  return state;
}

}  // namespace

Result<std::optional<EventStore::Checkpoint>> EventStore::LatestCheckpoint() const {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ChunkReads(), impl_->checkpoints));
  // The newest complete checkpoint: a marker, or an earlier-form 8-byte key; chunks without a
  // marker (a checkpoint cut short by a crash) are passed over.
  for (it->SeekToLast(); it->Valid(); it->Prev()) {
    const std::string_view key = it->key().ToStringView();
    if (key.size() == 8) return std::optional<Checkpoint>(Checkpoint{ReadSeq(key), it->value().ToString()});
    if (key.size() != 12) return Fail(ErrorCode::kCorruption, "a checkpoint key is neither 8 nor 12 bytes");
    if (!IsMarker(key)) continue;
    if (it->value().size() != 16) return Fail(ErrorCode::kCorruption, "a checkpoint marker is not 16 bytes");
    const domain::Seq seq = ReadSeq(key.substr(0, 8));
    const std::uint64_t chunks = ReadBigEndian64(it->value().ToStringView().substr(0, 8));
    const std::uint64_t bytes = ReadBigEndian64(it->value().ToStringView().substr(8, 8));
    if (bytes > chunks * kChunkBytes) return Fail(ErrorCode::kCorruption, "a checkpoint marker's sizes disagree");
    auto state = ReadChunks(*impl_->db, impl_->checkpoints, seq, chunks, bytes);
    if (!state) return tl::unexpected(state.error());
    return std::optional<Checkpoint>(Checkpoint{seq, std::move(*state)});
  }
  if (!it->status().ok()) return tl::unexpected(StatusError(it->status(), "reading checkpoints"));
  return std::optional<Checkpoint>();
}

}  // namespace capledger::store
