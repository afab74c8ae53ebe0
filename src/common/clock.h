// Time enters the program only through a Clock, so that tests can set it.
#pragma once

#include <chrono>
#include <cstdint>

namespace capledger {

// A UTC instant with microsecond resolution (the log's recorded_at).
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// Converts between a Timestamp and integer microseconds since the Unix epoch.
inline std::int64_t ToMicros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromMicros(std::int64_t us) { return Timestamp(std::chrono::microseconds(us)); }

// Source of the current time. Implementations must be safe to call from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  // The current UTC time.
  virtual Timestamp Now() const = 0;
};

// The real clock: the only place in the program that calls system_clock::now().
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// A clock for tests: returns the time it was last set to.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp now) : now_(now) {}
  Timestamp Now() const override { return now_; }
  void Set(Timestamp now) { now_ = now; }
  void Advance(std::chrono::microseconds by) { now_ += by; }

 private:
  Timestamp now_;
};

}  // namespace capledger
