// The identifiers of DOMAIN.md §4 and the rule each must follow, written once: the JSON decoder
// and the FlatBuffers decoder check text against these.
#pragma once

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/assert.h"
#include "common/error.h"
#include "common/limits.h"

namespace capledger::domain {

// 1 to `bytes_max` bytes, each printable ASCII (0x20-0x7E).
constexpr bool IsPrintableAsciiText(std::string_view text, std::size_t bytes_max) {
  if (text.empty() || text.size() > bytes_max) return false;
  for (const char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

// An event id, a retraction's target or a ledger entry id: 1-128 bytes (limits::kIdBytesMax),
// each printable ASCII.
constexpr bool IsEventIdText(std::string_view text) { return IsPrintableAsciiText(text, limits::kIdBytesMax); }

// A clinic id: 2-32 characters of [A-Z0-9-].
constexpr bool IsClinicIdText(std::string_view text) {
  if (text.size() < 2 || text.size() > 32) return false;
  for (const char c : text) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// A SHA-256 written as 64 lower-case hex digits (a published manifest's, DOMAIN.md §11).
constexpr bool IsSha256HexText(std::string_view text) {
  if (text.size() != 64) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Called only while an id is made from a literal at compile time, and only if the literal breaks
// the id's rule: it is not constexpr, so such a literal fails to compile. Never defined.
void ThisLiteralBreaksTheIdRule();

// An id that keeps its kind's rule: from a literal our code writes (checked when it compiles),
// parsed from outside text (Parse, naming the field), or made by our own code from text it built
// (Made, which asserts the rule). Holds its characters inline (at most Kind::kCharsMax), so it
// never allocates. Converts to std::string_view, so it compares like the text it is; it prints
// through view(). `Kind` gives kCharsMax, Valid(text) and kWhat (what the rule is, for the error).
//
// The one value outside the rule is the empty id a default-constructed one holds: a field not yet
// filled in (an event a decoder is still reading). Parse, Made and literals never yield it, and
// the encoders refuse to write it.
template <typename Kind>
class CheckedId {
 public:
  // The empty id: a field not yet set (empty() is true).
  constexpr CheckedId() = default;

  // From a string literal: ClinicId id = "VC-1880-01". A literal that breaks the rule does not
  // compile.
  template <std::size_t N>
  consteval CheckedId(const char (&text)[N]) {  // NOLINT(google-explicit-constructor): literals read as ids
    const std::string_view view(text, N - 1);
    if (!Kind::Valid(view)) ThisLiteralBreaksTheIdRule();
    Assign(view);
  }

  // `text` as an id; kInvalidArgument "FIELD: not KIND-WHAT" if it breaks the rule.
  static Result<CheckedId> Parse(std::string_view text, std::string_view field = Kind::kField) {
    if (!Kind::Valid(text)) return Fail(ErrorCode::kInvalidArgument, std::string(field) + ": not " + std::string(Kind::kWhat));
    CheckedId id;
    id.Assign(text);
    return id;
  }

  // `text`, built by our own code, as an id. REQUIRES: it keeps the rule (a broken one is our bug
  // and aborts).
  static CheckedId Made(std::string_view text) {
    LEDGER_ASSERT(Kind::Valid(text));
    CheckedId id;
    id.Assign(text);
    return id;
  }

  // As Parse, but empty text is no id (nullopt): an optional argument left out.
  static Result<std::optional<CheckedId>> ParseOptional(std::string_view text, std::string_view field = Kind::kField) {
    if (text.empty()) return std::optional<CheckedId>();
    auto id = Parse(text, field);
    if (!id) return tl::unexpected(id.error());
    return std::optional<CheckedId>(*id);
  }

  std::string_view view() const { return {chars_.data(), size_}; }
  bool empty() const { return size_ == 0; }
  std::string str() const { return std::string(view()); }
  operator std::string_view() const { return view(); }  // NOLINT(google-explicit-constructor): prints and compares as text

  friend bool operator==(const CheckedId& a, const CheckedId& b) { return a.view() == b.view(); }
  friend bool operator==(const CheckedId& a, std::string_view b) { return a.view() == b; }
  template <std::size_t N>  // a literal compares as text, with no conversion to choose
  friend bool operator==(const CheckedId& a, const char (&b)[N]) { return a.view() == std::string_view(b, N - 1); }
  friend std::strong_ordering operator<=>(const CheckedId& a, const CheckedId& b) { return a.view() <=> b.view(); }

 private:
  constexpr void Assign(std::string_view text) {
    std::copy(text.begin(), text.end(), chars_.begin());
    size_ = static_cast<std::uint8_t>(text.size());
  }

  std::array<char, Kind::kCharsMax> chars_{};
  std::uint8_t size_ = 0;
};

struct ClinicIdKind {
  static constexpr std::size_t kCharsMax = 32;
  static constexpr std::string_view kField = "clinic";
  static constexpr std::string_view kWhat = "a clinic id (2 to 32 characters of A-Z, 0-9 and -)";
  static constexpr bool Valid(std::string_view text) { return IsClinicIdText(text); }
};
struct EventIdKind {
  static constexpr std::size_t kCharsMax = limits::kIdBytesMax;
  static constexpr std::string_view kField = "id";
  static constexpr std::string_view kWhat = "an id (1 to 128 printable ASCII characters)";
  static constexpr bool Valid(std::string_view text) { return IsEventIdText(text); }
};

// A clinic id: 2-32 characters of [A-Z0-9-].
using ClinicId = CheckedId<ClinicIdKind>;
// An event id, a retraction's target or a ledger entry id: 1-128 printable ASCII characters.
using EventId = CheckedId<EventIdKind>;

}  // namespace capledger::domain

// Hashes an id as its characters, so maps keyed by it hash as maps keyed by text.
template <typename Kind>
struct std::hash<capledger::domain::CheckedId<Kind>> {
  std::size_t operator()(const capledger::domain::CheckedId<Kind>& id) const noexcept {
    return std::hash<std::string_view>{}(id.view());
  }
};
