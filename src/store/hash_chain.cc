#include "store/hash_chain.h"

#include "common/assert.h"
#include "store/keys.h"

namespace capledger::store {
namespace {

void PutLengthPrefixed(std::string& out, std::string_view bytes) {
  LEDGER_ASSERT(bytes.size() <= 0xffffffffu);
  const auto size = static_cast<std::uint32_t>(bytes.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((size >> shift) & 0xff));
  out.append(bytes);
}

}  // namespace

std::string CanonicalEventBytes(domain::Seq seq, std::int64_t recorded_at_us, std::uint8_t type,
                                std::string_view id, std::string_view source, std::string_view body) {
  std::string out;
  CanonicalEventBytes(seq, recorded_at_us, type, id, source, body, out);
  return out;
}

void CanonicalEventBytes(domain::Seq seq, std::int64_t recorded_at_us, std::uint8_t type, std::string_view id,
                         std::string_view source, std::string_view body, std::string& out) {
  static constexpr std::string_view kLabel = "capledger/event/v1";
  out.clear();
  out.reserve(kLabel.size() + 8 + 8 + 1 + 12 + id.size() + source.size() + body.size());
  out.append(kLabel);
  PutSeq(out, seq);
  PutBigEndian64(out, static_cast<std::uint64_t>(recorded_at_us));
  out.push_back(static_cast<char>(type));
  PutLengthPrefixed(out, id);
  PutLengthPrefixed(out, source);
  PutLengthPrefixed(out, body);
}

crypto::Digest ChainHash(const crypto::Digest& prev_hash, std::string_view canonical_bytes) {
  thread_local crypto::Sha256 sha;  // Finish() resets it for the next call
  sha.Update(prev_hash);
  sha.Update(canonical_bytes);
  return sha.Finish();
}

crypto::Digest PayloadDigest(std::uint8_t type, std::string_view source, std::string_view body) {
  static constexpr std::string_view kLabel = "capledger/payload/v1";
  std::string bytes;
  bytes.reserve(kLabel.size() + 9 + source.size() + body.size());
  bytes.append(kLabel);
  bytes.push_back(static_cast<char>(type));
  PutLengthPrefixed(bytes, source);
  PutLengthPrefixed(bytes, body);
  return crypto::Sha256Of(bytes);
}

}  // namespace capledger::store
