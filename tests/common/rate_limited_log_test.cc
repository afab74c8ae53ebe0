// The rate-limited log on a fake clock: once per interval per kind, with the count held back.
#include <doctest/doctest.h>

#include "common/rate_limited_log.h"

namespace capledger {
namespace {

using namespace std::chrono_literals;

TEST_CASE("a repeated warning is logged once per interval, then with the number held back") {
  FakeClock clock(FromMicros(0));
  RateLimitedLog log(clock, 10s);
  CHECK(log.Admit("down", "broker 1 down") == "broker 1 down");  // t = 0 s: the first gets through
  clock.Advance(4s);
  CHECK_FALSE(log.Admit("down", "broker 1 down").has_value());   // t = 4 s < 0 + 10 s: held (1)
  clock.Advance(5s);
  CHECK_FALSE(log.Admit("down", "broker 2 down").has_value());   // t = 9 s < 10 s: held (2)
  clock.Advance(1s);
  // t = 10 s = 0 + 10 s: logged, with the 2 held back since t = 0.
  CHECK(log.Admit("down", "broker 3 down") == "broker 3 down (2 more like it not logged)");
  CHECK_FALSE(log.Admit("down", "broker 3 down").has_value());   // t = 10 s: a new interval began
  clock.Advance(10s);
  CHECK(log.Admit("down", "broker 3 down") == "broker 3 down (1 more like it not logged)");  // t = 20 s
}

TEST_CASE("each kind of warning has an interval of its own") {
  FakeClock clock(FromMicros(0));
  RateLimitedLog log(clock, 10s);
  CHECK(log.Admit("gap-0", "gap in partition 0").has_value());
  CHECK(log.Admit("gap-1", "gap in partition 1").has_value());  // another kind: not held
  CHECK_FALSE(log.Admit("gap-0", "gap in partition 0").has_value());
}

}  // namespace
}  // namespace capledger
