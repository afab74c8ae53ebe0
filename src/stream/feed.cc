// The finance feed's publisher thread: reads the log from the cursor in chunks, publishes every
// LedgerEntry (and a run-completed message per PayoutRun) in log order, moves the cursor over
// what the brokers confirmed, and starts again from the cursor with a new producer after a
// failure, after a bounded back-off (docs/feed.md).
#include "stream/feed.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "codec/seq_format.h"
#include "common/thread.h"
#include "common/assert.h"
#include "common/rate_limited_log.h"
#include "stream/delivery_tracker.h"
#include "stream/feed_message.h"
#include "stream/feed_producer.h"

namespace capledger::stream {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kInFlightMax = 10'000;     // messages published and not yet confirmed, at most
constexpr std::uint64_t kScanChunk = 1'000;      // events read from the log per Scan
constexpr milliseconds kIdleWait{200};           // the head is looked at this often when idle
constexpr int kDeliveryPollMs = 5;               // wait for delivery reports in slices of this
constexpr milliseconds kCursorInterval{10};      // the cursor is written at most this often
constexpr milliseconds kBackoffFirst{500};       // after a failure, wait this, doubling up to
constexpr milliseconds kBackoffMax{30'000};      // this, before publishing again from the cursor
constexpr milliseconds kStopTimeout{10'000};     // Stop publishes for at most this
constexpr milliseconds kLogInterval{10'000};     // a repeated warning is logged at most this often
constexpr milliseconds kMetadataTimeout{2'000};  // a wait for the partition count, at most

std::uint64_t Tag(std::uint64_t seq, bool run) { return seq << 1 | (run ? 1 : 0); }

class Publisher final : public FinanceFeed, private FeedEvents {
 public:
  Publisher(KafkaConfig config, store::EventStore& store, const Clock& clock, std::function<void()> request_stop,
            std::uint64_t cursor)
      : config_(std::move(config)), store_(store), clock_(clock), request_stop_(std::move(request_stop)),
        tracker_(cursor), stored_cursor_(cursor), counted_through_(cursor), log_(clock, kLogInterval) {
    stats_.cursor_seq = cursor;
  }
  ~Publisher() override { Stop(); }

  // Creates the producer and starts the thread; the errors of FeedProducer::Create.
  Status Begin() {
    auto producer = FeedProducer::Create(config_, *this);
    if (!producer) return tl::unexpected(producer.error());
    producer_ = std::move(*producer);
    thread_ = StartThread("finance-feed", [this] { Run(); });
    return {};
  }

  void Notify() override {
    {
      std::lock_guard lock(mutex_);
      notified_ = true;
    }
    wake_.notify_one();
  }

  void Stop() override {
    {
      std::lock_guard lock(mutex_);
      if (!stopping_) {
        stopping_ = true;
        stop_target_ = store_.head().seq.value();
        stop_at_ = clock_.SteadyNow() + kStopTimeout;
      }
      notified_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  const FeedStats& stats() const override { return stats_; }

 private:
  void Run();
  bool Step();
  bool PublishSome(bool& stalled);
  bool PublishRecord(const store::StoredRecord& record, bool& stalled);
  bool PublishRun(const store::StoredRecord& record, const domain::PayoutRun& run, bool& stalled);
  bool ReadRunAgain(const store::StoredRecord& record, const domain::PayoutRun& run);
  void CountAhead();
  void Recover();
  void Finish();
  void StoreCursor(bool force);
  void UpdateStats();
  void Wait(milliseconds timeout);
  bool Stopping(std::uint64_t& target) {
    std::lock_guard lock(mutex_);
    if (!stopping_) return false;
    target = stop_target_;
    stop_deadline_ = stop_at_;
    return true;
  }
  // What is left of the stop timeout (the whole of `wait` while not stopping).
  milliseconds Capped(milliseconds wait) const {
    if (!stop_deadline_) return wait;
    const auto left = std::chrono::duration_cast<milliseconds>(*stop_deadline_ - clock_.SteadyNow());
    return std::clamp(left, milliseconds(0), wait);
  }
  void GiveUp(const Error& error) {
    spdlog::error("finance feed: {}; it stops (the cursor stays at seq {})", error.message, stored_cursor_);
    given_up_ = true;
    request_stop_();
  }

  // FeedEvents (called inside producer_'s Poll, Flush and Produce, on this thread).
  void Delivered(std::uint64_t tag, std::string_view error, bool purged) override;
  void ClientError(bool fatal, bool all_down, std::string_view reason) override;
  void Statistics(const BrokerStats& stats) override;

  const KafkaConfig config_;
  store::EventStore& store_;
  const Clock& clock_;
  std::function<void()> request_stop_;
  FeedStats stats_;

  mutable std::mutex mutex_;  // guards notified_, stopping_, stop_target_, stop_at_
  std::condition_variable wake_;
  bool notified_ = false;
  bool stopping_ = false;
  std::uint64_t stop_target_ = 0;
  SteadyTime stop_at_{};                     // when Stop gives up publishing
  std::optional<SteadyTime> stop_deadline_;  // stop_at_, once the publisher thread has seen it

  // Only the publisher thread touches the rest.
  DeliveryTracker tracker_;
  RunSummaryBuilder run_;
  std::uint64_t stored_cursor_;
  SteadyTime cursor_written_{};
  std::uint64_t counted_through_;  // entries in (tracker_'s read position, counted_through_] are
  std::uint64_t ahead_ = 0;        // ahead_: counted for the backlog, not yet read for publishing
  std::unique_ptr<FeedProducer> producer_;
  std::optional<int> partitions_;
  bool failed_ = false;        // a message failed for good, or the producer had a fatal error
  std::string failure_;
  bool given_up_ = false;      // the log cannot be read: stop
  milliseconds backoff_ = kBackoffFirst;
  std::uint64_t client_errors_ = 0;
  std::uint64_t failed_deliveries_ = 0;
  std::uint64_t stats_errors_base_ = 0;  // of producers destroyed
  std::uint64_t stats_errors_ = 0;       // of this producer
  RateLimitedLog log_;  // kinds: "kafka" (Kafka's errors), "recovery" (publishing again from the cursor)
  std::thread thread_;
};

void Publisher::Delivered(std::uint64_t tag, std::string_view error, bool purged) {
  const std::uint64_t seq = tag >> 1;
  if (!error.empty()) {
    if (!purged) ++failed_deliveries_;
    if (!failed_) failure_ = fmt::format("delivery of seq {} failed: {}", seq, error);
    failed_ = true;
    return;
  }
  LEDGER_ASSERT(tracker_.Confirmed(seq));
  stats_.brokers_up = true;
  backoff_ = kBackoffFirst;
  if (tag & 1) {
    ++stats_.runs_published;
  } else {
    ++stats_.published;
  }
}

void Publisher::ClientError(bool fatal, bool all_down, std::string_view reason) {
  ++client_errors_;
  if (all_down) stats_.brokers_up = false;
  if (fatal) {
    if (!failed_) failure_ = std::string(reason);
    failed_ = true;
  }
  log_.Warn("kafka", fmt::format("finance feed: Kafka: {}", reason));
}

void Publisher::Statistics(const BrokerStats& stats) {
  stats_.brokers_up = stats.any_up;
  stats_errors_ = stats.errors;
}

void Publisher::Run() {
  spdlog::info("finance feed: publishing {} from seq {}", config_.ledger_topic, tracker_.next_seq());
  while (Step()) {
  }
  Finish();
}

// One turn of the loop; false once the feed is to finish.
bool Publisher::Step() {
  producer_->Poll(0);
  StoreCursor(false);
  UpdateStats();
  if (given_up_) return false;
  std::uint64_t target = 0;
  const bool stopping = Stopping(target);
  if (stopping && tracker_.confirmed_through() >= target) return false;
  if (stopping && clock_.SteadyNow() >= *stop_deadline_) {
    spdlog::warn("finance feed: stop timeout; delivered through seq {} of {}", tracker_.confirmed_through(), target);
    return false;
  }
  if (failed_) {
    Recover();
    return !given_up_;
  }
  bool stalled = false;
  if (PublishSome(stalled)) return true;
  if (stalled) CountAhead();
  if (tracker_.outstanding() > 0 || stopping) {
    producer_->Poll(kDeliveryPollMs);
  } else {
    Wait(stalled ? Capped(backoff_) : kIdleWait);
  }
  return true;
}

// Publishes what the log holds after the read position, up to a chunk; true if it read anything.
bool Publisher::PublishSome(bool& stalled) {
  const std::uint64_t head = store_.head().seq.value();  // never read beyond it: the cursor stays <= head
  const std::uint64_t from = tracker_.next_seq();
  if (from > head || tracker_.outstanding() >= kInFlightMax) {
    stalled = from <= head;
    return false;
  }
  bool progressed = false;
  const Status scanned = store_.Scan(domain::Seq(from), std::min(kScanChunk, head - from + 1), [&](const store::StoredRecord& r) {
    if (!PublishRecord(r, stalled)) return false;
    progressed = true;
    return !failed_;
  });
  if (!scanned) GiveUp(scanned.error());
  return progressed;
}

// Publishes one event (or notes that it has nothing for the feed); false if it cannot yet.
bool Publisher::PublishRecord(const store::StoredRecord& r, bool& stalled) {
  const std::uint64_t seq = r.stored.seq.value();
  if (const auto* entry = std::get_if<domain::LedgerEntry>(&r.stored.event.body)) {
    if (tracker_.outstanding() >= kInFlightMax) {
      stalled = true;
      return false;
    }
    if (seq <= counted_through_ && ahead_ > 0) --ahead_;  // counted ahead, now read: tracker_ counts it
    if (auto added = run_.AddEntry(seq, *entry); !added) {
      GiveUp(added.error());
      return false;
    }
    tracker_.Published(seq, 1, true);
    if (auto produced = producer_->Produce(EntryMessage(r), -1, Tag(seq, false)); !produced) {
      failed_ = true;
      failure_ = produced.error().message;
    }
    return true;
  }
  if (const auto* run = std::get_if<domain::PayoutRun>(&r.stored.event.body)) return PublishRun(r, *run, stalled);
  tracker_.Published(seq, 0, false);
  return true;
}

// The run-completed message, one copy per partition, after the run's entries.
bool Publisher::PublishRun(const store::StoredRecord& r, const domain::PayoutRun& run, bool& stalled) {
  const std::uint64_t seq = r.stored.seq.value();
  if (!partitions_) {
    std::string why;
    partitions_ = producer_->Partitions(static_cast<int>(std::max<milliseconds::rep>(1, Capped(kMetadataTimeout).count())), why);
    if (!partitions_) {
      ++client_errors_;
      log_.Warn("kafka", fmt::format("finance feed: no partition count for {}: {}", config_.ledger_topic, why));
      stalled = true;
      return false;
    }
  }
  if (tracker_.outstanding() + static_cast<std::size_t>(*partitions_) > kInFlightMax) {
    stalled = true;
    return false;
  }
  if (!run_.Complete(seq, run) && !ReadRunAgain(r, run)) return false;
  const RunSummary summary = run_.Finish(r);
  tracker_.Published(seq, static_cast<std::uint32_t>(*partitions_), false);
  for (int p = 0; p < *partitions_ && !failed_; ++p) {
    if (auto produced = producer_->Produce(RunCompletedMessage(summary, *partitions_), p, Tag(seq, true)); !produced) {
      failed_ = true;
      failure_ = produced.error().message;
    }
  }
  return true;
}

// After a resume inside a run: adds the run's entries (the entry_count events before its
// PayoutRun) from the log. False, having given up, if they are not the run's.
bool Publisher::ReadRunAgain(const store::StoredRecord& r, const domain::PayoutRun& run) {
  run_.Clear();
  const std::uint64_t seq = r.stored.seq.value();
  const auto count = static_cast<std::uint64_t>(run.entry_count);
  Status added;
  const Status scanned = store_.Scan(domain::Seq(seq > count ? seq - count : 1), count, [&](const store::StoredRecord& e) {
    const auto* entry = std::get_if<domain::LedgerEntry>(&e.stored.event.body);
    added = entry != nullptr ? run_.AddEntry(e.stored.seq.value(), *entry)
                             : Fail(ErrorCode::kCorruption, fmt::format("seq {} is not an entry", e.stored.seq));
    return static_cast<bool>(added);
  });
  if (!scanned) {
    GiveUp(scanned.error());
  } else if (!added) {
    GiveUp(added.error());
  } else if (!run_.Complete(seq, run)) {
    GiveUp(Error{ErrorCode::kCorruption, fmt::format("the events before {} are not its entries", r.stored.event.id)});
  }
  return !given_up_;
}

// While publishing cannot go on, counts the entries further on for the backlog (a chunk a turn).
void Publisher::CountAhead() {
  const std::uint64_t head = store_.head().seq.value();
  counted_through_ = std::max(counted_through_, tracker_.next_seq() - 1);
  if (counted_through_ >= head) return;
  const std::uint64_t from = counted_through_ + 1;
  const Status scanned = store_.Scan(domain::Seq(from), std::min(kScanChunk, head - from + 1), [&](const store::StoredRecord& r) {
    if (std::holds_alternative<domain::LedgerEntry>(r.stored.event.body)) ++ahead_;
    counted_through_ = r.stored.seq.value();
    return true;
  });
  if (!scanned) GiveUp(scanned.error());
}

// After a failure: drops the producer (and what it still held), waits the back-off, and starts
// again from the cursor with a new one.
void Publisher::Recover() {
  log_.Warn("recovery", fmt::format("finance feed: {}; publishing again from seq {} in {} ms", failure_,
                                           tracker_.confirmed_through() + 1, backoff_.count()));
  ++stats_.restarts;
  producer_.reset();
  stats_errors_base_ += stats_errors_;
  stats_errors_ = 0;
  StoreCursor(true);
  counted_through_ = std::max(counted_through_, tracker_.next_seq() - 1);
  ahead_ += tracker_.entries_after_cursor();
  tracker_.Rewind();
  run_.Clear();
  partitions_.reset();
  failed_ = false;
  Wait(Capped(backoff_));
  backoff_ = std::min(backoff_ * 2, kBackoffMax);
  auto producer = FeedProducer::Create(config_, *this);
  if (!producer) {
    GiveUp(producer.error());
    return;
  }
  producer_ = std::move(*producer);
}

// Stopping: waits for what is in flight (within the stop timeout), stores the cursor, and
// drops the producer.
void Publisher::Finish() {
  if (producer_) {
    producer_->Flush(static_cast<int>(Capped(milliseconds(kDeliveryPollMs * 20)).count()));
    StoreCursor(true);
    producer_.reset();
  }
  StoreCursor(true);
  UpdateStats();
  spdlog::info("finance feed: stopped; delivered through seq {} ({} entries this run, {} broker errors)",
               stored_cursor_, stats_.published.load(), stats_.broker_errors.load());
}

void Publisher::StoreCursor(bool force) {
  const std::uint64_t cursor = tracker_.confirmed_through();
  stats_.cursor_seq = cursor;
  if (cursor == stored_cursor_) return;
  const SteadyTime now = clock_.SteadyNow();
  if (!force && now < cursor_written_ + kCursorInterval) return;
  if (auto put = store_.PutFeedCursor(domain::Seq(cursor)); !put) {
    log_.Warn("kafka", fmt::format("finance feed: cannot store the cursor: {}", put.error().message));
    return;
  }
  stored_cursor_ = cursor;
  cursor_written_ = now;
}

void Publisher::UpdateStats() {
  stats_.backlog = tracker_.entries_after_cursor() + ahead_;
  stats_.broker_errors = client_errors_ + failed_deliveries_ + stats_errors_base_ + stats_errors_;
}

void Publisher::Wait(milliseconds timeout) {
  std::unique_lock lock(mutex_);
  clock_.WaitFor(lock, wake_, timeout, [this] { return notified_; });
  notified_ = false;
}

}  // namespace

Result<std::unique_ptr<FinanceFeed>> FinanceFeed::Start(const KafkaConfig& config, store::EventStore& store,
                                                        const Clock& clock, std::function<void()> request_stop) {
  if (auto checked = CheckKafkaConfig(config); !checked) return tl::unexpected(checked.error());
  auto cursor = store.FeedCursor();
  if (!cursor) return tl::unexpected(cursor.error());
  if (*cursor > store.head().seq) {
    return Fail(ErrorCode::kCorruption,
                fmt::format("the feed cursor (seq {}) is beyond the log's head (seq {})", *cursor, store.head().seq));
  }
  auto feed = std::make_unique<Publisher>(config, store, clock, std::move(request_stop), cursor->value());
  if (auto begun = feed->Begin(); !begun) return tl::unexpected(begun.error());
  return std::unique_ptr<FinanceFeed>(std::move(feed));
}

}  // namespace capledger::stream
