// The indexer: one thread polls the region's log partition, folds events into a batch that never
// spans two message timestamps, and writes it with the next log offset in one synced append;
// a payout submission is run between batches, at the head.
#include "stream/indexer.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include "codec/seq_format.h"
#include "common/assert.h"
#include "common/rate_limited_log.h"
#include "common/thread.h"
#include "ledger/publication.h"
#include "stream/message_decoder.h"
#include "stream/submission.h"

namespace capledger::stream {
namespace {

constexpr int kPollIdleMs = 100;
// The broker answers a fetch with nothing new after this (unless [kafka.properties] sets
// fetch.wait.max.ms): a submission's wait for its node is bounded by it where a broker does not
// answer a waiting fetch as data arrives (librdkafka's mock does not; its default is 500 ms).
constexpr const char* kFetchWaitMs = "10";
constexpr auto kLogInterval = std::chrono::seconds(10);

// The last value of header `name`, if the message has it.
std::optional<std::string_view> Header(const rd_kafka_message_t& message, const char* name) {
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(&message, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
  const void* value = nullptr;
  std::size_t size = 0;
  if (rd_kafka_header_get_last(headers, name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
  return std::string_view(static_cast<const char*>(value), value != nullptr ? size : 0);
}

// The message's timestamp (its CreateTime or LogAppendTime); the epoch if it has none, which the
// store turns into the head's recorded_at.
Timestamp MessageTime(const rd_kafka_message_t& message) {
  rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  const std::int64_t ms = rd_kafka_message_timestamp(&message, &type);
  return FromMicros(ms > 0 ? ms * 1000 : 0);
}

// The value of kMetaLogSource: "<topic>/<partition>".
std::string LogSource(std::string_view topic, std::int32_t partition) { return fmt::format("{}/{}", topic, partition); }

// Failures after which the indexer cannot go on without skipping what the log holds.
bool StopsIndexing(ErrorCode code) {
  return code == ErrorCode::kIoError || code == ErrorCode::kCorruption || code == ErrorCode::kLogDamaged ||
         code == ErrorCode::kInternal || code == ErrorCode::kUnavailable;
}

class IndexerImpl final : public Indexer {
 public:
  IndexerImpl(const IndexerConfig& config, store::EventStore& store, ledger::LedgerService& service,
              LogClock& log_clock, const RegionSecret& secret, const Clock& clock, std::function<void()> request_stop)
      : config_(config),
        store_(store),
        service_(service),
        log_clock_(log_clock),
        clock_(clock),
        decoder_(secret.bytes()),
        request_stop_(std::move(request_stop)),
        log_(clock, kLogInterval) {}
  ~IndexerImpl() override { Stop(); }
  IndexerImpl(const IndexerImpl&) = delete;
  IndexerImpl& operator=(const IndexerImpl&) = delete;

  Status Open();
  void Stop() override;
  const IndexerStats& stats() const override { return stats_; }
  Result<SubmissionOutcome> Await(std::int64_t offset, std::chrono::milliseconds timeout) const override;

 private:
  // The batch in hand: events and rejects with the offsets they came from.
  struct Batch {
    std::vector<store::AppendRequest> requests;
    std::vector<store::PreparedBody> prepared;
    std::vector<std::int64_t> request_offsets;
    std::vector<store::RejectRecord> rejects;
    std::vector<std::int64_t> reject_offsets;
    std::vector<std::int64_t> dropped_offsets;            // upstream inputs applied before
    std::map<std::string, std::int64_t> inputs;           // meta key -> next input offset
    std::optional<Timestamp> time;                        // the timestamp of every message in it
    std::int64_t next_offset = -1;                        // after its last message (-1: empty)
    bool empty() const { return next_offset < 0; }
  };

  void Loop();
  Status Handle(const rd_kafka_message_t& message);
  Status AddEvent(const rd_kafka_message_t& message, std::string_view topic);
  Status RunPayout(const rd_kafka_message_t& message, std::string_view topic);
  Status RecordPublication(const rd_kafka_message_t& message, std::string_view topic);
  Status Finished(std::int64_t offset, SubmissionOutcome outcome);
  Status RejectCommand(const rd_kafka_message_t& message, std::string_view topic, codec::RejectCode code,
                       std::string text);
  void AddReject(const MessageRef& ref, codec::RejectCode code, std::string field, std::string text);
  Status Flush();
  Status StoreOffset(std::int64_t next_offset);
  Result<bool> InputApplied(const InputPosition& input);
  void Publish(std::int64_t next_offset, std::vector<std::pair<std::int64_t, SubmissionOutcome>> outcomes);
  void Fail(const Error& error);

  const IndexerConfig config_;
  store::EventStore& store_;
  ledger::LedgerService& service_;
  LogClock& log_clock_;
  const Clock& clock_;
  MessageDecoder decoder_;
  std::function<void()> request_stop_;
  RateLimitedLog log_;
  IndexerStats stats_;
  rd_kafka_t* rk_ = nullptr;
  std::atomic<bool> stopping_{false};
  std::once_flag stop_once_;
  std::thread thread_;

  // The indexing thread's own.
  Batch batch_;
  std::int64_t next_offset_ = 0;                     // the next offset to take
  std::map<std::string, std::int64_t> input_next_;   // meta key -> next input offset, as applied

  // Shared with Await.
  mutable std::mutex mutex_;
  mutable std::condition_variable indexed_;
  std::int64_t indexed_next_ = 0;  // every offset below is indexed
  bool ended_ = false;             // the thread has stopped indexing
  std::map<std::int64_t, SubmissionOutcome> outcomes_;
};

Status IndexerImpl::Open() {
  auto stored = IndexedOffset(store_, config_.log_topic, config_.partition);
  if (!stored) return tl::unexpected(stored.error());
  next_offset_ = *stored;
  indexed_next_ = *stored;
  stats_.next_offset = *stored;
  std::vector<std::pair<std::string, std::string>> fixed = {{"group.id", "capledger-indexer"},
                                                             {"enable.auto.commit", "false"},
                                                             {"enable.auto.offset.store", "false"},
                                                             {"enable.partition.eof", "false"},
                                                             // never skip: an offset the partition
                                                             // no longer holds is an error
                                                             {"auto.offset.reset", "error"}};
  const auto& properties = config_.kafka.properties;
  if (std::none_of(properties.begin(), properties.end(), [](const auto& p) { return p.first == "fetch.wait.max.ms"; })) {
    fixed.emplace_back("fetch.wait.max.ms", kFetchWaitMs);
  }
  auto conf = MakeRdKafkaConf(config_.kafka, fixed);
  if (!conf) return tl::unexpected(conf.error());
  std::array<char, 512> error{};
  rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, *conf, error.data(), error.size());
  if (rk_ == nullptr) {
    rd_kafka_conf_destroy(*conf);
    return capledger::Fail(ErrorCode::kInvalidArgument, fmt::format("Kafka consumer of the log: {}", error.data()));
  }
  rd_kafka_poll_set_consumer(rk_);
  rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(assignment, config_.log_topic.c_str(), config_.partition)->offset = next_offset_;
  const rd_kafka_resp_err_t err = rd_kafka_assign(rk_, assignment);
  rd_kafka_topic_partition_list_destroy(assignment);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return capledger::Fail(ErrorCode::kInvalidArgument, fmt::format("assigning {} partition {}: {}", config_.log_topic,
                                                                    config_.partition, rd_kafka_err2str(err)));
  }
  spdlog::info("indexer: {} partition {} from offset {}", config_.log_topic, config_.partition, next_offset_);
  thread_ = StartThread("indexer", [this] { Loop(); });
  return {};
}

void IndexerImpl::Stop() {
  std::call_once(stop_once_, [this] {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    if (rk_ != nullptr) {
      rd_kafka_consumer_close(rk_);
      rd_kafka_destroy(rk_);
      rk_ = nullptr;
    }
  });
}

void IndexerImpl::Fail(const Error& error) {
  spdlog::error("indexer of {} partition {} stopped at offset {}: {}", config_.log_topic, config_.partition,
                next_offset_, error.message);
  stats_.failed = true;
  if (request_stop_) request_stop_();
}

void IndexerImpl::Loop() {
  Status status;
  while (!stopping_ && status) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(rk_, batch_.empty() ? kPollIdleMs : 0);
    if (message == nullptr) {
      status = Flush();  // nothing more waiting: what is in hand becomes durable now
      continue;
    }
    status = Handle(*message);
    rd_kafka_message_destroy(message);
    if (status && batch_.requests.size() + batch_.rejects.size() >= config_.batch_messages) status = Flush();
  }
  if (status) status = Flush();
  if (!status) Fail(status.error());
  std::lock_guard lock(mutex_);
  ended_ = true;
  indexed_.notify_all();
}

Status IndexerImpl::Handle(const rd_kafka_message_t& message) {
  if (message.err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET) {
    // The partition does not hold the offset this node indexes next (retention removed it, or the
    // store was indexed from another log): indexing on from elsewhere would give another log.
    return capledger::Fail(ErrorCode::kLogDamaged,
                           fmt::format("{} partition {} does not hold offset {}, the next this node indexes ({}): "
                                       "restore this node from a backup taken at or after the partition's first "
                                       "offset (docs/cluster.md)",
                                       config_.log_topic, config_.partition, next_offset_,
                                       rd_kafka_message_errstr(&message)));
  }
  if (message.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (message.err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      log_.Warn("message-error", fmt::format("indexer: {}", rd_kafka_message_errstr(&message)));
    }
    return {};
  }
  if (message.offset < next_offset_) return {};  // indexed already
  if (message.offset > next_offset_) {
    // Retention or a lost partition took submissions this node has not indexed: indexing on
    // would give this node another log than the others'.
    return capledger::Fail(ErrorCode::kLogDamaged,
                           fmt::format("{} partition {} no longer holds offsets {} to {}: restore this node from a "
                                       "backup taken at or after offset {} (docs/cluster.md)",
                                       config_.log_topic, config_.partition, next_offset_, message.offset - 1,
                                       message.offset));
  }
  std::int64_t low = 0, high = 0;
  if (rd_kafka_get_watermark_offsets(rk_, config_.log_topic.c_str(), config_.partition, &low, &high) ==
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    stats_.high_watermark = high;
  }
  const std::string_view topic = config_.log_topic;
  switch (KindOf(Header(message, kSubmissionHeader.data()))) {
    case SubmissionKind::kPayout:
      return RunPayout(message, topic);
    case SubmissionKind::kPublication:
      return RecordPublication(message, topic);
    case SubmissionKind::kEvent:
      return AddEvent(message, topic);
    case SubmissionKind::kUnknown:
      break;
  }
  if (batch_.time && *batch_.time != MessageTime(message)) {
    if (auto flushed = Flush(); !flushed) return flushed;
  }
  batch_.time = MessageTime(message);
  MessageRef ref{topic, message.partition, message.offset, std::nullopt, {}};
  AddReject(ref, codec::RejectCode::kUnknownType, std::string(kSubmissionHeader),
            fmt::format("the submission kind `{}` is none of event, payout, publication",
                        Header(message, kSubmissionHeader.data()).value_or("").substr(0, 32)));
  next_offset_ = message.offset + 1;
  batch_.next_offset = next_offset_;
  return {};
}

void IndexerImpl::AddReject(const MessageRef& ref, codec::RejectCode code, std::string field, std::string text) {
  batch_.rejects.push_back(
      store::RejectRecord{MessageOrigin(ref), codec::Rejection{code, std::move(field), std::move(text)}, {}});
  batch_.reject_offsets.push_back(ref.offset);
}

Result<bool> IndexerImpl::InputApplied(const InputPosition& input) {
  const std::string key = OffsetKey(input.topic, input.partition);
  auto found = input_next_.find(key);
  if (found == input_next_.end()) {
    auto stored = store_.ReadMeta(key);
    if (!stored) return tl::unexpected(stored.error());
    std::int64_t next = 0;
    if (stored->has_value()) {
      auto decoded = DecodeOffset(**stored);
      if (!decoded) return capledger::Fail(ErrorCode::kCorruption, fmt::format("the stored offset {} is damaged", key));
      next = *decoded;
    }
    found = input_next_.emplace(key, next).first;
  }
  if (input.offset < found->second) return true;
  found->second = input.offset + 1;
  batch_.inputs[key] = input.offset + 1;
  return false;
}

Status IndexerImpl::AddEvent(const rd_kafka_message_t& message, std::string_view topic) {
  const Timestamp time = MessageTime(message);
  if (batch_.time && *batch_.time != time) {
    if (auto flushed = Flush(); !flushed) return flushed;
  }
  batch_.time = time;
  next_offset_ = message.offset + 1;
  batch_.next_offset = next_offset_;
  if (auto input_text = Header(message, kInputHeader.data())) {
    auto input = ParseInput(*input_text);
    MessageRef ref{topic, message.partition, message.offset, std::nullopt, {}};
    if (!input) {
      AddReject(ref, codec::RejectCode::kInvalidEnvelope, std::string(kInputHeader),
                "the input position is not topic/partition/offset");
      return {};
    }
    auto applied = InputApplied(*input);
    if (!applied) return tl::unexpected(applied.error());
    if (*applied) {
      batch_.dropped_offsets.push_back(message.offset);
      return {};
    }
  }
  MessageRef ref;
  ref.topic = topic;
  ref.partition = message.partition;
  ref.offset = message.offset;
  ref.content_type = Header(message, kContentTypeHeader.data());
  ref.value = std::string_view(static_cast<const char*>(message.payload), message.payload ? message.len : 0);
  DecodedMessage decoded = decoder_.Decode(ref);
  if (decoded.reject) {
    batch_.rejects.push_back(std::move(*decoded.reject));
    batch_.reject_offsets.push_back(message.offset);
    return {};
  }
  LEDGER_ASSERT(decoded.request.has_value());
  batch_.prepared.push_back(store::PrepareBody(decoded.request->event));
  batch_.requests.push_back(std::move(*decoded.request));
  batch_.request_offsets.push_back(message.offset);
  return {};
}

Status IndexerImpl::Flush() {
  if (batch_.empty()) return {};
  Batch batch = std::move(batch_);
  batch_ = Batch{};
  std::vector<store::MetaPut> meta;
  meta.push_back(store::MetaPut{std::string(store::kMetaLogOffset), EncodeOffset(batch.next_offset)});
  meta.push_back(store::MetaPut{std::string(kMetaLogSource), LogSource(config_.log_topic, config_.partition)});
  for (const auto& [key, next] : batch.inputs) meta.push_back(store::MetaPut{key, EncodeOffset(next)});
  LEDGER_ASSERT(batch.time.has_value());
  log_clock_.Set(*batch.time);
  auto appended = store_.AppendPrepared(batch.requests, batch.prepared, batch.rejects, meta);
  if (!appended) return tl::unexpected(appended.error());
  ++stats_.writes;
  if (auto caught_up = service_.CatchUp(); !caught_up) return caught_up;
  std::vector<std::pair<std::int64_t, SubmissionOutcome>> outcomes;
  outcomes.reserve(appended->size() + batch.rejects.size() + batch.dropped_offsets.size());
  for (std::size_t i = 0; i < appended->size(); ++i) {
    const store::AppendOutcome& a = (*appended)[i];
    SubmissionOutcome o;
    o.seq = a.seq;
    o.kind = a.kind == store::AppendOutcome::Kind::kStored      ? SubmissionOutcome::Kind::kStored
             : a.kind == store::AppendOutcome::Kind::kDuplicate ? SubmissionOutcome::Kind::kDuplicate
                                                                : SubmissionOutcome::Kind::kRejected;
    o.rejection = a.rejection;
    if (a.kind == store::AppendOutcome::Kind::kStored) ++stats_.stored;
    if (a.kind == store::AppendOutcome::Kind::kDuplicate) ++stats_.duplicates;
    if (a.kind == store::AppendOutcome::Kind::kRejected) ++stats_.rejected;
    outcomes.emplace_back(batch.request_offsets[i], std::move(o));
  }
  for (std::size_t i = 0; i < batch.rejects.size(); ++i) {
    SubmissionOutcome o;
    o.kind = SubmissionOutcome::Kind::kRejected;
    o.rejection = batch.rejects[i].rejection;
    ++stats_.rejected;
    outcomes.emplace_back(batch.reject_offsets[i], std::move(o));
  }
  for (const std::int64_t offset : batch.dropped_offsets) {
    SubmissionOutcome o;
    o.kind = SubmissionOutcome::Kind::kInputApplied;
    outcomes.emplace_back(offset, std::move(o));
  }
  Publish(batch.next_offset, std::move(outcomes));
  return {};
}

// A payout or publication whose value is not one: kept as a reject, in a write of its own.
Status IndexerImpl::RejectCommand(const rd_kafka_message_t& message, std::string_view topic, codec::RejectCode code,
                                  std::string text) {
  const std::string_view value(static_cast<const char*>(message.payload), message.payload ? message.len : 0);
  batch_.time = MessageTime(message);
  next_offset_ = message.offset + 1;
  batch_.next_offset = next_offset_;
  AddReject(MessageRef{topic, message.partition, message.offset, std::nullopt, value}, code,
            std::string(kSubmissionHeader), std::move(text));
  return Flush();
}

// A payout runs on the log as it stands after every submission before it.
Status IndexerImpl::RunPayout(const rd_kafka_message_t& message, std::string_view topic) {
  if (auto flushed = Flush(); !flushed) return flushed;
  const std::string_view value(static_cast<const char*>(message.payload), message.payload ? message.len : 0);
  auto month = DecodePayout(value);
  if (!month) return RejectCommand(message, topic, codec::RejectCode::kInvalidMonth, month.error().message);
  log_clock_.Set(MessageTime(message));
  SubmissionOutcome o;
  o.seq = store_.head().seq;
  auto paid = service_.Payout(*month, std::nullopt);
  if (!paid && StopsIndexing(paid.error().code)) return tl::unexpected(paid.error());
  if (!paid) {
    o.kind = SubmissionOutcome::Kind::kPayoutRefused;
    o.refusal = paid.error();
  } else {
    o.kind = paid->existing ? SubmissionOutcome::Kind::kPayoutExisting : SubmissionOutcome::Kind::kPayoutBooked;
    if (!paid->existing) ++stats_.payouts_booked;
    o.payout = std::move(*paid);
  }
  return Finished(message.offset, std::move(o));
}

// A publication is recorded on the log as it stands after every submission before it, as the
// ledger's own FollowUpPublished event (ledger::RecordPublication), like a payout.
Status IndexerImpl::RecordPublication(const rd_kafka_message_t& message, std::string_view topic) {
  if (auto flushed = Flush(); !flushed) return flushed;
  const std::string_view value(static_cast<const char*>(message.payload), message.payload ? message.len : 0);
  auto request = DecodePublication(value);
  if (!request) return RejectCommand(message, topic, codec::RejectCode::kWrongType, request.error().message);
  log_clock_.Set(MessageTime(message));
  SubmissionOutcome o;
  o.kind = SubmissionOutcome::Kind::kPublicationRefused;
  if (request->known_at_seq > store_.head().seq.value()) {
    o.refusal = Error{ErrorCode::kRefused, fmt::format("the publication is as known at seq {}, beyond the log's head {}",
                                                       request->known_at_seq, store_.head().seq)};
  } else {
    const domain::Event event = ledger::FollowUpEvent(request->year, request->through,
                                                      domain::Seq(request->known_at_seq), request->manifest_sha256);
    auto recorded = ledger::RecordPublication(store_, event);
    if (!recorded && StopsIndexing(recorded.error().code)) return tl::unexpected(recorded.error());
    if (!recorded) {
      o.refusal = recorded.error();
    } else {
      o.kind = recorded->existing ? SubmissionOutcome::Kind::kPublishedBefore : SubmissionOutcome::Kind::kPublished;
      o.seq = recorded->seq;
    }
    if (auto caught_up = service_.CatchUp(); !caught_up) return caught_up;
  }
  if (o.refusal) spdlog::warn("indexer: the publication at offset {} was not recorded: {}", message.offset, o.refusal->message);
  return Finished(message.offset, std::move(o));
}

// After a payout or a publication: the next offset stored, and the outcome published.
Status IndexerImpl::Finished(std::int64_t offset, SubmissionOutcome outcome) {
  next_offset_ = offset + 1;
  if (auto stored = StoreOffset(next_offset_); !stored) return stored;
  std::vector<std::pair<std::int64_t, SubmissionOutcome>> outcomes;
  outcomes.emplace_back(offset, std::move(outcome));
  Publish(next_offset_, std::move(outcomes));
  return {};
}

// The next offset alone, in a synced write of its own (after a payout, whose run is its own write:
// a crash between the two runs the month again, which shows the existing run).
Status IndexerImpl::StoreOffset(std::int64_t next_offset) {
  const std::array<store::MetaPut, 2> puts = {
      store::MetaPut{std::string(store::kMetaLogOffset), EncodeOffset(next_offset)},
      store::MetaPut{std::string(kMetaLogSource), LogSource(config_.log_topic, config_.partition)}};
  auto written = store_.AppendPrepared({}, {}, {}, puts);
  if (!written) return tl::unexpected(written.error());
  return {};
}

void IndexerImpl::Publish(std::int64_t next_offset, std::vector<std::pair<std::int64_t, SubmissionOutcome>> outcomes) {
  stats_.submissions += outcomes.size();
  stats_.next_offset = next_offset;
  std::lock_guard lock(mutex_);
  for (auto& [offset, outcome] : outcomes) outcomes_.insert_or_assign(offset, std::move(outcome));
  while (outcomes_.size() > kOutcomesKept) outcomes_.erase(outcomes_.begin());
  indexed_next_ = next_offset;
  indexed_.notify_all();
}

Result<SubmissionOutcome> IndexerImpl::Await(std::int64_t offset, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  clock_.WaitFor(lock, indexed_, timeout, [&] { return indexed_next_ > offset || ended_; });
  if (indexed_next_ <= offset) {
    return capledger::Fail(
        ErrorCode::kUnavailable,
        fmt::format("offset {} of {} partition {} is not indexed {}: this node has indexed through offset {}", offset,
                    config_.log_topic, config_.partition,
                    ended_ ? "and the indexer has stopped" : fmt::format("after {} ms", timeout.count()),
                    indexed_next_ - 1));
  }
  auto found = outcomes_.find(offset);
  if (found == outcomes_.end()) {
    return capledger::Fail(ErrorCode::kNotFound,
                           fmt::format("offset {} is indexed, but its outcome is no longer kept", offset));
  }
  return found->second;
}

}  // namespace

std::string_view OutcomeName(SubmissionOutcome::Kind kind) {
  switch (kind) {
    case SubmissionOutcome::Kind::kStored:
      return "stored";
    case SubmissionOutcome::Kind::kDuplicate:
      return "duplicate";
    case SubmissionOutcome::Kind::kRejected:
      return "rejected";
    case SubmissionOutcome::Kind::kInputApplied:
      return "input_applied";
    case SubmissionOutcome::Kind::kPayoutBooked:
      return "payout_booked";
    case SubmissionOutcome::Kind::kPayoutExisting:
      return "payout_existing";
    case SubmissionOutcome::Kind::kPayoutRefused:
      return "payout_refused";
    case SubmissionOutcome::Kind::kPublished:
      return "published";
    case SubmissionOutcome::Kind::kPublishedBefore:
      return "published_before";
    case SubmissionOutcome::Kind::kPublicationRefused:
      return "publication_refused";
  }
  return "unknown";
}


Result<std::int64_t> IndexedOffset(const store::EventStore& store, std::string_view topic, std::int32_t partition) {
  auto source = store.ReadMeta(kMetaLogSource);
  if (!source) return tl::unexpected(source.error());
  if (source->has_value() && **source != LogSource(topic, partition)) {
    return Fail(ErrorCode::kRefused, fmt::format("this store indexes {}, not {}: each region's store is indexed from its "
                                                 "own partition ([regions.<id>] partition)",
                                                 **source, LogSource(topic, partition)));
  }
  auto stored = store.ReadMeta(store::kMetaLogOffset);
  if (!stored) return tl::unexpected(stored.error());
  if (!stored->has_value()) return 0;
  auto offset = DecodeOffset(**stored);
  if (!offset) {
    return Fail(ErrorCode::kCorruption,
                fmt::format("the indexed offset of {} partition {} is damaged", topic, partition));
  }
  return *offset;
}

Result<std::unique_ptr<Indexer>> Indexer::Start(const IndexerConfig& config, store::EventStore& store,
                                                ledger::LedgerService& service, LogClock& log_clock,
                                                const RegionSecret& secret, const Clock& clock,
                                                std::function<void()> request_stop) {
  if (auto checked = CheckKafkaConfig(config.kafka); !checked) return tl::unexpected(checked.error());
  if (config.batch_messages == 0 || config.batch_messages > limits::kEventsPerAppendMax) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("cluster.batch_messages must be 1 to {}", limits::kEventsPerAppendMax));
  }
  auto indexer = std::make_unique<IndexerImpl>(config, store, service, log_clock, secret, clock, std::move(request_stop));
  if (auto opened = indexer->Open(); !opened) return tl::unexpected(opened.error());
  return std::unique_ptr<Indexer>(std::move(indexer));
}

}  // namespace capledger::stream
