// FeedOwnership: a consumer of the log topic in the region's feed group whose only use is the
// partition the group assigns it. Eager rebalancing ("range"): every member gives up all it holds
// before the group assigns anything again, so a live member stops publishing before another
// starts. (Cooperative rebalancing would move less, but librdkafka 2.0.2, Debian 12's, can abort
// when such a consumer is closed before its first assignment: librdkafka issue 4312, fixed in
// 2.3.0.) A member that was paused or cut off learns it lost the partition at its next poll;
// until then it may publish what the new holder publishes too, entry for entry the same (every
// node's ledger is the same fold of the log), and finance drops those by entry id. Its commits
// are refused once it is out of the group's generation.
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
#include "stream/group_consumer.h"

namespace capledger::stream {
namespace {

constexpr int kPollMs = 100;
constexpr int kCommittedTimeoutMs = 5000;  // asking the group what was delivered, when given the partition

class Owner final : public FeedOwnership {
 public:
  Owner(FeedOwnerConfig config, std::function<void(bool, std::uint64_t)> on_change)
      : config_(std::move(config)), on_change_(std::move(on_change)) {}
  ~Owner() override { Stop(); }

  Status Open();
  void Stop() override;
  bool owner() const override { return owner_.load(); }

  void Rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions);
  void OnError(int err, const char* reason);

 private:
  void PollLoop();
  void Gain(rd_kafka_topic_partition_list_t* partitions);
  void GiveUp(rd_kafka_topic_partition_list_t* partitions);
  std::uint64_t HandedOver();
  void CommitDelivered(bool sync);
  bool Mine(const rd_kafka_topic_partition_list_t* partitions) const;

  FeedOwnerConfig config_;
  std::function<void(bool, std::uint64_t)> on_change_;
  std::uint64_t committed_ = 0;  // the delivered seq last committed (poll thread only)
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
  // capledger's own: the group, eager rebalancing, nothing read, and commits only of the delivered seq.
  const auto fixed = MemberProperties(config_.kafka, config_.session_timeout_ms, config_.group, "latest");
  auto consumer = SubscribeConsumer(config_.kafka, fixed, config_.log_topic,
                                    ConsumerHooks{this, OwnerRebalance, OwnerError, OwnerLog}, "feed group consumer");
  if (!consumer) return tl::unexpected(consumer.error());
  rk_ = *consumer;
  poller_ = StartThread("feed-owner", [this] { PollLoop(); });
  spdlog::info("finance feed: in group {} for partition {} of {}", config_.group, config_.partition, config_.log_topic);
  return {};
}

void Owner::PollLoop() {
  while (!stopping_) {
    if (rd_kafka_message_t* message = rd_kafka_consumer_poll(rk_, kPollMs)) rd_kafka_message_destroy(message);
    if (owner_) CommitDelivered(true);
  }
  rd_kafka_consumer_close(rk_);  // the revocation inside it stops the feed if it was held
  if (owner_.exchange(false)) on_change_(false, 0);  // no revocation came (no broker answered)
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

bool Owner::Mine(const rd_kafka_topic_partition_list_t* partitions) const {
  for (int i = 0; i < partitions->cnt; ++i) {
    if (partitions->elems[i].partition == config_.partition &&
        std::string_view(partitions->elems[i].topic) == config_.log_topic) {
      return true;
    }
  }
  return false;
}

void Owner::Rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions) {
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    Gain(partitions);
  } else {
    GiveUp(partitions);  // revoked or lost: the feed stops before the group moves on
  }
}

void Owner::Gain(rd_kafka_topic_partition_list_t* partitions) {
  if (const rd_kafka_resp_err_t err = rd_kafka_assign(rk_, partitions); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::warn("finance feed group {}: assign: {}", config_.group, rd_kafka_err2str(err));
    return;
  }
  rd_kafka_pause_partitions(rk_, partitions);  // membership only: nothing is fetched
  if (!Mine(partitions) || stopping_ || owner_) return;
  const std::uint64_t handed_over = HandedOver();
  committed_ = handed_over;
  owner_ = true;
  spdlog::info("finance feed: this node holds partition {} of {} in group {}; the group recorded delivery through seq {}",
               config_.partition, config_.log_topic, config_.group, handed_over);
  on_change_(true, handed_over);
}

void Owner::GiveUp(rd_kafka_topic_partition_list_t* partitions) {
  const bool lost = rd_kafka_assignment_lost(rk_) != 0;
  if (owner_ && Mine(partitions)) {
    owner_ = false;
    on_change_(false, 0);  // the feed has stopped: what it delivered is final
    if (!lost) CommitDelivered(true);
    spdlog::info("finance feed: this node gave up partition {} of {} in group {}{}", config_.partition,
                 config_.log_topic, config_.group, lost ? " (its membership was lost)" : "");
  }
  rd_kafka_assign(rk_, nullptr);  // eager: everything is revoked at once
}

// The delivered seq the group holds as the partition's committed offset (0 if none, or if the
// group cannot be asked: the feed then starts from this node's own cursor).
std::uint64_t Owner::HandedOver() {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, config_.log_topic.c_str(), config_.partition);
  std::uint64_t seq = 0;
  const rd_kafka_resp_err_t err = rd_kafka_committed(rk_, list, kCommittedTimeoutMs);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR && list->elems[0].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
      list->elems[0].offset > 0) {
    seq = static_cast<std::uint64_t>(list->elems[0].offset);
  } else if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::warn("finance feed group {}: the delivered seq cannot be read ({}): publishing from this node's cursor",
                 config_.group, rd_kafka_err2str(err));
  }
  rd_kafka_topic_partition_list_destroy(list);
  return seq;
}

// Records the feed's delivered seq in the group if it moved on, waiting for the answer (this
// thread does nothing else). A refused commit (the group is rebalancing, or this member is out
// of its generation) is tried again at the next poll, or left to the next holder, who then
// publishes again from an earlier seq.
void Owner::CommitDelivered(bool sync) {
  const std::uint64_t delivered = config_.delivered ? config_.delivered() : 0;
  if (delivered <= committed_) return;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, config_.log_topic.c_str(), config_.partition)->offset =
      static_cast<std::int64_t>(delivered);
  const rd_kafka_resp_err_t err = rd_kafka_commit(rk_, list, sync ? 0 : 1);
  rd_kafka_topic_partition_list_destroy(list);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) committed_ = delivered;
}

void Owner::OnError(int err, const char* reason) {
  spdlog::debug("feed group: Kafka error {}: {}", err, reason);
}

}  // namespace

Result<std::unique_ptr<FeedOwnership>> FeedOwnership::Start(const FeedOwnerConfig& config,
                                                            std::function<void(bool owner, std::uint64_t handed_over)> on_change) {
  auto owner = std::make_unique<Owner>(config, std::move(on_change));
  if (auto opened = owner->Open(); !opened) return tl::unexpected(opened.error());
  return owner;
}

}  // namespace capledger::stream
