// Forwarder: a consumer of the region's events topic in the region's ingest group, and a
// submitter to the region's partition of the log topic. Each batch is submitted, and only once
// the log's brokers have acknowledged it are its offsets committed to the group. A crash before
// the commit makes the next member read the batch again and submit it again; the indexer then
// drops every input position it has applied (kInputApplied), so nothing is applied twice.
#include "stream/forwarder.h"

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include "common/thread.h"
#include "stream/group_consumer.h"
#include "stream/message_decoder.h"
#include "stream/submitter.h"

namespace capledger::stream {
namespace {

constexpr int kIdlePollMs = 100;
constexpr int kBatchPollMs = 5;
constexpr std::chrono::milliseconds kBatchAge{50};       // a batch waits at most this for more
constexpr std::chrono::milliseconds kFailureBackoff{500};
constexpr int kCommittedTimeoutMs = 10'000;

std::optional<std::string> HeaderOf(const rd_kafka_message_t& message, const char* name) {
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(&message, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
  const void* value = nullptr;
  std::size_t size = 0;
  if (rd_kafka_header_get_last(headers, name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
  return std::string(static_cast<const char*>(value), size);
}

class ForwarderImpl final : public Forwarder {
 public:
  ForwarderImpl(ForwarderConfig config, const store::EventStore& store, const Clock& clock)
      : config_(std::move(config)), store_(store), clock_(clock) {}
  ~ForwarderImpl() override { Stop(); }

  Status Open();
  void Stop() override;
  const ForwarderStats& stats() const override { return stats_; }

  void Rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions);

 private:
  void PollLoop();
  void Add(const rd_kafka_message_t& message);
  void Flush();
  void Commit();
  void Rewind();
  std::int64_t ResumeAt(std::int32_t partition, std::int64_t committed);
  void Assign(rd_kafka_topic_partition_list_t* partitions);

  ForwarderConfig config_;
  const store::EventStore& store_;
  const Clock& clock_;
  std::unique_ptr<Submitter> submitter_;
  rd_kafka_t* rk_ = nullptr;
  std::vector<Submission> pending_;
  std::map<std::int32_t, std::pair<std::int64_t, std::int64_t>> pending_range_;  // partition -> first, last offset
  SteadyTime batch_started_{};
  std::set<std::int32_t> assigned_;  // the partitions of the events topic this member holds
  ForwarderStats stats_;
  std::atomic<bool> stopping_{false};
  std::thread poller_;
  std::once_flag stop_once_;
};

extern "C" void ForwarderRebalance(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                                   void* opaque) {
  static_cast<ForwarderImpl*>(opaque)->Rebalance(err, partitions);
}

extern "C" void ForwarderLog(const rd_kafka_t*, int level, const char* facility, const char* text) {
  if (level <= 4) spdlog::debug("upstream ingest: Kafka {}: {}", facility, text);
}

extern "C" void ForwarderError(rd_kafka_t*, int err, const char* reason, void*) {
  spdlog::debug("upstream ingest: Kafka error {}: {}", err, reason);
}

Status ForwarderImpl::Open() {
  auto submitter = Submitter::Create(config_.kafka, config_.log_topic);
  if (!submitter) return tl::unexpected(submitter.error());
  submitter_ = std::move(*submitter);
  // capledger's own: the group, eager rebalancing, offsets committed only after the log has acknowledged what was read.
  const auto fixed = MemberProperties(config_.kafka, config_.session_timeout_ms, config_.group, "earliest");
  auto consumer = SubscribeConsumer(config_.kafka, fixed, config_.events_topic,
                                    ConsumerHooks{this, ForwarderRebalance, ForwarderError, ForwarderLog},
                                    "upstream consumer");
  if (!consumer) return tl::unexpected(consumer.error());
  rk_ = *consumer;
  pending_.reserve(config_.batch_messages);
  poller_ = StartThread("upstream-ingest", [this] { PollLoop(); });
  spdlog::info("upstream ingest: {} as group {}, submitted to {} partition {}", config_.events_topic, config_.group,
               config_.log_topic, config_.partition);
  return {};
}

void ForwarderImpl::Stop() {
  std::call_once(stop_once_, [this] {
    stopping_ = true;
    if (poller_.joinable()) poller_.join();
    if (rk_ != nullptr) {
      rd_kafka_destroy(rk_);
      rk_ = nullptr;
    }
    submitter_.reset();
    spdlog::info("upstream ingest stopped: {} messages submitted", stats_.forwarded.load());
  });
}

void ForwarderImpl::PollLoop() {
  while (!stopping_) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(rk_, pending_.empty() ? kIdlePollMs : kBatchPollMs);
    if (message != nullptr) {
      if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        Add(*message);
      } else {
        spdlog::debug("upstream ingest: {}", rd_kafka_message_errstr(message));
      }
      rd_kafka_message_destroy(message);
    }
    const bool full = pending_.size() >= config_.batch_messages;
    const bool old = !pending_.empty() && clock_.SteadyNow() - batch_started_ >= kBatchAge;
    if (full || old || (message == nullptr && !pending_.empty())) Flush();
  }
  Flush();  // what was read is submitted and committed before the group is left
  rd_kafka_consumer_close(rk_);
}

void ForwarderImpl::Add(const rd_kafka_message_t& message) {
  if (pending_.empty()) batch_started_ = clock_.SteadyNow();
  const char* topic = rd_kafka_topic_name(message.rkt);
  pending_.push_back(Submission{SubmissionKind::kEvent,
                                std::string(static_cast<const char*>(message.payload), message.payload ? message.len : 0),
                                HeaderOf(message, kContentTypeHeader.data()),
                                InputPosition{topic, message.partition, message.offset}});
  auto [range, fresh] = pending_range_.try_emplace(message.partition, message.offset, message.offset);
  if (!fresh) range->second.second = message.offset;
}

// Submits the batch; once acknowledged, commits its offsets. A batch not acknowledged is read
// again: every partition in it goes back to its first offset in the batch.
void ForwarderImpl::Flush() {
  if (pending_.empty()) return;
  auto submitted = submitter_->Submit(config_.partition, pending_, clock_.Now(), config_.submit_timeout);
  if (submitted) {
    stats_.forwarded += pending_.size();
    ++stats_.batches;
    Commit();
  } else {
    ++stats_.failures;
    spdlog::warn("upstream ingest: {} messages not submitted ({}); reading them again", pending_.size(),
                 submitted.error().message);
    Rewind();
    std::this_thread::sleep_for(kFailureBackoff);
  }
  pending_.clear();
  pending_range_.clear();
}

void ForwarderImpl::Commit() {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(pending_range_.size()));
  for (const auto& [partition, range] : pending_range_) {
    rd_kafka_topic_partition_list_add(list, config_.events_topic.c_str(), partition)->offset = range.second + 1;
  }
  // A refused commit only means the batch may be read and submitted again, which the indexer drops.
  if (const rd_kafka_resp_err_t err = rd_kafka_commit(rk_, list, 0); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::debug("upstream ingest: commit: {}", rd_kafka_err2str(err));
  }
  rd_kafka_topic_partition_list_destroy(list);
}

void ForwarderImpl::Rewind() {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(pending_range_.size()));
  for (const auto& [partition, range] : pending_range_) {
    if (assigned_.count(partition) > 0) {
      rd_kafka_topic_partition_list_add(list, config_.events_topic.c_str(), partition)->offset = range.first;
    }
  }
  if (list->cnt > 0) {
    if (rd_kafka_error_t* error = rd_kafka_seek_partitions(rk_, list, 5000)) {
      spdlog::warn("upstream ingest: seek back: {}", rd_kafka_error_string(error));
      rd_kafka_error_destroy(error);
    }
  }
  rd_kafka_topic_partition_list_destroy(list);
}

