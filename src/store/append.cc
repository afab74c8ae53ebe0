// EventStore::Append: the one place that writes events (DESIGN.md §3: one synced WriteBatch).
#include <algorithm>
#include <unordered_map>

#include <rocksdb/perf_level.h>
#include <rocksdb/write_batch.h>

#include <fmt/format.h>

#include "codec/flatbuffer_codec.h"
#include "common/assert.h"
#include "common/limits.h"
#include "domain/date.h"
#include "store/hash_chain.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {

using codec::RejectCode;
using domain::EventType;

// A request's encoded body and payload digest, computed before the batch is assembled.
struct Prepared {
  std::uint8_t type = 0;
  std::string body;
  crypto::Digest digest{};
};

Prepared Prepare(const AppendRequest& request) {
  Prepared p;
  p.type = static_cast<std::uint8_t>(domain::TypeOf(request.event.body));
  p.body = codec::EncodeBody(request.event.body);
  p.digest = PayloadDigest(p.type, request.event.source, p.body);
  return p;
}

const std::string* RetractionTarget(const AppendRequest& request) {
  const auto* retraction = std::get_if<domain::EventRetracted>(&request.event.body);
  return retraction ? &retraction->target : nullptr;
}

// Assembles one WriteBatch from a batch of requests, tracking the head as it goes.
class BatchAssembler {
 public:
  BatchAssembler(EventStore::Impl& impl, Timestamp now) : impl_(impl), now_(now), head_(impl.head) {}

  // Looks up every id and retraction target of the batch in one MultiGet.
  Status LoadStoredIds(std::span<const AppendRequest> requests);
  AppendOutcome Add(const AppendRequest& request, const Prepared& prepared);
  void AddReject(const RejectRecord& record);
  Status Commit();

  const Head& head() const { return head_; }
  std::uint64_t reject_count() const { return reject_count_; }

 private:
  std::optional<IdRecord> FindId(std::string_view id) const;
  std::optional<codec::Rejection> CheckRecordedAt(const AppendRequest& request, Timestamp& recorded_at) const;
  std::optional<codec::Rejection> CheckRetraction(const AppendRequest& request) const;
  void PutEvent(const AppendRequest& request, const Prepared& prepared, Timestamp recorded_at);
  void PutIndexes(const domain::EventBody& body, std::uint64_t seq);
  void IndexRetraction(const domain::EventRetracted& retraction, std::uint64_t seq);
  AppendOutcome Reject(const AppendRequest& request, codec::Rejection rejection);
  void PutSortedIndexes();

  EventStore::Impl& impl_;
  Timestamp now_;
  Head head_;
  std::uint64_t reject_count_ = impl_.reject_count;
  rocksdb::WriteBatch batch_;
  // Index keys of the batch, written at Commit in ascending order (see OneInsertHint).
  std::vector<std::string> resident_keys_;
  std::vector<std::string> clinic_keys_;
  std::vector<RejectRecord> rejects_;
  std::unordered_map<std::string, IdRecord> stored_ids_;               // from the store
  std::unordered_map<std::string_view, IdRecord> batch_ids_;           // stored by this batch
  std::unordered_map<std::uint64_t, const domain::EventBody*> batch_bodies_;  // seq -> body
};

Status BatchAssembler::LoadStoredIds(std::span<const AppendRequest> requests) {
  std::vector<rocksdb::Slice> keys;
  keys.reserve(requests.size() + 8);
  for (const auto& request : requests) {
    keys.emplace_back(request.event.id);
    if (const auto* target = RetractionTarget(request)) keys.emplace_back(*target);
  }
  // Sorted, the lookups walk each memtable and table file once in key order.
  std::sort(keys.begin(), keys.end(), [](const rocksdb::Slice& a, const rocksdb::Slice& b) { return a.compare(b) < 0; });
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  impl_.db->MultiGet(rocksdb::ReadOptions(), impl_.ids, keys.size(), keys.data(), values.data(),
                     statuses.data(), /*sorted_input=*/true);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return tl::unexpected(StatusError(statuses[i], "reading the ids index"));
    auto record = DecodeIdRecord(values[i].ToStringView());
    if (!record) return Fail(ErrorCode::kCorruption, "an ids entry is damaged");
    stored_ids_.emplace(keys[i].ToString(), *record);
  }
  return {};
}

