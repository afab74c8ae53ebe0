#include "store/event_store.h"

#include <thread>

#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <fmt/format.h>

#include "codec/flatbuffer_codec.h"
#include "codec/seq_format.h"
#include "common/assert.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {

Status LoadMeta(EventStore::Impl& impl) {
  std::string value;
  auto s = impl.db->Get(rocksdb::ReadOptions(), impl.meta, std::string(kMetaHead), &value);
  if (s.ok()) {
    auto head = DecodeHead(value);
    if (!head) return Fail(ErrorCode::kCorruption, "the stored log head is damaged");
    impl.head = *head;
  } else if (!s.IsNotFound()) {
    return tl::unexpected(StatusError(s, "reading the log head"));
  }
  // The reject count guards the fingerprint check below (a store with rejects but no events was
  // still written under a secret): a failed or damaged read must stop the open, not read as zero.
  s = impl.db->Get(rocksdb::ReadOptions(), impl.meta, std::string(kMetaRejectCount), &value);
  if (s.ok()) {
    if (value.size() != 8) return Fail(ErrorCode::kCorruption, "the stored reject count is damaged");
    impl.reject_count = ReadBigEndian64(value);
  } else if (!s.IsNotFound()) {
    return tl::unexpected(StatusError(s, "reading the reject count"));
  }
  s = impl.db->Get(rocksdb::ReadOptions(), impl.meta, std::string(kMetaFingerprint), &value);
  if (s.IsNotFound() && impl.has_secret && (!impl.head.seq.none() || impl.reject_count > 0)) {
    // Every write that stores an event or a reject stores the fingerprint with it: it was lost.
    return Fail(ErrorCode::kCorruption,
                fmt::format("this store holds {} events and {} rejects but no fingerprint of the region secret they "
                            "were written under (meta/{} is missing); refusing to adopt whatever secret comes next",
                            impl.head.seq, impl.reject_count, kMetaFingerprint));
  }
  if (!s.ok() && !s.IsNotFound()) return tl::unexpected(StatusError(s, "reading the secret fingerprint"));
  if (s.ok() && impl.has_secret) {
    if (value.size() != impl.fingerprint.size() ||
        !std::equal(value.begin(), value.end(), reinterpret_cast<const char*>(impl.fingerprint.data()))) {
      return Fail(ErrorCode::kSecretMismatch,
                  "this store was written under another region secret; refusing to mix pseudonyms (nothing was "
                  "changed: set CAPLEDGER_SECRET, or [secret] key_hex, to the secret this store was created with)");
    }
    impl.fingerprint_stored = true;
  }
  return {};
}

// Fills impl.assembled_clinics with every clinic id the by_clinic index holds: one seek per
// clinic (keys are clinic id + '\0' + seq, so the next clinic starts after clinic id + '\1').
Status LoadClinicIds(EventStore::Impl& impl) {
  std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(IteratorReads(), impl.by_clinic));
  for (it->SeekToFirst(); it->Valid();) {
    const std::string_view key = it->key().ToStringView();
    const std::size_t end = key.find('\0');
    if (end == std::string_view::npos) return Fail(ErrorCode::kCorruption, "a by_clinic index key has no clinic id");
    auto clinic = domain::ClinicId::Parse(key.substr(0, end));
    if (!clinic) return Fail(ErrorCode::kCorruption, "a by_clinic index key holds no clinic id");
    impl.assembled_clinics.insert(*clinic);
    std::string next(clinic->view());
    next.push_back('\1');
    it->Seek(next);
  }
  if (!it->status().ok()) return tl::unexpected(StatusError(it->status(), "reading the clinic index"));
  return {};
}

Status OpenDb(EventStore::Impl& impl, const std::filesystem::path& dir, const StoreOptions& options) {
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (options.read_only) {
    s = rocksdb::DB::OpenForReadOnly(DbOptions(options), dir.string(), Families(options), &impl.handles, &raw);
  } else {
    s = rocksdb::DB::Open(DbOptions(options), dir.string(), Families(options), &impl.handles, &raw);
  }
  if (s.IsIOError() && s.ToString().find("lock file") != std::string::npos) {
    return Fail(ErrorCode::kRefused, fmt::format("the store in {} is locked by another program (RocksDB's LOCK file "
                                                 "is held); one writer at a time",
                                                 dir.string()));
  }
  if (s.IsCorruption()) {
    return Fail(ErrorCode::kLogDamaged,
                fmt::format("the store in {} does not open: {}; nothing has been changed", dir.string(), s.ToString()));
  }
  if (!s.ok()) return tl::unexpected(StatusError(s, fmt::format("opening the store in {}", dir.string())));
  impl.db.reset(raw);
  LEDGER_ASSERT(impl.handles.size() == 8);
  impl.events = impl.handles[1];
  impl.ids = impl.handles[2];
  impl.by_resident = impl.handles[3];
  impl.by_clinic = impl.handles[4];
  impl.meta = impl.handles[5];
  impl.checkpoints = impl.handles[6];
  impl.rejects = impl.handles[7];
  return {};
}

}  // namespace

