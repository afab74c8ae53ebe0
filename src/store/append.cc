// Assembling an append: checks every request against the log and builds the one WriteBatch that
// stores the batch (DESIGN.md §3). Writing it is append_write.cc's.
#include <algorithm>

#include <rocksdb/perf_level.h>
#include <rocksdb/write_batch.h>

#include <fmt/format.h>

#include "codec/flatbuffer_codec.h"
#include "codec/seq_format.h"
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

// Assembles one WriteBatch from a batch of requests, tracking the head as it goes, against the
// log as it will be once the `pending` batches (assembled earlier, not yet written) are written.
class BatchAssembler {
 public:
  BatchAssembler(EventStore::Impl& impl, Timestamp now, std::span<const AppendRequest> requests,
                 std::vector<std::shared_ptr<const PendingBatch>> pending)
      : impl_(impl), now_(now), head_(impl.assembled_head), first_seq_(head_.seq.Next()),
        reject_count_(impl.assembled_reject_count), requests_(requests), pending_(std::move(pending)),
        ids_(requests), batch_(requests.size() * kBatchBytesPerRequest) {}

  // Looks up every id and retraction target of the batch in one sorted MultiGet, and in the
  // pending batches.
  Status LoadStoredIds();
  AppendOutcome Add(std::size_t request, const PreparedBody& prepared);
  void AddReject(const RejectRecord& record);
  // Puts everything else into the batch and hands it over (REQUIRES: called once, last).
  std::unique_ptr<AssembledAppend> Finish(std::vector<AppendOutcome> outcomes);
  // The clinic ids the batch's stored events name for the first time.
  std::vector<domain::ClinicId>& new_clinics() { return new_clinics_; }

 private:
  std::optional<codec::Rejection> CheckRecordedAt(const AppendRequest& request, Timestamp& recorded_at) const;
  std::optional<codec::Rejection> CheckRetraction(std::size_t request) const;
  std::optional<codec::Rejection> CheckBounds(const AppendRequest& request);
  static std::optional<codec::Rejection> CheckReadable(const AppendRequest& request, const PreparedBody& prepared);
  void PutEvent(std::size_t request, const PreparedBody& prepared, Timestamp recorded_at);
  void PutIndexes(std::size_t request, domain::Seq seq);
  void IndexRetraction(std::size_t request, domain::Seq seq);
  void PutIndexesOf(const domain::EventBody& body, domain::Seq seq);
  IndexKeys::Indexed IndexedUnder(domain::Seq target_seq) const;
  AppendOutcome Reject(const AppendRequest& request, codec::Rejection rejection);
  void PutIds(AppendedIds& appended);
  void PutRejectsAndMeta();