// The later of the group's committed offset and the next input offset this node has applied.
std::int64_t ForwarderImpl::ResumeAt(std::int32_t partition, std::int64_t committed) {
  std::int64_t at = committed >= 0 ? committed : RD_KAFKA_OFFSET_BEGINNING;
  auto stored = store_.ReadMeta(OffsetKey(config_.events_topic, partition));
  if (stored && stored->has_value()) {
    if (auto next = DecodeOffset(**stored); next && *next > std::max<std::int64_t>(at, 0)) at = *next;
  }
  return at;
}

void ForwarderImpl::Assign(rd_kafka_topic_partition_list_t* partitions) {
  rd_kafka_topic_partition_list_t* committed = rd_kafka_topic_partition_list_copy(partitions);
  const bool known = rd_kafka_committed(rk_, committed, kCommittedTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR;
  for (int i = 0; i < partitions->cnt; ++i) {
    rd_kafka_topic_partition_t& p = partitions->elems[i];
    const std::int64_t group_offset = known && committed->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR
                                          ? committed->elems[i].offset
                                          : RD_KAFKA_OFFSET_INVALID;
    p.offset = ResumeAt(p.partition, group_offset);
    assigned_.insert(p.partition);
    spdlog::info("upstream ingest: {} partition {} assigned, resuming at {}", p.topic, p.partition,
                 p.offset >= 0 ? std::to_string(p.offset) : std::string("the beginning"));
  }
  rd_kafka_topic_partition_list_destroy(committed);
  if (const rd_kafka_resp_err_t err = rd_kafka_assign(rk_, partitions); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::warn("upstream ingest: assign: {}", rd_kafka_err2str(err));
  }
  stats_.assigned = !assigned_.empty();
}

void ForwarderImpl::Rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions) {
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    Assign(partitions);
    return;
  }
  // Revoked or lost: what was read is submitted first (committed unless the group moved on).
  Flush();
  assigned_.clear();  // eager: everything is revoked at once
  stats_.assigned = false;
  rd_kafka_assign(rk_, nullptr);
}

}  // namespace

Result<std::unique_ptr<Forwarder>> Forwarder::Start(const ForwarderConfig& config, const store::EventStore& store,
                                                    const Clock& clock) {
  auto forwarder = std::make_unique<ForwarderImpl>(config, store, clock);
  if (auto opened = forwarder->Open(); !opened) return tl::unexpected(opened.error());
  return forwarder;
}

}  // namespace capledger::stream
