// A clock whose wall time is the log's: in cluster mode (DESIGN.md §6) the indexer sets it to the
// time of the submission it is indexing, so every node that indexes a partition records the same
// recorded_at, whatever its own clock says. Steady time and waits are another clock's.
#pragma once

#include <atomic>

#include "common/clock.h"

namespace capledger {

class LogClock final : public Clock {
 public:
  // Steady time and waits come from `steady`, which must outlive this clock. The wall time is the
  // epoch until the first Set.
  explicit LogClock(const Clock& steady) : steady_(steady) {}

  // The wall time last set. Thread-safe.
  Timestamp Now() const override { return FromMicros(now_us_.load(std::memory_order_acquire)); }
  SteadyTime SteadyNow() const override { return steady_.SteadyNow(); }
  bool WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, SteadyTime deadline,
                 const std::function<bool()>& done) const override {
    return steady_.WaitUntil(lock, cv, deadline, done);
  }

  // Sets the wall time to the log's (it may go back: the store keeps recorded_at non-decreasing).
  void Set(Timestamp now) { now_us_.store(ToMicros(now), std::memory_order_release); }

 private:
  const Clock& steady_;
  std::atomic<std::int64_t> now_us_{0};
};

}  // namespace capledger
