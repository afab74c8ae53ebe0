// Seeded faults against a mock cluster (stream/mock_cluster.h), for the fault campaign
// (docs/reliability.md): while active, every `interval` one of
// - retriable errors (not leader, timed out, not enough replicas) pushed for the next 1 to 6
//   Produce or Fetch requests;
// - a partition of one of the topics moved to another leader;
// - a broker taken down, and brought up again one to three intervals later (one at a time).
// What it does depends only on the seed and on how many intervals pass.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "stream/mock_cluster.h"

namespace capledger::stream {

// What the chaos has done so far.
struct ChaosCounts {
  std::atomic<std::uint64_t> request_errors{0};  // errors pushed
  std::atomic<std::uint64_t> leader_moves{0};
  std::atomic<std::uint64_t> broker_restarts{0};  // downs, each followed by an up
};

class MockChaos {
 public:
  // Starts inactive. `cluster` must outlive it; `brokers` and `partitions` as it was started with.
  MockChaos(MockCluster& cluster, std::vector<std::string> topics, int brokers, int partitions, std::uint64_t seed,
            std::chrono::milliseconds interval);
  ~MockChaos();  // stops its thread and brings every broker up
  MockChaos(const MockChaos&) = delete;
  MockChaos& operator=(const MockChaos&) = delete;

  // Starts or pauses the faults. Paused, a broker that is down comes up within one interval.
  void SetActive(bool active);
  bool active() const { return active_.load(); }
  const ChaosCounts& counts() const { return counts_; }

 private:
  void Run();
  void Strike();  // one seeded fault
  void BringUp();

  MockCluster& cluster_;
  const std::vector<std::string> topics_;
  const int brokers_;
  const int partitions_;
  const std::chrono::milliseconds interval_;
  std::uint64_t state_;  // the seeded generator (splitmix64)
  std::atomic<bool> active_{false};
  ChaosCounts counts_;
  int down_broker_ = 0;     // 0: none
  int down_intervals_ = 0;  // left before it comes up
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace capledger::stream
