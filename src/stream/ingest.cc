// Kafka ingest: one thread polls the events topic, decodes each message and fills a batch, which
// the store's IngestStage makes durable with the partitions' next offsets. Partition assignment
// seeks to the offsets in the store, after the batch in flight is durable.
#include "stream/ingest.h"

#include <array>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include "codec/reject_code.h"
#include "common/thread.h"
#include "common/assert.h"
#include "common/rate_limited_log.h"
#include "store/ingest_stage.h"
#include "stream/group_consumer.h"
#include "stream/message_decoder.h"

namespace capledger::stream {
namespace {

// A batch is written once it holds batch_messages messages, once its first message is this old,
// or once nothing more is waiting in the consumer's queue while the writer is idle (group
// commit: a trickle is durable at once, and under load batches grow while the previous write
// and its fsync run).
constexpr auto kBatchAge = std::chrono::milliseconds(100);
// Poll timeouts: none while a batch is open and the writer idle, short while it writes, longer
// when no batch is open (the loop never spins).
constexpr int kPollWritingMs = 1;
constexpr int kPollIdleMs = 100;
// How often the lag and the brokers' liveness are refreshed, and the wait for one answer.
constexpr auto kLagInterval = std::chrono::seconds(1);
constexpr int kWatermarkTimeoutMs = 1500;
// At most one log line per kind in this interval (the rest are counted).
constexpr auto kLogInterval = std::chrono::seconds(10);

// librdkafka tunables with capledger's defaults, unless [kafka.properties] sets them: bounded
// reconnect back-off and a prefetch queue bounded in bytes (memory stays bounded when the store
// is slow). queued.min.messages keeps librdkafka's default (100000): below one fetch response's
// worth, 2.0.2's fetcher backs off for a second each time the queue holds it (4,600 events/s).
const std::array<std::pair<const char*, const char*>, 4> kTunables = {{
    {"reconnect.backoff.ms", "100"},
    {"reconnect.backoff.max.ms", "10000"},
    {"queued.max.messages.kbytes", "16384"},
    {"fetch.max.bytes", "8388608"},
}};

class Ingest final : public KafkaIngest {
 public:
  Ingest(const KafkaConfig& config, store::EventStore& store, ledger::LedgerService& service,
         const RegionSecret& secret, const Clock& clock, std::function<void()> request_stop)
      : config_(config),
        store_(store),
        service_(service),
        clock_(clock),
        decoder_(secret.bytes()),
        request_stop_(std::move(request_stop)),
        log_(clock, kLogInterval),
        stage_(store, store::IngestStageOptions{store::AssembleOn::kWriter, 1},
               [this](store::DurableBatch& batch) { return Durable(batch); },
               [this](const Error& error) { StageFailed(error); }) {}
  ~Ingest() override { Stop(); }

  Status Open();
  void Stop() override;
  const IngestStats& stats() const override { return stats_; }

  // librdkafka's callbacks (on the poll thread, inside rd_kafka_consumer_poll or close).
  void OnRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions);
  void OnError(int err, const char* reason);
  void OnLog(int level, const char* facility, const char* text);

 private:
  void PollLoop();
  void Handle(const rd_kafka_message_t& message);
  bool Flush();
  void Assign(rd_kafka_topic_partition_list_t* partitions);
  void Revoke(rd_kafka_topic_partition_list_t* partitions);
  void LagLoop();
  void RefreshLag();
  void PublishPositions();
  void Failed();
  // The stage's callbacks, on its writer thread.
  Status Durable(store::DurableBatch& batch);
  void StageFailed(const Error& error);
  // A warning through the rate-limited log.
  void Warn(std::string_view kind, std::string_view text) { log_.Warn(kind, fmt::format("Kafka consumer: {}", text)); }

  const KafkaConfig config_;
  store::EventStore& store_;
  ledger::LedgerService& service_;
  const Clock& clock_;
  MessageDecoder decoder_;  // poll thread only
  std::function<void()> request_stop_;
  IngestStats stats_;
  RateLimitedLog log_;
  rd_kafka_t* rk_ = nullptr;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> failed_{false};
  std::once_flag stop_once_;
  std::once_flag failed_once_;

  // Poll thread only.
  store::DecodedBatch batch_;
  std::map<std::int32_t, std::int64_t> batch_offsets_;  // partition -> offset after its last message in batch_
  SteadyTime batch_started_{};
  std::map<std::int32_t, std::int64_t> next_;  // assigned partitions: the next offset to take (-1: any)

