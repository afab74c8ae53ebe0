// The event log on RocksDB (DESIGN.md §3): append, idempotency, indexes, hash chain, rejects.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "codec/reject_code.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/error.h"
#include "common/limits.h"
#include "common/region_secret.h"
#include "domain/event.h"
#include "store/keys.h"
#include "store/rejects.h"

namespace capledger::store {

// An event body in its stored form, with its idempotency digest (docs/storage.md).
struct PreparedBody {
  std::uint8_t type = 0;    // the EventType number
  std::string body;         // the EventBody FlatBuffer, exactly as stored
  crypto::Digest digest{};  // the payload digest of type, source and body
};

// Encodes `event`'s body and computes its payload digest. Pure; callable on any thread, so that
// a caller can do this work off the thread that appends.
PreparedBody PrepareBody(const domain::Event& event);

// An event offered to the log.
struct AppendRequest {
  domain::Event event;
  std::optional<Timestamp> recorded_at;  // requested for a backfill; else the clock decides
  InputOrigin origin;                    // kept with the line if the store rejects it
};

// What became of one AppendRequest.
struct AppendOutcome {
  enum class Kind : std::uint8_t { kStored, kDuplicate, kRejected };
  Kind kind = Kind::kStored;
  domain::Seq seq;                        // stored: its seq; duplicate: the original's seq
  std::optional<codec::Rejection> rejection;  // kRejected only
};

// One stored event read back, with its place in the chain.
struct StoredRecord {
  domain::StoredEvent stored;
  crypto::Digest prev_hash{};
  crypto::Digest hash{};
};

// Decodes the stored bytes of the event at `seq` (an events entry's value, as ScanStored gives
// it) into a StoredRecord; kCorruption on any problem. Pure; callable on any thread. `value` must
// be 8-byte aligned (FlatBuffers reads scalars in place): a std::string's data is.
Result<StoredRecord> DecodeStoredValue(domain::Seq seq, std::string_view value);

// The result of recomputing the hash chain.
struct VerifyReport {
  std::uint64_t events_checked = 0;
  std::optional<domain::Seq> first_bad_seq;     // empty if the chain is intact
  std::string problem;                         // what failed at first_bad_seq
  bool unreadable = false;  // RocksDB's own checks (a block checksum) failed at first_bad_seq,
                            // before the chain could be recomputed there
};

// Tuning of the RocksDB instance; explicit rather than library defaults.
struct StoreOptions {
  std::size_t write_buffer_bytes = 64 << 20;  // per column family memtable
  std::uint64_t wal_bytes_max = 256 << 20;    // WAL kept before the oldest one's families are flushed
  int background_jobs = 2;
  int open_files_max = 1000;  // table files kept open (each opened on first use); under ulimit -n
  bool read_only = false;  // open for reading only (verify, log, queries)
  // The growth bounds an append enforces (kLogFull, kTooManyClinics). Only tests lower them.
  std::uint64_t seq_max = limits::kSeqMax;
  std::size_t clinics_max = limits::kClinicsMax;
};

// A caller's key and value for the meta column family, written in the same synced WriteBatch as
// the events and rejects of an append (the stream layer keeps its Kafka offsets this way, so that
// they are durable exactly when the events they produced are). The key must not be one of the
// store's own meta keys (keys.h); a later put of the same key replaces the value.
struct MetaPut {
  std::string key;
  std::string value;
};

class AssembledAppend;  // a batch checked and encoded, not yet written (the store layer's own type)

// The log. Appends are serialized by an internal mutex; reads may run concurrently with them and
// see the state of a completed append. Everything one Append implies (events, ids, indexes,
// rejects, head) is one synced WriteBatch: after a crash either all of it is there or none.
// Closing a store opened for writing flushes its memtables to table files, so that the next open
// (read-only ones included) need not replay the write-ahead log; durability never depends on that
// flush, only on the synced writes.
class EventStore {
 public:
  // Opens or creates the store in `dir`. The secret's fingerprint is kept in the store on first
  // use; opening with another secret is kSecretMismatch, and with a secret a store that holds
  // events but lost its fingerprint is kCorruption (never adopted). `secret` may be null for
  // reading the log and verifying it (no secret needed); appending and reading rejects then fail
  // with kRefused. A store opened for writing holds an exclusive lock on `dir` (store/dir_lock.h)
  // until it is destroyed: a second writer, in this process or another, is kRefused with a message
  // naming the holder. kLogDamaged if the log lost acknowledged events or cannot be replayed
  // (store/head_record.h); a read-only open beside a busy writer tries again (up to 5 times, about
  // 0.2 s) before it says so, and then says kRefused instead. kIoError if RocksDB cannot open it,
  // kCorruption if the head is damaged. `clock` must outlive the store.
  static Result<std::unique_ptr<EventStore>> Open(const std::filesystem::path& dir,
                                                  const RegionSecret* secret, const Clock& clock,
                                                  const StoreOptions& options = {});
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // The last stored event's seq, recorded_at and hash (seq 0: empty log).
  Head head() const;

