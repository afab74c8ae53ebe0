// Shared by the stream tests: librdkafka's mock cluster on 127.0.0.1 (real brokers over TCP), a
// producer for it, a store in a temporary directory, and a wait for the ingest to reach a count.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include <doctest/doctest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "ledger/service.h"
#include "store/store_fixture.h"
#include "stream/ingest.h"
#include "stream/mock_cluster.h"

namespace capledger::testing {

inline constexpr const char* kTopic = "halsoval.events";
inline constexpr int kPartitions = 4;

// A producer of the mock cluster: Send writes one message to a given partition and waits for it.
class TestProducer {
 public:
  explicit TestProducer(const std::string& brokers) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    REQUIRE(rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), nullptr, 0) == RD_KAFKA_CONF_OK);
    char error[256];
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    REQUIRE_MESSAGE(rk_ != nullptr, error);
  }
  ~TestProducer() {
    rd_kafka_flush(rk_, 10'000);
    rd_kafka_destroy(rk_);
  }
  TestProducer(const TestProducer&) = delete;
  TestProducer& operator=(const TestProducer&) = delete;

  void Send(int partition, const std::string& value, std::optional<std::string> content_type = std::nullopt) {
    rd_kafka_headers_t* headers = rd_kafka_headers_new(1);
    if (content_type) rd_kafka_header_add(headers, "content-type", -1, content_type->data(), content_type->size());
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        rk_, RD_KAFKA_V_TOPIC(kTopic), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
    REQUIRE(err == RD_KAFKA_RESP_ERR_NO_ERROR);
    REQUIRE(rd_kafka_flush(rk_, 10'000) == RD_KAFKA_RESP_ERR_NO_ERROR);
  }

 private:
  rd_kafka_t* rk_ = nullptr;
};

// A valid JSON Lines event (no personnummer needed): a clinic registration with id `id`.
inline std::string ClinicLine(const std::string& id, const std::string& clinic = "VC-1882-01",
                              const std::string& name = "Vårdcentralen Askersund 1") {
  return R"({"type":"ClinicRegistered","id":")" + id + R"(","source":"hälsovalsenheten","clinic":")" + clinic +
         R"(","name":")" + name +
         R"(","operator":"region","municipality":"1882","distance_to_hospital_km":"50.6","effective":"1986-05-25"})";
}

// The mock cluster with the events topic, a store, and an ingest that can be started and stopped.
class IngestFixture {
 public:
  IngestFixture() : clock_(FromMicros(kTestNowUs)), secret_(TestSecret()) {
    auto cluster = stream::MockCluster::Start(1, {kTopic, "halsoval.ledger"}, kPartitions);
    REQUIRE_MESSAGE(cluster.has_value(), (cluster ? "" : cluster.error().message));
    cluster_ = std::move(*cluster);
    producer_.emplace(cluster_->bootstraps());
    OpenStore();
  }
  ~IngestFixture() { StopIngest(); }

  TestProducer& producer() { return *producer_; }
  stream::MockCluster& cluster() { return *cluster_; }
  store::EventStore& store() { return *store_; }

  // Starts ingest in a fresh consumer group (a group's first join is the mock's quickest; the
  // offsets are the store's, whatever the group).
  void StartIngest(std::size_t batch_messages = 5000) {
    stream::KafkaConfig config;
    config.enabled = true;
    config.brokers = cluster_->bootstraps();
    config.group_id = "test-" + std::to_string(++groups_);
    config.batch_messages = batch_messages;
    auto ingest = stream::KafkaIngest::Start(config, *store_, *service_, secret_, clock_, [] {});
    REQUIRE_MESSAGE(ingest.has_value(), (ingest ? "" : ingest.error().message));
    ingest_ = std::move(*ingest);
  }

  // Waits (at most 30 s) until `done` holds.
  template <typename Done>
  static bool WaitUntil(Done&& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
  }

  // Waits (at most 30 s) until the ingest has made `messages` messages durable.
  void WaitForMessages(std::uint64_t messages) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (ingest_->stats().messages.load() < messages && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(ingest_->stats().messages.load() == messages);
  }

  const stream::IngestStats& stats() const { return ingest_->stats(); }

  void StopIngest() {
    if (ingest_) ingest_->Stop();
    ingest_.reset();
  }

  // Closes and reopens the store (as a restart does).
  void ReopenStore() {
    StopIngest();
    service_.reset();
    store_.reset();
    OpenStore();
  }

 private:
  void OpenStore() {
    store_ = OpenForTest(dir_.path(), secret_, clock_);
    auto service = ledger::LedgerService::Open(*store_);
    REQUIRE(service.has_value());
    service_ = std::move(*service);
  }

  TempDir dir_;
  FakeClock clock_;
  RegionSecret secret_;
  std::unique_ptr<stream::MockCluster> cluster_;
  std::optional<TestProducer> producer_;
  std::unique_ptr<store::EventStore> store_;
  std::unique_ptr<ledger::LedgerService> service_;
  std::unique_ptr<stream::KafkaIngest> ingest_;
  int groups_ = 0;
};

}  // namespace capledger::testing