std::optional<IdRecord> BatchAssembler::FindId(std::string_view id) const {
  if (auto it = batch_ids_.find(id); it != batch_ids_.end()) return it->second;
  if (auto it = stored_ids_.find(std::string(id)); it != stored_ids_.end()) return it->second;
  return std::nullopt;
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

std::optional<codec::Rejection> BatchAssembler::CheckRetraction(const AppendRequest& request) const {
  const std::string* target = RetractionTarget(request);
  if (!target) return std::nullopt;
  auto found = FindId(*target);
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

AppendOutcome BatchAssembler::Add(const AppendRequest& request, const Prepared& prepared) {
  if (auto existing = FindId(request.event.id)) {
    if (existing->payload_digest == prepared.digest && existing->type == prepared.type) {
      return AppendOutcome{AppendOutcome::Kind::kDuplicate, existing->seq, std::nullopt};
    }
    return Reject(request, codec::Rejection{RejectCode::kIdempotencyConflict, "id",
                                            fmt::format("id is already stored (seq {}) with another payload",
                                                        existing->seq)});
  }
  Timestamp recorded_at;
  if (auto rejection = CheckRecordedAt(request, recorded_at)) return Reject(request, std::move(*rejection));
  if (auto rejection = CheckRetraction(request)) return Reject(request, std::move(*rejection));
  PutEvent(request, prepared, recorded_at);
  return AppendOutcome{AppendOutcome::Kind::kStored, head_.seq, std::nullopt};
}

void BatchAssembler::PutEvent(const AppendRequest& request, const Prepared& prepared, Timestamp recorded_at) {
  const std::uint64_t seq = head_.seq + 1;
  const std::int64_t recorded_us = ToMicros(recorded_at);
  const std::string canonical = CanonicalEventBytes(seq, recorded_us, prepared.type, request.event.id,
                                                    request.event.source, prepared.body);
  const crypto::Digest hash = ChainHash(head_.hash, canonical);
  codec::EnvelopeFields fields{seq, recorded_us, prepared.type, request.event.source, request.event.id,
                               head_.hash, hash, prepared.body};
  batch_.Put(impl_.events, SeqKey(seq), codec::EncodeEnvelope(fields));
  batch_ids_.emplace(request.event.id, IdRecord{seq, prepared.type, prepared.digest});
  batch_bodies_.emplace(seq, &request.event.body);
  PutIndexes(request.event.body, seq);
  head_ = Head{seq, recorded_at, hash};
}

void BatchAssembler::PutIndexes(const domain::EventBody& body, std::uint64_t seq) {
  if (const auto* resident = domain::ResidentOf(body)) {
    resident_keys_.push_back(ResidentIndexKey(resident->pseudonym, seq));
  }
  if (const auto* clinic = domain::ClinicOf(body)) clinic_keys_.push_back(ClinicIndexKey(*clinic, seq));
  if (const auto* retraction = std::get_if<domain::EventRetracted>(&body)) IndexRetraction(*retraction, seq);
}

// A retraction is indexed under the resident and clinic of the event it voids, so that a
// resident's or clinic's history shows it.
void BatchAssembler::IndexRetraction(const domain::EventRetracted& retraction, std::uint64_t seq) {
  auto target = FindId(retraction.target);
  LEDGER_ASSERT(target.has_value());  // CheckRetraction accepted it
  domain::EventBody stored_body;
  const domain::EventBody* body = nullptr;
  if (auto it = batch_bodies_.find(target->seq); it != batch_bodies_.end()) {
    body = it->second;
  } else {
    std::string value;
    auto s = impl_.db->Get(rocksdb::ReadOptions(), impl_.events, SeqKey(target->seq), &value);
    auto record = s.ok() ? DecodeStoredValue(target->seq, value) : Fail(ErrorCode::kNotFound, "");
    if (!record) return;  // the target's own indexes still hold; verify reports a damaged event
    stored_body = std::move(record->stored.event.body);
    body = &stored_body;
  }
  if (const auto* resident = domain::ResidentOf(*body)) {
    resident_keys_.push_back(ResidentIndexKey(resident->pseudonym, seq));
  }
  if (const auto* clinic = domain::ClinicOf(*body)) clinic_keys_.push_back(ClinicIndexKey(*clinic, seq));
}

// The ids and index entries of the batch, each family in ascending key order (events are already
// in seq order), so that every memtable insert lands next to the previous one.
void BatchAssembler::PutSortedIndexes() {
  std::vector<std::pair<std::string_view, IdRecord>> ids(batch_ids_.begin(), batch_ids_.end());
  std::sort(ids.begin(), ids.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [id, record] : ids) {
    batch_.Put(impl_.ids, rocksdb::Slice(id.data(), id.size()), EncodeIdRecord(record));
  }
  std::sort(resident_keys_.begin(), resident_keys_.end());
  for (const auto& key : resident_keys_) batch_.Put(impl_.by_resident, key, rocksdb::Slice());
  std::sort(clinic_keys_.begin(), clinic_keys_.end());
  for (const auto& key : clinic_keys_) batch_.Put(impl_.by_clinic, key, rocksdb::Slice());
}

void BatchAssembler::AddReject(const RejectRecord& record) {
  rejects_.push_back(record);
  if (rejects_.back().rejected_at == Timestamp{}) rejects_.back().rejected_at = now_;
}

Status BatchAssembler::Commit() {
  PutSortedIndexes();
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

}  // namespace

Result<std::vector<AppendOutcome>> EventStore::Append(std::span<const AppendRequest> requests,
                                                      std::span<const RejectRecord> decode_rejects) {
  if (impl_->read_only || !impl_->has_secret) {
    return Fail(ErrorCode::kRefused, "appending needs a store opened for writing with the region secret");
  }
  LEDGER_ASSERT(requests.size() <= limits::kEventsPerAppendMax);
  std::vector<Prepared> prepared;
  prepared.reserve(requests.size());
  for (const auto& request : requests) prepared.push_back(Prepare(request));

  std::lock_guard append_lock(impl_->append_mutex);
  // No per-operation counters on this thread: they cost a thread-local lookup per key comparison
  // inside the memtable inserts, and nothing reads them.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  BatchAssembler assembler(*impl_, impl_->clock->Now());
  if (auto loaded = assembler.LoadStoredIds(requests); !loaded) return tl::unexpected(loaded.error());
  std::vector<AppendOutcome> outcomes;
  outcomes.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) outcomes.push_back(assembler.Add(requests[i], prepared[i]));
  for (const auto& reject : decode_rejects) assembler.AddReject(reject);
  if (auto committed = assembler.Commit(); !committed) return tl::unexpected(committed.error());

  std::lock_guard head_lock(impl_->head_mutex);
  impl_->head = assembler.head();
  impl_->reject_count = assembler.reject_count();
  impl_->fingerprint_stored = true;
  return outcomes;
}

}  // namespace capledger::store
