#include "codec/flatbuffer_codec.h"

#include <cstring>

#include <flatbuffers/flatbuffers.h>

#include "codec/fb_decode.h"
#include "codec/fb_encode.h"
#include "codec/fb_text_rules.h"
#include "common/assert.h"
#include "events_generated.h"
#include "domain/ids.h"

namespace capledger::codec {
namespace {

// The builder each thread reuses: Clear() keeps its memory, so encoding allocates only the
// returned string. The builder's options are never changed (no force_defaults, vtable
// deduplication on), so a given value always produces the same bytes.
flatbuffers::FlatBufferBuilder& ThreadBuilder() {
  thread_local flatbuffers::FlatBufferBuilder builder(1024);
  builder.Clear();
  return builder;
}

std::string Finished(flatbuffers::FlatBufferBuilder& fbb) {
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

// FlatBuffers reads scalars in place; the bytes of a buffer must start 8-byte aligned for that
// (the generated struct accessors read members directly). Misaligned input is copied once into
// storage that is aligned.
const std::uint8_t* Aligned(std::string_view bytes, std::vector<std::uint64_t>& storage) {
  if (reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(std::uint64_t) == 0) {
    return reinterpret_cast<const std::uint8_t*>(bytes.data());
  }
  storage.resize(bytes.size() / sizeof(std::uint64_t) + 1);
  std::memcpy(storage.data(), bytes.data(), bytes.size());
  return reinterpret_cast<const std::uint8_t*>(storage.data());
}

bool TooLarge(std::string_view bytes) { return bytes.size() >= FLATBUFFERS_MAX_BUFFER_SIZE; }

crypto::Digest DigestOf(const flatbuffers::Vector<std::uint8_t>& bytes) {
  crypto::Digest digest{};
  std::memcpy(digest.data(), bytes.data(), digest.size());
  return digest;
}

std::string_view ViewOf(const flatbuffers::String* s) {
  return s == nullptr ? std::string_view() : std::string_view(s->c_str(), s->size());
}

}  // namespace

std::string EncodeBody(const domain::EventBody& body) {
  flatbuffers::FlatBufferBuilder& fbb = ThreadBuilder();
  const fb_internal::EncodedTable table = fb_internal::EncodeEventTable(fbb, body);
  fbb.Finish(fb::CreateEventBody(fbb, table.type, table.offset));
  return Finished(fbb);
}

Result<domain::EventBody> DecodeBody(std::string_view bytes) {
  if (TooLarge(bytes)) return Fail(ErrorCode::kCorruption, "EventBody: buffer too large");
  thread_local std::vector<std::uint64_t> storage;
  const std::uint8_t* data = Aligned(bytes, storage);
  flatbuffers::Verifier verifier(data, bytes.size());
  if (!verifier.VerifyBuffer<fb::EventBody>(nullptr)) {
    return Fail(ErrorCode::kCorruption, "EventBody: the buffer does not verify");
  }
  return fb_internal::DecodeEventTable(*flatbuffers::GetRoot<fb::EventBody>(data));
}

std::string EncodeEnvelope(const EnvelopeFields& fields) {
  std::string out;
  EncodeEnvelope(fields, out);
  return out;
}

void EncodeEnvelope(const EnvelopeFields& fields, std::string& out) {
  flatbuffers::FlatBufferBuilder& fbb = ThreadBuilder();
  const auto source = fbb.CreateString(fields.source.data(), fields.source.size());
  const auto id = fbb.CreateString(fields.id.data(), fields.id.size());
  const auto prev_hash = fbb.CreateVector(fields.prev_hash.data(), fields.prev_hash.size());
  const auto hash = fbb.CreateVector(fields.hash.data(), fields.hash.size());
  // The nested body starts 8-aligned (relative to the envelope), so it can be read in place.
  fbb.ForceVectorAlignment(fields.body.size(), sizeof(std::uint8_t), alignof(std::uint64_t));
  const auto body = fbb.CreateVector(reinterpret_cast<const std::uint8_t*>(fields.body.data()),
                                     fields.body.size());
  fbb.Finish(fb::CreateEnvelope(fbb, fields.seq.value(), fields.recorded_at_us, fields.type, source, id, prev_hash,
                                hash, body));
  out.assign(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

Result<EnvelopeFields> DecodeEnvelope(std::string_view bytes) {
  if (TooLarge(bytes)) return Fail(ErrorCode::kCorruption, "Envelope: buffer too large");
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  LEDGER_ASSERT(reinterpret_cast<std::uintptr_t>(data) % alignof(std::uint64_t) == 0);
  // The body is verified when DecodeBody reads it; verifying it here too would double the cost of
  // every replayed event.
  flatbuffers::Verifier::Options options;
  options.check_nested_flatbuffers = false;
  flatbuffers::Verifier verifier(data, bytes.size(), options);
  if (!verifier.VerifyBuffer<fb::Envelope>(nullptr)) {
    return Fail(ErrorCode::kCorruption, "Envelope: the buffer does not verify");
  }
  const fb::Envelope& envelope = *flatbuffers::GetRoot<fb::Envelope>(data);
  const auto* prev_hash = envelope.prev_hash();
  const auto* hash = envelope.hash();
  const auto* body = envelope.body();
  if (prev_hash == nullptr || prev_hash->size() != crypto::Digest().size()) {
    return Fail(ErrorCode::kCorruption, "Envelope.prev_hash: not 32 bytes");
  }
  if (hash == nullptr || hash->size() != crypto::Digest().size()) {
    return Fail(ErrorCode::kCorruption, "Envelope.hash: not 32 bytes");
  }
  if (body == nullptr || body->size() == 0) return Fail(ErrorCode::kCorruption, "Envelope.body: empty");
  if (envelope.type() == 0 || envelope.type() > domain::kEventTypeCount) {
    return Fail(ErrorCode::kCorruption, "Envelope.type: not an event type");
  }
  const std::string_view id = ViewOf(envelope.id());
  const std::string_view source = ViewOf(envelope.source());
  if (!domain::IsEventIdText(id)) return Fail(ErrorCode::kCorruption, "Envelope.id: not a valid id");
  if (!fb_internal::IsValidUtf8(source)) return Fail(ErrorCode::kCorruption, "Envelope.source: not UTF-8");
  return EnvelopeFields{domain::Seq(envelope.seq()),  envelope.recorded_at_us(), envelope.type(),
                        source,          id,
                        DigestOf(*prev_hash), DigestOf(*hash),
                        std::string_view(reinterpret_cast<const char*>(body->data()), body->size())};
}

}  // namespace capledger::codec
