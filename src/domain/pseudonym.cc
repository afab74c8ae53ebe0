#include "domain/pseudonym.h"

#include <algorithm>

#include "common/crypto.h"

namespace capledger::domain {

std::string Pseudonym::ToHex() const { return crypto::Hex(bytes); }

Result<Pseudonym> ParsePseudonym(std::string_view hex) {
  if (hex.size() != 32) return Fail(ErrorCode::kInvalidArgument, "pseudonym must be 32 hex digits");
  auto raw = crypto::Unhex(hex);
  if (!raw) return Fail(ErrorCode::kInvalidArgument, "pseudonym must be 32 hex digits");
  Pseudonym out;
  std::copy(raw->begin(), raw->end(), out.bytes.begin());
  return out;
}

Pseudonymizer::Pseudonymizer(std::span<const std::uint8_t> secret)
    : hmac_(std::make_unique<crypto::HmacSha256>(secret)) {}

Pseudonymizer::~Pseudonymizer() = default;

Pseudonym Pseudonymizer::Of(const Personnummer& pnr) {
  const crypto::Digest mac = hmac_->Mac(pnr.twelve_digits);
  Pseudonym out;
  std::copy_n(mac.begin(), out.bytes.size(), out.bytes.begin());
  return out;
}

}  // namespace capledger::domain
