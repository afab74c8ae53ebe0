// The pseudonym that stands for a resident everywhere in the ledger.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"
#include "domain/personnummer.h"

namespace capledger::crypto {
class HmacSha256;
}

namespace capledger::domain {

// The first 16 bytes of HMAC-SHA-256(region secret, 12-digit personnummer), shown as 32 hex digits.
struct Pseudonym {
  std::array<std::uint8_t, 16> bytes{};

  // 32 lower-case hex digits.
  std::string ToHex() const;
  friend auto operator<=>(const Pseudonym&, const Pseudonym&) = default;
};

// Parses 32 hex digits; kInvalidArgument otherwise.
Result<Pseudonym> ParsePseudonym(std::string_view hex);

// Computes pseudonyms under one region secret. Not thread-safe; use one per thread.
class Pseudonymizer {
 public:
  // `secret` is the region's secret key; it is copied into the keyed hash state.
  explicit Pseudonymizer(std::span<const std::uint8_t> secret);
  ~Pseudonymizer();
  Pseudonymizer(const Pseudonymizer&) = delete;
  Pseudonymizer& operator=(const Pseudonymizer&) = delete;

  // The pseudonym of a validated personnummer.
  Pseudonym Of(const Personnummer& pnr);

 private:
  std::unique_ptr<crypto::HmacSha256> hmac_;
};

}  // namespace capledger::domain
