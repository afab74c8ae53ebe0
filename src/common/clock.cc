#include "common/clock.h"

#include <vector>

namespace capledger {

Timestamp SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

SteadyTime SystemClock::SteadyNow() const { return std::chrono::steady_clock::now(); }

bool SystemClock::WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, SteadyTime deadline,
                            const std::function<bool()>& done) const {
  return cv.wait_until(lock, deadline, done);
}

Timestamp FakeClock::Now() const {
  std::lock_guard guard(mutex_);
  return now_;
}

SteadyTime FakeClock::SteadyNow() const {
  std::lock_guard guard(mutex_);
  return steady_;
}

// Registers the wait (its mutex and cv) so that Advance can wake it, and waits for real only on
// `cv`: a notify by the caller's own code or by Advance ends each wait. Advance takes the waiter's
// mutex before notifying, and the waiter reads the time holding it, so no wake-up is lost. Leaving,
// the waiter lets go of its mutex until no Advance is still waking (its mutex and cv may be gone
// right after it returns).
bool FakeClock::WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, SteadyTime deadline,
                          const std::function<bool()>& done) const {
  const Waiter waiter{lock.mutex(), &cv};
  {
    std::lock_guard guard(mutex_);
    waiters_.insert(&waiter);
  }
  while (!done() && SteadyNow() < deadline) cv.wait(lock);
  lock.unlock();
  {
    std::unique_lock guard(mutex_);
    advanced_.wait(guard, [this] { return waking_ == 0; });
    waiters_.erase(&waiter);
  }
  lock.lock();
  return done();
}

void FakeClock::Set(Timestamp now) {
  std::lock_guard guard(mutex_);
  now_ = now;
}

void FakeClock::Advance(std::chrono::microseconds by) {
  std::vector<const Waiter*> waiters;
  {
    std::lock_guard guard(mutex_);
    now_ += by;
    steady_ += by;
    waiters.assign(waiters_.begin(), waiters_.end());
    ++waking_;
  }
  for (const Waiter* waiter : waiters) {
    std::lock_guard waiter_lock(*waiter->mutex);
    waiter->cv->notify_all();
  }
  {
    std::lock_guard guard(mutex_);
    --waking_;
  }
  advanced_.notify_all();
}

std::size_t FakeClock::waiters() const {
  std::lock_guard guard(mutex_);
  return waiters_.size();
}

}  // namespace capledger
