#include "stream/mock_cluster.h"

#include <array>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "common/assert.h"

namespace capledger::stream {

Result<std::unique_ptr<MockCluster>> MockCluster::Start(int brokers, const std::vector<std::string>& topics,
                                                        int partitions) {
  if (brokers < 1 || brokers > kMockBrokersMax) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("mock cluster: 1 to {} brokers", kMockBrokersMax));
  }
  if (partitions < 1 || partitions > kMockPartitionsMax) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("mock cluster: 1 to {} partitions", kMockPartitionsMax));
  }
  std::array<char, 512> message{};
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", nullptr, 0);
  rd_kafka_t* owner = rd_kafka_new(RD_KAFKA_PRODUCER, conf, message.data(), message.size());
  if (owner == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Fail(ErrorCode::kIoError, fmt::format("mock cluster: {}", message.data()));
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(owner, brokers);
  if (cluster == nullptr) {
    rd_kafka_destroy(owner);
    return Fail(ErrorCode::kIoError, "mock cluster: librdkafka could not start it");
  }
  std::unique_ptr<MockCluster> mock(new MockCluster(owner, cluster));
  const int replication = brokers < 3 ? brokers : 3;
  for (const std::string& topic : topics) {
    if (rd_kafka_mock_topic_create(cluster, topic.c_str(), partitions, replication) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return Fail(ErrorCode::kIoError, fmt::format("mock cluster: cannot create topic {}", topic));
    }
  }
  return mock;
}

MockCluster::MockCluster(rd_kafka_s* owner, rd_kafka_mock_cluster_s* cluster)
    : owner_(owner), cluster_(cluster), bootstraps_(rd_kafka_mock_cluster_bootstraps(cluster)) {
  LEDGER_ASSERT(!bootstraps_.empty());
}

MockCluster::~MockCluster() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(owner_);
}

}  // namespace capledger::stream
