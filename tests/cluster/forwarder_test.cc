// The upstream ingest of cluster mode against the mock cluster on 127.0.0.1: events produced to
// the events topic reach the log through a forwarder and are stored once by the indexer, however
// often they are forwarded.
#include "stream/forwarder.h"

#include <chrono>
#include <memory>
#include <thread>

#include <doctest/doctest.h>

#include "cluster/cluster_fixture.h"

namespace capledger::testing {
namespace {

constexpr const char* kEventsTopic = "halsoval.events";
constexpr std::size_t kLines = 200;

std::unique_ptr<stream::Forwarder> StartForwarder(ClusterFixture& cluster, const std::string& group,
                                                  const store::EventStore& store, const Clock& clock) {
  stream::ForwarderConfig config;
  config.kafka.enabled = true;
  config.kafka.brokers = cluster.cluster().bootstraps();
  config.events_topic = kEventsTopic;
  config.group = group;
  config.log_topic = kLogTopic;
  config.partition = 0;
  config.batch_messages = 64;
  config.session_timeout_ms = 3000;
  auto forwarder = stream::Forwarder::Start(config, store, clock);
  REQUIRE_MESSAGE(forwarder.has_value(), (forwarder ? "" : forwarder.error().message));
  return std::move(*forwarder);
}

// Every offset of the log partition that exists now is indexed by `node`.
void AwaitLogEnd(ClusterFixture& cluster, Node& node) {
  auto end = cluster.MakeSubmitter()->EndOffset(0, 10s);
  REQUIRE(end.has_value());
  CHECK(Eventually([&] { return node.indexer().stats().next_offset.load() >= *end; }));
}

TEST_CASE("upstream events are forwarded to the log once; forwarded again from the start, none is stored twice") {
  ClusterFixture cluster({kEventsTopic});
  const std::vector<std::string> all = TinyWorldLines();
  REQUIRE(all.size() > kLines);
  const std::vector<std::string> lines(all.begin(), all.begin() + kLines);
  // Produced upstream to one partition of the events topic, in the world's order.
  auto upstream = cluster.MakeSubmitter(kEventsTopic);
  REQUIRE(upstream->Submit(0, EventSubmissions(lines), kSubmittedAt, 30s).has_value());
  auto node = cluster.AddNode();
  SystemClock clock;
  auto first = StartForwarder(cluster, "capledger-ingest.orebro", node->store(), clock);
  CHECK(Eventually([&] { return node->store().head().seq == domain::Seq(kLines); }));
  first->Stop();
  CHECK(first->stats().forwarded.load() == kLines);
  const store::Head head = node->store().head();

  // A forwarder of another group whose store has applied nothing: it forwards every message
  // again, as after a crash before anything was recorded. The indexer drops each one.
  TempDir empty_dir;
  auto empty = OpenForTest(empty_dir.path(), cluster.secret(), clock);
  auto again = StartForwarder(cluster, "capledger-ingest.other", *empty, clock);
  CHECK(Eventually([&] { return again->stats().forwarded.load() == kLines; }));
  again->Stop();
  AwaitLogEnd(cluster, *node);
  CHECK(node->store().head().seq == head.seq);
  CHECK(node->store().head().hash == head.hash);

  // The first group again: it resumes after what it committed, and forwards nothing.
  auto resumed = StartForwarder(cluster, "capledger-ingest.orebro", node->store(), clock);
  CHECK(Eventually([&] { return resumed->stats().assigned.load(); }));
  std::this_thread::sleep_for(1s);
  resumed->Stop();
  CHECK(resumed->stats().forwarded.load() == 0);
  CHECK(node->store().head().seq == head.seq);
}

}  // namespace
}  // namespace capledger::testing
