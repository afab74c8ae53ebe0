// The producer of submissions (cluster mode, DESIGN.md §6): every write of a command, the API or
// the upstream ingest becomes messages on the region's partition of the log topic, and nothing
// else. librdkafka's types stay in submitter.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "stream/kafka_config.h"
#include "stream/submission.h"

namespace capledger::stream {

// One message to submit.
struct Submission {
  SubmissionKind kind = SubmissionKind::kEvent;
  std::string value;                        // the event (JSON or an Envelope) or the payout's month
  std::optional<std::string> content_type;  // an event's format (absent: JSON)
  std::optional<InputPosition> input;       // an upstream event's position
};

class Submitter {
 public:
  // An idempotent producer (acks=all) of `log_topic` on the brokers of `config`, with its
  // properties. kInvalidArgument for a property librdkafka refuses.
  static Result<std::unique_ptr<Submitter>> Create(const KafkaConfig& config, std::string log_topic);
  ~Submitter();
  Submitter(const Submitter&) = delete;
  Submitter& operator=(const Submitter&) = delete;

  // Produces `submissions` to `partition` in order, every one stamped `at` (the indexer's
  // recorded_at, unless the topic stamps its own time), and waits until the brokers acknowledge
  // each. Returns their offsets, in order. kUnavailable if any is not acknowledged within
  // `timeout` (some may still be in the log: submitting again is safe, an event by its id and a
  // payout by its month). Not thread-safe: one caller at a time.
  Result<std::vector<std::int64_t>> Submit(std::int32_t partition, std::span<const Submission> submissions,
                                           Timestamp at, std::chrono::milliseconds timeout);

  // The partition's end offset now (the offset its next message will get), asked of its leader.
  // kUnavailable if no broker answers within `timeout`.
  Result<std::int64_t> EndOffset(std::int32_t partition, std::chrono::milliseconds timeout);

 private:
  struct Handles;
  explicit Submitter(std::unique_ptr<Handles> handles);
  void Abandon();
  std::unique_ptr<Handles> h_;
};

}  // namespace capledger::stream
