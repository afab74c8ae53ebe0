// What `serve` needs to talk to Kafka: brokers, topics, the consumer group, and the librdkafka
// properties passed through unchanged (SASL, TLS and the like work by configuration alone).
// Filled from [kafka] in config/capledger.toml by the app layer; the defaults are the
// documented ones. librdkafka's own types stay inside this layer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

struct rd_kafka_conf_s;

namespace capledger::stream {

// Bounds on the settings (checked when the config is read).
inline constexpr std::size_t kKafkaBatchMessagesMax = 10'000;
inline constexpr std::size_t kKafkaPropertiesMax = 64;

struct KafkaConfig {
  bool enabled = false;                      // [kafka] enabled: `serve` runs the Kafka parts
  std::string brokers = "127.0.0.1:9092";    // bootstrap.servers
  std::string events_topic = "halsoval.events";  // consumed: events in
  std::string ledger_topic = "halsoval.ledger";  // produced: the finance feed
  std::string group_id = "capledger";        // the consumer group
  std::size_t batch_messages = 5'000;        // consumed messages per synced WriteBatch at most
  // Any librdkafka property, applied to the consumer and the producer before capledger's own
  // (which win: the group, the offsets and idempotence are not for configuration to change).
  std::vector<std::pair<std::string, std::string>> properties;
};

// Whether `config.properties` sets the librdkafka property `name` (capledger then leaves it be).
bool HasProperty(const KafkaConfig& config, std::string_view name);

// Checks the settings' bounds and names: kInvalidArgument naming the key ("kafka.brokers").
Status CheckKafkaConfig(const KafkaConfig& config);

// A librdkafka configuration: bootstrap.servers from `config`, then `config.properties`, then
// `fixed` (capledger's own), in that order. kInvalidArgument names a property librdkafka
// refuses (its value is not echoed: it may be a password). The caller owns the result and
// hands it to rd_kafka_new (which takes it) or destroys it.
Result<rd_kafka_conf_s*> MakeRdKafkaConf(const KafkaConfig& config,
                                         const std::vector<std::pair<std::string, std::string>>& fixed);

}  // namespace capledger::stream
