// Opening a store against its head record (store/head_record.h): a log that ends before the
// last acknowledged event stays closed.
#include <rocksdb/db.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "codec/seq_format.h"
#include "store/head_record.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {

Result<bool> HasHeadRecordFlag(EventStore::Impl& impl) {
  std::string value;
  const auto s = impl.db->Get(rocksdb::ReadOptions(), impl.meta, std::string(kMetaHeadRecord), &value);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return tl::unexpected(StatusError(s, "reading the meta column family"));
  return true;
}

Status PutHeadRecordFlag(EventStore::Impl& impl) {
  rocksdb::WriteOptions options;
  options.sync = true;
  const auto s = impl.db->Put(options, impl.meta, std::string(kMetaHeadRecord), "1");
  if (!s.ok()) return tl::unexpected(StatusError(s, "writing the meta column family"));
  return {};
}

}  // namespace

Status CheckHeadRecord(EventStore::Impl& impl, const std::optional<Head>& recorded) {
  const Head& head = impl.head;
  if (!recorded) {
    auto flagged = HasHeadRecordFlag(impl);
    if (!flagged) return tl::unexpected(flagged.error());
    if (*flagged) {
      return Fail(ErrorCode::kLogDamaged,
                  fmt::format("the head record ({}) is missing, so the store cannot tell whether events it "
                              "acknowledged are lost; the log ends at seq {}",
                              kHeadRecordFile, head.seq));
    }
    return {};  // a store of an earlier version: the record starts at its next writable open
  }
  if (head.seq < recorded->seq) {
    return Fail(ErrorCode::kLogDamaged,
                fmt::format("events {}..{} were acknowledged but are missing: the log ends at seq {} (its "
                            "write-ahead log or a table file lost them); nothing has been changed",
                            head.seq.Next(), recorded->seq, head.seq));
  }
  if (head.seq == recorded->seq && head.hash != recorded->hash) {
    return Fail(ErrorCode::kLogDamaged,
                fmt::format("the event at seq {} is not the one acknowledged (its hash differs from the head "
                            "record's); nothing has been changed",
                            head.seq));
  }
  return {};
}

Status AdoptHeadRecord(EventStore::Impl& impl, const std::filesystem::path& dir, const std::optional<Head>& recorded) {
  if (!recorded) {
    spdlog::info("starting the head record of the store in {} at seq {}", dir.string(), impl.head.seq);
    if (auto created = CreateHeadRecord(dir, impl.head); !created) return created;
  }
  auto flagged = HasHeadRecordFlag(impl);
  if (!flagged) return tl::unexpected(flagged.error());
  if (!*flagged) {
    if (auto put = PutHeadRecordFlag(impl); !put) return put;
  }
  auto writer = HeadRecordWriter::Open(dir);
  if (!writer) return tl::unexpected(writer.error());
  impl.head_record = std::move(*writer);
  // A batch made durable just before a crash, and never acknowledged, is ahead of the record.
  if (recorded && impl.head.seq > recorded->seq) return impl.head_record->Write(impl.head);
  return {};
}

}  // namespace capledger::store
