// cluster_bench [--preset tiny|orebro] [--years N] [--samples N] [--tail N]: cluster mode
// (docs/cluster.md) against librdkafka's mock cluster (3 brokers, in this process, TCP on
// 127.0.0.1). The mock keeps every message in memory and serves fetches from one thread per
// broker; it is no model of a real cluster's throughput, so the figures bound capledger's side.
//
// 1. The generated world (one year from 2023 by default) is submitted to partition 0 as JSON
//    event submissions: the submit rate.
// 2. A fresh node indexes the partition from offset 0: indexing throughput, which is also the
//    catch-up rate of a node that starts empty.
// 3. Payouts of the world's months: through the cluster (submit, then await the node's indexing)
//    and embedded (LedgerService::Payout on a store that ingested the same lines): both latencies.
// 4. Submit-to-indexed latency: --samples single events, each submitted once the previous one is
//    indexed: p50 and p99.
// 5. Catch-up after a restart: the node stops, --tail events are submitted, the node starts again
//    (opens its store, loads its projection) and indexes them: the time to the end, and the rate.
#include <cstdio>
#include <thread>

#include "bench_util.h"
#include "codec/json_line_decoder.h"
#include "common/log_clock.h"
#include "common/region_secret.h"
#include "ledger/service.h"
#include "store/line_ingester.h"
#include "stream/indexer.h"
#include "stream/mock_cluster.h"
#include "stream/submitter.h"
#include "worldgen/generate.h"

namespace {

using namespace capledger;
using namespace std::chrono_literals;
using Steady = bench::SteadyClock;

constexpr const char* kTopic = "halsoval.log";

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "cluster_bench: %s\n", what.c_str());
  std::exit(2);
}

template <typename T>
T Must(Result<T> result, const char* what) {
  if (!result) Die(std::string(what) + ": " + result.error().message);
  return std::move(*result);
}

void MustDo(const Status& status, const char* what) {
  if (!status) Die(std::string(what) + ": " + status.error().message);
}

std::vector<std::string> World(const std::string& preset_name, int years) {
  worldgen::GenerateOptions options;
  options.preset = Must(worldgen::FindPreset(preset_name), "preset");
  options.years = years;
  options.seed = 42;
  options.rulebooks = Must(worldgen::LoadRulebooks("config/rulebooks"), "config/rulebooks (run from the checkout)");
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  Must(worldgen::GenerateWorld(options, out), "generate");
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);  // NOLINT(cppcoreguidelines-no-malloc): open_memstream's buffer
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

std::string ClinicLine(std::uint64_t i) {
  const std::string n = std::to_string(i);
  return R"({"type":"ClinicRegistered","id":"bench-)" + n + R"(","source":"bench","clinic":"VC-B)" + n +
         R"(","name":"Bench )" + n +
         R"(","operator":"region","municipality":"1880","distance_to_hospital_km":"5.0","effective":"2020-01-01"})";
}

std::vector<stream::Submission> Events(const std::vector<std::string>& lines) {
  std::vector<stream::Submission> out;
  out.reserve(lines.size());
  for (const auto& l : lines) out.push_back(stream::Submission{stream::SubmissionKind::kEvent, l, {}, {}});
  return out;
}

// A node: a store on a log clock, its service and indexer.
struct Node {
  Node(const std::string& brokers, const std::string& dir, const RegionSecret& secret) : log_clock(steady) {
    store = Must(store::EventStore::Open(dir, &secret, log_clock), "open the node's store");
    service = Must(ledger::LedgerService::Open(*store), "load the projection");
    stream::IndexerConfig config;
    config.kafka.enabled = true;
    config.kafka.brokers = brokers;
    config.log_topic = kTopic;
    indexer = Must(stream::Indexer::Start(config, *store, *service, log_clock, secret, steady, [] {}), "indexer");
  }
  ~Node() {
    indexer->Stop();
    indexer.reset();
    service.reset();
    store.reset();
  }
  void WaitFor(std::int64_t next_offset) const {
    while (indexer->stats().next_offset.load() < next_offset) {
      if (indexer->stats().failed.load()) Die("the indexer stopped");
      std::this_thread::sleep_for(1ms);
    }
  }
  SystemClock steady;
  LogClock log_clock;
  std::unique_ptr<store::EventStore> store;
  std::unique_ptr<ledger::LedgerService> service;
  std::unique_ptr<stream::Indexer> indexer;
};

