// The identifiers of DOMAIN.md §4 and the rule each must follow, written once: the JSON decoder
// and the FlatBuffers decoder check text against these.
#pragma once

#include <cstddef>
#include <string_view>

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

}  // namespace capledger::domain
