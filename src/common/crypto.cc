#include "common/crypto.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "common/assert.h"

namespace capledger::crypto {
namespace {

const EVP_MD* Sha256Md() {
  // Fetched once; EVP_MD_fetch is costly and the result is immutable and thread-safe.
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  LEDGER_ASSERT(md != nullptr);
  return md;
}

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

MdCtx NewMdCtx() {
  MdCtx ctx(EVP_MD_CTX_new());
  LEDGER_ASSERT(ctx != nullptr);
  return ctx;
}

void InitSha256(EVP_MD_CTX* ctx) { LEDGER_ASSERT(EVP_DigestInit_ex(ctx, Sha256Md(), nullptr) == 1); }

void UpdateBytes(EVP_MD_CTX* ctx, const void* data, std::size_t size) {
  LEDGER_ASSERT(EVP_DigestUpdate(ctx, data, size) == 1);
}

Digest FinalDigest(EVP_MD_CTX* ctx) {
  Digest out{};
  unsigned int size = 0;
  LEDGER_ASSERT(EVP_DigestFinal_ex(ctx, out.data(), &size) == 1);
  LEDGER_ASSERT(size == out.size());
  return out;
}

}  // namespace

struct Sha256::Impl {
  MdCtx ctx = NewMdCtx();
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) { InitSha256(impl_->ctx.get()); }
Sha256::~Sha256() = default;

void Sha256::Update(std::span<const std::uint8_t> bytes) {
  UpdateBytes(impl_->ctx.get(), bytes.data(), bytes.size());
}
void Sha256::Update(std::string_view bytes) { UpdateBytes(impl_->ctx.get(), bytes.data(), bytes.size()); }

Digest Sha256::Finish() {
  Digest out = FinalDigest(impl_->ctx.get());
  InitSha256(impl_->ctx.get());
  return out;
}

Digest Sha256Of(std::string_view bytes) {
  thread_local Sha256 sha;  // one context per thread: creating one per call is costly
  sha.Update(bytes);
  return sha.Finish();
}

struct HmacSha256::Impl {
  MdCtx inner_keyed = NewMdCtx();  // state after absorbing key ^ ipad
  MdCtx outer_keyed = NewMdCtx();  // state after absorbing key ^ opad
  MdCtx work = NewMdCtx();
};

HmacSha256::HmacSha256(std::span<const std::uint8_t> key) : impl_(std::make_unique<Impl>()) {
  constexpr std::size_t kBlock = 64;
  std::array<std::uint8_t, kBlock> block{};
  if (key.size() > kBlock) {
    Sha256 sha;
    sha.Update(key);
    Digest hashed = sha.Finish();
    std::copy(hashed.begin(), hashed.end(), block.begin());
  } else {
    std::copy(key.begin(), key.end(), block.begin());
  }
  std::array<std::uint8_t, kBlock> ipad{};
  std::array<std::uint8_t, kBlock> opad{};
  for (std::size_t i = 0; i < kBlock; ++i) {
    ipad[i] = static_cast<std::uint8_t>(block[i] ^ 0x36);
    opad[i] = static_cast<std::uint8_t>(block[i] ^ 0x5c);
  }
  InitSha256(impl_->inner_keyed.get());
  UpdateBytes(impl_->inner_keyed.get(), ipad.data(), ipad.size());
  InitSha256(impl_->outer_keyed.get());
  UpdateBytes(impl_->outer_keyed.get(), opad.data(), opad.size());
}

HmacSha256::~HmacSha256() = default;

Digest HmacSha256::Mac(std::string_view message) {
  EVP_MD_CTX* work = impl_->work.get();
  LEDGER_ASSERT(EVP_MD_CTX_copy_ex(work, impl_->inner_keyed.get()) == 1);
  UpdateBytes(work, message.data(), message.size());
  Digest inner = FinalDigest(work);
  LEDGER_ASSERT(EVP_MD_CTX_copy_ex(work, impl_->outer_keyed.get()) == 1);
  UpdateBytes(work, inner.data(), inner.size());
  return FinalDigest(work);
}

void RandomBytes(std::span<std::uint8_t> out) {
  LEDGER_ASSERT(RAND_bytes(out.data(), static_cast<int>(out.size())) == 1);
}

namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

unsigned char* Bytes(std::string& s, std::size_t offset) {
  return reinterpret_cast<unsigned char*>(s.data() + offset);
}
const unsigned char* Bytes(std::string_view s, std::size_t offset) {
  return reinterpret_cast<const unsigned char*>(s.data() + offset);
}

}  // namespace

std::string AesGcmSeal(const Key256& key, std::string_view plaintext) {
  std::string out(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  RandomBytes(std::span<std::uint8_t>(Bytes(out, 0), kNonceBytes));
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  LEDGER_ASSERT(ctx != nullptr);
  LEDGER_ASSERT(EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), Bytes(out, 0)) == 1);
  int written = 0;
  LEDGER_ASSERT(EVP_EncryptUpdate(ctx.get(), Bytes(out, kNonceBytes), &written, Bytes(plaintext, 0),
                                  static_cast<int>(plaintext.size())) == 1);
  int tail = 0;
  LEDGER_ASSERT(EVP_EncryptFinal_ex(ctx.get(), Bytes(out, kNonceBytes + written), &tail) == 1);
  LEDGER_ASSERT(static_cast<std::size_t>(written + tail) == plaintext.size());
  LEDGER_ASSERT(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                                    Bytes(out, kNonceBytes + plaintext.size())) == 1);
  return out;
}

Result<std::string> AesGcmOpen(const Key256& key, std::string_view sealed) {
  if (sealed.size() < kNonceBytes + kTagBytes) {
    return Fail(ErrorCode::kCorruption, "sealed record is shorter than nonce and tag");
  }
  const std::size_t body = sealed.size() - kNonceBytes - kTagBytes;
  std::string plain(body, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  LEDGER_ASSERT(ctx != nullptr);
  LEDGER_ASSERT(EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), Bytes(sealed, 0)) == 1);
  int written = 0;
  LEDGER_ASSERT(EVP_DecryptUpdate(ctx.get(), Bytes(plain, 0), &written, Bytes(sealed, kNonceBytes),
                                  static_cast<int>(body)) == 1);
  std::string tag(sealed.substr(kNonceBytes + body));
  LEDGER_ASSERT(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1);
  int tail = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), Bytes(plain, static_cast<std::size_t>(written)), &tail) != 1) {
    return Fail(ErrorCode::kCorruption, "sealed record does not authenticate (altered, or another key)");
  }
  return plain;
}

std::string Hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

Result<std::string> Unhex(std::string_view hex) {
  if (hex.size() % 2 != 0) return Fail(ErrorCode::kInvalidArgument, "hex text has odd length");
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = HexValue(hex[2 * i]);
    int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return Fail(ErrorCode::kInvalidArgument, "hex text has a non-hex digit");
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace capledger::crypto
