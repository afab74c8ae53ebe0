// The small pieces the JSON renderers share (json_ledger.cc, json_period.cc, json_log.cc):
// the spacing of the documents people read, a knowledge point, and a list.
#pragma once

#include <string>

#include "codec/json_out.h"
#include "domain/date.h"
#include "ledger/known_at.h"

namespace capledger::present::json_parts {

// The command line's --json, the HTTP API and the finance feed: {"key": value, ...}.
inline constexpr codec::JsonSpacing kSpacing = codec::JsonSpacing::kSpaced;

// Writes {"seq": N, "recorded_at": "..."} into `o` and closes it.
inline void WriteKnownAt(codec::JsonObject o, const ledger::KnownAt& k) {
  o.Integer("seq", k.seq).String("recorded_at", domain::FormatTimestamp(k.recorded_at)).Close();
}

// Writes [item, ...] into `list`, each item by `write(list, item)`, and closes it.
template <typename Items, typename Write>
void WriteList(codec::JsonArray list, const Items& items, Write&& write) {
  for (const auto& item : items) write(list, item);
  list.Close();
}

// A document's text: `write(o)` fills the object {...}, which is then closed and ended with '\n'.
template <typename Write>
std::string Document(Write&& write) {
  std::string out;
  codec::JsonObject o(out, kSpacing);
  write(o);
  o.Close();
  out += '\n';
  return out;
}

}  // namespace capledger::present::json_parts
