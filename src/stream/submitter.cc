#include "stream/submitter.h"

#include <array>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include "common/assert.h"

namespace capledger::stream {
namespace {

// Purged messages are reported within this after a purge (they need no broker).
constexpr int kPurgeDrainMs = 5'000;

// The offsets and errors of one Submit call, filled by the delivery reports.
struct Deliveries {
  std::vector<std::int64_t> offsets;  // -1 until delivered
  std::vector<std::string> errors;    // empty unless failed
  std::size_t reported = 0;
};

// `opaque` is the producer's pointer to the Deliveries of the Submit in progress (null between
// calls: a report of an abandoned message is dropped).
void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* deliveries = *static_cast<Deliveries**>(opaque);
  if (deliveries == nullptr) return;
  const auto index = reinterpret_cast<std::uintptr_t>(message->_private);
  LEDGER_ASSERT(index < deliveries->offsets.size());
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    deliveries->offsets[index] = message->offset;
  } else {
    deliveries->errors[index] = rd_kafka_err2str(message->err);
  }
  ++deliveries->reported;
}

std::string_view KindHeader(SubmissionKind kind) {
  switch (kind) {
    case SubmissionKind::kPayout:
      return kPayoutSubmission;
    case SubmissionKind::kPublication:
      return kPublicationSubmission;
    case SubmissionKind::kEvent:
    case SubmissionKind::kUnknown:
      break;
  }
  return kEventSubmission;
}

rd_kafka_headers_t* HeadersOf(const Submission& submission) {
  rd_kafka_headers_t* headers = rd_kafka_headers_new(3);
  const std::string_view kind = KindHeader(submission.kind);
  rd_kafka_header_add(headers, kSubmissionHeader.data(), static_cast<ssize_t>(kSubmissionHeader.size()), kind.data(),
                      static_cast<ssize_t>(kind.size()));
  if (submission.content_type) {
    rd_kafka_header_add(headers, "content-type", -1, submission.content_type->data(),
                        static_cast<ssize_t>(submission.content_type->size()));
  }
  if (submission.input) {
    const std::string input = FormatInput(*submission.input);
    rd_kafka_header_add(headers, kInputHeader.data(), static_cast<ssize_t>(kInputHeader.size()), input.data(),
                        static_cast<ssize_t>(input.size()));
  }
  return headers;
}

}  // namespace

struct Submitter::Handles {
  rd_kafka_t* rk = nullptr;
  std::string topic;
  Deliveries* deliveries = nullptr;  // of the Submit in progress
  ~Handles() {
    if (rk != nullptr) {
      rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      rd_kafka_flush(rk, 1000);
      rd_kafka_destroy(rk);
    }
  }
};

Submitter::Submitter(std::unique_ptr<Handles> handles) : h_(std::move(handles)) {}

// Whatever is still queued is dropped unreported, so that no late report reaches the next call.
void Submitter::Abandon() {
  h_->deliveries = nullptr;
  if (rd_kafka_outq_len(h_->rk) == 0) return;
  rd_kafka_purge(h_->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_flush(h_->rk, kPurgeDrainMs);
}
Submitter::~Submitter() = default;

Result<std::unique_ptr<Submitter>> Submitter::Create(const KafkaConfig& config, std::string log_topic) {
  auto conf = MakeRdKafkaConf(config, {{"enable.idempotence", "true"}, {"acks", "all"}, {"linger.ms", "1"}});
  if (!conf) return tl::unexpected(conf.error());
  rd_kafka_conf_set_dr_msg_cb(*conf, OnDelivery);
  auto handles = std::make_unique<Handles>();
  rd_kafka_conf_set_opaque(*conf, &handles->deliveries);
  handles->topic = std::move(log_topic);
  std::array<char, 512> error{};
  handles->rk = rd_kafka_new(RD_KAFKA_PRODUCER, *conf, error.data(), error.size());
  if (handles->rk == nullptr) {
    rd_kafka_conf_destroy(*conf);
    return Fail(ErrorCode::kInvalidArgument, fmt::format("Kafka producer of submissions: {}", error.data()));
  }
  return std::unique_ptr<Submitter>(new Submitter(std::move(handles)));
}

Result<std::vector<std::int64_t>> Submitter::Submit(std::int32_t partition, std::span<const Submission> submissions,
                                                    Timestamp at, std::chrono::milliseconds timeout) {
  Deliveries deliveries;
  deliveries.offsets.assign(submissions.size(), -1);
  deliveries.errors.resize(submissions.size());
  h_->deliveries = &deliveries;
  const std::int64_t at_ms = ToMicros(at) / 1000;
  for (std::size_t i = 0; i < submissions.size(); ++i) {
    const Submission& s = submissions[i];
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    for (;;) {
      err = rd_kafka_producev(
          h_->rk, RD_KAFKA_V_TOPIC(h_->topic.c_str()), RD_KAFKA_V_PARTITION(partition),
          RD_KAFKA_V_VALUE(const_cast<char*>(s.value.data()), s.value.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_HEADERS(HeadersOf(s)), RD_KAFKA_V_TIMESTAMP(at_ms),
          RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<std::uintptr_t>(i))), RD_KAFKA_V_END);
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) break;
      rd_kafka_poll(h_->rk, 10);
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_flush(h_->rk, static_cast<int>(timeout.count()));
      Abandon();
      return Fail(ErrorCode::kUnavailable,
                  fmt::format("submission {} of {} to {} partition {} not produced: {}", i + 1, submissions.size(),
                              h_->topic, partition, rd_kafka_err2str(err)));
    }
  }
  rd_kafka_flush(h_->rk, static_cast<int>(timeout.count()));
  Abandon();
  for (std::size_t i = 0; i < submissions.size(); ++i) {
    if (deliveries.offsets[i] < 0) {
      return Fail(ErrorCode::kUnavailable,
                  fmt::format("submission {} of {} to {} partition {} not acknowledged within {} ms{}{}", i + 1,
                              submissions.size(), h_->topic, partition, timeout.count(),
                              deliveries.errors[i].empty() ? "" : ": ", deliveries.errors[i]));
    }
  }
  return std::move(deliveries.offsets);
}

Result<std::int64_t> Submitter::EndOffset(std::int32_t partition, std::chrono::milliseconds timeout) {
  std::int64_t low = 0;
  std::int64_t high = 0;
  const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(h_->rk, h_->topic.c_str(), partition, &low, &high,
                                                                   static_cast<int>(timeout.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Fail(ErrorCode::kUnavailable, fmt::format("the end of {} partition {} is unknown: {}", h_->topic, partition,
                                                     rd_kafka_err2str(err)));
  }
  return high;
}

}  // namespace capledger::stream
