// EventStore::Append: the one place that writes events (DESIGN.md §3: one synced WriteBatch).
#include <algorithm>

#include <rocksdb/perf_level.h>
#include <rocksdb/write_batch.h>

#include <fmt/format.h>

#include "codec/flatbuffer_codec.h"
#include "common/assert.h"
#include "common/limits.h"
#include "domain/date.h"
#include "store/batch_ids.h"
#include "store/hash_chain.h"
#include "store/index_keys.h"
#include "store/store_impl.h"

namespace capledger::store {

PreparedBody PrepareBody(const domain::Event& event) {
  PreparedBody p;
  p.type = static_cast<std::uint8_t>(domain::TypeOf(event.body));
  p.body = codec::EncodeBody(event.body);
  p.digest = PayloadDigest(p.type, event.source, p.body);
  return p;
}

namespace {

using codec::RejectCode;
using domain::EventType;

// Bytes of WriteBatch to reserve per request: an envelope, its ids entry and two index keys,
// with RocksDB's record headers (a guess that avoids regrowing the batch; nothing depends on it).
constexpr std::size_t kBatchBytesPerRequest = 512;

// Assembles one WriteBatch from a batch of requests, tracking the head as it goes.
class BatchAssembler {
 public:
  BatchAssembler(EventStore::Impl& impl, Timestamp now, std::span<const AppendRequest> requests)
      : impl_(impl), now_(now), head_(impl.head), first_seq_(impl.head.seq + 1), requests_(requests),
        ids_(requests), batch_(requests.size() * kBatchBytesPerRequest) {
    appended_bodies_.reserve(requests.size());
  }

  // Looks up every id and retraction target of the batch in one sorted MultiGet.
  Status LoadStoredIds();
  AppendOutcome Add(std::size_t request, const PreparedBody& prepared);
  void AddReject(const RejectRecord& record);
  Status Commit();

  const Head& head() const { return head_; }
  std::uint64_t reject_count() const { return reject_count_; }

 private:
  std::optional<codec::Rejection> CheckRecordedAt(const AppendRequest& request, Timestamp& recorded_at) const;
  std::optional<codec::Rejection> CheckRetraction(std::size_t request) const;
  void PutEvent(std::size_t request, const PreparedBody& prepared, Timestamp recorded_at);
  void PutIndexes(std::size_t request, std::uint64_t seq);
  void IndexRetraction(std::size_t request, std::uint64_t seq);
  void PutIndexesOf(const domain::EventBody& body, std::uint64_t seq);
  AppendOutcome Reject(const AppendRequest& request, codec::Rejection rejection);
  void PutIds();

