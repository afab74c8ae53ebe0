#include "api/tokens.h"

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
  while (i < line.size() && fields.size() <= 2) {
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
  return std::nullopt;
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

std::string_view RoleName(Role role) { return role == Role::kOperator ? "operator" : "auditor"; }

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
    if (fields.size() != 2) return fail("expected ROLE TOKEN");
    const auto role = ParseRole(fields[0]);
    if (!role) return fail("unknown role (auditor or operator)");
    if (auto ok = CheckToken(fields[1]); !ok) return fail(ok.error().message);
    const crypto::Digest digest = crypto::Sha256Of(fields[1]);
    for (const auto& entry : table.entries_) {
      if (SameDigest(entry.digest, digest)) return fail("the token is given twice");
    }
    if (table.entries_.size() == kTokensMax) return fail(fmt::format("more than {} tokens", kTokensMax));
    table.entries_.push_back(Entry{digest, *role});
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
  return table;
}

std::optional<Role> TokenTable::Find(std::string_view token) const {
  const crypto::Digest digest = crypto::Sha256Of(token);
  std::uint8_t found = 0;
  std::uint8_t role = 0;
  for (const auto& entry : entries_) {
    // Branch-free: the role of the matching entry is selected by a mask.
    const std::uint8_t match = SameDigest(entry.digest, digest) ? 0xff : 0x00;
    found |= match;
    role |= static_cast<std::uint8_t>(static_cast<std::uint8_t>(entry.role) & match);
  }
  if (!found) return std::nullopt;
  return static_cast<Role>(role);
}

}  // namespace capledger::api
