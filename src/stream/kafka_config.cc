#include "stream/kafka_config.h"

#include <array>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

namespace capledger::stream {
namespace {

Status SetProperty(rd_kafka_conf_t* conf, const std::string& name, const std::string& value) {
  std::array<char, 512> message{};
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), message.data(), message.size()) != RD_KAFKA_CONF_OK) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("kafka property {}: {}", name, message.data()));
  }
  return {};
}

}  // namespace

Status CheckKafkaConfig(const KafkaConfig& config) {
  if (config.brokers.empty()) return Fail(ErrorCode::kInvalidArgument, "kafka.brokers must not be empty");
  if (config.events_topic.empty()) return Fail(ErrorCode::kInvalidArgument, "kafka.events_topic must not be empty");
  if (config.ledger_topic.empty()) return Fail(ErrorCode::kInvalidArgument, "kafka.ledger_topic must not be empty");
  if (config.events_topic == config.ledger_topic) {
    return Fail(ErrorCode::kInvalidArgument, "kafka.events_topic and kafka.ledger_topic must differ");
  }
  if (config.group_id.empty()) return Fail(ErrorCode::kInvalidArgument, "kafka.group_id must not be empty");
  if (config.batch_messages < 1 || config.batch_messages > kKafkaBatchMessagesMax) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("kafka.batch_messages must be 1 to {}", kKafkaBatchMessagesMax));
  }
  if (config.properties.size() > kKafkaPropertiesMax) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("kafka.properties: at most {}", kKafkaPropertiesMax));
  }
  return {};
}

Result<rd_kafka_conf_s*> MakeRdKafkaConf(const KafkaConfig& config,
                                         const std::vector<std::pair<std::string, std::string>>& fixed) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  auto apply = [&]() -> Status {
    if (auto s = SetProperty(conf, "bootstrap.servers", config.brokers); !s) return s;
    for (const auto& [name, value] : config.properties) {
      if (auto s = SetProperty(conf, name, value); !s) return s;
    }
    for (const auto& [name, value] : fixed) {
      if (auto s = SetProperty(conf, name, value); !s) return s;
    }
    return {};
  };
  if (auto applied = apply(); !applied) {
    rd_kafka_conf_destroy(conf);
    return tl::unexpected(applied.error());
  }
  return conf;
}

bool HasProperty(const KafkaConfig& config, std::string_view name) {
  for (const auto& [key, value] : config.properties) {
    if (key == name) return true;
  }
  return false;
}

}  // namespace capledger::stream
