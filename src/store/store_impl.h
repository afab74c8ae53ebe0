// Private to the store layer: the RocksDB handles behind EventStore.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <span>
#include <vector>

#include <rocksdb/db.h>

#include "common/clock.h"
#include "common/limits.h"
#include "common/region_secret.h"
#include "domain/ids.h"
#include "store/dir_lock.h"
#include "store/head_record.h"
#include "store/event_store.h"
#include "store/pending.h"

namespace capledger::store {

struct EventStore::Impl {
  std::optional<DirLock> writer_lock;  // a store opened for writing: held until the db is closed
  std::optional<HeadRecordWriter> head_record;  // a store opened for writing: updated by every append
  std::atomic<bool> writes_refused{false};      // a head record write failed: no append until reopened
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // owned; destroyed before db
  rocksdb::ColumnFamilyHandle* events = nullptr;
  rocksdb::ColumnFamilyHandle* ids = nullptr;
  rocksdb::ColumnFamilyHandle* by_resident = nullptr;
  rocksdb::ColumnFamilyHandle* by_clinic = nullptr;
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  rocksdb::ColumnFamilyHandle* checkpoints = nullptr;
  rocksdb::ColumnFamilyHandle* rejects = nullptr;
  const Clock* clock = nullptr;
  std::uint64_t seq_max = limits::kSeqMax;       // StoreOptions' growth bounds
  std::size_t clinics_max = limits::kClinicsMax;
  crypto::Key256 rejects_key{};
  crypto::Digest fingerprint{};
  bool fingerprint_stored = false;
  bool has_secret = false;
  bool read_only = false;
  bool opened = false;  // Open succeeded: closing may flush (a refused open changes nothing)

  mutable std::mutex head_mutex;    // guards head, reject_count and fingerprint_stored for readers
  Head head;                        // of the written log
  std::uint64_t reject_count = 0;

  // Appending (append_write.cc): batches are assembled one at a time, each against the log as it
  // will be once the batches assembled before it are written, and written in assembly order.
  std::mutex assemble_mutex;         // held while a batch is assembled; guards assembled_*
  Head assembled_head;               // the head once every assembled batch is written
  std::uint64_t assembled_reject_count = 0;
  bool assembled_fingerprint = false;  // an assembled batch stores the secret's fingerprint
  std::uint64_t assembled_number = 0;  // of the last assembly
  // Every clinic id an event in the log or an assembled batch names (a store opened for writing;
  // loaded at open from the by_clinic index). A batch that is voided unwritten leaves its clinics
  // here: the count errs on the safe side of limits::kClinicsMax.
  std::unordered_set<domain::ClinicId> assembled_clinics;
  std::uint64_t generation = 0;        // bumped (under both mutexes) when unwritten batches are voided
  std::mutex pending_mutex;            // guards pending
  std::deque<std::shared_ptr<const PendingBatch>> pending;  // assembled, not yet written, oldest first
  std::mutex write_mutex;              // guards written_number; held while writing
  std::condition_variable write_turn;
  std::uint64_t written_number = 0;    // of the last batch written (or voided)
  std::uint64_t abandoned_number = 0;  // the oldest batch dropped unwritten (0: none); guarded by write_mutex

  ~Impl();
};

// The RocksDB options of the store (rocksdb_options.cc): the database's, and every column family's
// in the order Impl::handles holds them.
rocksdb::Options DbOptions(const StoreOptions& options);
std::vector<rocksdb::ColumnFamilyDescriptor> Families(const StoreOptions& options);

// RocksDB's information log as the program's own log (rocksdb_logger.cc): no LOG file in the
// store's directory, whose writer would abort the process after a failed write (a full disk).
// One logger for every database; it keeps no state of its own.
std::shared_ptr<rocksdb::Logger> RocksDbLogger();

// Creates a store in `dir` unless one is there (create.cc): built in a sibling directory and
// renamed into place once every column family exists, so that a crash while creating leaves no
// store rather than one a read-only open refuses. kIoError if that fails, or if `dir` holds
// something other than a store.
Status CreateStoreIfMissing(const std::filesystem::path& dir, const StoreOptions& options);

// A store's directory and the folder it is in, while a store is built beside it: its creator (or
// restorer) holds the folder's DirLock, so that two of them never build the same store at once.
struct StoreBeside {
  std::filesystem::path target;  // the store's directory, normalized
  std::filesystem::path parent;  // the folder holding it ("." if none)
  std::optional<DirLock> lock;   // held on `parent`
};

// Creates the folder `dir` is in if missing and takes its lock, waiting up to 30 s for another
// creator or restorer (`doing`: "created", "restored", named in the refusal). create.cc.
Result<StoreBeside> LockBeside(const std::filesystem::path& dir, std::string_view doing);

// Removes, with a warning naming `left_by`, every entry of `parent` whose name starts with `prefix`:
// what a creation or a restore that died left beside its target (create.cc). kIoError if one
// cannot be listed or removed.
Status RemoveLeftovers(const std::filesystem::path& parent, const std::string& prefix, std::string_view left_by);

// Copies every file of the store copy in `from` into the new folder `to` (which must not exist),
// each synced, then the folder (restore.cc): copies, never links, so that the two share no disk
// blocks. kCorruption if `from` holds anything but files, kIoError if a copy fails.
Status CopyStoreFiles(const std::filesystem::path& from, const std::filesystem::path& to);

// Compares the opened log's head with the head record read before the database was opened
// (head_check.cc): kLogDamaged if events the record says were acknowledged are missing or
// different, or if the record is missing from a store that had one.
Status CheckHeadRecord(EventStore::Impl& impl, const std::optional<Head>& recorded);

// For a store opened for writing, after CheckHeadRecord: starts the record if the store has none
// yet (a store of an earlier version), brings it up to the head, and opens impl.head_record.
Status AdoptHeadRecord(EventStore::Impl& impl, const std::filesystem::path& dir, const std::optional<Head>& recorded);

// How Assemble treats a batch: AppendAtomically's batches are stored whole or refused.
struct AssembleRules {
  bool all_or_nothing = false;                     // kRefused if any request would not be stored
  std::optional<domain::Seq> expected_head_seq;  // kRefused unless the assembled head is there
  std::span<const MetaPut> meta;                   // the caller's meta puts, in the same batch
};

// Assembles a batch (append.cc) against the log as it will be once the pending batches are written.
Result<std::unique_ptr<AssembledAppend>> Assemble(EventStore::Impl& impl, std::span<const AppendRequest> requests,
                                                  std::span<const PreparedBody> prepared,
                                                  std::span<const RejectRecord> decode_rejects,
                                                  const AssembleRules& rules);

// PrepareBody of every request.
std::vector<PreparedBody> PrepareAll(std::span<const AppendRequest> requests);

// The read options of every iterator over the store. They ignore range deletions, which capledger
// never writes: in RocksDB 7.8 (Debian 12) a merging iterator that tracks them drops a level
// silently when the next table file of that level fails to open (MergingIterator::SkipNextDeleted
// pops the level at its file-boundary sentinel without keeping its status; fixed upstream in
// 8.6). A transient read error then ended a scan of the log early, or skipped part of it, with an
// OK status. Without range deletions that path is never taken and the error is reported.
rocksdb::ReadOptions IteratorReads();

// Maps a RocksDB status to an Error (kIoError, or kCorruption for corruption).
Error StatusError(const rocksdb::Status& status, std::string_view what);

}  // namespace capledger::store