  // The lag thread's view of next_, published by the poll thread at each flush and rebalance.
  std::mutex positions_mutex_;
  std::condition_variable positions_changed_;
  std::map<std::int32_t, std::int64_t> positions_;
  bool lag_stopping_ = false;

  store::IngestStage stage_;  // the writer thread; stopped after the poll thread
  std::thread poller_;
  std::thread lagger_;  // asks the brokers for the watermarks, off the poll thread (the answers are slow)
};

extern "C" void RebalanceCallback(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                                  void* opaque) {
  static_cast<Ingest*>(opaque)->OnRebalance(err, partitions);
}

extern "C" void ErrorCallback(rd_kafka_t*, int err, const char* reason, void* opaque) {
  static_cast<Ingest*>(opaque)->OnError(err, reason);
}

extern "C" void LogCallback(const rd_kafka_t* rk, int level, const char* facility, const char* text) {
  static_cast<Ingest*>(rd_kafka_opaque(rk))->OnLog(level, facility, text);
}

Status Ingest::Open() {
  std::vector<std::pair<std::string, std::string>> fixed;
  for (const auto& [name, value] : kTunables) {
    if (!HasProperty(config_, name)) fixed.emplace_back(name, value);
  }
  // capledger's own: the offsets live in the store, never in Kafka.
  fixed.emplace_back("group.id", config_.group_id);
  fixed.emplace_back("enable.auto.commit", "false");
  fixed.emplace_back("enable.auto.offset.store", "false");
  fixed.emplace_back("auto.offset.reset", "earliest");
  fixed.emplace_back("enable.partition.eof", "false");
  auto consumer = SubscribeConsumer(config_, fixed, config_.events_topic,
                                    ConsumerHooks{this, RebalanceCallback, ErrorCallback, LogCallback}, "consumer");
  if (!consumer) return tl::unexpected(consumer.error());
  rk_ = *consumer;
  batch_.requests.reserve(config_.batch_messages);
  batch_.prepared.reserve(config_.batch_messages);
  poller_ = StartThread("kafka-ingest-poller", [this] { PollLoop(); });
  lagger_ = StartThread("kafka-ingest-lag", [this] { LagLoop(); });
  spdlog::info("Kafka ingest: consuming {} as group {}", config_.events_topic, config_.group_id);
  return {};
}

void Ingest::Stop() {
  std::call_once(stop_once_, [this] {
    stopping_ = true;
    {
      std::lock_guard lock(positions_mutex_);
      lag_stopping_ = true;
    }
    positions_changed_.notify_all();
    if (lagger_.joinable()) lagger_.join();
    if (poller_.joinable()) poller_.join();
    if (rk_ != nullptr) {
      rd_kafka_destroy(rk_);
      rk_ = nullptr;
    }
    spdlog::info("Kafka ingest stopped: {} messages durable ({} stored, {} duplicate, {} rejected)",
                 stats_.messages.load(), stats_.stored.load(), stats_.duplicates.load(), stats_.rejected.load());
  });
}

void Ingest::Failed() {
  failed_ = true;
  std::call_once(failed_once_, [this] {
    if (request_stop_) request_stop_();
  });
}

// One batch durable with its offsets: the totals, each reject in the log, and the projection
// brought up to the new head.
Status Ingest::Durable(store::DurableBatch& batch) {
  for (const auto* rejects : {&batch.store_rejects, &batch.decoder_rejects}) {
    for (const auto& reject : *rejects) {
      spdlog::warn("rejected {}: {}", reject.origin.source, codec::DescribeRejection(reject.origin.line, reject.rejection));
    }
  }
  stats_.stored += batch.stored;
  stats_.duplicates += batch.duplicate;
  stats_.rejected += batch.rejected();
  stats_.messages += batch.inputs;
  spdlog::debug("Kafka batch durable: {} messages (stored {}, duplicate {}, rejected {})", batch.inputs, batch.stored,
                batch.duplicate, batch.rejected());
  if (auto caught_up = service_.CatchUp(); !caught_up) {
    return Fail(caught_up.error().code, fmt::format("the projection cannot catch up: {}", caught_up.error().message));
  }
  return {};
}

void Ingest::StageFailed(const Error& error) {
  spdlog::error("Kafka ingest stopped: {}", error.message);
  Failed();
}

void Ingest::PollLoop() {
  while (!stopping_ && !failed_) {
    const bool writer_idle = stage_.Idle();
    const int timeout = batch_.inputs == 0 ? kPollIdleMs : writer_idle ? 0 : kPollWritingMs;
    rd_kafka_message_t* message = rd_kafka_consumer_poll(rk_, timeout);
    const bool drained = message == nullptr;
    if (message) {
      Handle(*message);
      rd_kafka_message_destroy(message);
    }
    const SteadyTime now = clock_.SteadyNow();
    if (batch_.inputs > 0 &&
        ((drained && writer_idle) || batch_.inputs >= config_.batch_messages || now - batch_started_ >= kBatchAge)) {
      Flush();
    }
  }
  // Drain: the batch in flight is made durable with its offsets, then the consumer leaves the
  // group (the revocation in close flushes nothing more).
  if (!failed_) Flush();
  (void)stage_.Flush();  // a failure is reported by the stage (StageFailed)
  rd_kafka_consumer_close(rk_);
}

void Ingest::PublishPositions() {
  std::lock_guard lock(positions_mutex_);
  positions_ = next_;
}

bool Ingest::Flush() {
  if (batch_.inputs == 0) return !failed_;
  PublishPositions();
  for (const auto& [partition, next] : batch_offsets_) {
    batch_.meta.push_back(store::MetaPut{OffsetKey(config_.events_topic, partition), EncodeOffset(next)});
  }
  batch_offsets_.clear();
  const bool submitted = stage_.Submit(batch_).has_value();
  batch_.requests.reserve(config_.batch_messages);  // the stage took the batch's memory with it
  batch_.prepared.reserve(config_.batch_messages);
  return submitted;
}

void Ingest::Handle(const rd_kafka_message_t& message) {
  if (message.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (message.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return;
    Warn("message-error", rd_kafka_message_errstr(&message));
    return;
  }
  stats_.brokers_up = true;
  auto found = next_.find(message.partition);
  if (found == next_.end()) return;  // revoked meanwhile
  if (found->second >= 0 && message.offset < found->second) return;  // already durable: never twice
  if (found->second >= 0 && message.offset > found->second) {
    Warn(fmt::format("gap-{}", message.partition),
         fmt::format("{} partition {}: offsets {} to {} were not there to consume (below the log start or "
                     "compacted away)",
                     config_.events_topic, message.partition, found->second, message.offset - 1));
  }
  found->second = message.offset + 1;

  MessageRef ref;
  ref.topic = config_.events_topic;
  ref.partition = message.partition;
  ref.offset = message.offset;
  ref.value = std::string_view(static_cast<const char*>(message.payload), message.payload ? message.len : 0);
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(&message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const void* value = nullptr;
    std::size_t size = 0;
    if (rd_kafka_header_get_last(headers, kContentTypeHeader.data(), &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      ref.content_type = std::string_view(static_cast<const char*>(value), value ? size : 0);
    }
  }
  DecodedMessage decoded = decoder_.Decode(ref);
  if (batch_.inputs == 0) batch_started_ = clock_.SteadyNow();
  ++batch_.inputs;
  batch_offsets_[message.partition] = message.offset + 1;
  if (decoded.reject) {
    batch_.rejects.push_back(std::move(*decoded.reject));
  } else {
    LEDGER_ASSERT(decoded.request.has_value());
    batch_.prepared.push_back(store::PrepareBody(decoded.request->event));  // here, off the writer thread
    batch_.requests.push_back(std::move(*decoded.request));
  }
}

void Ingest::OnRebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions) {
  // Whatever is in flight becomes durable first: the offsets read next are then the store's last.
  Flush();
  (void)stage_.Flush();  // a failure is reported by the stage (StageFailed)
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    Assign(partitions);
  } else {
    Revoke(partitions);
  }
  PublishPositions();
}

void Ingest::Assign(rd_kafka_topic_partition_list_t* partitions) {
  for (int i = 0; i < partitions->cnt; ++i) {
    rd_kafka_topic_partition_t& p = partitions->elems[i];
    auto stored = store_.ReadMeta(OffsetKey(p.topic, p.partition));
    std::optional<std::int64_t> next;
    if (!stored) {
      spdlog::error("Kafka ingest stopped: {}", stored.error().message);
      Failed();
    } else if (stored->has_value()) {
      next = DecodeOffset(**stored);
      if (!next) {
        spdlog::error("Kafka ingest stopped: the stored offset of {} partition {} is damaged", p.topic, p.partition);
        Failed();
      }
    }
    p.offset = next ? *next : RD_KAFKA_OFFSET_BEGINNING;
    next_[p.partition] = next ? *next : -1;
    spdlog::info("Kafka ingest: {} partition {} assigned, resuming at {}", p.topic, p.partition,
                 next ? fmt::format("offset {}", *next) : std::string("the beginning"));
  }
  if (failed_) return;  // nothing assigned: the service is stopping
  if (std::string_view(rd_kafka_rebalance_protocol(rk_)) == "COOPERATIVE") {
    if (rd_kafka_error_t* error = rd_kafka_incremental_assign(rk_, partitions)) {
      Warn("assign", rd_kafka_error_string(error));
      rd_kafka_error_destroy(error);
    }
  } else if (auto e = rd_kafka_assign(rk_, partitions); e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    Warn("assign", rd_kafka_err2str(e));
  }
}

void Ingest::Revoke(rd_kafka_topic_partition_list_t* partitions) {
  for (int i = 0; i < partitions->cnt; ++i) next_.erase(partitions->elems[i].partition);
  if (std::string_view(rd_kafka_rebalance_protocol(rk_)) == "COOPERATIVE") {
    if (rd_kafka_error_t* error = rd_kafka_incremental_unassign(rk_, partitions)) {
      Warn("unassign", rd_kafka_error_string(error));
      rd_kafka_error_destroy(error);
    }
  } else {
    rd_kafka_assign(rk_, nullptr);
  }
}

void Ingest::LagLoop() {
  std::unique_lock lock(positions_mutex_);
  while (!lag_stopping_) {
    lock.unlock();
    RefreshLag();
    lock.lock();
    clock_.WaitFor(lock, positions_changed_, kLagInterval, [this] { return lag_stopping_; });
  }
}

// Lag: the high watermarks (asked of the brokers, which also shows they answer) less the next
// offsets to consume.
void Ingest::RefreshLag() {
  std::map<std::int32_t, std::int64_t> positions;
  {
    std::lock_guard lock(positions_mutex_);
    positions = positions_;
  }
  if (positions.empty()) return;  // nothing assigned yet: nothing to ask, nothing learnt
  std::int64_t lag = 0;
  for (const auto& [partition, next] : positions) {
    if (stopping_) return;
    std::int64_t low = 0, high = 0;
    const auto err = rd_kafka_query_watermark_offsets(rk_, config_.events_topic.c_str(), partition, &low, &high,
                                                      kWatermarkTimeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      stats_.brokers_up = false;
      Warn("watermarks", fmt::format("watermarks of partition {}: {}", partition, rd_kafka_err2str(err)));
      return;  // the last figure stands until the brokers answer
    }
    lag += std::max<std::int64_t>(0, high - (next >= 0 ? next : low));
  }
  stats_.brokers_up = true;
  stats_.lag = lag;
}

void Ingest::OnError(int err, const char* reason) {
  const auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) stats_.brokers_up = false;
  if (code == RD_KAFKA_RESP_ERR__TRANSPORT || code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ||
      code == RD_KAFKA_RESP_ERR__RESOLVE || code == RD_KAFKA_RESP_ERR__TIMED_OUT) {
    ++stats_.broker_errors;
  }
  Warn(fmt::format("error-{}", err), fmt::format("{} (retried)", reason));
}

void Ingest::OnLog(int level, const char* facility, const char* text) {
  if (level <= 4) {  // up to warning
    Warn(fmt::format("log-{}", facility), fmt::format("{}: {}", facility, text));
  } else {
    spdlog::debug("librdkafka {}: {}", facility, text);
  }
}

}  // namespace

Result<std::unique_ptr<KafkaIngest>> KafkaIngest::Start(const KafkaConfig& config, store::EventStore& store,
                                                        ledger::LedgerService& service, const RegionSecret& secret,
                                                        const Clock& clock, std::function<void()> request_stop) {
  if (auto checked = CheckKafkaConfig(config); !checked) return tl::unexpected(checked.error());
  auto ingest = std::make_unique<Ingest>(config, store, service, secret, clock, std::move(request_stop));
  if (auto opened = ingest->Open(); !opened) return tl::unexpected(opened.error());
  return std::unique_ptr<KafkaIngest>(std::move(ingest));
}

}  // namespace capledger::stream