  EventStore::Impl& impl_;
  Timestamp now_;
  Head head_;
  const domain::Seq first_seq_;  // the seq the batch's first stored event gets
  std::uint64_t reject_count_;
  std::span<const AppendRequest> requests_;
  std::vector<std::shared_ptr<const PendingBatch>> pending_;
  BatchIds ids_;
  IndexKeys index_keys_;
  rocksdb::WriteBatch batch_;
  std::vector<RejectRecord> rejects_;
  std::vector<domain::ClinicId> new_clinics_;
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
  for (const auto& pending : pending_) {
    pending->ids.FindAll(ids, [this](std::size_t i, const IdRecord& record) { ids_.SetStored(i, record); });
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
  if (auto rejection = CheckReadable(r, prepared)) return Reject(r, std::move(*rejection));
  if (auto rejection = CheckBounds(r)) return Reject(r, std::move(*rejection));
  PutEvent(request, prepared, recorded_at);
  return AppendOutcome{AppendOutcome::Kind::kStored, head_.seq, std::nullopt};
}

// The log's growth bounds (limits.h): refused here, at the boundary, so that no replay meets a
// log it cannot hold. Last of the checks: a clinic id counts once its event is certain to be stored.
std::optional<codec::Rejection> BatchAssembler::CheckBounds(const AppendRequest& request) {
  if (head_.seq.value() >= impl_.seq_max) {
    return codec::Rejection{RejectCode::kLogFull, "",
                            fmt::format("the log holds {} events, the most it can hold", head_.seq)};
  }
  // A retraction is indexed under its target's clinic, which the log already names.
  const domain::ClinicId* clinic = domain::ClinicOf(request.event.body);
  if (clinic == nullptr || impl_.assembled_clinics.contains(*clinic) ||
      std::find(new_clinics_.begin(), new_clinics_.end(), *clinic) != new_clinics_.end()) {
    return std::nullopt;
  }
  if (impl_.assembled_clinics.size() + new_clinics_.size() >= impl_.clinics_max) {
    return codec::Rejection{RejectCode::kTooManyClinics, "clinic",
                            fmt::format("the log already names {} clinic ids, the most it can hold; {} would be "
                                        "one more",
                                        impl_.clinics_max, *clinic)};
  }
  new_clinics_.push_back(*clinic);
  return std::nullopt;
}

// What the log stores must read back: a rulebook obeys DOMAIN.md §5 whoever built it (a JSON
// line is checked by its decoder, an event from code or a FlatBuffers message is checked here),
// and the ledger's own events decode (a bug if not). Other bodies are built by the codec's checks.
std::optional<codec::Rejection> BatchAssembler::CheckReadable(const AppendRequest& request,
                                                              const PreparedBody& prepared) {
  const auto type = static_cast<EventType>(prepared.type);
  if (const auto* rulebook = std::get_if<domain::RulebookPublished>(&request.event.body)) {
    if (auto violation = domain::CheckRulebook(rulebook->rulebook)) {
      return codec::Rejection{RejectCode::kInvalidRulebook, "rulebook." + violation->field, violation->message};
    }
  }
  if (type == EventType::kRulebookPublished || domain::IsLedgerType(type)) {
    auto decoded = codec::DecodeBody(prepared.body);
    LEDGER_ASSERT(decoded.has_value());
  }
  return std::nullopt;
}

void BatchAssembler::PutEvent(std::size_t request, const PreparedBody& prepared, Timestamp recorded_at) {
  const domain::Event& event = requests_[request].event;
  const domain::Seq seq = head_.seq.Next();
  const std::int64_t recorded_us = ToMicros(recorded_at);
  CanonicalEventBytes(seq, recorded_us, prepared.type, event.id, event.source, prepared.body, canonical_);
  const crypto::Digest hash = ChainHash(head_.hash, canonical_);
  codec::EncodeEnvelope(codec::EnvelopeFields{seq, recorded_us, prepared.type, event.source, event.id, head_.hash,
                                              hash, prepared.body},
                        envelope_);
  char key[8];
  WriteBigEndian64(key, seq.value());
  batch_.Put(impl_.events, rocksdb::Slice(key, sizeof key), envelope_);
  ids_.SetAppended(request, IdRecord{seq, prepared.type, prepared.digest});
  PutIndexes(request, seq);
  head_ = Head{seq, recorded_at, hash};
}

void BatchAssembler::PutIndexes(std::size_t request, domain::Seq seq) {
  const domain::EventBody& body = requests_[request].event.body;
  if (std::holds_alternative<domain::EventRetracted>(body)) {
    IndexRetraction(request, seq);
  } else {
    PutIndexesOf(body, seq);
  }
}

void BatchAssembler::PutIndexesOf(const domain::EventBody& body, domain::Seq seq) {
  if (const auto* resident = domain::ResidentOf(body)) index_keys_.AddResident(resident->pseudonym, seq);
  if (const auto* clinic = domain::ClinicOf(body)) index_keys_.AddClinic(*clinic, seq);
}

// A retraction is indexed under the resident and clinic of the event it voids, so that a
// resident's or clinic's history shows it.
void BatchAssembler::IndexRetraction(std::size_t request, domain::Seq seq) {
  auto target = ids_.FindTarget(request);
  LEDGER_ASSERT(target.has_value());  // CheckRetraction accepted it
  const IndexKeys::Indexed indexed = IndexedUnder(target->seq);
  if (indexed.resident) index_keys_.AddResident(*indexed.resident, seq);
  if (indexed.clinic) index_keys_.AddClinic(*indexed.clinic, seq);
}

// Where the event `target_seq` is indexed: this batch's, a pending batch's or the stored entries.
IndexKeys::Indexed BatchAssembler::IndexedUnder(domain::Seq target_seq) const {
  if (target_seq >= first_seq_) return index_keys_.Find(target_seq);
  for (const auto& pending : pending_) {
    if (pending->first_seq <= target_seq && target_seq <= pending->last_seq) {
      return pending->index_keys.Find(target_seq);
    }
  }
  std::string value;
  auto s = impl_.db->Get(rocksdb::ReadOptions(), impl_.events, SeqKey(target_seq), &value);
  auto record = s.ok() ? DecodeStoredValue(target_seq, value) : Fail(ErrorCode::kNotFound, "");
  IndexKeys::Indexed indexed;
  if (!record) return indexed;  // the target's own entries still hold; verify reports a damaged event
  if (const auto* resident = domain::ResidentOf(record->stored.event.body)) indexed.resident = resident->pseudonym;
  if (const auto* clinic = domain::ClinicOf(record->stored.event.body)) indexed.clinic = *clinic;
  return indexed;
}

void BatchAssembler::AddReject(const RejectRecord& record) {
  rejects_.push_back(record);
  if (rejects_.back().rejected_at == Timestamp{}) rejects_.back().rejected_at = now_;
}

// The ids entries of the batch, in ascending key order (see OneInsertHint in event_store.cc).
void BatchAssembler::PutIds(AppendedIds& appended) {
  ids_.ForEachAppended([&](std::string_view id, const IdRecord& record) {
    EncodeIdRecord(record, id_value_);
    batch_.Put(impl_.ids, rocksdb::Slice(id.data(), id.size()), id_value_);
    appended.Add(id, record);
  });
}

void BatchAssembler::PutRejectsAndMeta() {
  // Rejects are kept in input order, whichever check refused them.
  std::stable_sort(rejects_.begin(), rejects_.end(),
                   [](const RejectRecord& a, const RejectRecord& b) { return a.origin.line < b.origin.line; });
  for (const auto& record : rejects_) {
    ++reject_count_;
    batch_.Put(impl_.rejects, CountKey(reject_count_), SealReject(impl_.rejects_key, record));
  }
  batch_.Put(impl_.meta, std::string(kMetaHead), EncodeHead(head_));
  batch_.Put(impl_.meta, std::string(kMetaRejectCount), CountKey(reject_count_));
  if (!impl_.assembled_fingerprint) {
    batch_.Put(impl_.meta, std::string(kMetaFingerprint),
               rocksdb::Slice(reinterpret_cast<const char*>(impl_.fingerprint.data()), impl_.fingerprint.size()));
  }
}

std::unique_ptr<AssembledAppend> BatchAssembler::Finish(std::vector<AppendOutcome> outcomes) {
  auto pending = std::make_shared<PendingBatch>();
  // Events went in as they were assembled (seq order); every other family follows in key order.
  PutIds(pending->ids);
  index_keys_.PutSorted(batch_, impl_.by_resident, impl_.by_clinic);
  PutRejectsAndMeta();
  pending->first_seq = first_seq_;
  pending->last_seq = head_.seq;
  pending->index_keys = std::move(index_keys_);
  auto assembled = std::make_unique<AssembledAppend>();
  assembled->batch = std::move(batch_);
  assembled->outcomes = std::move(outcomes);
  assembled->head = head_;
  assembled->reject_count = reject_count_;
  assembled->pending = std::move(pending);
  return assembled;
}

}  // namespace

