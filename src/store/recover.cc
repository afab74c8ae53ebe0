#include "store/recover.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include <rocksdb/db.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "codec/json_out.h"
#include "codec/seq_format.h"
#include "common/crypto.h"
#include "domain/date.h"
#include "store/dir_lock.h"
#include "store/head_record.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {

bool IsCopiedFile(const std::string& name) {
  return name.ends_with(".log") || name.starts_with("MANIFEST-") || name == "CURRENT" || name.starts_with("OPTIONS-");
}

// Keeps the store's files as they are in `kept`, synced: a copy of those a point-in-time recovery
// changes or removes (write-ahead logs, manifest, CURRENT, options), and a hard link to every
// table file, which is never changed but may be removed by a later compaction.
Status KeepDamagedFiles(const std::filesystem::path& dir, const std::filesystem::path& kept) {
  std::error_code ec;
  std::filesystem::create_directory(kept, ec);
  if (ec) return Fail(ErrorCode::kIoError, fmt::format("cannot create {}: {}", kept.string(), ec.message()));
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file()) continue;
    if (name.ends_with(".sst")) {
      std::filesystem::create_hard_link(entry.path(), kept / name, ec);
    } else if (IsCopiedFile(name)) {
      std::filesystem::copy_file(entry.path(), kept / name, ec);
    }
    if (ec) return Fail(ErrorCode::kIoError, fmt::format("cannot keep {}: {}", entry.path().string(), ec.message()));
  }
  if (ec) return Fail(ErrorCode::kIoError, fmt::format("cannot list {}: {}", dir.string(), ec.message()));
  ::sync();  // the copies are the only evidence once the recovery has run
  return {};
}

// The database with its write-ahead log replayed up to the first damage.
struct RecoveredDb {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  ~RecoveredDb() {
    if (!db) return;
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    db->Close().PermitUncheckedError();
  }
  rocksdb::ColumnFamilyHandle* meta() const { return handles[5]; }
};

Result<std::unique_ptr<RecoveredDb>> OpenToPointInTime(const std::filesystem::path& dir, const StoreOptions& options) {
  rocksdb::Options db_options = DbOptions(options);
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  // What was replayed goes into table files at once, so that the damaged write-ahead log is
  // obsolete and removed: a later normal open must not meet its damage again.
  db_options.avoid_flush_during_recovery = false;
  auto recovered = std::make_unique<RecoveredDb>();
  rocksdb::DB* raw = nullptr;
  const auto s = rocksdb::DB::Open(db_options, dir.string(), Families(options), &recovered->handles, &raw);
  if (s.IsCorruption()) {
    return Fail(ErrorCode::kLogDamaged, fmt::format("even replaying the write-ahead log up to its first damage, the "
                                                    "store in {} does not open ({}): restore it from a backup",
                                                    dir.string(), s.ToString()));
  }
  if (!s.ok()) return tl::unexpected(StatusError(s, fmt::format("recovering the store in {}", dir.string())));
  recovered->db.reset(raw);
  return recovered;
}

Result<Head> ReadHead(RecoveredDb& db) {
  std::string value;
  const auto s = db.db->Get(rocksdb::ReadOptions(), db.meta(), std::string(kMetaHead), &value);
  if (s.IsNotFound()) return Head{};
  if (!s.ok()) return tl::unexpected(StatusError(s, "reading the log head"));
  auto head = DecodeHead(value);
  if (!head) return Fail(ErrorCode::kLogDamaged, "the stored log head is damaged");
  return *head;
}

// Sets the feed cursor back to `head` if it is beyond; returns it before and after.
Result<std::pair<domain::Seq, domain::Seq>> ClampFeedCursor(RecoveredDb& db, domain::Seq head) {
  std::string value;
  auto s = db.db->Get(rocksdb::ReadOptions(), db.meta(), std::string(kMetaFeedCursor), &value);
  if (s.IsNotFound()) return std::pair<domain::Seq, domain::Seq>{};
  if (!s.ok() || value.size() != 8) return Fail(ErrorCode::kLogDamaged, "the feed cursor cannot be read");
  const domain::Seq before = ReadSeq(value);
  if (before <= head) return std::pair{before, before};
  rocksdb::WriteOptions synced;
  synced.sync = true;
  s = db.db->Put(synced, db.meta(), std::string(kMetaFeedCursor), SeqKey(head));
  if (!s.ok()) return tl::unexpected(StatusError(s, "writing the feed cursor"));
  return std::pair{before, head};
}

