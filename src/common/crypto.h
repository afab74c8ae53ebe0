// Thin, type-safe wrappers over OpenSSL libcrypto: SHA-256, HMAC-SHA-256 and AES-256-GCM.
// No OpenSSL type appears in this header.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"

namespace capledger::crypto {

using Digest = std::array<std::uint8_t, 32>;  // a SHA-256 or HMAC-SHA-256 output
using Key256 = std::array<std::uint8_t, 32>;  // an AES-256 or HMAC key

// SHA-256 of the concatenation of `parts`, computed incrementally.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  // Absorbs more bytes.
  void Update(std::span<const std::uint8_t> bytes);
  void Update(std::string_view bytes);
  // Returns the digest of everything absorbed and resets to the empty state.
  Digest Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-shot SHA-256.
Digest Sha256Of(std::string_view bytes);

// HMAC-SHA-256 under a fixed key, with the keyed inner and outer states computed once, so each
// message costs two short hashes. Not thread-safe: use one instance per thread.
class HmacSha256 {
 public:
  explicit HmacSha256(std::span<const std::uint8_t> key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;
  // The MAC of `message`.
  Digest Mac(std::string_view message);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Fills `out` with cryptographically random bytes.
void RandomBytes(std::span<std::uint8_t> out);

// AES-256-GCM: returns nonce (12 bytes) || ciphertext || tag (16 bytes). The nonce is random.
std::string AesGcmSeal(const Key256& key, std::string_view plaintext);

// Reverses AesGcmSeal; kCorruption if the bytes were altered or the key is wrong.
Result<std::string> AesGcmOpen(const Key256& key, std::string_view sealed);

// Lower-case hexadecimal of `bytes`.
std::string Hex(std::span<const std::uint8_t> bytes);

// Parses lower- or upper-case hex into bytes; kInvalidArgument on odd length or a non-hex digit.
Result<std::string> Unhex(std::string_view hex);

}  // namespace capledger::crypto
