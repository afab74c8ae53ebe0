// librdkafka's mock cluster, in this process, for demos and tests with no external broker
// (`serve --kafka-mock`). Its brokers listen on 127.0.0.1 at ports the system picks; any Kafka
// client (kcat included) reaches them at bootstraps().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/error.h"

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace capledger::stream {

// Bounds of a mock cluster.
inline constexpr int kMockBrokersMax = 9;
inline constexpr int kMockPartitionsMax = 64;

class MockCluster {
 public:
  // Starts `brokers` mock brokers and creates each of `topics` with `partitions` partitions.
  // kInvalidArgument for counts out of bounds; kIoError if librdkafka cannot start it.
  static Result<std::unique_ptr<MockCluster>> Start(int brokers, const std::vector<std::string>& topics,
                                                    int partitions);
  ~MockCluster();  // stops the brokers: every client of them sees them go
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  // "127.0.0.1:PORT,..." for bootstrap.servers.
  const std::string& bootstraps() const { return bootstraps_; }
  // The cluster, for tests that inject broker errors (rd_kafka_mock_push_request_errors).
  rd_kafka_mock_cluster_s* handle() const { return cluster_; }

 private:
  MockCluster(rd_kafka_s* owner, rd_kafka_mock_cluster_s* cluster);
  rd_kafka_s* owner_;                // the client handle the cluster lives in
  rd_kafka_mock_cluster_s* cluster_;
  std::string bootstraps_;
};

}  // namespace capledger::stream