Status AppendRecoveryLog(const std::filesystem::path& dir, const std::string& json) {
  const auto path = dir / std::string(kRecoveryLogFile);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Fail(ErrorCode::kIoError, fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  const std::string line = json + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Fail(ErrorCode::kIoError, fmt::format("cannot write {}", path.string()));
  return {};
}

std::string CompactTime(Timestamp t) {
  std::string text = domain::FormatTimestamp(t);  // 2026-12-04T05:30:00.000000Z
  std::erase_if(text, [](char c) { return c == '-' || c == ':'; });
  return text.substr(0, text.find('.')) + "Z";
}

// Steps 2 and 3 of RecoverStore.
Status Recover(const std::filesystem::path& dir, const StoreOptions& options, RecoveryReport& report) {
  auto db = OpenToPointInTime(dir, options);
  if (!db) return tl::unexpected(db.error());
  auto head = ReadHead(**db);
  if (!head) return tl::unexpected(head.error());
  report.recovered = *head;
  auto cursor = ClampFeedCursor(**db, head->seq);
  if (!cursor) return tl::unexpected(cursor.error());
  std::tie(report.feed_cursor_before, report.feed_cursor_after) = *cursor;
  rocksdb::WriteOptions synced;
  synced.sync = true;
  auto s = (*db)->db->Put(synced, (*db)->meta(), std::string(kMetaHeadRecord), "1");
  if (!s.ok()) return tl::unexpected(StatusError(s, "writing the meta column family"));
  rocksdb::FlushOptions flush;
  flush.wait = true;
  s = (*db)->db->Flush(flush, (*db)->handles);
  if (!s.ok()) return tl::unexpected(StatusError(s, "flushing the recovered log"));
  db->reset();  // closed before the record says where the log ends
  return CreateHeadRecord(dir, report.recovered);
}

}  // namespace

std::uint64_t RecoveryReport::lost_events() const {
  return acknowledged && acknowledged->seq > recovered.seq ? acknowledged->seq.value() - recovered.seq.value() : 0;
}

bool RecoveryReport::substituted() const {
  return acknowledged && acknowledged->seq == recovered.seq && acknowledged->hash != recovered.hash;
}

Result<RecoveryReport> RecoverStore(const std::filesystem::path& dir, std::string damage, const Clock& clock,
                                    const StoreOptions& options) {
  auto lock = DirLock::TryAcquire(dir, fmt::format("the store in {}", dir.string()));
  if (!lock) return tl::unexpected(lock.error());
  RecoveryReport report;
  report.at = clock.Now();
  report.damage = std::move(damage);
  if (auto recorded = ReadHeadRecord(dir); recorded && *recorded) report.acknowledged = **recorded;
  report.kept = dir / fmt::format("damaged-{}", CompactTime(report.at));
  if (auto kept = KeepDamagedFiles(dir, report.kept); !kept) return tl::unexpected(kept.error());
  spdlog::warn("recovering the store in {}: its files as they were are kept in {}", dir.string(),
               report.kept.string());
  // The intent first: if what follows fails half-way, the record still says a recovery began.
  if (auto logged = AppendRecoveryLog(dir, RecoveryStartJson(report)); !logged) return tl::unexpected(logged.error());
  if (auto recovered = Recover(dir, options, report); !recovered) return tl::unexpected(recovered.error());
  if (auto logged = AppendRecoveryLog(dir, RecoveryJson(report)); !logged) return tl::unexpected(logged.error());
  spdlog::warn("recovered the store in {} at seq {}; {} acknowledged events lost; recorded in {}", dir.string(),
               report.recovered.seq, report.lost_events(), (dir / std::string(kRecoveryLogFile)).string());
  return report;
}

namespace {

std::optional<std::int64_t> AcknowledgedSeq(const RecoveryReport& report) {
  if (!report.acknowledged) return std::nullopt;
  return static_cast<std::int64_t>(report.acknowledged->seq.value());
}

}  // namespace

std::string RecoveryStartJson(const RecoveryReport& report) {
  std::string out;
  codec::JsonObject(out, codec::JsonSpacing::kSpaced)
      .String("recovery_started_at", domain::FormatTimestamp(report.at))
      .String("damage", report.damage)
      .IntegerOrNull("acknowledged_seq", AcknowledgedSeq(report))
      .String("kept", report.kept.string())
      .Close();
  return out;
}

std::string RecoveryJson(const RecoveryReport& report) {
  std::string out;
  codec::JsonObject(out, codec::JsonSpacing::kSpaced)
      .String("recovered_at", domain::FormatTimestamp(report.at))
      .String("damage", report.damage)
      .IntegerOrNull("acknowledged_seq", AcknowledgedSeq(report))
      .Integer("recovered_seq", report.recovered.seq)
      .String("recovered_hash", crypto::Hex(report.recovered.hash))
      .Integer("lost_events", report.lost_events())
      .Bool("substituted", report.substituted())
      .Integer("feed_cursor_before", report.feed_cursor_before)
      .Integer("feed_cursor_after", report.feed_cursor_after)
      .String("kept", report.kept.string())
      .Close();
  return out;
}

}  // namespace capledger::store
