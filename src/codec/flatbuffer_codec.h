// The stored binary form: FlatBuffers EventBody and Envelope (schemas/events.fbs).
// Generated FlatBuffers types never leave the codec.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/crypto.h"
#include "common/error.h"
#include "domain/event.h"

namespace capledger::codec {

// Encodes an event body as a finished EventBody buffer. Deterministic: the same body always gives
// the same bytes (the idempotency digest and the hash chain rely on it).
std::string EncodeBody(const domain::EventBody& body);

// Verifies (flatbuffers::Verifier) and decodes EventBody bytes. Foreign or damaged bytes give
// kCorruption, never an assertion: every field is range-checked (dates, months, enums, lengths).
Result<domain::EventBody> DecodeBody(std::string_view bytes);

// The fields of an Envelope. The views point into the caller's buffers.
struct EnvelopeFields {
  domain::Seq seq;
  std::int64_t recorded_at_us = 0;
  std::uint8_t type = 0;
  std::string_view source;
  std::string_view id;
  crypto::Digest prev_hash{};
  crypto::Digest hash{};
  std::string_view body;  // EventBody bytes
};

// Encodes an Envelope. Deterministic.
std::string EncodeEnvelope(const EnvelopeFields& fields);
// The same bytes, written over `out` (whose capacity is reused: no allocation once it is large
// enough, for the append path).
void EncodeEnvelope(const EnvelopeFields& fields, std::string& out);

// Verifies and reads an Envelope; the views in the result point into `bytes`, which must outlive
// it. REQUIRES `bytes` to start 8-byte aligned (the envelope is read in place; copy a RocksDB
// slice into a std::string first). kCorruption if the buffer fails the Verifier, a hash is not 32 bytes, or the body is empty.
Result<EnvelopeFields> DecodeEnvelope(std::string_view bytes);

}  // namespace capledger::codec