EventStore::Impl::~Impl() {
  if (db && !read_only && opened) {
    // Every appended batch is already durable in the WAL; flushing here only spares the next open
    // from replaying it, so a failure is harmless: the next open replays the WAL instead (and
    // keeps it until its own memtables are flushed, avoid_flush_during_recovery).
    rocksdb::FlushOptions flush;
    flush.wait = true;
    flush.allow_write_stall = true;
    db->Flush(flush, handles).PermitUncheckedError();
  }
  for (auto* handle : handles) {
    if (db && handle) db->DestroyColumnFamilyHandle(handle);
  }
  handles.clear();
  if (db) db->Close();
}

Error StatusError(const rocksdb::Status& status, std::string_view what) {
  const ErrorCode code = status.IsCorruption() ? ErrorCode::kCorruption : ErrorCode::kIoError;
  if (status.IsNoSpace()) {
    return Error{code, fmt::format("{}: the disk holding the store is full; nothing of this write was stored "
                                   "(free some space and run it again) ({})",
                                   what, status.ToString())};
  }
  return Error{code, fmt::format("{}: {}", what, status.ToString())};
}

namespace {

// Opens the database in `impl` and checks it against the head record; `impl` holds the writer
// lock already if it is for writing.
Status OpenChecked(EventStore::Impl& impl, const std::filesystem::path& dir, const StoreOptions& options) {
  // Read before the database: a writer updates the record after its write is durable, so the log
  // this open sees is at least as far as the record read here.
  auto recorded = ReadHeadRecord(dir);
  if (!recorded && recorded.error().code == ErrorCode::kCorruption) {
    return Fail(ErrorCode::kLogDamaged, recorded.error().message);
  }
  if (!recorded) return tl::unexpected(recorded.error());
  if (auto opened = OpenDb(impl, dir, options); !opened) {
    Error error = opened.error();
    if (error.code == ErrorCode::kLogDamaged && *recorded) {
      error.message += fmt::format(" (the last acknowledged event is seq {})", (*recorded)->seq);
    }
    return tl::unexpected(std::move(error));
  }
  if (auto loaded = LoadMeta(impl); !loaded) return loaded;
  if (auto checked = CheckHeadRecord(impl, *recorded); !checked) return checked;
  if (options.read_only) return {};
  if (auto clinics = LoadClinicIds(impl); !clinics) return clinics;
  return AdoptHeadRecord(impl, dir, *recorded);
}

std::unique_ptr<EventStore::Impl> NewImpl(const RegionSecret* secret, const Clock& clock, const StoreOptions& options) {
  auto impl = std::make_unique<EventStore::Impl>();
  impl->clock = &clock;
  impl->has_secret = secret != nullptr;
  if (secret) {
    impl->rejects_key = secret->RejectsKey();
    impl->fingerprint = secret->Fingerprint();
  }
  impl->read_only = options.read_only;
  impl->seq_max = options.seq_max;
  impl->clinics_max = options.clinics_max;
  return impl;
}

// Read-only opens while a writer is at work are tried again: RocksDB's read-only open reads the
// manifest and then lists the write-ahead logs, and a flush that finishes in between hides the
// events it moved, which the head check would take for a loss.
constexpr int kReadOnlyOpenAttempts = 5;

}  // namespace