  EventStore::Impl& impl_;
  Timestamp now_;
  Head head_;
  const std::uint64_t first_seq_;  // the seq the batch's first stored event gets
  std::uint64_t reject_count_ = impl_.reject_count;
  std::span<const AppendRequest> requests_;
  BatchIds ids_;
  IndexKeys index_keys_;
  rocksdb::WriteBatch batch_;
  std::vector<RejectRecord> rejects_;
  std::vector<const domain::EventBody*> appended_bodies_;  // [seq - first_seq_]
  std::string canonical_;  // reused buffers: no allocation per event
  std::string envelope_;
  std::string id_value_;
};

Status BatchAssembler::LoadStoredIds() {
  const auto ids = ids_.keys();
  std::vector<rocksdb::Slice> keys(ids.begin(), ids.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  impl_.db->MultiGet(rocksdb::ReadOptions(), impl_.ids, keys.size(), keys.data(), values.data(),
                     statuses.data(), /*sorted_input=*/true);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return tl::unexpected(StatusError(statuses[i], "reading the ids index"));
    auto record = DecodeIdRecord(values[i].ToStringView());
    if (!record) return Fail(ErrorCode::kCorruption, "an ids entry is damaged");
    ids_.SetStored(i, *record);
  }
  return {};
}

std::optional<codec::Rejection> BatchAssembler::CheckRecordedAt(const AppendRequest& request,
                                                                Timestamp& recorded_at) const {
  if (!request.recorded_at) {
    recorded_at = std::max(now_, head_.recorded_at);  // never decreases, even if the clock steps back
    return std::nullopt;
  }
  recorded_at = *request.recorded_at;
  if (recorded_at < head_.recorded_at) {
    return codec::Rejection{RejectCode::kRecordedAtBeforeHead, "recorded_at",
                            fmt::format("recorded_at {} is earlier than the log's last event ({})",
                                        domain::FormatTimestamp(recorded_at),
                                        domain::FormatTimestamp(head_.recorded_at))};
  }
  if (recorded_at > now_) {
    return codec::Rejection{RejectCode::kRecordedAtInFuture, "recorded_at",
                            fmt::format("recorded_at {} is later than now ({})",
                                        domain::FormatTimestamp(recorded_at), domain::FormatTimestamp(now_))};
  }
  return std::nullopt;
}

std::optional<codec::Rejection> BatchAssembler::CheckRetraction(std::size_t request) const {
  if (!std::holds_alternative<domain::EventRetracted>(requests_[request].event.body)) return std::nullopt;
  auto found = ids_.FindTarget(request);
  if (!found) {
    return codec::Rejection{RejectCode::kUnknownRetractionTarget, "target", "no stored event has this id"};
  }
  const auto type = static_cast<EventType>(found->type);
  if (type == EventType::kEventRetracted) {
    return codec::Rejection{RejectCode::kRetractionOfRetraction, "target", "a retraction cannot be retracted"};
  }
  if (domain::IsLedgerType(type)) {
    return codec::Rejection{RejectCode::kRetractionOfLedgerEvent, "target",
                            "ledger entries are corrected by adjustments, not retracted"};
  }
  return std::nullopt;
}

AppendOutcome BatchAssembler::Reject(const AppendRequest& request, codec::Rejection rejection) {
  AddReject(RejectRecord{request.origin, rejection, now_});
  AppendOutcome outcome;
  outcome.kind = AppendOutcome::Kind::kRejected;
  outcome.rejection = std::move(rejection);
  return outcome;
}

AppendOutcome BatchAssembler::Add(std::size_t request, const PreparedBody& prepared) {
  const AppendRequest& r = requests_[request];
  if (auto existing = ids_.FindId(request)) {
    if (existing->payload_digest == prepared.digest && existing->type == prepared.type) {
      return AppendOutcome{AppendOutcome::Kind::kDuplicate, existing->seq, std::nullopt};
    }
    return Reject(r, codec::Rejection{RejectCode::kIdempotencyConflict, "id",
                                      fmt::format("id is already stored (seq {}) with another payload",
                                                  existing->seq)});
  }
  Timestamp recorded_at;
  if (auto rejection = CheckRecordedAt(r, recorded_at)) return Reject(r, std::move(*rejection));
  if (auto rejection = CheckRetraction(request)) return Reject(r, std::move(*rejection));
  PutEvent(request, prepared, recorded_at);
  return AppendOutcome{AppendOutcome::Kind::kStored, head_.seq, std::nullopt};
}

void BatchAssembler::PutEvent(std::size_t request, const PreparedBody& prepared, Timestamp recorded_at) {
  const domain::Event& event = requests_[request].event;
  const std::uint64_t seq = head_.seq + 1;
  const std::int64_t recorded_us = ToMicros(recorded_at);
  CanonicalEventBytes(seq, recorded_us, prepared.type, event.id, event.source, prepared.body, canonical_);
  const crypto::Digest hash = ChainHash(head_.hash, canonical_);
  codec::EncodeEnvelope(codec::EnvelopeFields{seq, recorded_us, prepared.type, event.source, event.id, head_.hash,
                                              hash, prepared.body},
                        envelope_);
  char key[8];
  WriteBigEndian64(key, seq);
  batch_.Put(impl_.events, rocksdb::Slice(key, sizeof key), envelope_);
  ids_.SetAppended(request, IdRecord{seq, prepared.type, prepared.digest});
  appended_bodies_.push_back(&event.body);
  PutIndexes(request, seq);
  head_ = Head{seq, recorded_at, hash};
}

void BatchAssembler::PutIndexes(std::size_t request, std::uint64_t seq) {
  const domain::EventBody& body = requests_[request].event.body;
  if (std::holds_alternative<domain::EventRetracted>(body)) {
    IndexRetraction(request, seq);
  } else {
    PutIndexesOf(body, seq);
  }
}

void BatchAssembler::PutIndexesOf(const domain::EventBody& body, std::uint64_t seq) {
  if (const auto* resident = domain::ResidentOf(body)) index_keys_.AddResident(resident->pseudonym, seq);
  if (const auto* clinic = domain::ClinicOf(body)) index_keys_.AddClinic(*clinic, seq);
}

// A retraction is indexed under the resident and clinic of the event it voids, so that a
// resident's or clinic's history shows it.
void BatchAssembler::IndexRetraction(std::size_t request, std::uint64_t seq) {
  auto target = ids_.FindTarget(request);
  LEDGER_ASSERT(target.has_value());  // CheckRetraction accepted it
  if (target->seq >= first_seq_) {    // stored by this batch
    PutIndexesOf(*appended_bodies_.at(target->seq - first_seq_), seq);
    return;
  }
  std::string value;
  auto s = impl_.db->Get(rocksdb::ReadOptions(), impl_.events, SeqKey(target->seq), &value);
  auto record = s.ok() ? DecodeStoredValue(target->seq, value) : Fail(ErrorCode::kNotFound, "");
  if (!record) return;  // the target's own indexes still hold; verify reports a damaged event
  PutIndexesOf(record->stored.event.body, seq);
}

void BatchAssembler::AddReject(const RejectRecord& record) {
  rejects_.push_back(record);
  if (rejects_.back().rejected_at == Timestamp{}) rejects_.back().rejected_at = now_;
}

// The ids entries of the batch, in ascending key order (see OneInsertHint in event_store.cc).
void BatchAssembler::PutIds() {
  ids_.ForEachAppended([this](std::string_view id, const IdRecord& record) {
    EncodeIdRecord(record, id_value_);
    batch_.Put(impl_.ids, rocksdb::Slice(id.data(), id.size()), id_value_);
  });
}

Status BatchAssembler::Commit() {
  // Events went in as they were assembled (seq order); every other family follows in key order.
  PutIds();
  index_keys_.PutSorted(batch_, impl_.by_resident, impl_.by_clinic);
  // Rejects are kept in input order, whichever check refused them.
  std::stable_sort(rejects_.begin(), rejects_.end(),
                   [](const RejectRecord& a, const RejectRecord& b) { return a.origin.line < b.origin.line; });
  for (const auto& record : rejects_) {
    ++reject_count_;
    batch_.Put(impl_.rejects, SeqKey(reject_count_), SealReject(impl_.rejects_key, record));
  }
  batch_.Put(impl_.meta, std::string(kMetaHead), EncodeHead(head_));
  batch_.Put(impl_.meta, std::string(kMetaRejectCount), SeqKey(reject_count_));
  if (!impl_.fingerprint_stored) {
    batch_.Put(impl_.meta, std::string(kMetaFingerprint),
               rocksdb::Slice(reinterpret_cast<const char*>(impl_.fingerprint.data()), impl_.fingerprint.size()));
  }
  rocksdb::WriteOptions options;
  options.sync = true;
  auto s = impl_.db->Write(options, &batch_);
  if (!s.ok()) return tl::unexpected(StatusError(s, "writing a batch"));
  return {};
}

std::vector<PreparedBody> PrepareAll(std::span<const AppendRequest> requests) {
  std::vector<PreparedBody> prepared;
  prepared.reserve(requests.size());
  for (const auto& request : requests) prepared.push_back(PrepareBody(request.event));
  return prepared;
}

// Assembles and writes one batch (REQUIRES the append mutex held). With `all_or_nothing`, the
// first request that would not be stored as a new event refuses the whole batch.
Result<std::vector<AppendOutcome>> AppendLocked(EventStore::Impl& impl, std::span<const AppendRequest> requests,
                                                std::span<const PreparedBody> prepared,
                                                std::span<const RejectRecord> decode_rejects, bool all_or_nothing) {
  LEDGER_ASSERT(prepared.size() == requests.size());
  // No per-operation counters on this thread: they cost a thread-local lookup per key comparison
  // inside the memtable inserts, and nothing reads them.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  BatchAssembler assembler(impl, impl.clock->Now(), requests);
  if (auto loaded = assembler.LoadStoredIds(); !loaded) return tl::unexpected(loaded.error());
  std::vector<AppendOutcome> outcomes;
  outcomes.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    outcomes.push_back(assembler.Add(i, prepared[i]));
    if (all_or_nothing && outcomes.back().kind != AppendOutcome::Kind::kStored) {
      const std::string why = outcomes.back().rejection ? outcomes.back().rejection->message : "already stored";
      return Fail(ErrorCode::kRefused, fmt::format("event {} would not be stored ({}): nothing was written",
                                                   requests[i].event.id, why));
    }
  }
  for (const auto& reject : decode_rejects) assembler.AddReject(reject);
  if (auto committed = assembler.Commit(); !committed) return tl::unexpected(committed.error());

