// Time enters the program only through a Clock, so that tests can set it: the wall time the log
// records, a monotonic time for intervals and deadlines, and waits that end at such a deadline.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>

namespace capledger {

// A UTC instant with microsecond resolution (the log's recorded_at).
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// A point on a monotonic time line (never set back), for intervals and deadlines only; it has no
// meaning as a date.
using SteadyTime = std::chrono::steady_clock::time_point;

// Converts between a Timestamp and integer microseconds since the Unix epoch.
inline std::int64_t ToMicros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromMicros(std::int64_t us) { return Timestamp(std::chrono::microseconds(us)); }

// Source of the current time. Implementations must be safe to call from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  // The current UTC time.
  virtual Timestamp Now() const = 0;
  // The current monotonic time.
  virtual SteadyTime SteadyNow() const = 0;
  // Waits on `cv` (with `lock` held, released while waiting, held again on return) until `done`
  // holds or this clock reaches `deadline`; returns done(). `done` is called with `lock` held.
  // Like condition_variable::wait_until: whoever makes `done` true must notify `cv`.
  virtual bool WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, SteadyTime deadline,
                         const std::function<bool()>& done) const = 0;
  // WaitUntil(SteadyNow() + timeout).
  bool WaitFor(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, std::chrono::nanoseconds timeout,
               const std::function<bool()>& done) const {
    return WaitUntil(lock, cv, SteadyNow() + timeout, done);
  }
};

// The real clock: the only place in the program that calls system_clock::now() and
// steady_clock::now().
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
  SteadyTime SteadyNow() const override;
  bool WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, SteadyTime deadline,
                 const std::function<bool()>& done) const override;
};

// A clock for tests: time stands still until the test moves it. Now() returns the wall time last
// set; SteadyNow() starts a day after the steady epoch (as a real one is far from it) and moves
// only with Advance. A WaitUntil returns
// when `done` holds or once Advance has moved the steady time to its deadline, never because real
// time passed. Thread-safe: Advance and Set may run while other threads read the time or wait.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp now) : now_(now) {}
  Timestamp Now() const override;
  SteadyTime SteadyNow() const override;
  bool WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, SteadyTime deadline,
                 const std::function<bool()>& done) const override;

  // Sets the wall time (the steady time stays where it is).
  void Set(Timestamp now);
  // Moves both times forward by `by` and wakes every wait, which ends if its deadline is reached.
  // REQUIRES: the caller holds no mutex that a waiter waits with.
  void Advance(std::chrono::microseconds by);
  // The number of threads inside WaitUntil now (a test waits for this before it advances).
  std::size_t waiters() const;

 private:
  struct Waiter {
    std::mutex* mutex;
    std::condition_variable* cv;
  };
  mutable std::mutex mutex_;  // guards all below; never held while a waiter's mutex is taken
  mutable std::condition_variable advanced_;  // an Advance finished waking the waiters
  Timestamp now_;
  SteadyTime steady_{std::chrono::hours(24)};
  mutable std::set<const Waiter*> waiters_;
  mutable int waking_ = 0;  // Advance calls waking waiters: a waiter leaves only when none does
};

}  // namespace capledger
