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
  std::atomic<std::uint64_t> backlog{0};       // ledger entries booked and not yet delivered
  std::atomic<std::uint64_t> broker_errors{0}; // delivery or transport errors seen (retried)
  std::atomic<bool> brokers_up{false};
};

class FinanceFeed {
 public:
  // Starts publishing on its own thread from the stored cursor. Keeps a reference to `store` and
  // `clock`, which must outlive Stop. `request_stop` is called (once) if the feed can no longer go
  // on. kInvalidArgument for a bad config.
  static Result<std::unique_ptr<FinanceFeed>> Start(const KafkaConfig& config, store::EventStore& store,
                                                    const Clock& clock, std::function<void()> request_stop);
  virtual ~FinanceFeed() = default;
  // Wakes the publisher: something may have been booked (it also looks at the head by itself).
  virtual void Notify() = 0;
  // Publishes what is booked (bounded by a timeout), then stops. Returns when no thread runs.
  virtual void Stop() = 0;
  virtual const FeedStats& stats() const = 0;
};

}  // namespace capledger::stream
