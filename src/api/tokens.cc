#include "api/tokens.h"

#include <algorithm>
#include <cctype>
#include <fstream>

#include <fmt/format.h>

namespace capledger::api {
namespace {

// The digests are equal: every byte is compared whatever the earlier ones were.
bool SameDigest(const crypto::Digest& a, const crypto::Digest& b) {
  std::uint8_t difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) difference |= static_cast<std::uint8_t>(a[i] ^ b[i]);
  return difference == 0;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < line.size() && fields.size() <= 3) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

std::optional<Role> ParseRole(std::string_view text) {
  if (text == "auditor") return Role::kAuditor;
  if (text == "operator") return Role::kOperator;
  if (text == "resident_lookup") return Role::kResidentLookup;
  return std::nullopt;
}

bool IsName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '@' || c == '-';
  });
}

Status CheckToken(std::string_view token) {
  if (token.size() < kTokenCharsMin) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("the token is shorter than {} characters", kTokenCharsMin));
  }
  if (token.size() > kTokenCharsMax) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("the token is longer than {} characters", kTokenCharsMax));
  }
  for (char c : token) {
    if (c < 0x21 || c > 0x7e) return Fail(ErrorCode::kInvalidArgument, "the token has a character outside printable ASCII");
  }
  return {};
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAuditor: return "auditor";
    case Role::kOperator: return "operator";
    case Role::kResidentLookup: return "resident_lookup";
  }
  return "auditor";
}

Result<TokenTable> TokenTable::Parse(std::string_view text) {
  TokenTable table;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto fields = Fields(line);
    if (fields.empty() || fields[0].front() == '#') continue;
    auto fail = [&](std::string_view problem) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("line {}: {}", line_number, problem));
    };
    if (fields.size() != 2 && fields.size() != 3) return fail("expected ROLE TOKEN [NAME]");
    const auto role = ParseRole(fields[0]);
    if (!role) return fail("unknown role (auditor, operator or resident_lookup)");
    if (auto ok = CheckToken(fields[1]); !ok) return fail(ok.error().message);
    if (fields.size() == 3 && !IsName(fields[2])) {
      return fail("the name must be 1 to 64 of the characters A-Z a-z 0-9 . _ @ -");
    }
    const crypto::Digest digest = crypto::Sha256Of(fields[1]);
    for (const auto& entry : table.entries_) {
      if (SameDigest(entry.digest, digest)) return fail("the token is given twice");
    }
    if (table.entries_.size() == kTokensMax) return fail(fmt::format("more than {} tokens", kTokensMax));
    std::string who = fields.size() == 3 ? std::string(fields[2])
                                         : "token " + crypto::Hex(std::span(digest.data(), 4));
    table.entries_.push_back(Entry{digest, *role, std::move(who)});
  }
  return table;
}

Result<TokenTable> TokenTable::Load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, fmt::format("cannot read the tokens file {}", path.string()));
  std::string text(kTokensFileBytesMax + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kTokensFileBytesMax) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("tokens file {}: larger than {} bytes", path.string(),
                                                         kTokensFileBytesMax));
  }
  auto table = Parse(text);
  if (!table) return Fail(table.error().code, fmt::format("tokens file {}: {}", path.string(), table.error().message));
  if (table->size() == 0) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("tokens file {}: holds no token", path.string()));
  }
  return table;
}

std::optional<TokenHolder> TokenTable::Find(std::string_view token) const {
  const crypto::Digest digest = crypto::Sha256Of(token);
  std::size_t found = 0;
  std::size_t index = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    // Branch-free: the index of the matching entry is selected by a mask.
    const std::size_t match = SameDigest(entries_[i].digest, digest) ? ~std::size_t{0} : 0;
    found |= match;
    index |= i & match;
  }
  if (!found) return std::nullopt;
  return TokenHolder{entries_[index].role, entries_[index].who};
}

}  // namespace capledger::api