Result<std::unique_ptr<AssembledAppend>> Assemble(EventStore::Impl& impl, std::span<const AppendRequest> requests,
                                                  std::span<const PreparedBody> prepared,
                                                  std::span<const RejectRecord> decode_rejects,
                                                  const AssembleRules& rules) {
  LEDGER_ASSERT(prepared.size() == requests.size());
  std::lock_guard lock(impl.assemble_mutex);
  if (rules.expected_head_seq && impl.assembled_head.seq != *rules.expected_head_seq) {
    return Fail(ErrorCode::kRefused, fmt::format("the log moved on from seq {} to seq {} while the batch was prepared",
                                                 *rules.expected_head_seq, impl.assembled_head.seq));
  }
  // No per-operation counters on this thread (see WriteAssembled): the lookups compare keys too.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  std::vector<std::shared_ptr<const PendingBatch>> pending;
  {
    std::lock_guard pending_lock(impl.pending_mutex);
    pending.assign(impl.pending.begin(), impl.pending.end());
  }
  BatchAssembler assembler(impl, impl.clock->Now(), requests, std::move(pending));
  if (auto loaded = assembler.LoadStoredIds(); !loaded) return tl::unexpected(loaded.error());
  std::vector<AppendOutcome> outcomes;
  outcomes.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    outcomes.push_back(assembler.Add(i, prepared[i]));
    if (rules.all_or_nothing && outcomes.back().kind != AppendOutcome::Kind::kStored) {
      const std::string why = outcomes.back().rejection ? outcomes.back().rejection->message : "already stored";
      return Fail(ErrorCode::kRefused, fmt::format("event {} would not be stored ({}): nothing was written",
                                                   requests[i].event.id, why));
    }
  }
  for (const auto& reject : decode_rejects) assembler.AddReject(reject);
  auto assembled = assembler.Finish(std::move(outcomes));
  for (const auto& put : rules.meta) {
    LEDGER_ASSERT(put.key != kMetaHead && put.key != kMetaFingerprint && put.key != kMetaRejectCount);
    assembled->batch.Put(impl.meta, put.key, put.value);
  }
  assembled->impl = &impl;
  assembled->number = ++impl.assembled_number;
  assembled->generation = impl.generation;
  impl.assembled_head = assembled->head;
  impl.assembled_reject_count = assembled->reject_count;
  impl.assembled_fingerprint = true;
  for (const auto& clinic : assembler.new_clinics()) impl.assembled_clinics.insert(clinic);
  std::lock_guard pending_lock(impl.pending_mutex);
  impl.pending.push_back(assembled->pending);
  return assembled;
}

std::vector<PreparedBody> PrepareAll(std::span<const AppendRequest> requests) {
  std::vector<PreparedBody> prepared;
  prepared.reserve(requests.size());
  for (const auto& request : requests) prepared.push_back(PrepareBody(request.event));
  return prepared;
}

}  // namespace capledger::store
