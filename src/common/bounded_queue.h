// A queue between threads with a capacity: the hand-off of every producer-consumer pair in the
// program (DESIGN.md §8: a limit on every queue). A full queue makes the producer wait
// (back-pressure), so memory stays bounded by capacity items plus those in the consumers' hands.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

#include "common/assert.h"

namespace capledger {

// Items of type T from any number of producers to any number of consumers, in push order, at
// most `capacity` waiting. A consumer may also report each item it popped as Done, so that a
// producer can wait until everything pushed has been handled (Drain). Close ends the queue:
// pushes are refused from then on, and pops return what is left, then nothing. Thread-safe; keeps
// the items it holds, and nothing else.
template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) { LEDGER_ASSERT(capacity >= 1); }
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  // Adds an item at the back, waiting while the queue is full. false once the queue is closed
  // (then `item` is dropped).
  bool Push(T item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [this] { return items_.size() < capacity_ || closed_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    lock.unlock();
    not_empty_.notify_one();
    return true;
  }

  // Adds an item at the back if there is room and the queue is open (true: `item` is moved from);
  // never waits. false leaves `item` as it was.
  bool TryPush(T& item) {
    {
      std::lock_guard lock(mutex_);
      if (closed_ || items_.size() >= capacity_) return false;
      items_.push_back(std::move(item));
    }
    not_empty_.notify_one();
    return true;
  }

  // Takes the front item, waiting while the queue is empty and open; empty once it is closed and
  // drained. The item counts as in hand until Done is called for it.
  std::optional<T> Pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [this] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    ++in_hand_;
    lock.unlock();
    not_full_.notify_one();
    return item;
  }

  // Reports one popped item handled. REQUIRES: a Pop not yet reported.
  void Done() {
    {
      std::lock_guard lock(mutex_);
      LEDGER_ASSERT(in_hand_ > 0);
      --in_hand_;
    }
    drained_.notify_all();
  }

  // Waits until no item waits and every popped item is Done.
  void Drain() {
    std::unique_lock lock(mutex_);
    drained_.wait(lock, [this] { return items_.empty() && in_hand_ == 0; });
  }

  // True when no item waits and every popped item is Done (a hint: it may change at once).
  bool Drained() const {
    std::lock_guard lock(mutex_);
    return items_.empty() && in_hand_ == 0;
  }

  // Refuses every later Push and wakes every waiting producer and consumer; the items already in
  // the queue can still be popped.
  void Close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  std::size_t capacity() const { return capacity_; }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::condition_variable drained_;
  std::deque<T> items_;
  std::size_t in_hand_ = 0;
  bool closed_ = false;
};

}  // namespace capledger