  // Appends the batch (at most limits::kEventsPerAppendMax requests) and `decode_rejects`, the
  // lines the decoder already refused, in one synced write. Per request, in order: a stored id
  // with the same payload is kDuplicate (first, whatever its recorded_at); with another payload
  // kRejected/idempotency_conflict; a requested recorded_at before the head or after now is
  // rejected; a retraction of an unknown id, of a retraction or of a ledger event is rejected.
  // Otherwise the event gets the next seq and is chained. Requests see earlier requests of the
  // same batch. kIoError if the write fails (then nothing of the batch is stored).
  Result<std::vector<AppendOutcome>> Append(std::span<const AppendRequest> requests,
                                            std::span<const RejectRecord> decode_rejects = {});

  // Append with the bodies already prepared by the caller (for instance on another thread):
  // REQUIRES prepared.size() == requests.size() and prepared[i] == PrepareBody(requests[i].event).
  // `meta` is put into the same synced write (REQUIRES no key of the store's own).
  Result<std::vector<AppendOutcome>> AppendPrepared(std::span<const AppendRequest> requests,
                                                    std::span<const PreparedBody> prepared,
                                                    std::span<const RejectRecord> decode_rejects = {},
                                                    std::span<const MetaPut> meta = {});

  // Appending in two steps, so that a caller can assemble the next batch while the previous one
  // is being written (IngestStage does). AssembleAppend checks and encodes a batch as
  // AppendPrepared would, against the log as it will be once every batch assembled before it is
  // written; nothing is written yet and readers see nothing of it. It keeps nothing of `requests`.
  // Same limits and REQUIRES as AppendPrepared; kIoError or kCorruption if the ids index cannot be
  // read.
  // `meta` is put into the same batch (REQUIRES no key of the store's own).
  Result<std::unique_ptr<AssembledAppend>> AssembleAppend(std::span<const AppendRequest> requests,
                                                          std::span<const PreparedBody> prepared,
                                                          std::span<const RejectRecord> decode_rejects = {},
                                                          std::span<const MetaPut> meta = {});

  // Writes an assembled batch in one synced write, after every batch assembled before it, and
  // returns its outcomes. kIoError if the write fails: nothing of the batch is stored, and every
  // batch assembled after it is void (kRefused when written; assemble it again). Dropping an
  // assembled batch unwritten voids the batches assembled after it in the same way.
  Result<std::vector<AppendOutcome>> WriteAssembled(std::unique_ptr<AssembledAppend> batch);

  // Appends every request or none, in one synced write, provided the head is still at
  // `expected_head_seq` (the knowledge point the batch was computed at). kRefused, with nothing
  // written, if the head has moved or if any request would not be stored as a new event (a
  // duplicate, an idempotency conflict or a rejection). For the ledger's payout runs, which
  // are booked whole or not at all. At most limits::kEventsPerAtomicAppendMax requests.
  Result<std::vector<AppendOutcome>> AppendAtomically(std::span<const AppendRequest> requests,
                                                      domain::Seq expected_head_seq);

  // Reads one event; kNotFound if seq is beyond the head, kCorruption if it does not decode.
  Result<StoredRecord> Read(domain::Seq seq) const;

  // Calls `visit` for events from_seq, from_seq + 1, ... up to `limit` events (0 = no limit), in
  // seq order, until it returns false. Stops with kCorruption at an event that does not decode.
  Status Scan(domain::Seq from_seq, std::uint64_t limit,
              const std::function<bool(const StoredRecord&)>& visit) const;

  // As Scan, but gives each event's stored bytes undecoded (valid only during the call), for a
  // caller that decodes them elsewhere (DecodeStoredValue), e.g. on another thread. Checks the
  // same: every seq follows the one before, and the log reaches the head.
  Status ScanStored(domain::Seq from_seq, std::uint64_t limit,
                    const std::function<bool(domain::Seq, std::string_view stored)>& visit) const;

  // The largest seq whose recorded_at <= `t` (Seq{} if none): "as known at t" (DOMAIN.md §3).
  Result<domain::Seq> SeqKnownAt(Timestamp t) const;