Result<std::unique_ptr<EventStore>> EventStore::Open(const std::filesystem::path& dir,
                                                     const RegionSecret* secret, const Clock& clock,
                                                     const StoreOptions& options) {
  for (int attempt = 1;; ++attempt) {
    auto impl = NewImpl(secret, clock, options);
    if (!options.read_only) {
      if (auto created = CreateStoreIfMissing(dir, options); !created) return tl::unexpected(created.error());
      auto lock = DirLock::TryAcquire(dir, fmt::format("the store in {}", dir.string()));
      if (!lock) return tl::unexpected(lock.error());
      impl->writer_lock = std::move(*lock);
    }
    auto opened = OpenChecked(*impl, dir, options);
    if (opened) {
      impl->opened = true;
      impl->assembled_head = impl->head;
      impl->assembled_reject_count = impl->reject_count;
      impl->assembled_fingerprint = impl->fingerprint_stored;
      return std::unique_ptr<EventStore>(new EventStore(std::move(impl)));
    }
    const auto writer = DirLock::Holder(dir);
    if (!options.read_only || opened.error().code != ErrorCode::kLogDamaged || !writer) {
      return tl::unexpected(opened.error());
    }
    if (attempt == kReadOnlyOpenAttempts) {
      return Fail(ErrorCode::kRefused,
                  fmt::format("the store in {} changed under {} attempts to open it while process {} was writing "
                              "(the last: {}); try again",
                              dir.string(), attempt, *writer, opened.error().message));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20 * attempt));
  }
}

EventStore::EventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventStore::~EventStore() = default;

Head EventStore::head() const {
  std::lock_guard lock(impl_->head_mutex);
  return impl_->head;
}

std::uint64_t EventStore::reject_count() const {
  std::lock_guard lock(impl_->head_mutex);
  return impl_->reject_count;
}

Result<StoredRecord> DecodeStoredValue(domain::Seq seq, std::string_view value) {
  auto envelope = codec::DecodeEnvelope(value);
  if (!envelope) return Fail(ErrorCode::kCorruption, fmt::format("seq {}: {}", seq, envelope.error().message));
  auto body = codec::DecodeBody(envelope->body);
  if (!body) return Fail(ErrorCode::kCorruption, fmt::format("seq {}: {}", seq, body.error().message));
  StoredRecord record;
  record.stored.seq = envelope->seq;
  record.stored.recorded_at = FromMicros(envelope->recorded_at_us);
  record.stored.event.id = domain::EventId::Made(envelope->id);  // DecodeEnvelope checked the rule
  record.stored.event.source = std::string(envelope->source);
  record.stored.event.body = std::move(*body);
  record.prev_hash = envelope->prev_hash;
  record.hash = envelope->hash;
  return record;
}

Result<StoredRecord> EventStore::Read(domain::Seq seq) const {
  std::string value;
  auto s = impl_->db->Get(rocksdb::ReadOptions(), impl_->events, SeqKey(seq), &value);
  if (s.IsNotFound()) return Fail(ErrorCode::kNotFound, fmt::format("no event with seq {}", seq));
  if (!s.ok()) return tl::unexpected(StatusError(s, "reading an event"));
  return DecodeStoredValue(seq, value);
}

rocksdb::ReadOptions IteratorReads() {
  rocksdb::ReadOptions options;
  options.ignore_range_deletions = true;
  return options;
}

namespace {

// A scan that found a seq other than the next one, or ended before the head: the status that
// explains it (RocksDB's error where it has one), else kCorruption. The log has no gaps, so
// either is a read that went wrong, never the end of the data.
Error ScanBroken(const rocksdb::Iterator& it, std::string_view what) {
  if (!it.status().ok()) return StatusError(it.status(), "scanning events");
  return Error{ErrorCode::kCorruption, fmt::format("scanning events: {}", what)};
}

}  // namespace

Status EventStore::ScanStored(domain::Seq from_seq, std::uint64_t limit,
                              const std::function<bool(domain::Seq, std::string_view)>& visit) const {
  const domain::Seq head_seq = head().seq;  // before the iterator: it sees at least this far
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(IteratorReads(), impl_->events));
  domain::Seq expected = from_seq.none() ? domain::Seq(1) : from_seq;
  std::uint64_t visited = 0;
  bool stopped = false;  // by `visit` or `limit`, not by the end of the log
  for (it->Seek(SeqKey(expected)); it->Valid(); it->Next()) {
    const rocksdb::Slice key = it->key();
    if (key.size() != 8) return Fail(ErrorCode::kCorruption, "an events key is not 8 bytes");
    const domain::Seq seq = ReadSeq(key.ToStringView());
    if (seq != expected) {
      return tl::unexpected(ScanBroken(*it, fmt::format("seq {} was expected, seq {} was read", expected, seq)));
    }
    ++visited;
    expected = expected.Next();
    if (!visit(seq, it->value().ToStringView()) || visited == limit) {
      stopped = true;
      break;
    }
  }
  if (!it->status().ok()) return tl::unexpected(StatusError(it->status(), "scanning events"));
  if (!stopped && expected <= head_seq) {
    return tl::unexpected(ScanBroken(*it, fmt::format("the log ended before seq {}; its head is seq {}", expected, head_seq)));
  }
  return {};
}

