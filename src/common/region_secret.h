// The region's secret key and the keys derived from it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/crypto.h"
#include "common/error.h"

namespace capledger {

// Holds the region secret (raw bytes, at least 32). Pseudonyms are HMAC-SHA-256 under the secret
// itself (DOMAIN.md §4); other keys are derived from it with HMAC and a fixed label, so that one
// secret serves every purpose without reusing a key.
class RegionSecret {
 public:
  // Parses the secret from hex (at least 64 hex digits = 32 bytes); kInvalidArgument otherwise.
  static Result<RegionSecret> FromHex(std::string_view hex);

  // The raw secret: the HMAC key for pseudonyms.
  std::span<const std::uint8_t> bytes() const;
  // The AES-256-GCM key for rejected input kept at rest.
  crypto::Key256 RejectsKey() const;
  // A fingerprint stored with the log so that a store is never written under another secret.
  crypto::Digest Fingerprint() const;

 private:
  explicit RegionSecret(std::string raw) : raw_(std::move(raw)) {}
  std::string raw_;
};

// The built-in secret for demonstrations only (never for real data): callers must warn.
std::string_view DemoSecretHex();

}  // namespace capledger
