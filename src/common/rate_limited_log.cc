#include "common/rate_limited_log.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace capledger {

void RateLimitedLog::Warn(std::string_view kind, std::string_view text) {
  if (auto line = Admit(kind, text)) spdlog::warn("{}", *line);
}

std::optional<std::string> RateLimitedLog::Admit(std::string_view kind, std::string_view text) {
  const SteadyTime now = clock_.SteadyNow();
  std::lock_guard lock(mutex_);
  auto found = entries_.find(kind);
  if (found != entries_.end() && now - found->second.logged_at < interval_) {
    ++found->second.held;
    return std::nullopt;
  }
  std::string line(text);
  if (found != entries_.end() && found->second.held > 0) {
    line += fmt::format(" ({} more like it not logged)", found->second.held);
  }
  if (found == entries_.end()) {
    if (entries_.size() >= kRateLimitedKindsMax) entries_.erase(entries_.begin());
    found = entries_.emplace(std::string(kind), Entry{}).first;
  }
  found->second = Entry{now, 0};
  return line;
}

}  // namespace capledger
