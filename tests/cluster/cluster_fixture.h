// Shared by the cluster tests: librdkafka's mock cluster on 127.0.0.1 holding the log topic, a
// tiny generated world as JSON Lines, and nodes: each a store of its own (opened on a LogClock),
// its ledger service and its indexer, as `serve` runs them in cluster mode (DESIGN.md §6).
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "common/log_clock.h"
#include "ledger/service.h"
#include "store/store_fixture.h"
#include "stream/indexer.h"
#include "stream/mock_cluster.h"
#include "stream/submitter.h"
#include "worldgen/generate.h"

namespace capledger::testing {

using namespace std::chrono_literals;

inline constexpr const char* kLogTopic = "halsoval.log";
inline constexpr int kLogPartitions = 2;  // two regions' partitions; the tests use partition 0
// The submissions' timestamp: 2026-12-01T00:00:00Z (20788 days after the epoch), after every
// recorded_at of the generated world (its rulebooks for later years are recorded up to December
// before their year).
inline const Timestamp kSubmittedAt = FromMicros(20788LL * 86400 * 1'000'000);

// Polls `done` every 20 ms of real time until it holds (true) or `timeout` has passed (false):
// for what brokers, groups and librdkafka do, which runs in real time.
template <typename Done>
bool Eventually(Done&& done, std::chrono::seconds timeout = 60s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

// config/rulebooks of the repository: CAPLEDGER_SOURCE_DIR (set by ctest), else the nearest
// parent of the working directory that has it.
inline std::filesystem::path RulebookDir() {
  if (const char* dir = std::getenv("CAPLEDGER_SOURCE_DIR")) return std::filesystem::path(dir) / "config" / "rulebooks";
  for (auto p = std::filesystem::current_path(); !p.empty() && p != p.root_path(); p = p.parent_path()) {
    if (std::filesystem::exists(p / "config" / "rulebooks")) return p / "config" / "rulebooks";
  }
  FAIL("config/rulebooks not found");
  return {};
}

// The tiny preset's world for 2023 (seed 7), one JSON line per element.
inline std::vector<std::string> TinyWorldLines() {
  auto preset = worldgen::FindPreset("tiny");
  REQUIRE(preset.has_value());
  worldgen::GenerateOptions options;
  options.preset = *preset;
  options.years = 1;
  options.seed = 7;
  options.first_year = 2023;
  auto rulebooks = worldgen::LoadRulebooks(RulebookDir());
  REQUIRE(rulebooks.has_value());
  options.rulebooks = std::move(*rulebooks);
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  REQUIRE(out != nullptr);
  auto summary = worldgen::GenerateWorld(options, out);
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);  // NOLINT(cppcoreguidelines-no-malloc): open_memstream's buffer
  REQUIRE(summary.has_value());
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  REQUIRE(lines.size() == summary->lines);
  return lines;
}

// JSON event submissions of `lines`.
inline std::vector<stream::Submission> EventSubmissions(const std::vector<std::string>& lines) {
  std::vector<stream::Submission> out;
  out.reserve(lines.size());
  for (const auto& line : lines) out.push_back(stream::Submission{stream::SubmissionKind::kEvent, line, {}, {}});
  return out;
}

inline stream::Submission PayoutSubmission(domain::Month month) {
  return stream::Submission{stream::SubmissionKind::kPayout, stream::EncodePayout(month), {}, {}};
}

// One node: a store in a directory of its own, opened on a LogClock, its service and indexer.
class Node {
 public:
  Node(const std::string& brokers, const std::filesystem::path& dir, const RegionSecret& secret)
      : brokers_(brokers), dir_(dir), secret_(secret) {
    Start();
  }
  ~Node() { Stop(); }

  // Opens the store and starts indexing from its stored offset.
  void Start() {
    store_ = OpenForTest(dir_, secret_, log_clock_);
    auto service = ledger::LedgerService::Open(*store_);
    REQUIRE(service.has_value());
    service_ = std::move(*service);
    stream::IndexerConfig config;
    config.kafka.enabled = true;
    config.kafka.brokers = brokers_;
    config.log_topic = kLogTopic;
    config.partition = 0;
    config.batch_messages = 500;
    auto indexer = stream::Indexer::Start(config, *store_, *service_, log_clock_, secret_, steady_, [] {});
    REQUIRE_MESSAGE(indexer.has_value(), (indexer ? "" : indexer.error().message));
    indexer_ = std::move(*indexer);
  }

  // Stops indexing and closes the store (a clean stop).
  void Stop() {
    if (indexer_) indexer_->Stop();
    indexer_.reset();
    service_.reset();
    store_.reset();
  }

  // Waits until offset `offset` is indexed and returns its outcome.
  stream::SubmissionOutcome Await(std::int64_t offset) {
    auto outcome = indexer_->Await(offset, 60s);
    REQUIRE_MESSAGE(outcome.has_value(), (outcome ? "" : outcome.error().message));
    return *outcome;
  }

  store::EventStore& store() { return *store_; }
  ledger::LedgerService& service() { return *service_; }
  const stream::Indexer& indexer() const { return *indexer_; }

 private:
  std::string brokers_;
  std::filesystem::path dir_;
  const RegionSecret& secret_;
  SystemClock steady_;
  LogClock log_clock_{steady_};
  std::unique_ptr<store::EventStore> store_;
  std::unique_ptr<ledger::LedgerService> service_;
  std::unique_ptr<stream::Indexer> indexer_;
};

// The mock cluster with the log topic, and a submitter.
class ClusterFixture {
 public:
  // The log topic, and `more_topics` (with as many partitions).
  explicit ClusterFixture(std::vector<std::string> more_topics = {}) : secret_(TestSecret()) {
    more_topics.insert(more_topics.begin(), kLogTopic);
    auto cluster = stream::MockCluster::Start(3, more_topics, kLogPartitions);
    REQUIRE_MESSAGE(cluster.has_value(), (cluster ? "" : cluster.error().message));
    cluster_ = std::move(*cluster);
    submitter_ = MakeSubmitter();
  }

  // A submitter to `topic` (the log topic unless told).
  std::unique_ptr<stream::Submitter> MakeSubmitter(const std::string& topic = kLogTopic) const {
    stream::KafkaConfig config;
    config.enabled = true;
    config.brokers = cluster_->bootstraps();
    auto submitter = stream::Submitter::Create(config, topic);
    REQUIRE_MESSAGE(submitter.has_value(), (submitter ? "" : submitter.error().message));
    return std::move(*submitter);
  }

  // Submits to partition 0, stamped kSubmittedAt; returns the offsets.
  std::vector<std::int64_t> Submit(const std::vector<stream::Submission>& submissions) {
    auto offsets = submitter_->Submit(0, submissions, kSubmittedAt, 30s);
    REQUIRE_MESSAGE(offsets.has_value(), (offsets ? "" : offsets.error().message));
    REQUIRE(offsets->size() == submissions.size());
    return *offsets;
  }

  std::unique_ptr<Node> AddNode() {
    dirs_.push_back(std::make_unique<TempDir>());
    return std::make_unique<Node>(cluster_->bootstraps(), dirs_.back()->path(), secret_);
  }

  const RegionSecret& secret() const { return secret_; }
  stream::MockCluster& cluster() { return *cluster_; }

 private:
  RegionSecret secret_;
  std::unique_ptr<stream::MockCluster> cluster_;
  std::unique_ptr<stream::Submitter> submitter_;
  std::vector<std::unique_ptr<TempDir>> dirs_;
};

}  // namespace capledger::testing