  // The seqs of the events about a resident / a clinic, ascending.
  Result<std::vector<domain::Seq>> SeqsForResident(const domain::Pseudonym& pseudonym) const;
  Result<std::vector<domain::Seq>> SeqsForClinic(std::string_view clinic) const;

  // The value a MetaPut stored under `key`, as last written (empty if none). kIoError if RocksDB
  // cannot read it.
  Result<std::optional<std::string>> ReadMeta(std::string_view key) const;

  // Where an id is stored, if it is.
  Result<std::optional<IdRecord>> LookupId(std::string_view id) const;

  // Recomputes the hash chain from seq 1 and checks every envelope, the gapless seq, the
  // non-decreasing recorded_at, the ids index and the head. Names the first bad seq.
  Result<VerifyReport> Verify() const;

  // Decrypts and visits every rejected line (as its JSON), oldest first.
  Status ScanRejects(const std::function<void(const std::string& json)>& visit) const;

  // A projection checkpoint written piece by piece, so that its bytes never exist whole in
  // memory (a Sweden-size state is 0.75 GiB). Add takes the next bytes, of any size; each full
  // chunk is written as it fills, unsynced. Commit writes the last chunk and the completion
  // marker, and removes the checkpoints older than the newest two, in one synced write. A writer
  // destroyed without Commit (or a crash before it) leaves chunks without a marker, which every
  // reader passes over and the next checkpoint removes.
  class CheckpointWriter {
   public:
    CheckpointWriter(CheckpointWriter&&) noexcept;
    ~CheckpointWriter();
    // Appends `bytes` to the state; kIoError if a chunk cannot be written.
    Status Add(std::string_view bytes);
    // Completes the checkpoint (REQUIRES not committed yet).
    Status Commit();

   private:
    friend class EventStore;
    struct State;
    explicit CheckpointWriter(std::unique_ptr<State> state);
    Status WriteChunk();
    std::unique_ptr<State> state_;
  };

  // Starts a checkpoint of the state after applying events 1..seq (REQUIRES seq <= head).
  // kRefused on a store opened read-only.
  Result<CheckpointWriter> BeginCheckpoint(domain::Seq seq);

  // Keeps a projection checkpoint whose bytes are all at hand (BeginCheckpoint, Add, Commit).
  Status PutCheckpoint(domain::Seq seq, std::string_view state);

  // The newest complete checkpoint, read chunk by chunk in order, so that its bytes need never
  // exist whole in memory. Holds a RocksDB iterator: the store must outlive it.
  class CheckpointReader {
   public:
    CheckpointReader(CheckpointReader&&) noexcept;
    ~CheckpointReader();
    domain::Seq seq() const;
    // The state's size in bytes, as its marker gives it.
    std::uint64_t bytes() const;
    // The next piece of the state (valid until the next call), empty once every byte was
    // given. kCorruption if a chunk is missing or the sizes disagree, kIoError if one cannot be
    // read.
    Result<std::string_view> Next();

   private:
    friend class EventStore;
    struct State;
    explicit CheckpointReader(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
  };

  // Opens the newest complete checkpoint, if there is one.
  Result<std::optional<CheckpointReader>> OpenLatestCheckpoint() const;

  // The newest checkpoint, if any: its seq and bytes, read whole (OpenLatestCheckpoint).
  struct Checkpoint {
    domain::Seq seq;
    std::string state;
  };
  Result<std::optional<Checkpoint>> LatestCheckpoint() const;

  // The number of rejected lines kept.
  std::uint64_t reject_count() const;

  // The finance feed's cursor: the log seq through which every feed message is confirmed
  // delivered (Seq{} if the feed never confirmed anything). kCorruption if the stored value is not
  // 8 bytes, kIoError if it cannot be read.
  Result<domain::Seq> FeedCursor() const;
  // Stores the feed cursor in one synced write of its own (REQUIRES seq <= head). Not ordered
  // with appends, which it never touches. kRefused on a store opened read-only, kIoError if the
  // write fails (the previous cursor is kept).
  Status PutFeedCursor(domain::Seq seq);

  // Writes a RocksDB checkpoint of the store, as this open sees it, into `target` (store/backup.h),
  // which must not exist; its parent must. Table files are hard-linked where the file system
  // allows, everything else copied. kUnavailable, with `target` removed, if a writer elsewhere
  // flushed or compacted the store since this open read its manifest: the files the copy would
  // need may be gone, so open again and retry. kRefused if `target` exists, kIoError otherwise.
  Status CheckpointTo(const std::filesystem::path& target) const;

  // The RocksDB state, defined in store_impl.h and used only inside the store layer.
  struct Impl;

 private:
  explicit EventStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace capledger::store
