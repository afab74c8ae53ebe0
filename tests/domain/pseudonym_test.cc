// The pseudonym: the first 16 bytes of HMAC-SHA-256(region secret, 12-digit personnummer), as 32
// hex digits. Expected values come from OpenSSL's command line, independent of our code:
//
//   $ echo -n 191212121212 | openssl dgst -sha256 -hmac capledger-test-region-secret
//   SHA2-256(stdin)= 81233b931e58f4f1a191921b7ae108d7ee987e1f83006df075eb2b0aa5f872bb
//   $ echo -n 197010632391 | openssl dgst -sha256 -hmac capledger-test-region-secret
//   SHA2-256(stdin)= d0ddc8660278b6d1b82eb76273373b820d7d4e27df98d16d7acc49f4de5fc341
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "domain/personnummer.h"
#include "domain/pseudonym.h"

namespace capledger::domain {
namespace {

constexpr std::string_view kSecret = "capledger-test-region-secret";

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

Pseudonym PseudonymOf(Pseudonymizer& pseudonymizer, std::string_view text) {
  auto pnr = ParsePersonnummer(text);
  REQUIRE(pnr.has_value());
  return pseudonymizer.Of(*pnr);
}

TEST_CASE("a pseudonym is the first 32 hex digits of HMAC-SHA-256 over the 12 digits") {
  Pseudonymizer pseudonymizer(Bytes(kSecret));
  CHECK(PseudonymOf(pseudonymizer, "19121212-1212").ToHex() == "81233b931e58f4f1a191921b7ae108d7");
  // A samordningsnummer is hashed as written (day + 60), not as its birth date.
  CHECK(PseudonymOf(pseudonymizer, "19701063-2391").ToHex() == "d0ddc8660278b6d1b82eb76273373b82");
}

TEST_CASE("both written forms give the same pseudonym") {
  Pseudonymizer pseudonymizer(Bytes(kSecret));
  const Pseudonym with_hyphen = PseudonymOf(pseudonymizer, "19121212-1212");
  const Pseudonym without = PseudonymOf(pseudonymizer, "191212121212");
  CHECK(with_hyphen == without);
  // Asked again, the same answer (the keyed state is reused, not consumed).
  CHECK(PseudonymOf(pseudonymizer, "19121212-1212") == with_hyphen);
}

TEST_CASE("another secret or another number gives another pseudonym") {
  Pseudonymizer ours(Bytes(kSecret));
  Pseudonymizer theirs(Bytes("another-region-secret"));
  CHECK(PseudonymOf(ours, "19121212-1212") != PseudonymOf(theirs, "19121212-1212"));
  CHECK(PseudonymOf(ours, "19121212-1212") != PseudonymOf(ours, "20121212-1212"));
}

TEST_CASE("a pseudonym parses from 32 hex digits of either case and prints in lower case") {
  auto lower = ParsePseudonym("81233b931e58f4f1a191921b7ae108d7");
  REQUIRE(lower.has_value());
  CHECK(lower->bytes[0] == 0x81);
  CHECK(lower->bytes[15] == 0xd7);
  auto upper = ParsePseudonym("81233B931E58F4F1A191921B7AE108D7");
  REQUIRE(upper.has_value());
  CHECK(*upper == *lower);
  CHECK(upper->ToHex() == "81233b931e58f4f1a191921b7ae108d7");
  Pseudonymizer pseudonymizer(Bytes(kSecret));
  CHECK(PseudonymOf(pseudonymizer, "19121212-1212") == *lower);
}

TEST_CASE("anything but 32 hex digits is not a pseudonym") {
  for (std::string_view bad : {"", "81233b931e58f4f1a191921b7ae108d", "81233b931e58f4f1a191921b7ae108d7a",
                               "81233b931e58f4f1a191921b7ae108dg", "81233b931e58f4f1a191921b7ae108d 7",
                               "81233b931e58f4f1a191921b7ae108d7e987e1f83006df075eb2b0aa5f872bb",
                               "19121212-1212"}) {
    CAPTURE(bad);
    auto pseudonym = ParsePseudonym(bad);
    REQUIRE_FALSE(pseudonym.has_value());
    CHECK(pseudonym.error().code == ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace capledger::domain
