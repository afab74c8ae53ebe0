// The indexer (cluster mode, DESIGN.md §6): the only writer of a node's store for a region. It
// reads the region's partition of the log topic in offset order and folds every submission into
// the local log deterministically, so that every node indexing the partition holds the same
// events, seqs, recorded_at, rejects and booked runs, and so the same head hash:
// - recorded_at is the submission's message timestamp (the store keeps it non-decreasing);
// - events go through the same decoder and the same append rules on every node; a batch never
//   spans two timestamps, so how the messages are batched changes nothing;
// - a payout submission runs the month at K = the head before it (an existing run is shown);
// - an upstream event whose input offset was already applied is dropped;
// - the next log offset goes into the same synced write as the events it produced.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "codec/reject_code.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/log_clock.h"
#include "common/region_secret.h"
#include "domain/seq.h"
#include "ledger/service.h"
#include "store/event_store.h"
#include "stream/kafka_config.h"

namespace capledger::stream {

// Which partition a node indexes, and how.
struct IndexerConfig {
  KafkaConfig kafka;                        // brokers and librdkafka properties
  std::string log_topic = "halsoval.log";   // [cluster] log_topic
  std::int32_t partition = 0;               // the region's partition
  std::size_t batch_messages = 5'000;       // submissions per synced write at most
};

// What became of one submission, as every node computes it.
struct SubmissionOutcome {
  enum class Kind : std::uint8_t {
    kStored,          // an event, stored at `seq`
    kDuplicate,       // an event already stored (at `seq`)
    kRejected,        // kept as a reject: `rejection` says why
    kInputApplied,    // an upstream event whose input offset was applied before: dropped
    kPayoutBooked,    // the run for the month was booked now
    kPayoutExisting,  // the month had been run: nothing was booked
    kPayoutRefused,   // the run could not be booked (no rulebook in force, ...): `refusal` says why
    kPublished,       // a publication's FollowUpPublished event, appended now at `seq`
    kPublishedBefore, // the same publication was recorded before (at `seq`)
    kPublicationRefused,  // not recorded (K beyond the head, another manifest at K): `refusal` says why
  };
  Kind kind = Kind::kStored;
  domain::Seq seq;                             // an event's seq, or a payout run's K
  std::optional<codec::Rejection> rejection;   // kRejected
  std::optional<Error> refusal;                // kPayoutRefused, kPublicationRefused
  std::optional<ledger::PayoutResult> payout;  // kPayoutBooked, kPayoutExisting
};

// The stable text name of an outcome kind ("stored", "payout_booked", ...).
std::string_view OutcomeName(SubmissionOutcome::Kind kind);

// Running figures, read by /health and the metrics at any time.
struct IndexerStats {
  std::atomic<std::int64_t> next_offset{0};     // every offset below is indexed
  std::atomic<std::int64_t> high_watermark{-1}; // the partition's end, as last seen (-1: not yet)
  std::atomic<std::uint64_t> submissions{0};
  std::atomic<std::uint64_t> stored{0};
  std::atomic<std::uint64_t> duplicates{0};
  std::atomic<std::uint64_t> rejected{0};
  std::atomic<std::uint64_t> payouts_booked{0};
  std::atomic<std::uint64_t> writes{0};         // synced writes of events (batches)
  std::atomic<bool> failed{false};              // the indexer stopped on a store failure
};

class Indexer {
 public:
  // Starts indexing on its own thread, from the offset stored in `store` (the beginning if none).
  // `store` must have been opened with `log_clock` and be written by nothing else; the service
  // is `store`'s. Everything given must outlive Stop. `request_stop` is called once if indexing
  // cannot go on (the store failed). kInvalidArgument for a bad config.
  static Result<std::unique_ptr<Indexer>> Start(const IndexerConfig& config, store::EventStore& store,
                                                ledger::LedgerService& service, LogClock& log_clock,
                                                const RegionSecret& secret, const Clock& clock,
                                                std::function<void()> request_stop);
  virtual ~Indexer() = default;
  // Stops after the batch in hand is durable. Returns when the indexer's thread has ended.
  virtual void Stop() = 0;
  virtual const IndexerStats& stats() const = 0;
  // Waits until `offset` is indexed and returns its outcome. kUnavailable, saying how far the
  // indexer got, if that takes longer than `timeout` or the indexer stopped; an outcome older
  // than the last kOutcomesKept submissions is kNotFound (the log itself still says what it did).
  virtual Result<SubmissionOutcome> Await(std::int64_t offset, std::chrono::milliseconds timeout) const = 0;
};

// Outcomes an indexer keeps for Await.
inline constexpr std::size_t kOutcomesKept = 100'000;

// The meta key naming the partition a store indexes ("<topic>/<partition>"), written with every
// batch beside the next offset (store::kMetaLogOffset, which a backup records).
inline constexpr std::string_view kMetaLogSource = "log_source";

// The next log offset a store has indexed of `topic`/`partition` (0 if none). kCorruption if the
// stored value is damaged; kRefused if the store indexes another topic or partition.
Result<std::int64_t> IndexedOffset(const store::EventStore& store, std::string_view topic, std::int32_t partition);

}  // namespace capledger::stream
