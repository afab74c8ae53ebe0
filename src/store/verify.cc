// EventStore::Verify: recompute the hash chain and check every envelope (DOMAIN.md §8).
#include <rocksdb/db.h>

#include <fmt/format.h>

#include "codec/flatbuffer_codec.h"
#include "codec/seq_format.h"
#include "store/hash_chain.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {

// Checks one stored event against the chain so far; returns what is wrong, or empty. A read
// that fails for a reason other than damage (an I/O error) is an Error: the store may be whole.
Result<std::string> CheckEvent(const EventStore::Impl& impl, domain::Seq key_seq, std::string_view value,
                               const Head& previous) {
  auto envelope = codec::DecodeEnvelope(value);
  if (!envelope) return "envelope does not verify: " + envelope.error().message;
  if (key_seq != previous.seq.Next()) return fmt::format("gap: expected seq {}", previous.seq.Next());
  if (envelope->seq != key_seq) return fmt::format("envelope says seq {}", envelope->seq);
  if (envelope->prev_hash != previous.hash) return "prev_hash does not match the previous event's hash";
  if (FromMicros(envelope->recorded_at_us) < previous.recorded_at) return "recorded_at decreases";
  const std::string canonical = CanonicalEventBytes(envelope->seq, envelope->recorded_at_us, envelope->type,
                                                    envelope->id, envelope->source, envelope->body);
  if (ChainHash(envelope->prev_hash, canonical) != envelope->hash) return "hash does not match its contents";
  if (codec::EncodeEnvelope(*envelope) != value) return "stored bytes differ from their canonical encoding";
  auto body = codec::DecodeBody(envelope->body);
  if (!body) return "body does not decode: " + body.error().message;
  if (static_cast<std::uint8_t>(domain::TypeOf(*body)) != envelope->type) return "type disagrees with body";
  std::string id_value;
  auto s = impl.db->Get(rocksdb::ReadOptions(), impl.ids, envelope->id, &id_value);
  if (s.IsCorruption()) return "the ids index cannot be read: " + s.ToString();
  if (!s.ok() && !s.IsNotFound()) return tl::unexpected(StatusError(s, "reading the ids index"));
  auto id_record = s.ok() ? DecodeIdRecord(id_value) : std::nullopt;
  if (!id_record || id_record->seq != key_seq) return "the ids index does not point at this event";
  return {};
}

}  // namespace

Result<VerifyReport> EventStore::Verify() const {
  VerifyReport report;
  Head running;  // seq 0, zero hash, epoch
  running.recorded_at = FromMicros(std::numeric_limits<std::int64_t>::min());
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(IteratorReads(), impl_->events));
  std::string value;  // an aligned copy: FlatBuffers reads scalars in place
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const domain::Seq key_seq = it->key().size() == 8 ? ReadSeq(it->key().ToStringView()) : domain::Seq{};
    value.assign(it->value().data(), it->value().size());
    auto checked = CheckEvent(*impl_, key_seq, value, running);
    if (!checked) return tl::unexpected(checked.error());
    std::string problem = std::move(*checked);
    if (!problem.empty()) {
      report.first_bad_seq = key_seq.none() ? running.seq.Next() : std::min(key_seq, running.seq.Next());
      report.problem = std::move(problem);
      return report;
    }
    auto envelope = codec::DecodeEnvelope(value);
    running = Head{key_seq, FromMicros(envelope->recorded_at_us), envelope->hash};
    ++report.events_checked;
  }
  if (!it->status().ok()) {
    // A damaged table block: the first seq not read is the first bad one (exit 1, not 2).
    if (!it->status().IsCorruption()) return tl::unexpected(StatusError(it->status(), "scanning events"));
    report.first_bad_seq = running.seq.Next();
    report.problem = fmt::format("cannot be read: {}", it->status().ToString());
    report.unreadable = true;
    return report;
  }
  const Head stored = head();
  if (stored.seq != running.seq || (!stored.seq.none() && stored.hash != running.hash)) {
    report.first_bad_seq = std::min(stored.seq, running.seq).Next();
    report.problem = fmt::format("the log head says seq {} but the chain ends at seq {}", stored.seq, running.seq);
  }
  return report;
}

}  // namespace capledger::store
