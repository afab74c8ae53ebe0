// The RocksDB options of the store, each set explicitly with the reason (docs/storage.md).
#include <atomic>

#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include "store/keys.h"
#include "store/process_env.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {

// The column families by how they are written and read.
enum class FamilyUse {
  kLog,         // events: appended in seq order, read by seq and seq ranges
  kPointIndex,  // ids: a point lookup for every appended event, almost always a miss
  kRangeIndex,  // by_resident, by_clinic: appended, read by prefix scans
  kCheckpoint,  // checkpoints: chunks of 16 MiB, written and read whole
  kSmall,       // default, meta, rejects: little data
};

FamilyUse UseOf(std::string_view name) {
  if (name == kEventsCf) return FamilyUse::kLog;
  if (name == kIdsCf) return FamilyUse::kPointIndex;
  if (name == kByResidentCf || name == kByClinicCf) return FamilyUse::kRangeIndex;
  if (name == kCheckpointsCf) return FamilyUse::kCheckpoint;
  return FamilyUse::kSmall;
}

// Every key of a family maps to the same (empty) prefix, so each memtable keeps one insert hint.
// With it an insert starts from where the previous one went (O(log distance) instead of a search
// from the top of the skiplist); Append writes each family's keys in ascending order, so the
// distance is small: 1 for events, a few entries for the sorted index keys of a batch.
std::shared_ptr<const rocksdb::SliceTransform> OneInsertHint() {
  static const std::shared_ptr<const rocksdb::SliceTransform> transform(rocksdb::NewFixedPrefixTransform(0));
  return transform;
}

rocksdb::ColumnFamilyOptions FamilyOptions(const StoreOptions& options, FamilyUse use) {
  rocksdb::ColumnFamilyOptions cf;
  cf.write_buffer_size = options.write_buffer_bytes;
  // Up to four memtables per family: one being filled while up to three wait for their flush.
  // With two, a burst (an ingest batch of 10,000 events writes four keys each; a checkpoint at
  // Sweden scale writes 750 MiB into one family) filled the second before the first was flushed
  // and RocksDB stopped all writes until it was. Memory bound: 4 x write_buffer_bytes per family
  // written, which only a writing process holds.
  cf.max_write_buffer_number = 4;
  cf.memtable_insert_with_hint_prefix_extractor = OneInsertHint();
  rocksdb::BlockBasedTableOptions table;
  table.block_size = 16 * 1024;
  // Checkpoints are column arrays of integers and hashes that LZ4 barely shrinks, read whole by
  // every command that starts: kept uncompressed, a Sweden-size checkpoint is read without
  // 0.3 s of decompression on the command's own thread.
  cf.compression = use == FamilyUse::kCheckpoint ? rocksdb::kNoCompression : rocksdb::kLZ4Compression;
  if (use == FamilyUse::kPointIndex) {
    // The idempotency lookup of every appended id is nearly always a miss: a whole-key bloom
    // filter in the memtable and in every table file answers it without a search.
    cf.memtable_prefix_bloom_size_ratio = 0.1;
    cf.memtable_whole_key_filtering = true;
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.whole_key_filtering = true;
  }
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

}  // namespace

std::vector<rocksdb::ColumnFamilyDescriptor> Families(const StoreOptions& options) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  families.emplace_back(rocksdb::kDefaultColumnFamilyName, FamilyOptions(options, FamilyUse::kSmall));
  for (auto name : {kEventsCf, kIdsCf, kByResidentCf, kByClinicCf, kMetaCf, kCheckpointsCf, kRejectsCf}) {
    families.emplace_back(std::string(name), FamilyOptions(options, UseOf(name)));
  }
  return families;
}

namespace {
std::atomic<rocksdb::Env*> g_process_env{nullptr};
}  // namespace

void SetProcessEnv(rocksdb::Env* env) { g_process_env.store(env); }

rocksdb::Env* ProcessEnv() { return g_process_env.load(); }

rocksdb::Options DbOptions(const StoreOptions& options) {
  rocksdb::Options db;
  if (rocksdb::Env* env = ProcessEnv()) db.env = env;
  // A new store is created whole by CreateStoreIfMissing; a writable open still adds a column
  // family that a store of an earlier version lacks.
  db.create_if_missing = false;
  db.create_missing_column_families = true;
  db.max_background_jobs = options.background_jobs;
  // Table files are opened when first read, not all at the open: the library default (-1) opens
  // every one of them (171 at Sweden scale, 0.37 s) before a command that reads two families.
  // With a bound, the open loads at most 16 and keeps the most recently used ones open.
  db.max_open_files = options.open_files_max;
  db.paranoid_checks = true;
  // A record torn at the end of the write-ahead log was never acknowledged (every acknowledged
  // batch is synced whole) and is dropped; any other damage stops the open, where the default
  // (point in time) would silently drop every record after it, acknowledged ones included. The
  // head record (head_record.h) catches a log cut at a record boundary, which looks whole.
  db.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  // Replayed records stay in the memtables and their write-ahead log files stay on disk until a
  // later flush: an open refused after recovery (the head record finds events missing) leaves
  // the log files as they were, for the operator's recovery to copy.
  db.avoid_flush_during_recovery = true;
  db.info_log = RocksDbLogger();
  // The small families (meta is written by every append) would otherwise keep every WAL file
  // alive until the library default (4 x the sum of all write buffers, gigabytes) and every
  // later open would replay it all. Past this size the families holding the oldest WAL file are
  // flushed, so a store that was not closed cleanly replays at most this much.
  db.max_total_wal_size = options.wal_bytes_max;
  return db;
}

}  // namespace capledger::store
