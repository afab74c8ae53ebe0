#include "stream/group_consumer.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace capledger::stream {

Result<rd_kafka_t*> SubscribeConsumer(const KafkaConfig& config,
                                      const std::vector<std::pair<std::string, std::string>>& fixed,
                                      const std::string& topic, const ConsumerHooks& hooks, std::string_view what) {
  auto conf = MakeRdKafkaConf(config, fixed);
  if (!conf) return tl::unexpected(conf.error());
  rd_kafka_conf_set_opaque(*conf, hooks.opaque);
  if (hooks.rebalance != nullptr) rd_kafka_conf_set_rebalance_cb(*conf, hooks.rebalance);
  if (hooks.error != nullptr) rd_kafka_conf_set_error_cb(*conf, hooks.error);
  if (hooks.log != nullptr) rd_kafka_conf_set_log_cb(*conf, hooks.log);
  std::array<char, 512> message{};
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, *conf, message.data(), message.size());
  if (rk == nullptr) {
    rd_kafka_conf_destroy(*conf);
    return Fail(ErrorCode::kInvalidArgument, fmt::format("Kafka {}: {}", what, message.data()));
  }
  rd_kafka_poll_set_consumer(rk);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
  const rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_destroy(rk);
    return Fail(ErrorCode::kInvalidArgument, fmt::format("Kafka {}: subscribe to {}: {}", what, topic, rd_kafka_err2str(err)));
  }
  return rk;
}

std::vector<std::pair<std::string, std::string>> SessionProperties(const KafkaConfig& config, int session_ms) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!HasProperty(config, "session.timeout.ms")) out.emplace_back("session.timeout.ms", std::to_string(session_ms));
  if (!HasProperty(config, "heartbeat.interval.ms")) {
    out.emplace_back("heartbeat.interval.ms", std::to_string(std::max(100, session_ms / 6)));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> MemberProperties(const KafkaConfig& config, int session_ms,
                                                                  const std::string& group, std::string_view reset) {
  std::vector<std::pair<std::string, std::string>> out = SessionProperties(config, session_ms);
  out.emplace_back("group.id", group);
  // Eager, not cooperative-sticky: librdkafka 2.0.2 (Debian 12's) can abort closing a
  // cooperative-sticky consumer that had no assignment yet (librdkafka issue 4312, fixed in 2.3.0).
  out.emplace_back("partition.assignment.strategy", "range");
  out.emplace_back("enable.auto.commit", "false");
  out.emplace_back("enable.auto.offset.store", "false");
  out.emplace_back("auto.offset.reset", std::string(reset));
  out.emplace_back("enable.partition.eof", "false");
  return out;
}

}  // namespace capledger::stream
