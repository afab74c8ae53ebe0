// Cluster mode's promise (DESIGN.md §6): nodes that index the same partition of the log topic
// hold the same log, seq for seq, and so the same head hash, after every kind of submission; and
// the log they build is the one the embedded mode builds from the same input at the same time.
#include <array>
#include <atomic>
#include <thread>

#include "cluster/cluster_fixture.h"
#include "codec/json_line_decoder.h"
#include "store/line_ingester.h"
#include "stream/message_decoder.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

using Kind = stream::SubmissionOutcome::Kind;

domain::Month M(int year, unsigned month) { return domain::Month{std::chrono::year(year), std::chrono::month(month)}; }

// Every node's head (seq, recorded_at and hash) equals the first node's.
void CheckSameHead(const std::vector<std::unique_ptr<Node>>& nodes) {
  const store::Head first = nodes.front()->store().head();
  for (const auto& node : nodes) {
    const store::Head head = node->store().head();
    CHECK(head.seq == first.seq);
    CHECK(head.recorded_at == first.recorded_at);
    CHECK(crypto::Hex(head.hash) == crypto::Hex(first.hash));
  }
}

// Waits until every node has indexed `offset`; returns each node's outcome.
std::vector<stream::SubmissionOutcome> AwaitAll(const std::vector<std::unique_ptr<Node>>& nodes, std::int64_t offset) {
  std::vector<stream::SubmissionOutcome> outcomes;
  for (const auto& node : nodes) outcomes.push_back(node->Await(offset));
  return outcomes;
}

std::vector<std::unique_ptr<Node>> ThreeNodes(ClusterFixture& cluster) {
  std::vector<std::unique_ptr<Node>> nodes;
  for (int i = 0; i < 3; ++i) nodes.push_back(cluster.AddNode());
  return nodes;
}

TEST_CASE("three nodes index the same submissions into the same log: events, a payout, rejects, a retraction") {
  ClusterFixture cluster;
  const std::vector<std::string> lines = TinyWorldLines();
  auto nodes = ThreeNodes(cluster);

  // The world: every generated line is valid and new, so each is stored at seqs 1..lines.
  const auto offsets = cluster.Submit(EventSubmissions(lines));
  for (const auto& o : AwaitAll(nodes, offsets.back())) CHECK(o.kind == Kind::kStored);
  CHECK(nodes[0]->store().head().seq == domain::Seq(lines.size()));
  CheckSameHead(nodes);

  // A payout of March 2023 at the head: booked on every node, at K = the world's last seq.
  const auto pay = cluster.Submit({PayoutSubmission(M(2023, 3))});
  for (const auto& o : AwaitAll(nodes, pay.front())) {
    CHECK(o.kind == Kind::kPayoutBooked);
    CHECK(o.seq == domain::Seq(lines.size()));
    REQUIRE(o.payout.has_value());
    CHECK(o.payout->run.known_at_seq == domain::Seq(lines.size()));
  }
  CheckSameHead(nodes);

  // Three rejects and a duplicate, decided the same way on every node: a line that is no JSON,
  // the first world line again (a duplicate), the first line's id with another payload (an
  // idempotency conflict), and a submission of a kind there is none of.
  std::string conflict = lines.front();
  const auto source_at = conflict.find("\"source\":\"");
  REQUIRE(source_at != std::string::npos);
  conflict.insert(source_at + 10, "x");
  std::vector<stream::Submission> odd = EventSubmissions({"{not json", lines.front(), conflict});
  odd.push_back(stream::Submission{static_cast<stream::SubmissionKind>(99), "?", {}, {}});
  const std::uint64_t rejects_before = nodes[0]->store().reject_count();
  const auto odd_offsets = cluster.Submit(odd);
  for (const auto& node : nodes) {
    CHECK(node->Await(odd_offsets[0]).kind == Kind::kRejected);
    CHECK(node->Await(odd_offsets[1]).kind == Kind::kDuplicate);
    CHECK(node->Await(odd_offsets[1]).seq == 1_seq);
    CHECK(node->Await(odd_offsets[2]).kind == Kind::kRejected);
  }
  CheckSameHead(nodes);
  for (const auto& node : nodes) CHECK(node->store().reject_count() == rejects_before + 3);

  // A retraction of a listing effective 1 January (the world's line gen-9, a child listed at
  // VC-1882-01), then April's run: every node books a negative capitation adjustment of March for
  // that clinic, the resident no longer counting there.
  REQUIRE(lines[8].find(R"("id":"gen-9")") != std::string::npos);
  REQUIRE(lines[8].find(R"("type":"PatientListed")") != std::string::npos);
  const std::string retraction =
      R"({"type":"EventRetracted","id":"retract-gen-9","source":"1177-listning","target":"gen-9",)"
      R"("reason":"listing sent to the wrong clinic"})";
  const auto retracted = cluster.Submit(EventSubmissions({retraction}));
  const auto april = cluster.Submit({PayoutSubmission(M(2023, 4))});
  for (const auto& node : nodes) {
    CHECK(node->Await(retracted.front()).kind == Kind::kStored);
    const stream::SubmissionOutcome o = node->Await(april.front());
    REQUIRE(o.kind == Kind::kPayoutBooked);
    bool march_adjusted = false;
    for (const auto& e : o.payout->entries) {
      if (e.kind == domain::EntryKind::kAdjustment && e.period == M(2023, 3) && e.clinic.view() == "VC-1882-01" &&
          e.component == domain::Component::kCapitation) {
        march_adjusted = e.amount < domain::Money::Zero();
      }
    }
    CHECK(march_adjusted);
  }
  CheckSameHead(nodes);
}

