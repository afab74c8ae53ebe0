// EventStore's feed cursor: a single meta key, written apart from the appends.
#include <rocksdb/write_batch.h>

#include "common/assert.h"
#include "store/store_impl.h"

namespace capledger::store {

Result<domain::Seq> EventStore::FeedCursor() const {
  std::string value;
  const auto s = impl_->db->Get(rocksdb::ReadOptions(), impl_->meta, std::string(kMetaFeedCursor), &value);
  if (s.IsNotFound()) return domain::Seq{};
  if (!s.ok()) return tl::unexpected(StatusError(s, "reading the feed cursor"));
  if (value.size() != 8) return Fail(ErrorCode::kCorruption, "the feed cursor is not 8 bytes");
  return ReadSeq(value);
}

Status EventStore::PutFeedCursor(domain::Seq seq) {
  if (impl_->read_only) return Fail(ErrorCode::kRefused, "the feed cursor needs a store opened for writing");
  LEDGER_ASSERT(seq <= head().seq);
  std::string value;
  PutSeq(value, seq);
  rocksdb::WriteOptions options;
  options.sync = true;
  const auto s = impl_->db->Put(options, impl_->meta, std::string(kMetaFeedCursor), value);
  if (!s.ok()) return tl::unexpected(StatusError(s, "writing the feed cursor"));
  return {};
}

}  // namespace capledger::store
