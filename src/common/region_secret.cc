#include "common/region_secret.h"

namespace capledger {
namespace {

crypto::Digest Derive(std::span<const std::uint8_t> secret, std::string_view label) {
  crypto::HmacSha256 hmac(secret);
  return hmac.Mac(label);
}

}  // namespace

Result<RegionSecret> RegionSecret::FromHex(std::string_view hex) {
  if (hex.size() < 64) {
    return Fail(ErrorCode::kInvalidArgument, "the region secret must be at least 64 hex digits (32 bytes)");
  }
  auto raw = crypto::Unhex(hex);
  if (!raw) return Fail(ErrorCode::kInvalidArgument, "the region secret must be hex: " + raw.error().message);
  return RegionSecret(std::move(*raw));
}

std::span<const std::uint8_t> RegionSecret::bytes() const {
  return {reinterpret_cast<const std::uint8_t*>(raw_.data()), raw_.size()};
}

crypto::Key256 RegionSecret::RejectsKey() const { return Derive(bytes(), "capledger/rejects/aes-256-gcm/v1"); }

crypto::Digest RegionSecret::Fingerprint() const { return Derive(bytes(), "capledger/secret-fingerprint/v1"); }

std::string_view DemoSecretHex() {
  return "64656d6f2d6f6e6c792d6e6f742d612d7265616c2d7265676c6f6e2d736563726574";
}

}  // namespace capledger