double Median(std::vector<double> v) { return bench::Percentile(std::move(v), 0.5); }

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as soon as it is measured
  const bench::Args args(argc, argv, {"--preset", "--years", "--samples", "--tail"}, {});
  const std::string preset = args.Get("--preset", "tiny");
  const int years = static_cast<int>(args.Number("--years", 1));
  const auto samples = static_cast<std::size_t>(args.Number("--samples", 300));
  const auto tail = static_cast<std::uint64_t>(args.Number("--tail", 20'000));
  const RegionSecret secret = Must(RegionSecret::FromHex(std::string(64, 'b')), "secret");
  const std::string root = (std::filesystem::temp_directory_path() / "capledger-cluster-bench").string();
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root);

  const std::vector<std::string> lines = World(preset, years);
  auto cluster = Must(stream::MockCluster::Start(3, {kTopic}, 1), "mock cluster");
  stream::KafkaConfig kafka;
  kafka.enabled = true;
  kafka.brokers = cluster->bootstraps();
  auto submitter = Must(stream::Submitter::Create(kafka, kTopic), "submitter");
  SystemClock wall;
  std::printf("cluster_bench: %s, %d year(s): %zu events; mock cluster of 3 brokers, 1 partition\n", preset.c_str(),
              years, lines.size());

  // 1. Submit the world.
  auto start = Steady::now();
  const auto world = Events(lines);
  std::int64_t end = 0;
  for (std::size_t i = 0; i < world.size(); i += 50'000) {
    const std::size_t n = std::min<std::size_t>(50'000, world.size() - i);
    end = Must(submitter->Submit(0, std::span(world).subspan(i, n), wall.Now(), 120s), "submit").back() + 1;
  }
  const double submit_ms = bench::MillisSince(start);
  std::printf("submit:   %zu events in %.0f ms = %.0f events/s\n", lines.size(), submit_ms,
              static_cast<double>(lines.size()) * 1000 / submit_ms);

  // 2. A fresh node indexes it all.
  auto node = std::make_unique<Node>(cluster->bootstraps(), root + "/node", secret);
  start = Steady::now();
  node->WaitFor(end);
  const double index_ms = bench::MillisSince(start);
  std::printf("index:    %lld submissions from offset 0 in %.0f ms = %.0f events/s (head seq %llu, %llu synced writes)\n",
              static_cast<long long>(end), index_ms, static_cast<double>(end) * 1000 / index_ms,
              static_cast<unsigned long long>(node->store->head().seq.value()),
              static_cast<unsigned long long>(node->indexer->stats().writes.load()));

  // 3. Payouts, through the cluster and embedded on the same lines.
  FakeClock fixed(wall.Now());
  auto embedded = Must(store::EventStore::Open(root + "/embedded", &secret, fixed), "embedded store");
  {
    codec::JsonLineDecoder decoder(secret.bytes());
    store::LineIngester ingester(*embedded, decoder, store::IngestOptions{"world", std::nullopt, 10'000});
    for (const auto& l : lines) MustDo(ingester.AddLine(l), "ingest");
    MustDo(ingester.Flush(), "ingest");
  }
  auto service = Must(ledger::LedgerService::Open(*embedded), "embedded projection");
  std::vector<double> via_cluster, via_embedded;
  for (unsigned m = 1; m <= static_cast<unsigned>(12 * years - 1) && m <= 12; ++m) {
    const domain::Month month{std::chrono::year(2023), std::chrono::month(m)};
    const stream::Submission pay{stream::SubmissionKind::kPayout, stream::EncodePayout(month), {}, {}};
    start = Steady::now();
    const std::int64_t offset = Must(submitter->Submit(0, std::span(&pay, 1), wall.Now(), 30s), "submit payout").front();
    const auto outcome = Must(node->indexer->Await(offset, 60s), "await payout");
    via_cluster.push_back(bench::MillisSince(start));
    if (outcome.kind != stream::SubmissionOutcome::Kind::kPayoutBooked) Die("a payout was not booked");
    start = Steady::now();
    Must(service->Payout(month, std::nullopt), "embedded payout");
    via_embedded.push_back(bench::MillisSince(start));
  }
  std::printf("payout:   %zu months; through the cluster median %.1f ms (max %.1f), embedded median %.1f ms (max %.1f)\n",
              via_cluster.size(), Median(via_cluster), bench::Percentile(via_cluster, 1.0), Median(via_embedded),
              bench::Percentile(via_embedded, 1.0));

  // 4. Submit-to-indexed latency, one event at a time.
  std::vector<double> latency;
  for (std::size_t i = 0; i < samples; ++i) {
    const stream::Submission one{stream::SubmissionKind::kEvent, ClinicLine(i), {}, {}};
    start = Steady::now();
    const std::int64_t offset = Must(submitter->Submit(0, std::span(&one, 1), wall.Now(), 30s), "submit").front();
    Must(node->indexer->Await(offset, 30s), "await");
    latency.push_back(bench::MillisSince(start));
  }
  std::printf("latency:  %zu single submissions, submit to indexed: p50 %.2f ms, p99 %.2f ms\n", samples,
              bench::Percentile(latency, 0.5), bench::Percentile(latency, 0.99));

  // 5. Catch-up after a restart.
  node.reset();
  std::vector<std::string> more;
  for (std::uint64_t i = 0; i < tail; ++i) more.push_back(ClinicLine(1'000'000 + i));
  end = Must(submitter->Submit(0, Events(more), wall.Now(), 120s), "submit the tail").back() + 1;
  start = Steady::now();
  node = std::make_unique<Node>(cluster->bootstraps(), root + "/node", secret);
  const double open_ms = bench::MillisSince(start);
  node->WaitFor(end);
  const double catch_ms = bench::MillisSince(start);
  std::printf("restart:  open and load %.0f ms; %llu submissions behind indexed %.0f ms after the start = %.0f events/s\n",
              open_ms, static_cast<unsigned long long>(tail), catch_ms,
              static_cast<double>(tail) * 1000 / (catch_ms - open_ms));
  std::printf("peak RSS: %.0f MiB\n", bench::PeakRssMib());
  node.reset();
  service.reset();
  embedded.reset();
  std::filesystem::remove_all(root);
  return 0;
}
