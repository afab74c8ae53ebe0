// Bearer tokens and the roles they carry (DESIGN.md §4): `auditor` may read, with residents as
// pseudonyms only; `operator` may also run payouts; `resident_lookup` may also find a resident by
// personnummer (each such lookup is recorded and rate-limited: api/api.h).
//
// A token is kept only as its SHA-256 digest, and a lookup compares the digest of the presented
// token with every stored digest in constant time, so neither the time a lookup takes nor a
// memory dump tells anything about a token. No function here logs or returns a token's text.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto.h"
#include "common/error.h"

namespace capledger::api {

// What a caller may do. An operator and a resident lookup may each read what an auditor may; only
// an operator runs payouts, and only a resident lookup finds a resident by personnummer.
enum class Role : std::uint8_t { kAuditor = 1, kOperator = 2, kResidentLookup = 3 };

// "auditor", "operator" or "resident_lookup".
std::string_view RoleName(Role role);

// True if a holder of `held` may do what needs `needed`.
inline bool Allows(Role held, Role needed) { return held == needed || needed == Role::kAuditor; }

// A token's holder: the role, and who it is for the records of resident lookups (the NAME of the
// tokens file's line, or "token <first 8 hex digits of the token's SHA-256>").
struct TokenHolder {
  Role role;
  std::string who;
};

// Tokens shorter than kTokenCharsMin are refused when the table is loaded (a guessable token is
// no token), and so are longer tokens, more tokens and larger files than the other bounds.
inline constexpr std::size_t kTokenCharsMin = 16;
inline constexpr std::size_t kTokenCharsMax = 512;
inline constexpr std::size_t kTokensMax = 1'000;
inline constexpr std::size_t kTokensFileBytesMax = 1 << 20;

// The tokens of a tokens file and their roles, as digests. Immutable once loaded: Find may be
// called from any thread.
class TokenTable {
 public:
  // An empty table: every token is refused.
  TokenTable() = default;

  // Parses the text of a tokens file: one `ROLE TOKEN [NAME]` per line, separated by spaces or
  // tabs (NAME: who holds the token, 1 to 64 of A-Z a-z 0-9 . _ @ -); blank lines and lines
  // starting with '#' are skipped. kInvalidArgument names the line number and the problem (unknown
  // role, missing or extra field, a token shorter than kTokenCharsMin or with a character outside
  // printable ASCII, a bad name, a token given twice, more than kTokensMax tokens); the message
  // never contains the token.
  static Result<TokenTable> Parse(std::string_view text);

  // Reads and parses a tokens file. kNotFound if it cannot be read, kInvalidArgument if it is
  // larger than kTokensFileBytesMax or holds no token (a service nobody may use is a mistake);
  // the errors of Parse, with the file name.
  static Result<TokenTable> Load(const std::filesystem::path& path);

  // The holder of `token`, if it is in the table. Takes the same time whichever token, if any,
  // matches (every stored digest is compared, in constant time).
  std::optional<TokenHolder> Find(std::string_view token) const;

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    crypto::Digest digest;
    Role role;
    std::string who;
  };
  std::vector<Entry> entries_;
};

}  // namespace capledger::api
