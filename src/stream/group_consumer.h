// A consumer in a Kafka group, subscribed to one topic: what the Kafka ingest, the finance feed's
// group and the upstream ingest of cluster mode share. Inside the stream layer only (librdkafka's
// types).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "common/error.h"
#include "stream/kafka_config.h"

namespace capledger::stream {

// The callbacks librdkafka calls, with `opaque` as their last argument (the log callback reads it
// through rd_kafka_opaque).
struct ConsumerHooks {
  void* opaque = nullptr;
  void (*rebalance)(rd_kafka_t*, rd_kafka_resp_err_t, rd_kafka_topic_partition_list_t*, void*) = nullptr;
  void (*error)(rd_kafka_t*, int, const char*, void*) = nullptr;
  void (*log)(const rd_kafka_t*, int, const char*, const char*) = nullptr;
};

// A consumer of `topic` with `config`'s brokers and properties, then `fixed` (capledger's own),
// its queue redirected to the consumer's poll. The caller owns it (rd_kafka_consumer_close,
// then rd_kafka_destroy). kInvalidArgument, naming `what`, if librdkafka refuses a property or
// the subscription.
Result<rd_kafka_t*> SubscribeConsumer(const KafkaConfig& config,
                                      const std::vector<std::pair<std::string, std::string>>& fixed,
                                      const std::string& topic, const ConsumerHooks& hooks, std::string_view what);

// A group member that commits only by hand: group.id `group`, eager rebalancing ("range"), no
// automatic commit or offset store, auto.offset.reset `reset` ("earliest" or "latest"), no EOF
// events; after SessionProperties(config, session_ms).
std::vector<std::pair<std::string, std::string>> MemberProperties(const KafkaConfig& config, int session_ms,
                                                                  const std::string& group, std::string_view reset);

// session.timeout.ms = `session_ms` and heartbeat.interval.ms a sixth of it, each unless
// `config`'s properties set it.
std::vector<std::pair<std::string, std::string>> SessionProperties(const KafkaConfig& config, int session_ms);

}  // namespace capledger::stream
