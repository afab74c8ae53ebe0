// The fake clock's time and waits: time moves only when the test moves it, and a wait on it ends
// when its condition holds or when Advance reaches its deadline, never because real time passed.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <doctest/doctest.h>

#include "common/clock.h"

namespace capledger {
namespace {

using namespace std::chrono_literals;

// Waits (spinning on yield) until `clock` has `count` threads inside WaitUntil.
void AwaitWaiters(const FakeClock& clock, std::size_t count) {
  while (clock.waiters() < count) std::this_thread::yield();
}

TEST_CASE("a fake clock's steady time moves only with Advance, its wall time also with Set") {
  FakeClock clock(FromMicros(1'000'000));
  const SteadyTime start = clock.SteadyNow();
  clock.Advance(1500ms);
  // 1 s + 1.5 s = 2.5 s = 2,500,000 µs on the wall; 1.5 s on the steady line.
  CHECK(ToMicros(clock.Now()) == 2'500'000);
  CHECK(clock.SteadyNow() - start == 1500ms);
  clock.Set(FromMicros(0));  // the wall time may go back; the steady time stays
  CHECK(ToMicros(clock.Now()) == 0);
  CHECK(clock.SteadyNow() - start == 1500ms);
}

TEST_CASE("a wait on a fake clock ends when Advance reaches its deadline, and not before") {
  FakeClock clock(FromMicros(0));
  std::mutex mutex;
  std::condition_variable cv;
  std::atomic<bool> returned{false};
  bool result = true;
  std::thread waiter([&] {
    std::unique_lock lock(mutex);
    result = clock.WaitFor(lock, cv, 10s, [] { return false; });
    returned = true;
  });
  AwaitWaiters(clock, 1);
  clock.Advance(9s);  // 9 s < 10 s: the waiter wakes, sees the deadline ahead and waits again
  CHECK_FALSE(returned.load());
  clock.Advance(1s);  // 9 s + 1 s = 10 s: the deadline
  waiter.join();
  CHECK(returned.load());
  CHECK_FALSE(result);  // the deadline ended it, not the condition
  CHECK(clock.waiters() == 0);
}

TEST_CASE("a wait on a fake clock ends when its condition is notified, with no time passing") {
  FakeClock clock(FromMicros(0));
  const SteadyTime start = clock.SteadyNow();
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  bool result = false;
  std::thread waiter([&] {
    std::unique_lock lock(mutex);
    result = clock.WaitFor(lock, cv, 1h, [&] { return done; });
  });
  AwaitWaiters(clock, 1);
  {
    std::lock_guard lock(mutex);
    done = true;
  }
  cv.notify_all();
  waiter.join();
  CHECK(result);
  CHECK(clock.SteadyNow() == start);
}

TEST_CASE("the system clock's wait returns the condition: at once if it holds, false after a zero timeout") {
  SystemClock clock;
  std::mutex mutex;
  std::condition_variable cv;
  std::unique_lock lock(mutex);
  CHECK(clock.WaitFor(lock, cv, 1h, [] { return true; }));
  CHECK_FALSE(clock.WaitFor(lock, cv, 0s, [] { return false; }));
  CHECK(lock.owns_lock());
}

}  // namespace
}  // namespace capledger