TEST_CASE("two payouts of the same month submitted at once: one run, booked by the first in log order, on every node") {
  ClusterFixture cluster;
  const std::vector<std::string> lines = TinyWorldLines();
  auto nodes = ThreeNodes(cluster);
  cluster.Submit(EventSubmissions(lines));

  auto a = cluster.MakeSubmitter();
  auto b = cluster.MakeSubmitter();
  std::int64_t offset_a = -1, offset_b = -1;
  const std::vector<stream::Submission> pay = {PayoutSubmission(M(2023, 4))};
  std::thread ta([&] { offset_a = a->Submit(0, pay, kSubmittedAt, 30s).value().front(); });
  std::thread tb([&] { offset_b = b->Submit(0, pay, kSubmittedAt, 30s).value().front(); });
  ta.join();
  tb.join();
  const std::int64_t first = std::min(offset_a, offset_b);
  const std::int64_t second = std::max(offset_a, offset_b);
  for (const auto& node : nodes) {
    CHECK(node->Await(first).kind == Kind::kPayoutBooked);
    CHECK(node->Await(second).kind == Kind::kPayoutExisting);
  }
  CheckSameHead(nodes);
}

TEST_CASE("a node stopped and restarted resumes at its stored offset and reaches the others' head") {
  ClusterFixture cluster;
  const std::vector<std::string> lines = TinyWorldLines();
  auto nodes = ThreeNodes(cluster);
  const std::size_t half = lines.size() / 2;
  const auto first = cluster.Submit(EventSubmissions({lines.begin(), lines.begin() + static_cast<long>(half)}));
  AwaitAll(nodes, first.back());
  nodes[2]->Stop();
  const auto rest = cluster.Submit(EventSubmissions({lines.begin() + static_cast<long>(half), lines.end()}));
  const auto pay = cluster.Submit({PayoutSubmission(M(2023, 2))});
  nodes[0]->Await(pay.front());
  nodes[1]->Await(pay.front());
  nodes[2]->Start();
  // Resumed at the offset after the first half: the second half and the payout, each once.
  CHECK(stream::IndexedOffset(nodes[2]->store(), kLogTopic, 0).value() >= static_cast<std::int64_t>(half));
  CHECK(nodes[2]->Await(pay.front()).kind == Kind::kPayoutBooked);
  CHECK(nodes[2]->Await(rest.front()).kind == Kind::kStored);
  CheckSameHead(nodes);
  auto verified = nodes[2]->store().Verify();
  REQUIRE(verified.has_value());
  CHECK_FALSE(verified->first_bad_seq.has_value());
}

