#include "stream/feed_producer.h"

#include <array>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include "common/assert.h"

namespace capledger::stream {
namespace {

// Purged messages are reported within this after a purge (they need no broker).
constexpr int kPurgeDrainMs = 5'000;

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* events = static_cast<FeedEvents*>(opaque);
  const auto tag = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(message->_private));
  const bool purged = message->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || message->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT;
  events->Delivered(tag,
                    message->err == RD_KAFKA_RESP_ERR_NO_ERROR ? std::string_view()
                                                               : std::string_view(rd_kafka_err2str(message->err)),
                    purged);
}

void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* events = static_cast<FeedEvents*>(opaque);
  const bool fatal = err == RD_KAFKA_RESP_ERR__FATAL;
  std::string text = reason;
  if (fatal) {
    std::array<char, 512> why{};
    rd_kafka_fatal_error(rk, why.data(), why.size());
    text = fmt::format("fatal: {}", why.data());
  }
  events->ClientError(fatal, err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, text);
}

int OnStatistics(rd_kafka_t*, char* json, size_t length, void* opaque) {
  if (auto stats = ParseBrokerStats(std::string_view(json, length))) static_cast<FeedEvents*>(opaque)->Statistics(*stats);
  return 0;  // librdkafka frees the JSON
}

// librdkafka's own log lines, for an operator debugging a connection; the feed logs what matters.
void OnLog(const rd_kafka_t*, int level, const char* facility, const char* message) {
  if (level <= 3) {
    spdlog::debug("librdkafka {}: {}", facility, message);
  } else {
    spdlog::trace("librdkafka {}: {}", facility, message);
  }
}

}  // namespace

struct FeedProducer::Handles {
  rd_kafka_t* rk = nullptr;
  rd_kafka_topic_t* topic = nullptr;
  ~Handles() {
    if (topic != nullptr) rd_kafka_topic_destroy(topic);
    if (rk != nullptr) rd_kafka_destroy(rk);
  }
};

std::vector<std::pair<std::string, std::string>> FeedFixedProperties() {
  return {{"enable.idempotence", "true"},       {"acks", "all"},
          {"enable.gapless.guarantee", "true"}, {"message.timeout.ms", "0"},
          {"statistics.interval.ms", "500"}};
}

std::vector<std::pair<std::string, std::string>> FeedDefaultProperties() {
  return {{"client.id", "capledger-feed"}, {"partitioner", "murmur2_random"}, {"linger.ms", "5"}};
}

Result<std::unique_ptr<FeedProducer>> FeedProducer::Create(const KafkaConfig& config, FeedEvents& events) {
  KafkaConfig with_defaults = config;
  with_defaults.properties = FeedDefaultProperties();
  with_defaults.properties.insert(with_defaults.properties.end(), config.properties.begin(), config.properties.end());
  auto conf = MakeRdKafkaConf(with_defaults, FeedFixedProperties());
  if (!conf) return tl::unexpected(conf.error());
  rd_kafka_conf_set_opaque(*conf, &events);
  rd_kafka_conf_set_dr_msg_cb(*conf, OnDelivery);
  rd_kafka_conf_set_error_cb(*conf, OnError);
  rd_kafka_conf_set_stats_cb(*conf, OnStatistics);
  rd_kafka_conf_set_log_cb(*conf, OnLog);
  std::array<char, 512> message{};
  auto handles = std::make_unique<Handles>();
  handles->rk = rd_kafka_new(RD_KAFKA_PRODUCER, *conf, message.data(), message.size());
  if (handles->rk == nullptr) {
    rd_kafka_conf_destroy(*conf);
    return Fail(ErrorCode::kIoError, fmt::format("finance feed: cannot create the producer: {}", message.data()));
  }
  handles->topic = rd_kafka_topic_new(handles->rk, config.ledger_topic.c_str(), nullptr);
  if (handles->topic == nullptr) {
    return Fail(ErrorCode::kIoError, fmt::format("finance feed: topic {}: {}", config.ledger_topic,
                                                 rd_kafka_err2str(rd_kafka_last_error())));
  }
  return std::unique_ptr<FeedProducer>(new FeedProducer(std::move(handles)));
}

FeedProducer::FeedProducer(std::unique_ptr<Handles> handles) : h_(std::move(handles)) {}

FeedProducer::~FeedProducer() {
  rd_kafka_purge(h_->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  for (int waited = 0; rd_kafka_outq_len(h_->rk) > 0 && waited < kPurgeDrainMs; waited += 10) rd_kafka_poll(h_->rk, 10);
  rd_kafka_poll(h_->rk, 0);
}

Status FeedProducer::Produce(const FeedMessage& m, std::int32_t partition, std::uint64_t tag) {
  const std::string seq = std::to_string(m.seq);
  for (;;) {
    rd_kafka_headers_t* headers = rd_kafka_headers_new(4);
    rd_kafka_header_add(headers, kHeaderMessage, -1, m.message.data(), static_cast<ssize_t>(m.message.size()));
    if (!m.entry_id.empty()) {
      rd_kafka_header_add(headers, kHeaderEntryId, -1, m.entry_id.data(), static_cast<ssize_t>(m.entry_id.size()));
    }
    rd_kafka_header_add(headers, kHeaderRun, -1, m.run.data(), static_cast<ssize_t>(m.run.size()));
    rd_kafka_header_add(headers, kHeaderSeq, -1, seq.data(), static_cast<ssize_t>(seq.size()));
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        h_->rk, RD_KAFKA_V_RKT(h_->topic), RD_KAFKA_V_PARTITION(partition < 0 ? RD_KAFKA_PARTITION_UA : partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(m.key.data(), m.key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(m.value.data()), m.value.size()), RD_KAFKA_V_HEADERS(headers),
        RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<std::uintptr_t>(tag))), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return {};  // librdkafka owns the headers now
    rd_kafka_headers_destroy(headers);
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      return Fail(ErrorCode::kIoError, fmt::format("producing seq {}: {}", m.seq, rd_kafka_err2str(err)));
    }
    rd_kafka_poll(h_->rk, 10);
  }
}

void FeedProducer::Poll(int timeout_ms) { rd_kafka_poll(h_->rk, timeout_ms); }

void FeedProducer::Flush(int timeout_ms) { rd_kafka_flush(h_->rk, timeout_ms); }

std::optional<int> FeedProducer::Partitions(int timeout_ms, std::string& why) {
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(h_->rk, 0, h_->topic, &metadata, timeout_ms);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    why = rd_kafka_err2str(err);
    return std::nullopt;
  }
  std::optional<int> count;
  if (metadata->topic_cnt == 1 && metadata->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
      metadata->topics[0].partition_cnt > 0) {
    count = metadata->topics[0].partition_cnt;
  } else {
    why = metadata->topic_cnt == 1 ? rd_kafka_err2str(metadata->topics[0].err) : "no such topic";
  }
  rd_kafka_metadata_destroy(metadata);
  return count;
}

int FeedProducer::queued() const { return rd_kafka_outq_len(h_->rk); }

}  // namespace capledger::stream