  std::lock_guard head_lock(impl.head_mutex);
  impl.head = assembler.head();
  impl.reject_count = assembler.reject_count();
  impl.fingerprint_stored = true;
  return outcomes;
}

}  // namespace

Result<std::vector<AppendOutcome>> EventStore::Append(std::span<const AppendRequest> requests,
                                                      std::span<const RejectRecord> decode_rejects) {
  if (impl_->read_only || !impl_->has_secret) {
    return Fail(ErrorCode::kRefused, "appending needs a store opened for writing with the region secret");
  }
  return AppendPrepared(requests, PrepareAll(requests), decode_rejects);
}

Result<std::vector<AppendOutcome>> EventStore::AppendPrepared(std::span<const AppendRequest> requests,
                                                              std::span<const PreparedBody> prepared,
                                                              std::span<const RejectRecord> decode_rejects) {
  if (impl_->read_only || !impl_->has_secret) {
    return Fail(ErrorCode::kRefused, "appending needs a store opened for writing with the region secret");
  }
  LEDGER_ASSERT(requests.size() <= limits::kEventsPerAppendMax);
  std::lock_guard append_lock(impl_->append_mutex);
  return AppendLocked(*impl_, requests, prepared, decode_rejects, false);
}

Result<std::vector<AppendOutcome>> EventStore::AppendAtomically(std::span<const AppendRequest> requests,
                                                                std::uint64_t expected_head_seq) {
  if (impl_->read_only || !impl_->has_secret) {
    return Fail(ErrorCode::kRefused, "appending needs a store opened for writing with the region secret");
  }
  LEDGER_ASSERT(requests.size() <= limits::kEventsPerAtomicAppendMax);
  const std::vector<PreparedBody> prepared = PrepareAll(requests);
  std::lock_guard append_lock(impl_->append_mutex);
  if (impl_->head.seq != expected_head_seq) {
    return Fail(ErrorCode::kRefused, fmt::format("the log moved on from seq {} to seq {} while the batch was prepared",
                                                 expected_head_seq, impl_->head.seq));
  }
  return AppendLocked(*impl_, requests, prepared, {}, true);
}

}  // namespace capledger::store
