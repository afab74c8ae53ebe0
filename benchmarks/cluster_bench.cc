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
// 5. Catch-up after a restart: the node stops, --tail events (default 20,000; the mock keeps only
//    a few MB per partition) are submitted, the node starts again
//    (opens its store, loads its projection) and indexes them: the time to the end, and the rate.
// 6. Catch-up from a backup: the running node is backed up (checkpoint, verified), --tail more
//    events are submitted, the backup is restored as a new node, which indexes from the backup's
//    offset: the backup, restore, open and catch-up times, and the rate.
#include <cstdio>
#include <thread>

#include "bench_util.h"
#include "codec/json_line_decoder.h"
#include "common/log_clock.h"
#include "common/region_secret.h"
#include "ledger/service.h"
#include "store/backup.h"
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

// What every step uses: the world, the mock cluster, the submitter, the node.
struct Bench {
  std::vector<std::string> lines;
  RegionSecret secret;
  std::string root;
  std::unique_ptr<stream::MockCluster> cluster;
  std::unique_ptr<stream::Submitter> submitter;
  std::unique_ptr<Node> node;
  SystemClock wall;

  std::int64_t SubmitAll(const std::vector<stream::Submission>& all) {
    std::int64_t end = 0;
    for (std::size_t i = 0; i < all.size(); i += 50'000) {
      const std::size_t n = std::min<std::size_t>(50'000, all.size() - i);
      end = Must(submitter->Submit(0, std::span(all).subspan(i, n), wall.Now(), 120s), "submit").back() + 1;
    }
    return end;
  }
  void StartNode() { node = std::make_unique<Node>(cluster->bootstraps(), root + "/node", secret); }
};

// 1 and 2: the world submitted, then indexed by a fresh node.
void SubmitAndIndex(Bench& b) {
  auto start = Steady::now();
  const std::int64_t end = b.SubmitAll(Events(b.lines));
  const double submit_ms = bench::MillisSince(start);
  std::printf("submit:   %zu events in %.0f ms = %.0f events/s\n", b.lines.size(), submit_ms,
              static_cast<double>(b.lines.size()) * 1000 / submit_ms);
  b.StartNode();
  start = Steady::now();
  b.node->WaitFor(end);
  const double index_ms = bench::MillisSince(start);
  std::printf("index:    %lld submissions from offset 0 in %.0f ms = %.0f events/s (head seq %llu, %llu synced writes)\n",
              static_cast<long long>(end), index_ms, static_cast<double>(end) * 1000 / index_ms,
              static_cast<unsigned long long>(b.node->store->head().seq.value()),
              static_cast<unsigned long long>(b.node->indexer->stats().writes.load()));
}

// 3: each month of the first year paid through the cluster and embedded, on the same lines.
void Payouts(Bench& b, int years) {
  FakeClock fixed(b.wall.Now());
  auto embedded = Must(store::EventStore::Open(b.root + "/embedded", &b.secret, fixed), "embedded store");
  {
    codec::JsonLineDecoder decoder(b.secret.bytes());
    store::LineIngester ingester(*embedded, decoder, store::IngestOptions{"world", std::nullopt, 10'000});
    for (const auto& l : b.lines) MustDo(ingester.AddLine(l), "ingest");
    MustDo(ingester.Flush(), "ingest");
  }
  auto service = Must(ledger::LedgerService::Open(*embedded), "embedded projection");
  std::vector<double> via_cluster, via_embedded;
  for (unsigned m = 1; m <= static_cast<unsigned>(12 * years - 1) && m <= 12; ++m) {
    const domain::Month month{std::chrono::year(2023), std::chrono::month(m)};
    const stream::Submission pay{stream::SubmissionKind::kPayout, stream::EncodePayout(month), {}, {}};
    auto start = Steady::now();
    const std::int64_t offset = Must(b.submitter->Submit(0, std::span(&pay, 1), b.wall.Now(), 30s), "submit payout").front();
    const auto outcome = Must(b.node->indexer->Await(offset, 60s), "await payout");
    via_cluster.push_back(bench::MillisSince(start));
    if (outcome.kind != stream::SubmissionOutcome::Kind::kPayoutBooked) Die("a payout was not booked");
    start = Steady::now();
    Must(service->Payout(month, std::nullopt), "embedded payout");
    via_embedded.push_back(bench::MillisSince(start));
  }
  std::printf("payout:   %zu months; through the cluster median %.1f ms (max %.1f), embedded median %.1f ms (max %.1f)\n",
              via_cluster.size(), Median(via_cluster), bench::Percentile(via_cluster, 1.0), Median(via_embedded),
              bench::Percentile(via_embedded, 1.0));
}

// 4: single submissions, each once the previous one is indexed.
void Latency(Bench& b, std::size_t samples) {
  std::vector<double> latency;
  for (std::size_t i = 0; i < samples; ++i) {
    const stream::Submission one{stream::SubmissionKind::kEvent, ClinicLine(i), {}, {}};
    const auto start = Steady::now();
    const std::int64_t offset = Must(b.submitter->Submit(0, std::span(&one, 1), b.wall.Now(), 30s), "submit").front();
    Must(b.node->indexer->Await(offset, 30s), "await");
    latency.push_back(bench::MillisSince(start));
  }
  std::printf("latency:  %zu single submissions, submit to indexed: p50 %.2f ms, p99 %.2f ms\n", samples,
              bench::Percentile(latency, 0.5), bench::Percentile(latency, 0.99));
}

// 5: the node stops, `tail` submissions arrive, the node starts again and catches up.
void Restart(Bench& b, std::uint64_t tail) {
  b.node.reset();
  std::vector<std::string> more;
  for (std::uint64_t i = 0; i < tail; ++i) more.push_back(ClinicLine(1'000'000 + i));
  const std::int64_t end = b.SubmitAll(Events(more));
  const auto start = Steady::now();
  b.StartNode();
  const double open_ms = bench::MillisSince(start);
  b.node->WaitFor(end);
  const double catch_ms = bench::MillisSince(start);
  std::printf("restart:  open and load %.0f ms; %llu submissions behind indexed %.0f ms after the start = %.0f events/s\n",
              open_ms, static_cast<unsigned long long>(tail), catch_ms,
              static_cast<double>(tail) * 1000 / (catch_ms - open_ms));
}

// 6: a backup of the running node, `tail` more submissions, the backup restored as a new node,
// which indexes on from the backup's offset.
void FromBackup(Bench& b, std::uint64_t tail) {
  const std::string copy = b.root + "/backup";
  auto start = Steady::now();
  const store::VerifiedCopy backup = Must(store::BackupStore(*b.node->store, copy, b.wall), "backup");
  const double backup_ms = bench::MillisSince(start);
  std::vector<std::string> more;
  for (std::uint64_t i = 0; i < tail; ++i) more.push_back(ClinicLine(2'000'000 + i));
  const std::int64_t end = b.SubmitAll(Events(more));
  start = Steady::now();
  Must(store::RestoreStore(copy, [](const store::VerifiedCopy&) { return Status{}; }, b.root + "/restored", b.wall),
       "restore");
  const double restore_ms = bench::MillisSince(start);
  start = Steady::now();
  Node restored(b.cluster->bootstraps(), b.root + "/restored", b.secret);
  const double open_ms = bench::MillisSince(start);
  restored.WaitFor(end);
  const double catch_ms = bench::MillisSince(start);
  const auto behind = static_cast<double>(end - static_cast<std::int64_t>(backup.log_offset.value_or(0)));
  std::printf("backup:   %llu events copied and verified in %.0f ms; restored and verified in %.0f ms; the new node "
              "opened in %.0f ms and indexed the %.0f submissions since the backup %.0f ms after its start = %.0f events/s\n",
              static_cast<unsigned long long>(backup.head.seq.value()), backup_ms, restore_ms, open_ms, behind, catch_ms,
              behind * 1000 / (catch_ms - open_ms));
  b.node->WaitFor(end);
  if (restored.store->head().hash != b.node->store->head().hash) Die("the restored node's head differs from the node's");
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as soon as it is measured
  const bench::Args args(argc, argv, {"--preset", "--years", "--samples", "--tail"}, {});
  const std::string preset = args.Get("--preset", "tiny");
  const int years = static_cast<int>(args.Number("--years", 1));
  Bench b{World(preset, years), Must(RegionSecret::FromHex(std::string(64, 'b')), "secret"),
          (std::filesystem::temp_directory_path() / "capledger-cluster-bench").string(), nullptr, nullptr, nullptr, {}};
  std::filesystem::remove_all(b.root);
  std::filesystem::create_directories(b.root);
  b.cluster = Must(stream::MockCluster::Start(3, {kTopic}, 1), "mock cluster");
  stream::KafkaConfig kafka;
  kafka.enabled = true;
  kafka.brokers = b.cluster->bootstraps();
  b.submitter = Must(stream::Submitter::Create(kafka, kTopic), "submitter");
  std::printf("cluster_bench: %s, %d year(s): %zu events; mock cluster of 3 brokers, 1 partition\n", preset.c_str(),
              years, b.lines.size());
  SubmitAndIndex(b);
  Payouts(b, years);
  Latency(b, static_cast<std::size_t>(args.Number("--samples", 300)));
  Restart(b, static_cast<std::uint64_t>(args.Number("--tail", 20'000)));
  FromBackup(b, static_cast<std::uint64_t>(args.Number("--tail", 20'000)));
  std::printf("peak RSS: %.0f MiB\n", bench::PeakRssMib());
  b.node.reset();
  std::filesystem::remove_all(b.root);
  return 0;
}
