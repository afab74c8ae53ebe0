// EventStore checkpoints: projection state saved at a seq so that start-up replays only the tail.
#include <rocksdb/write_batch.h>

#include <fmt/format.h>

#include "common/assert.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {
constexpr int kCheckpointsKept = 2;
}

Status EventStore::PutCheckpoint(std::uint64_t seq, std::string_view state) {
  if (impl_->read_only) return Fail(ErrorCode::kRefused, "checkpoints need a store opened for writing");
  LEDGER_ASSERT(seq <= head().seq);
  rocksdb::WriteBatch batch;
  batch.Put(impl_->checkpoints, SeqKey(seq), rocksdb::Slice(state.data(), state.size()));
  std::vector<std::string> keys;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->checkpoints));
  for (it->SeekToLast(); it->Valid(); it->Prev()) keys.push_back(it->key().ToString());
  if (!it->status().ok()) return tl::unexpected(StatusError(it->status(), "listing checkpoints"));
  // `keys` is newest first and does not yet hold the new one.
  int kept = 1;
  for (const auto& key : keys) {
    if (key == SeqKey(seq)) continue;
    if (++kept > kCheckpointsKept) batch.Delete(impl_->checkpoints, key);
  }
  rocksdb::WriteOptions options;
  options.sync = true;
  auto s = impl_->db->Write(options, &batch);
  if (!s.ok()) return tl::unexpected(StatusError(s, "writing a checkpoint"));
  return {};
}

Result<std::optional<EventStore::Checkpoint>> EventStore::LatestCheckpoint() const {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->checkpoints));
  it->SeekToLast();
  if (!it->status().ok()) return tl::unexpected(StatusError(it->status(), "reading checkpoints"));
  if (!it->Valid()) return std::optional<Checkpoint>();
  if (it->key().size() != 8) return Fail(ErrorCode::kCorruption, "a checkpoint key is not 8 bytes");
  return std::optional<Checkpoint>(Checkpoint{ReadBigEndian64(it->key().ToStringView()), it->value().ToString()});
}

}  // namespace capledger::store
