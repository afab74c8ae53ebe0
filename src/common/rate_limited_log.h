// Warnings that repeat (a broker down, a fetch failing) logged at most once per interval per kind,
// so that an outage fills no disk; the ones held back are counted and the count is logged with the
// next one that gets through.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace capledger {

// Kinds remembered at most; beyond this one is forgotten (its next warning is logged at once).
inline constexpr std::size_t kRateLimitedKindsMax = 1024;

// Per kind of warning: the first is logged, then none until `interval` has passed on the clock's
// steady time, when the next is logged with the number held back meanwhile. Thread-safe. Keeps a
// reference to `clock`, which must outlive it.
class RateLimitedLog {
 public:
  RateLimitedLog(const Clock& clock, std::chrono::milliseconds interval) : clock_(clock), interval_(interval) {}

  // Logs `text` as a warning (spdlog) if Admit lets it through.
  void Warn(std::string_view kind, std::string_view text);

  // The line to log for a warning of `kind` now: `text`, with " (N more like it not logged)" if N
  // were held back since the last one; empty if this one is held back (and counted).
  std::optional<std::string> Admit(std::string_view kind, std::string_view text);

 private:
  struct Entry {
    SteadyTime logged_at{};
    std::uint64_t held = 0;
  };
  const Clock& clock_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace capledger
