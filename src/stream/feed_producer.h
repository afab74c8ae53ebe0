// The finance feed's Kafka producer: an idempotent librdkafka producer on [kafka] ledger_topic
// whose callbacks (delivery reports, errors, statistics) are served by Poll on the caller's
// thread and handed to a FeedEvents. librdkafka's types stay in feed_producer.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "stream/broker_stats.h"
#include "stream/feed_message.h"
#include "stream/kafka_config.h"

namespace capledger::stream {

// What the producer reports, always from inside Poll, Flush or Produce on the caller's thread.
class FeedEvents {
 public:
  virtual ~FeedEvents() = default;
  // The message produced with `tag` is confirmed delivered (`error` empty) or has failed for
  // good (`error` says why; librdkafka has stopped retrying it). `purged`: it failed because
  // the producer is being dropped (not a broker's doing).
  virtual void Delivered(std::uint64_t tag, std::string_view error, bool purged) = 0;
  // A client-level error: `fatal` (the producer can produce no more), `all_down` (no broker
  // answers); librdkafka retries the rest by itself.
  virtual void ClientError(bool fatal, bool all_down, std::string_view reason) = 0;
  // librdkafka's periodic statistics (cumulative for this producer).
  virtual void Statistics(const BrokerStats& stats) = 0;
};

// The properties the feed sets whatever [kafka.properties] says (idempotence, acks=all, no
// message timeout, the gapless guarantee, statistics), and those it only defaults.
std::vector<std::pair<std::string, std::string>> FeedFixedProperties();
std::vector<std::pair<std::string, std::string>> FeedDefaultProperties();

class FeedProducer {
 public:
  // A producer for `config` reporting to `events`, which must outlive it. kInvalidArgument for
  // a property librdkafka refuses; kIoError if the client cannot be created.
  static Result<std::unique_ptr<FeedProducer>> Create(const KafkaConfig& config, FeedEvents& events);
  // Purges what is not delivered (its reports are served first) and destroys the client.
  ~FeedProducer();
  FeedProducer(const FeedProducer&) = delete;
  FeedProducer& operator=(const FeedProducer&) = delete;

  // Enqueues `message` for `partition` (-1: by its key, with the configured partitioner), its
  // delivery to be reported with `tag`. Waits (serving callbacks) while librdkafka's queue is
  // full. kIoError if librdkafka refuses it (a fatal error, an unknown topic, a message too large).
  Status Produce(const FeedMessage& message, std::int32_t partition, std::uint64_t tag);
  // Serves callbacks, waiting up to `timeout_ms` for one.
  void Poll(int timeout_ms);
  // Waits up to `timeout_ms` for every enqueued message to be reported.
  void Flush(int timeout_ms);
  // The topic's partition count from the brokers' metadata, waiting up to `timeout_ms`; nullopt
  // if no broker answered or the topic is unknown (`why` says which).
  std::optional<int> Partitions(int timeout_ms, std::string& why);
  // Messages enqueued and not yet reported.
  int queued() const;

 private:
  struct Handles;
  explicit FeedProducer(std::unique_ptr<Handles> handles);
  std::unique_ptr<Handles> h_;
};

}  // namespace capledger::stream
