// FeedOwnership: a consumer of the log topic in the region's feed group whose only use is the
// partition the group assigns it. Eager rebalancing ("range"): every member gives up what it
// holds before anything is assigned again, so a live member stops publishing before another
// starts. A member that was paused or cut off learns it lost the partition at its next poll;
// until then it may publish what the new owner publishes too, entry for entry the same (every
// node's ledger is the same fold of the log), and finance drops those by entry id.
#include "stream/feed_owner.h"

#include <array>
#include <atomic>
#include <mutex>
#include <string_view>
#include <thread>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include "common/thread.h"

namespace capledger::stream {
namespace {

constexpr int kPollMs = 100;

bool IsSet(const KafkaConfig& config, std::string_view name) {
  for (const auto& [key, value] : config.properties) {
    if (key == name) return true;
  }
  return false;
}

class Owner final : public FeedOwnership {
 public:
  Owner(FeedOwnerConfig config, std::function<void(bool)> on_change)
      : config_(std::move(config)), on_change_(std::move(on_change)) {}
  ~Owner() override { Stop(); }

  Status Open();
  void Stop() override;
  bool owner() const override { return owner_.load(); }

  void Rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions);
  void OnError(int err, const char* reason);

 private:
  void PollLoop();
  void Set(bool owner);

  FeedOwnerConfig config_;
  std::function<void(bool)> on_change_;
  rd_kafka_t* rk_ = nullptr;
  std::atomic<bool> owner_{false};
  std::atomic<bool> stopping_{false};
  std::thread poller_;
  std::once_flag stop_once_;
};

extern "C" void OwnerRebalance(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                               void* opaque) {
  static_cast<Owner*>(opaque)->Rebalance(err, partitions);
}

extern "C" void OwnerError(rd_kafka_t*, int err, const char* reason, void* opaque) {
  static_cast<Owner*>(opaque)->OnError(err, reason);
}

extern "C" void OwnerLog(const rd_kafka_t*, int level, const char* facility, const char* text) {
  if (level <= 4) spdlog::debug("feed group: Kafka {}: {}", facility, text);
}

Status Owner::Open() {
  std::vector<std::pair<std::string, std::string>> fixed;
  if (!IsSet(config_.kafka, "session.timeout.ms")) {
    fixed.emplace_back("session.timeout.ms", std::to_string(config_.session_timeout_ms));
  }
  if (!IsSet(config_.kafka, "heartbeat.interval.ms")) {
    fixed.emplace_back("heartbeat.interval.ms", std::to_string(std::max(100, config_.session_timeout_ms / 6)));
  }
  // capledger's own: the group, eager rebalancing, and nothing read or committed.
  fixed.emplace_back("group.id", config_.group);
  fixed.emplace_back("partition.assignment.strategy", "range");
  fixed.emplace_back("enable.auto.commit", "false");
  fixed.emplace_back("enable.auto.offset.store", "false");
  fixed.emplace_back("auto.offset.reset", "latest");
  fixed.emplace_back("enable.partition.eof", "false");
  auto conf = MakeRdKafkaConf(config_.kafka, fixed);
  if (!conf) return tl::unexpected(conf.error());
  rd_kafka_conf_set_opaque(*conf, this);
  rd_kafka_conf_set_rebalance_cb(*conf, OwnerRebalance);
  rd_kafka_conf_set_error_cb(*conf, OwnerError);
  rd_kafka_conf_set_log_cb(*conf, OwnerLog);
  std::array<char, 512> message{};
  rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, *conf, message.data(), message.size());
  if (rk_ == nullptr) {
    rd_kafka_conf_destroy(*conf);
    return Fail(ErrorCode::kInvalidArgument, fmt::format("Kafka feed group consumer: {}", message.data()));
  }
  rd_kafka_poll_set_consumer(rk_);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, config_.log_topic.c_str(), RD_KAFKA_PARTITION_UA);
  const rd_kafka_resp_err_t err = rd_kafka_subscribe(rk_, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("Kafka subscribe to {}: {}", config_.log_topic, rd_kafka_err2str(err)));
  }
  poller_ = StartThread("feed-owner", [this] { PollLoop(); });
  spdlog::info("finance feed: in group {} for partition {} of {}", config_.group, config_.partition, config_.log_topic);
  return {};
}

void Owner::PollLoop() {
  while (!stopping_) {
    if (rd_kafka_message_t* message = rd_kafka_consumer_poll(rk_, kPollMs)) rd_kafka_message_destroy(message);
  }
  rd_kafka_consumer_close(rk_);  // the revocation inside it stops the feed if it was held
  Set(false);
}

void Owner::Stop() {
  std::call_once(stop_once_, [this] {
    stopping_ = true;
    if (poller_.joinable()) poller_.join();
    if (rk_ != nullptr) {
      rd_kafka_destroy(rk_);
      rk_ = nullptr;
    }
  });
}

void Owner::Set(bool owner) {
  if (owner_.exchange(owner) == owner) return;
  spdlog::info("finance feed: {} partition {} of {} in group {}", owner ? "holds" : "gave up", config_.partition,
               config_.log_topic, config_.group);
  on_change_(owner);
}

void Owner::Rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions) {
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    bool mine = false;
    for (int i = 0; i < partitions->cnt; ++i) {
      mine = mine || (partitions->elems[i].partition == config_.partition &&
                      std::string_view(partitions->elems[i].topic) == config_.log_topic);
    }
    rd_kafka_assign(rk_, partitions);
    rd_kafka_pause_partitions(rk_, partitions);  // membership only: nothing is fetched
    Set(mine && !stopping_);
    return;
  }
  Set(false);  // revoked or lost: the feed stops before the group moves on
  rd_kafka_assign(rk_, nullptr);
}

void Owner::OnError(int err, const char* reason) {
  spdlog::debug("feed group: Kafka error {}: {}", err, reason);
}

}  // namespace

Result<std::unique_ptr<FeedOwnership>> FeedOwnership::Start(const FeedOwnerConfig& config,
                                                            std::function<void(bool owner)> on_change) {
  auto owner = std::make_unique<Owner>(config, std::move(on_change));
  if (auto opened = owner->Open(); !opened) return tl::unexpected(opened.error());
  return owner;
}

}  // namespace capledger::stream
