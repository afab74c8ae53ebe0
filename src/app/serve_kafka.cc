// serve's Kafka part: the mock cluster (with --kafka-mock), the finance feed and the ingest, on
// one store. Started before the HTTP API and stopped after it, so a payout booked through the
// API is published before the feed drains.
#include <spdlog/spdlog.h>

#include "app/serve.h"
#include "codec/json_out.h"
#include "stream/feed.h"
#include "stream/ingest.h"
#include "stream/mock_cluster.h"

namespace capledger::app {
namespace {

// Partitions of each topic in the mock cluster.
constexpr int kMockPartitions = 4;
constexpr int kMockBrokers = 3;

class KafkaPart final : public ServePart {
 public:
  KafkaPart(stream::KafkaConfig config, bool mock) : config_(std::move(config)), mock_(mock) {}

  std::string_view name() const override { return "kafka"; }

  Result<std::string> Start(ServeEnv& env) override {
    if (mock_) {
      auto cluster = stream::MockCluster::Start(kMockBrokers, {config_.events_topic, config_.ledger_topic},
                                                kMockPartitions);
      if (!cluster) return tl::unexpected(cluster.error());
      cluster_ = std::move(*cluster);
      config_.brokers = cluster_->bootstraps();
      spdlog::info("Kafka mock cluster: {} brokers on {}", kMockBrokers, config_.brokers);
    }
    auto feed = stream::FinanceFeed::Start(config_, env.store, *env.context.clock, env.request_stop);
    if (!feed) return Abandon(feed.error());
    feed_ = std::move(*feed);
    auto ingest = stream::KafkaIngest::Start(config_, env.store, env.service, env.secret, *env.context.clock,
                                             env.request_stop);
    if (!ingest) return Abandon(ingest.error());
    ingest_ = std::move(*ingest);
    if (auto gauges = AddGauges(env.metrics); !gauges) return Abandon(gauges.error());
    env.service.on_booked = [feed = feed_.get()] { feed->Notify(); };
    return codec::JsonString(config_.brokers);  // DESIGN.md §4: "kafka": "127.0.0.1:39001,..."
  }

  void Stop() override {
    ingest_->Stop();
    if (feed_) feed_->Stop();
    cluster_.reset();
    spdlog::info("Kafka stopped");
  }

 private:
  tl::unexpected<Error> Abandon(Error error) {
    if (ingest_) ingest_->Stop();
    if (feed_) feed_->Stop();
    ingest_.reset();
    feed_.reset();
    cluster_.reset();
    return tl::unexpected(std::move(error));
  }

  Status AddGauges(api::Metrics& metrics) {
    const stream::IngestStats& in = ingest_->stats();
    std::vector<std::tuple<std::string, std::string, std::function<std::int64_t()>>> gauges = {
        {"capledger_kafka_messages_consumed", "Kafka messages consumed and durable in the log",
         [&in] { return static_cast<std::int64_t>(in.messages.load()); }},
        {"capledger_kafka_events_stored", "events stored from Kafka",
         [&in] { return static_cast<std::int64_t>(in.stored.load()); }},
        {"capledger_kafka_duplicates", "Kafka messages whose event was already stored (same id and payload)",
         [&in] { return static_cast<std::int64_t>(in.duplicates.load()); }},
        {"capledger_kafka_rejects", "Kafka messages kept as rejects",
         [&in] { return static_cast<std::int64_t>(in.rejected.load()); }},
        {"capledger_kafka_consumer_lag", "messages behind the events topic's high watermarks",
         [&in] { return static_cast<std::int64_t>(in.lag.load()); }},
        {"capledger_kafka_consumer_broker_errors", "transport errors the consumer retried",
         [&in] { return static_cast<std::int64_t>(in.broker_errors.load()); }},
        {"capledger_kafka_consumer_brokers_up", "1 while a broker answers the consumer",
         [&in] { return in.brokers_up.load() ? 1 : 0; }},
    };
    AddFeedGauges(feed_->stats(), gauges);
    for (const auto& [name, help, read] : gauges) {
      if (auto added = metrics.AddGauge(name, help, read); !added) return added;
    }
    return {};
  }

  static void AddFeedGauges(const stream::FeedStats& out,
                            std::vector<std::tuple<std::string, std::string, std::function<std::int64_t()>>>& gauges) {
    const std::vector<std::tuple<std::string, std::string, std::function<std::int64_t()>>> feed = {
        {"capledger_feed_entries_published", "ledger entries delivered to the finance feed",
         [&out] { return static_cast<std::int64_t>(out.published.load()); }},
        {"capledger_feed_backlog", "ledger entries booked and not yet delivered",
         [&out] { return static_cast<std::int64_t>(out.backlog.load()); }},
        {"capledger_feed_cursor_seq", "log seq through which the feed is delivered",
         [&out] { return static_cast<std::int64_t>(out.cursor_seq.load()); }},
        {"capledger_feed_broker_errors", "delivery or transport errors the feed retried",
         [&out] { return static_cast<std::int64_t>(out.broker_errors.load()); }},
        {"capledger_feed_brokers_up", "1 while a broker answers the feed",
         [&out] { return out.brokers_up.load() ? 1 : 0; }},
        {"capledger_feed_restarts", "times the feed dropped its producer and published again from the cursor",
         [&out] { return static_cast<std::int64_t>(out.restarts.load()); }},
    };
    gauges.insert(gauges.end(), feed.begin(), feed.end());
  }

  stream::KafkaConfig config_;
  bool mock_;
  std::unique_ptr<stream::MockCluster> cluster_;
  std::unique_ptr<stream::FinanceFeed> feed_;
  std::unique_ptr<stream::KafkaIngest> ingest_;
};

}  // namespace

std::unique_ptr<ServePart> MakeKafkaPart(stream::KafkaConfig config, bool mock) {
  return std::make_unique<KafkaPart>(std::move(config), mock);
}

}  // namespace capledger::app
