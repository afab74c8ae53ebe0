// The small pieces every JSON renderer of the ledger shares (render_json.cc,
// render_period_json.cc): an amount as a quoted kronor string, a knowledge point, and a list.
#pragma once

#include <string>
#include <vector>

#include <fmt/format.h>

#include "domain/date.h"
#include "domain/money.h"
#include "ledger/known_at.h"

namespace capledger::ledger::json_parts {

// "1234.50", quoted.
inline std::string Quoted(domain::Money amount) { return "\"" + domain::FormatKronor(amount) + "\""; }

// {"seq": N, "recorded_at": "..."}
inline std::string KnownAtJson(const KnownAt& k) {
  return fmt::format(R"({{"seq": {}, "recorded_at": "{}"}})", k.seq, domain::FormatTimestamp(k.recorded_at));
}

// [render(item), ...] with ", " between the items.
template <typename T, typename F>
std::string JoinJson(const std::vector<T>& items, F&& render) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += render(items[i]);
  }
  return out + "]";
}

}  // namespace capledger::ledger::json_parts
