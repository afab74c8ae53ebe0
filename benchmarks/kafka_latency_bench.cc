// kafka_latency_bench [--events N] [--rate R]: end-to-end latency of Kafka ingest, from the
// moment a message is produced to the moment its event is durable in the log (the batch with
// its offset synced), against librdkafka's mock cluster over TCP on 127.0.0.1.
//
// Two measurements, each over N events (ClinicRegistered lines, one partition so that log order
// is produce order): one at a time (each produced when the previous one is stored: the latency
// of a trickle), and paced at R events/s (a steady stream; a watcher notes when the head passes
// each event). Prints p50 and p99 of each. The consumer gets fetch.wait.max.ms = 10: the mock
// broker does not answer a waiting fetch when messages arrive, a real broker does.
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "common/clock.h"
#include "common/region_secret.h"
#include "ledger/service.h"
#include "store/event_store.h"
#include "stream/ingest.h"
#include "stream/mock_cluster.h"

namespace {

using namespace capledger;
using Steady = bench::SteadyClock;

std::string Line(std::uint64_t i) {
  const std::string n = std::to_string(i);
  return R"({"type":"ClinicRegistered","id":"lat-)" + n + R"(","source":"bench","clinic":"VC-L)" + n +
         R"(","name":"Latency )" + n +
         R"(","operator":"region","municipality":"1880","distance_to_hospital_km":"5.0","effective":"2020-01-01"})";
}

class Producer {
 public:
  explicit Producer(const std::string& brokers) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), nullptr, 0);
    rd_kafka_conf_set(conf, "linger.ms", "0", nullptr, 0);
    char error[256];
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (rk_ == nullptr) std::fprintf(stderr, "producer: %s\n", error), std::exit(2);
  }
  ~Producer() {
    rd_kafka_flush(rk_, 10'000);
    rd_kafka_destroy(rk_);
  }
  void Send(const std::string& value) {
    const auto err = rd_kafka_producev(rk_, RD_KAFKA_V_TOPIC("halsoval.events"), RD_KAFKA_V_PARTITION(0),
                                       RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                       RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) std::fprintf(stderr, "produce: %s\n", rd_kafka_err2str(err)), std::exit(2);
    rd_kafka_poll(rk_, 0);
  }

 private:
  rd_kafka_t* rk_ = nullptr;
};

void Print(const char* what, const std::vector<double>& ms) {
  std::printf("%s: %zu events, p50 %.2f ms, p99 %.2f ms\n", what, ms.size(), bench::Percentile(ms, 0.5),
              bench::Percentile(ms, 0.99));
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, {"--events", "--rate"}, {});
  const auto events = static_cast<std::uint64_t>(std::clamp(args.Number("--events", 500), 10LL, 100000LL));
  const auto rate = static_cast<double>(std::clamp(args.Number("--rate", 2000), 1LL, 1000000LL));
  std::string dir = (std::filesystem::temp_directory_path() / "capledger-latency-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) return std::fprintf(stderr, "mkdtemp failed\n"), 2;
  SystemClock clock;
  auto secret = RegionSecret::FromHex(std::string(64, 'b'));
  auto cluster = stream::MockCluster::Start(3, {"halsoval.events", "halsoval.ledger"}, 1);
  if (!cluster) return std::fprintf(stderr, "%s\n", cluster.error().message.c_str()), 2;
  int code = 0;
  {
    auto store = store::EventStore::Open(dir, &*secret, clock);
    if (!store) return std::fprintf(stderr, "%s\n", store.error().message.c_str()), 2;
    auto service = ledger::LedgerService::Open(**store);
    if (!service) return std::fprintf(stderr, "%s\n", service.error().message.c_str()), 2;
    stream::KafkaConfig config;
    config.enabled = true;
    config.brokers = (*cluster)->bootstraps();
    config.properties = {{"fetch.wait.max.ms", "10"}};
    auto ingest = stream::KafkaIngest::Start(config, **store, **service, *secret, clock, [] {});
    if (!ingest) return std::fprintf(stderr, "%s\n", ingest.error().message.c_str()), 2;
    Producer producer((*cluster)->bootstraps());
    auto head = [&] { return (*store)->head().seq.value(); };
    auto wait_for = [&](std::uint64_t seq) {
      const auto deadline = Steady::now() + std::chrono::seconds(60);
      while (head() < seq && Steady::now() < deadline) std::this_thread::sleep_for(std::chrono::microseconds(100));
      return head() >= seq;
    };
    // Warm-up: the group join and the first fetch.
    producer.Send(Line(0));
    if (!wait_for(1)) return std::fprintf(stderr, "the first event was not stored within 60 s\n"), 1;
    std::uint64_t next = 1;
    std::vector<double> single;
    for (std::uint64_t i = 0; i < events; ++i, ++next) {
      const auto start = Steady::now();
      producer.Send(Line(next));
      if (!wait_for(next + 1)) return std::fprintf(stderr, "event %llu not stored\n", (unsigned long long)next), 1;
      single.push_back(bench::MillisSince(start));
    }
    Print("one at a time", single);
    // Paced: a watcher records when the head first covers each seq.
    const std::uint64_t base = head();
    std::vector<Steady::time_point> sent(events);
    std::vector<Steady::time_point> stored(events);
    std::atomic<bool> watching{true};
    std::thread watcher([&] {
      std::uint64_t seen = 0;
      while (seen < events && watching.load()) {
        const std::uint64_t now_seq = head();
        const auto now = Steady::now();
        for (; seen < events && base + seen + 1 <= now_seq; ++seen) stored[seen] = now;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    });
    const auto paced_start = Steady::now();
    for (std::uint64_t i = 0; i < events; ++i) {
      const auto due = paced_start + std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(i / rate));
      std::this_thread::sleep_until(due);
      sent[i] = Steady::now();
      producer.Send(Line(next++));
    }
    const bool all = wait_for(base + events);
    watching = false;
    watcher.join();
    if (!all) return std::fprintf(stderr, "the paced events were not all stored\n"), 1;
    std::vector<double> paced;
    for (std::uint64_t i = 0; i < events; ++i) {
      paced.push_back(std::chrono::duration<double, std::milli>(stored[i] - sent[i]).count());
    }
    char what[64];
    std::snprintf(what, sizeof what, "paced at %.0f events/s", rate);
    Print(what, paced);
    (*ingest)->Stop();
    if ((*ingest)->stats().rejected.load() != 0) code = 1;
  }
  std::filesystem::remove_all(dir);
  return code;
}
