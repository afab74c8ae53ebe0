// The finance feed: every booked ledger entry is published once, in log order, to [kafka]
// ledger_topic with an idempotent producer; a feed cursor in the store advances only after
// delivery is confirmed, and after a crash publishing resumes from it (docs/feed.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "common/clock.h"
#include "common/error.h"
#include "store/event_store.h"
#include "stream/kafka_config.h"

namespace capledger::stream {

// Running totals, read by the metrics at any time from any thread.
struct FeedStats {
  std::atomic<std::uint64_t> published{0};     // entries delivered (confirmed by the brokers)
  std::atomic<std::uint64_t> runs_published{0};  // run-completed messages delivered
  std::atomic<std::uint64_t> cursor_seq{0};    // the log seq through which everything is delivered
  // Ledger entries after the cursor that the feed has read from the log (published or not), and
  // those further on it has counted while it could not publish (brokers down, too much in flight).
  std::atomic<std::uint64_t> backlog{0};
  // Errors seen: client errors, failed deliveries, and librdkafka's own request errors, retries
  // and timeouts (from its statistics). Every one of them was retried.
  std::atomic<std::uint64_t> broker_errors{0};
  std::atomic<bool> brokers_up{false};         // a broker answers (librdkafka's statistics)
  std::atomic<std::uint64_t> restarts{0};      // times it dropped the producer and went back to the cursor
};

class FinanceFeed {
 public:
  // Starts publishing on its own thread from the stored cursor (EventStore::FeedCursor), without
  // waiting for a broker. Keeps a reference to `store` and `clock`, which must outlive Stop.
  // `request_stop` is called (once) if the feed can no longer go on (the log cannot be read).
  // kInvalidArgument for a bad config or a property librdkafka refuses; kCorruption if the
  // stored cursor is beyond the head; the store's errors reading the cursor.
  static Result<std::unique_ptr<FinanceFeed>> Start(const KafkaConfig& config, store::EventStore& store,
                                                    const Clock& clock, std::function<void()> request_stop);
  virtual ~FinanceFeed() = default;
  // Wakes the publisher: something may have been booked (it also looks at the head by itself,
  // every 200 ms when idle). Any thread; quick.
  virtual void Notify() = 0;
  // Publishes what is booked when it is called, for at most 10 s, stores the cursor, drops the
  // producer (what is unconfirmed is published again at the next start) and returns when no
  // thread of the feed runs. Idempotent.
  virtual void Stop() = 0;
  virtual const FeedStats& stats() const = 0;
};

}  // namespace capledger::stream
