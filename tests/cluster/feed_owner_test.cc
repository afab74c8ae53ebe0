// FeedOwnership against the mock cluster on 127.0.0.1: of the members of a region's feed group,
// exactly one holds the region's partition at a time, and when it leaves another takes it over.
#include "stream/feed_owner.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "stream/mock_cluster.h"

namespace capledger::stream {
namespace {

using namespace std::chrono_literals;

constexpr const char* kTopic = "halsoval.log";

// A member whose on_change calls are counted, with the number of holders across all members.
struct Member {
  std::atomic<int> gained{0};
  std::atomic<int> lost{0};
  std::unique_ptr<FeedOwnership> ownership;
};

template <typename Done>
bool Eventually(Done&& done, std::chrono::seconds timeout = 60s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

TEST_CASE("one member of the feed group holds the region's partition; when it leaves another takes it") {
  auto cluster = MockCluster::Start(3, {kTopic}, 2);
  REQUIRE(cluster.has_value());
  std::atomic<int> holders{0};
  std::atomic<int> most_holders{0};
  FeedOwnerConfig config;
  config.kafka.brokers = (*cluster)->bootstraps();
  config.group = "capledger-feed.orebro";
  config.log_topic = kTopic;
  config.partition = 0;
  config.session_timeout_ms = 3000;
  std::vector<std::unique_ptr<Member>> members;
  auto join = [&] {
    auto member = std::make_unique<Member>();
    Member* m = member.get();
    auto started = FeedOwnership::Start(config, [&, m](bool owner) {
      if (owner) {
        ++m->gained;
        const int now = ++holders;
        int seen = most_holders.load();
        while (now > seen && !most_holders.compare_exchange_weak(seen, now)) {
        }
      } else {
        ++m->lost;
        --holders;
      }
    });
    REQUIRE(started.has_value());
    m->ownership = std::move(*started);
    members.push_back(std::move(member));
  };
  auto owner_count = [&] {
    int n = 0;
    for (const auto& m : members) n += m->ownership->owner() ? 1 : 0;
    return n;
  };
  join();
  join();
  CHECK(Eventually([&] { return owner_count() == 1; }));
  join();  // a third member: a rebalance, after which still exactly one holds it
  std::this_thread::sleep_for(4s);  // past the mock's join window for the new member
  CHECK(Eventually([&] { return owner_count() == 1; }));
  std::size_t first = 0;
  while (!members[first]->ownership->owner()) ++first;
  members[first]->ownership->Stop();  // leaves the group: another member is given the partition
  CHECK(members[first]->lost.load() == members[first]->gained.load());
  CHECK(Eventually([&] {
    int n = 0;
    for (std::size_t i = 0; i < members.size(); ++i) n += i != first && members[i]->ownership->owner() ? 1 : 0;
    return n == 1;
  }));
  for (auto& m : members) m->ownership->Stop();
  CHECK(holders.load() == 0);          // every gain was followed by a loss
  CHECK(most_holders.load() == 1);     // and never two at once
  int gains = 0;
  for (const auto& m : members) gains += m->gained.load();
  CHECK(gains >= 2);  // the first holder and the one after it
}

TEST_CASE("the only member of the group holds the partition until it stops") {
  auto cluster = MockCluster::Start(3, {kTopic}, 2);
  REQUIRE(cluster.has_value());
  FeedOwnerConfig config;
  config.kafka.brokers = (*cluster)->bootstraps();
  config.group = "capledger-feed.orebro";
  config.log_topic = kTopic;
  config.partition = 0;
  config.session_timeout_ms = 3000;
  std::atomic<int> changes{0};
  auto alone = FeedOwnership::Start(config, [&](bool) { ++changes; });
  REQUIRE(alone.has_value());
  CHECK(Eventually([&] { return (*alone)->owner(); }));  // a lone member is given every partition
  (*alone)->Stop();
  CHECK_FALSE((*alone)->owner());
  CHECK(changes.load() == 2);  // given, then given up at Stop
}

}  // namespace
}  // namespace capledger::stream
