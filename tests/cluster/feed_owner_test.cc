// FeedOwnership against the mock cluster on 127.0.0.1: of the members of a region's feed group,
// exactly one holds the region's partition at a time, and when it leaves another takes it over.
#include "stream/feed_owner.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "cluster/cluster_fixture.h"
#include "stream/mock_cluster.h"

namespace capledger::stream {
namespace {

using namespace std::chrono_literals;
using testing::Eventually;

constexpr const char* kTopic = "halsoval.log";

// A member whose on_change calls are counted, with the number of holders across all members.
struct Member {
  std::atomic<int> gained{0};
  std::atomic<int> lost{0};
  std::unique_ptr<FeedOwnership> ownership;
};

// Örebro's feed group (partition 0 of the log topic) on the mock cluster, with a 3 s session.
FeedOwnerConfig OrebroGroup(const MockCluster& cluster) {
  FeedOwnerConfig config;
  config.kafka.brokers = cluster.bootstraps();
  config.group = "capledger-feed.orebro";
  config.log_topic = kTopic;
  config.partition = 0;
  config.session_timeout_ms = 3000;
  return config;
}

TEST_CASE("one member of the feed group holds the region's partition; when it leaves another takes it") {
  auto cluster = MockCluster::Start(3, {kTopic}, 2);
  REQUIRE(cluster.has_value());
  std::atomic<int> holders{0};
  std::atomic<int> most_holders{0};
  FeedOwnerConfig config = OrebroGroup(**cluster);
  std::vector<std::unique_ptr<Member>> members;
  auto join = [&] {
    auto member = std::make_unique<Member>();
    Member* m = member.get();
    auto started = FeedOwnership::Start(config, [&, m](bool owner, std::uint64_t) {
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
  FeedOwnerConfig config = OrebroGroup(**cluster);
  std::atomic<int> changes{0};
  auto alone = FeedOwnership::Start(config, [&](bool, std::uint64_t) { ++changes; });
  REQUIRE(alone.has_value());
  CHECK(Eventually([&] { return (*alone)->owner(); }));  // a lone member is given every partition
  (*alone)->Stop();
  CHECK_FALSE((*alone)->owner());
  CHECK(changes.load() == 2);  // given, then given up at Stop
}

TEST_CASE("when the partition moves to another member, that member learns the seq delivered before it") {
  auto cluster = MockCluster::Start(3, {kTopic}, 2);
  REQUIRE(cluster.has_value());
  FeedOwnerConfig config = OrebroGroup(**cluster);
  std::atomic<std::uint64_t> first_delivered{0};
  config.delivered = [&] { return first_delivered.load(); };
  std::atomic<int> holders{0};
  std::atomic<bool> overlap{false};
  auto first = FeedOwnership::Start(config, [&](bool owner, std::uint64_t) {
    if (owner && ++holders > 1) overlap = true;
    if (!owner) --holders;
  });
  REQUIRE(first.has_value());
  REQUIRE(Eventually([&] { return (*first)->owner(); }));
  // The mock completes a new group's first rebalance in steps; commits wait for it to settle.
  std::this_thread::sleep_for(6s);
  REQUIRE((*first)->owner());
  first_delivered = 41;  // its feed delivers through seq 41, recorded in the group at its next poll
  std::this_thread::sleep_for(1s);
  config.delivered = [] { return std::uint64_t{0}; };
  std::atomic<std::uint64_t> handed_over{0};
  auto second = FeedOwnership::Start(config, [&](bool owner, std::uint64_t seq) {
    if (owner && ++holders > 1) overlap = true;
    if (owner) handed_over = seq;
    if (!owner) --holders;
  });
  REQUIRE(second.has_value());
  // Two members, two partitions: one each. If the region's stays, the first member's Stop moves it.
  // The mock rebalances in steps, slower on a busy machine: wait until one member holds the
  // region's partition before asking which one (mid-rebalance neither does, and the first may
  // be given it back after).
  std::this_thread::sleep_for(6s);
  REQUIRE(Eventually([&] { return (*first)->owner() != (*second)->owner(); }));
  if ((*first)->owner()) (*first)->Stop();
  CHECK(Eventually([&] { return (*second)->owner(); }));
  CHECK_FALSE((*first)->owner());
  CHECK(handed_over.load() == 41);
  CHECK_FALSE(overlap.load());  // the first gave it up before the second was given it
  (*second)->Stop();
  (*first)->Stop();
  CHECK(holders.load() == 0);
}

}  // namespace
}  // namespace capledger::stream
