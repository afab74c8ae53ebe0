// The hash chain and the idempotency digest: what exactly is hashed (docs/events.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/crypto.h"
#include "domain/seq.h"

namespace capledger::store {

// The canonical bytes of one stored event, the input to its hash:
//   "capledger/event/v1" | u64 seq | i64 recorded_at_us | u8 type |
//   u32 len | id | u32 len | source | u32 len | body
// with big-endian integers and body = the EventBody FlatBuffer exactly as stored.
std::string CanonicalEventBytes(domain::Seq seq, std::int64_t recorded_at_us, std::uint8_t type,
                                std::string_view id, std::string_view source, std::string_view body);
// The same bytes, written over `out` (its capacity is reused).
void CanonicalEventBytes(domain::Seq seq, std::int64_t recorded_at_us, std::uint8_t type, std::string_view id,
                         std::string_view source, std::string_view body, std::string& out);

// hash = SHA-256(prev_hash || canonical bytes).
crypto::Digest ChainHash(const crypto::Digest& prev_hash, std::string_view canonical_bytes);

// The payload digest used for idempotency: SHA-256 of
//   "capledger/payload/v1" | u8 type | u32 len | source | u32 len | body
// (the id and recorded_at are not part of the payload).
crypto::Digest PayloadDigest(std::uint8_t type, std::string_view source, std::string_view body);

}  // namespace capledger::store
