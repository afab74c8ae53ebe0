// SHA-256, HMAC-SHA-256 and AES-256-GCM against published test vectors and tampering. Expected
// digests come from FIPS 180-2 / RFC 4231 and were re-checked with OpenSSL's command line:
//
//   $ echo -n abc | openssl dgst -sha256
//   SHA2-256(stdin)= ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
//   $ echo -n "" | openssl dgst -sha256
//   SHA2-256(stdin)= e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
//   $ echo -n "Hi There" | openssl dgst -sha256 -mac HMAC -macopt hexkey:0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b
//   SHA2-256(stdin)= b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7
//   $ echo -n "what do ya want for nothing?" | openssl dgst -sha256 -hmac Jefe
//   SHA2-256(stdin)= 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843
//   $ echo -n "Test Using Larger Than Block-Size Key - Hash Key First" |
//       openssl dgst -sha256 -mac HMAC -macopt hexkey:$(printf 'aa%.0s' $(seq 131))
//   SHA2-256(stdin)= 60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54
//   $ echo -n message | openssl dgst -sha256 -hmac $(printf 'a%.0s' $(seq 64))
//   SHA2-256(stdin)= 6117f44d3e99fd884a6c9dc786e91e812c2a7b1c6240231edfcfe60343ff61cb
//   $ echo -n message | openssl dgst -sha256 -hmac $(printf 'a%.0s' $(seq 65))
//   SHA2-256(stdin)= 88d81ab6f6f7dd8671c038c63fff879a74aa747f0ce7ff496b867eb554419e73
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "common/crypto.h"

namespace capledger::crypto {
namespace {

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string HmacHex(std::string_view key, std::string_view message) {
  HmacSha256 hmac(Bytes(key));
  return Hex(hmac.Mac(message));
}

Key256 KeyFilledWith(std::uint8_t byte) {
  Key256 key;
  key.fill(byte);
  return key;
}

TEST_CASE("SHA-256 of \"abc\" and of nothing match FIPS 180-2") {
  CHECK(Hex(Sha256Of("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Hex(Sha256Of("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("SHA-256 fed in pieces equals the one-shot digest, and Finish starts afresh") {
  Sha256 sha;
  sha.Update("a");
  sha.Update(std::string_view());
  sha.Update(Bytes("bc"));
  CHECK(Hex(sha.Finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Hex(sha.Finish()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  sha.Update("abc");
  CHECK(sha.Finish() == Sha256Of("abc"));
}

TEST_CASE("HMAC-SHA-256 matches RFC 4231 test cases 1, 2 and 6") {
  // Case 1: key = 20 bytes of 0x0b, data = "Hi There".
  CHECK(HmacHex(std::string(20, '\x0b'), "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Case 2: key = "Jefe", data = "what do ya want for nothing?".
  CHECK(HmacHex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Case 6: a 131-byte key of 0xaa, longer than the 64-byte block, so it is hashed first.
  CHECK(HmacHex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("a key of exactly one block is used as is, one byte more is hashed") {
  CHECK(HmacHex(std::string(64, 'a'), "message") == "6117f44d3e99fd884a6c9dc786e91e812c2a7b1c6240231edfcfe60343ff61cb");
  CHECK(HmacHex(std::string(65, 'a'), "message") == "88d81ab6f6f7dd8671c038c63fff879a74aa747f0ce7ff496b867eb554419e73");
}

TEST_CASE("one HMAC instance gives the same MAC every time it is asked") {
  HmacSha256 hmac(Bytes("Jefe"));
  const Digest first = hmac.Mac("what do ya want for nothing?");
  CHECK(Hex(hmac.Mac("other")) != Hex(first));
  CHECK(hmac.Mac("what do ya want for nothing?") == first);
}

TEST_CASE("AES-256-GCM seals and opens, nonce first and tag last") {
  const Key256 key = KeyFilledWith(0x42);
  for (std::string_view plain : {std::string_view("19121212-1212 on line 7"), std::string_view(),
                                 std::string_view("x")}) {
    CAPTURE(plain);
    const std::string sealed = AesGcmSeal(key, plain);
    CHECK(sealed.size() == 12 + plain.size() + 16);
    auto opened = AesGcmOpen(key, sealed);
    REQUIRE(opened.has_value());
    CHECK(*opened == plain);
  }
  // The nonce is random: sealing the same text twice gives different bytes.
  CHECK(AesGcmSeal(key, "same") != AesGcmSeal(key, "same"));
  // The plaintext does not appear in the sealed bytes.
  CHECK(AesGcmSeal(key, "19121212-1212").find("1212") == std::string::npos);
}

TEST_CASE("a changed byte anywhere, a cut record or another key is corruption") {
  const Key256 key = KeyFilledWith(0x42);
  const std::string sealed = AesGcmSeal(key, "19121212-1212 on line 7");
  // Nonce (0), ciphertext (12, 20) and tag (last byte) each matter.
  for (std::size_t at : {std::size_t{0}, std::size_t{11}, std::size_t{12}, std::size_t{20}, sealed.size() - 1}) {
    CAPTURE(at);
    std::string tampered = sealed;
    tampered[at] = static_cast<char>(tampered[at] ^ 0x01);
    auto opened = AesGcmOpen(key, tampered);
    REQUIRE_FALSE(opened.has_value());
    CHECK(opened.error().code == ErrorCode::kCorruption);
  }
  auto wrong_key = AesGcmOpen(KeyFilledWith(0x43), sealed);
  REQUIRE_FALSE(wrong_key.has_value());
  CHECK(wrong_key.error().code == ErrorCode::kCorruption);
  for (std::size_t keep : {std::size_t{0}, std::size_t{27}, std::size_t{28}, sealed.size() - 1}) {
    CAPTURE(keep);
    auto cut = AesGcmOpen(key, std::string_view(sealed).substr(0, keep));
    REQUIRE_FALSE(cut.has_value());
    CHECK(cut.error().code == ErrorCode::kCorruption);
  }
  CHECK_FALSE(AesGcmOpen(key, sealed + "x").has_value());
}

TEST_CASE("hex prints lower case and parses either case") {
  const std::vector<std::uint8_t> bytes = {0x00, 0x0f, 0xf0, 0xff, 0x5a};
  CHECK(Hex(bytes) == "000ff0ff5a");
  CHECK(Hex(std::span<const std::uint8_t>()) == "");
  auto parsed = Unhex("000FF0ff5A");
  REQUIRE(parsed.has_value());
  CHECK(*parsed == std::string("\x00\x0f\xf0\xff\x5a", 5));
  CHECK(Unhex("")->empty());
  CHECK(Hex(Bytes(*Unhex("ba7816bf"))) == "ba7816bf");
}

TEST_CASE("odd-length or non-hex text is refused") {
  for (std::string_view bad : {"0", "abc", "0g", "g0", "0x00", " 00", "00 ", "-1"}) {
    CAPTURE(bad);
    auto parsed = Unhex(bad);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace capledger::crypto
