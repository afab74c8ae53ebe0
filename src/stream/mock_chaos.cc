#include "stream/mock_chaos.h"

#include <array>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <spdlog/spdlog.h>

#include "common/thread.h"

namespace capledger::stream {
namespace {

// splitmix64: a small, well-mixed generator whose sequence depends only on the seed.
std::uint64_t Next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

constexpr std::array<rd_kafka_resp_err_t, 3> kRetriable = {
    RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
    RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS};
constexpr std::int16_t kProduce = 0;
constexpr std::int16_t kFetch = 1;

}  // namespace

MockChaos::MockChaos(MockCluster& cluster, std::vector<std::string> topics, int brokers, int partitions,
                     std::uint64_t seed, std::chrono::milliseconds interval)
    : cluster_(cluster), topics_(std::move(topics)), brokers_(brokers), partitions_(partitions), interval_(interval),
      state_(seed) {
  thread_ = StartThread("kafka-chaos", [this] { Run(); });
}

MockChaos::~MockChaos() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  BringUp();
}

void MockChaos::SetActive(bool active) {
  active_.store(active);
  wake_.notify_all();
}

void MockChaos::BringUp() {
  if (down_broker_ == 0) return;
  rd_kafka_mock_broker_set_up(cluster_.handle(), down_broker_);
  down_broker_ = 0;
}

void MockChaos::Strike() {
  const std::uint64_t roll = Next(state_);
  switch (roll % 3) {
    case 0: {
      const std::size_t count = 1 + Next(state_) % 6;
      std::array<rd_kafka_resp_err_t, 6> errors{};
      for (std::size_t i = 0; i < count; ++i) errors[i] = kRetriable[Next(state_) % kRetriable.size()];
      rd_kafka_mock_push_request_errors_array(cluster_.handle(), (roll / 3) % 2 == 0 ? kProduce : kFetch, count,
                                              errors.data());
      counts_.request_errors += count;
      return;
    }
    case 1: {
      const std::string& topic = topics_[Next(state_) % topics_.size()];
      const auto partition = static_cast<std::int32_t>(Next(state_) % static_cast<std::uint64_t>(partitions_));
      const auto leader = static_cast<std::int32_t>(1 + Next(state_) % static_cast<std::uint64_t>(brokers_));
      rd_kafka_mock_partition_set_leader(cluster_.handle(), topic.c_str(), partition, leader);
      ++counts_.leader_moves;
      return;
    }
    default:
      if (down_broker_ != 0) return;  // one at a time
      down_broker_ = static_cast<int>(1 + Next(state_) % static_cast<std::uint64_t>(brokers_));
      down_intervals_ = static_cast<int>(1 + Next(state_) % 3);
      rd_kafka_mock_broker_set_down(cluster_.handle(), down_broker_);
      ++counts_.broker_restarts;
      return;
  }
}

void MockChaos::Run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, interval_, [this] { return stop_; });
    if (stop_) break;
    if (!active_.load()) {
      BringUp();
      continue;
    }
    if (down_broker_ != 0 && --down_intervals_ <= 0) BringUp();
    Strike();
  }
}

}  // namespace capledger::stream
