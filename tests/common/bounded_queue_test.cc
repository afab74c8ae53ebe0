// The bounded hand-off between threads: order, back-pressure at capacity, close, and drain.
#include <atomic>
#include <thread>

#include <doctest/doctest.h>

#include "common/bounded_queue.h"

namespace capledger {
namespace {

TEST_CASE("items come out in the order they went in") {
  BoundedQueue<int> queue(3);
  CHECK(queue.Push(1));
  CHECK(queue.Push(2));
  CHECK(queue.Push(3));
  CHECK(queue.Pop() == 1);
  CHECK(queue.Pop() == 2);
  CHECK(queue.Pop() == 3);
}

TEST_CASE("a full queue makes the producer wait until a consumer takes an item") {
  BoundedQueue<int> queue(2);
  REQUIRE(queue.Push(1));
  REQUIRE(queue.Push(2));
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    pushed = queue.Push(3);  // the queue holds 2 of 2: this waits
  });
  CHECK_FALSE(pushed.load());  // it cannot have got in while the queue is full
  CHECK(queue.Pop() == 1);     // room for one: the producer goes on
  producer.join();
  CHECK(pushed.load());
  CHECK(queue.Pop() == 2);
  CHECK(queue.Pop() == 3);
}

TEST_CASE("a closed queue refuses pushes and still hands out what it holds, then nothing") {
  BoundedQueue<int> queue(4);
  REQUIRE(queue.Push(1));
  REQUIRE(queue.Push(2));
  queue.Close();
  CHECK_FALSE(queue.Push(3));
  CHECK(queue.Pop() == 1);
  CHECK(queue.Pop() == 2);
  CHECK_FALSE(queue.Pop().has_value());
}

TEST_CASE("closing wakes a producer waiting on a full queue, which is refused") {
  BoundedQueue<int> queue(1);
  REQUIRE(queue.Push(1));
  std::atomic<int> result{-1};
  std::thread producer([&] { result = queue.Push(2) ? 1 : 0; });
  queue.Close();
  producer.join();
  CHECK(result.load() == 0);
  CHECK(queue.Pop() == 1);  // the item pushed before the close is still there
}

TEST_CASE("the queue is drained only once every popped item is reported done") {
  BoundedQueue<int> queue(2);
  CHECK(queue.Drained());
  REQUIRE(queue.Push(7));
  CHECK_FALSE(queue.Drained());  // one waits
  REQUIRE(queue.Pop() == 7);
  CHECK_FALSE(queue.Drained());  // one in hand
  std::thread consumer([&] { queue.Done(); });
  queue.Drain();  // returns once the consumer has reported it
  consumer.join();
  CHECK(queue.Drained());
}

}  // namespace
}  // namespace capledger