TEST_CASE("an upstream event submitted twice (a crash between submitting and recording progress) is applied once") {
  ClusterFixture cluster;
  const std::vector<std::string> lines = TinyWorldLines();
  auto nodes = ThreeNodes(cluster);
  std::vector<stream::Submission> upstream = EventSubmissions({lines.begin(), lines.begin() + 10});
  for (std::size_t i = 0; i < upstream.size(); ++i) {
    upstream[i].input = stream::InputPosition{"halsoval.events", 1, static_cast<std::int64_t>(i)};
  }
  cluster.Submit(upstream);
  // Again from input offset 5, as an ingester that crashed before it saw offsets 5-9 indexed.
  const auto again = cluster.Submit({upstream.begin() + 5, upstream.end()});
  for (const auto& node : nodes) {
    for (const std::int64_t offset : again) CHECK(node->Await(offset).kind == Kind::kInputApplied);
    CHECK(node->store().head().seq == 10_seq);
  }
  CheckSameHead(nodes);
}

// The embedded mode, as the independent method: the same lines ingested by `capledger ingest`'s
// path into a store whose clock reads the submission time, then the same payout. Every recorded_at
// (the world's backfills, then the payout's time) and so every hash must equal the cluster's.
TEST_CASE("the cluster's log is the embedded mode's log: same input, same time, same head hash") {
  ClusterFixture cluster;
  const std::vector<std::string> lines = TinyWorldLines();
  auto node = cluster.AddNode();
  cluster.Submit(EventSubmissions(lines));
  const auto pay = cluster.Submit({PayoutSubmission(M(2023, 5))});
  CHECK(node->Await(pay.front()).kind == Kind::kPayoutBooked);

  TempDir dir;
  FakeClock clock(kSubmittedAt);
  auto store = OpenForTest(dir.path(), cluster.secret(), clock);
  {
    codec::JsonLineDecoder decoder(cluster.secret().bytes());
    store::LineIngester ingester(*store, decoder, store::IngestOptions{"world.jsonl", std::nullopt, 1000});
    for (const auto& line : lines) REQUIRE(ingester.AddLine(line).has_value());
    REQUIRE(ingester.Flush().has_value());
  }
  auto service = ledger::LedgerService::Open(*store);
  REQUIRE(service.has_value());
  auto paid = (*service)->Payout(M(2023, 5), std::nullopt);
  REQUIRE(paid.has_value());
  CHECK_FALSE(paid->existing);
  CHECK(store->head().seq == node->store().head().seq);
  CHECK(crypto::Hex(store->head().hash) == crypto::Hex(node->store().head().hash));
}

}  // namespace
}  // namespace capledger::testing

namespace capledger::testing {
namespace {

// A store that indexed to offset 1000 of a partition that holds nothing there (retention took it,
// or the store was indexed from another log): the indexer must stop and say so, never skip to the
// partition's end and index on as if nothing were missing.
TEST_CASE("an indexed offset the partition does not hold stops the indexer instead of skipping") {
  ClusterFixture cluster;
  const std::vector<std::string> lines = TinyWorldLines();
  cluster.Submit(EventSubmissions({lines.begin(), lines.begin() + 5}));
  TempDir dir;
  SystemClock steady;
  LogClock log_clock(steady);
  {
    auto store = OpenForTest(dir.path(), cluster.secret(), log_clock);
    const std::array<store::MetaPut, 1> put = {
        store::MetaPut{std::string(store::kMetaLogOffset), stream::EncodeOffset(1000)}};
    REQUIRE(store->AppendPrepared({}, {}, {}, put).has_value());
  }
  auto store = OpenForTest(dir.path(), cluster.secret(), log_clock);
  auto service = ledger::LedgerService::Open(*store);
  REQUIRE(service.has_value());
  stream::IndexerConfig config;
  config.kafka.enabled = true;
  config.kafka.brokers = cluster.cluster().bootstraps();
  config.log_topic = kLogTopic;
  std::atomic<bool> stop_requested{false};
  auto indexer = stream::Indexer::Start(config, *store, **service, log_clock, cluster.secret(), steady,
                                        [&] { stop_requested = true; });
  REQUIRE(indexer.has_value());
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!(*indexer)->stats().failed.load() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  CHECK((*indexer)->stats().failed.load());
  CHECK(stop_requested.load());
  CHECK(store->head().seq == domain::Seq{});  // nothing of offsets 0-4 was indexed
  auto waited = (*indexer)->Await(1000, 100ms);
  REQUIRE_FALSE(waited.has_value());
  CHECK(waited.error().code == ErrorCode::kUnavailable);
  (*indexer)->Stop();
}

}  // namespace
}  // namespace capledger::testing