Status EventStore::Scan(domain::Seq from_seq, std::uint64_t limit,
                        const std::function<bool(const StoredRecord&)>& visit) const {
  std::string value;  // an aligned copy: FlatBuffers reads scalars in place
  std::optional<Error> undecoded;
  auto scanned = ScanStored(from_seq, limit, [&](domain::Seq seq, std::string_view stored) {
    value.assign(stored);
    auto record = DecodeStoredValue(seq, value);
    if (!record) {
      undecoded = record.error();
      return false;
    }
    return visit(*record);
  });
  if (undecoded) return tl::unexpected(*undecoded);
  return scanned;
}

namespace {

Result<std::vector<domain::Seq>> SeqsWithPrefix(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf,
                                                const std::string& prefix) {
  std::vector<domain::Seq> seqs;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(IteratorReads(), cf));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const std::string_view key = it->key().ToStringView();
    if (key.size() != prefix.size() + 8 || !AppendIndexSeqs(key.substr(prefix.size()), it->value().ToStringView(), seqs)) {
      return Fail(ErrorCode::kCorruption, "an index entry is malformed");
    }
  }
  if (!it->status().ok()) return tl::unexpected(StatusError(it->status(), "scanning an index"));
  return seqs;
}

}  // namespace

Result<std::vector<domain::Seq>> EventStore::SeqsForResident(const domain::Pseudonym& pseudonym) const {
  return SeqsWithPrefix(*impl_->db, impl_->by_resident, ResidentIndexPrefix(pseudonym));
}

Result<std::vector<domain::Seq>> EventStore::SeqsForClinic(std::string_view clinic) const {
  return SeqsWithPrefix(*impl_->db, impl_->by_clinic, ClinicIndexPrefix(clinic));
}

Result<domain::Seq> EventStore::SeqKnownAt(Timestamp t) const {
  // recorded_at never decreases along the log: binary search for the last seq at or before t.
  std::uint64_t low = 0;  // recorded_at(low) <= t, or low == 0
  std::uint64_t high = head().seq.value() + 1;  // recorded_at(high) > t, or high beyond the head
  while (high - low > 1) {
    const std::uint64_t mid = low + (high - low) / 2;
    auto record = Read(domain::Seq(mid));
    if (!record) return tl::unexpected(record.error());
    if (record->stored.recorded_at <= t) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return domain::Seq(low);
}

Result<std::optional<std::string>> EventStore::ReadMeta(std::string_view key) const {
  std::string value;
  auto s = impl_->db->Get(rocksdb::ReadOptions(), impl_->meta, rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return tl::unexpected(StatusError(s, "reading the meta column family"));
  return std::optional<std::string>(std::move(value));
}

Result<std::optional<IdRecord>> EventStore::LookupId(std::string_view id) const {
  std::string value;
  auto s = impl_->db->Get(rocksdb::ReadOptions(), impl_->ids, rocksdb::Slice(id.data(), id.size()), &value);
  if (s.IsNotFound()) return std::optional<IdRecord>();
  if (!s.ok()) return tl::unexpected(StatusError(s, "reading the ids index"));
  auto record = DecodeIdRecord(value);
  if (!record) return Fail(ErrorCode::kCorruption, "an ids entry is damaged");
  return std::optional<IdRecord>(*record);
}

Status EventStore::ScanRejects(const std::function<void(const std::string& json)>& visit) const {
  if (!impl_->has_secret) return Fail(ErrorCode::kRefused, "reading rejects needs the region secret");
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(IteratorReads(), impl_->rejects));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto json = OpenRejectJson(impl_->rejects_key, it->value().ToStringView());
    if (!json) return tl::unexpected(json.error());
    visit(*json);
  }
  if (!it->status().ok()) return tl::unexpected(StatusError(it->status(), "scanning rejects"));
  return {};
}

}  // namespace capledger::store
