// Kafka ingest with exactly-once effect: events consumed from [kafka] events_topic go into the
// log, and each batch's consumed offsets go into the same synced WriteBatch as the events and
// rejects it produced. On partition assignment the consumer seeks to the offsets stored in the
// log, so a crash at any moment neither loses nor duplicates an event.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "common/clock.h"
#include "common/error.h"
#include "common/region_secret.h"
#include "ledger/service.h"
#include "store/event_store.h"
#include "stream/kafka_config.h"

namespace capledger::stream {

// Running totals, read by the metrics at any time from any thread.
struct IngestStats {
  std::atomic<std::uint64_t> messages{0};      // messages consumed and made durable
  std::atomic<std::uint64_t> stored{0};        // events stored
  std::atomic<std::uint64_t> duplicates{0};    // events already in the log
  std::atomic<std::uint64_t> rejected{0};      // messages kept as rejects
  std::atomic<std::int64_t> lag{0};            // messages behind the partitions' high watermarks
  std::atomic<std::uint64_t> broker_errors{0}; // transport errors seen (retried)
  std::atomic<bool> brokers_up{false};         // false while no broker answers
};

class KafkaIngest {
 public:
  // Starts consuming on its own threads. Keeps references to everything given, which must
  // outlive Stop. After each durable batch it calls service.CatchUp(). `request_stop` is called
  // (once) if ingest can no longer go on (the store failed). kInvalidArgument for a bad config.
  static Result<std::unique_ptr<KafkaIngest>> Start(const KafkaConfig& config, store::EventStore& store,
                                                    ledger::LedgerService& service, const RegionSecret& secret,
                                                    const Clock& clock, std::function<void()> request_stop);
  virtual ~KafkaIngest() = default;
  // Stops consuming, makes what it has consumed durable (or drops it unwritten: its offsets are
  // then not stored either), and closes the consumer. Returns when no thread of it runs.
  virtual void Stop() = 0;
  virtual const IngestStats& stats() const = 0;
};

}  // namespace capledger::stream
