// What a running capledger serves from: the store, the projection kept at the store's head,
// and the lock that lets many queries run while events are appended one batch at a time.
//
// Writers (ingest, payout runs) append to the store and then apply the new events to the
// projection under the exclusive lock; queries take the shared lock and see the projection as
// of the last completed append. Every query names its knowledge point, so a query never sees
// half of a batch: K is at most the head it resolved.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <functional>
#include <optional>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "ledger/payout.h"
#include "projection/projection.h"
#include "store/event_store.h"

namespace capledger::ledger {

// A booked run (or the run already booked for the month) as the payout command prints it.
struct PayoutResult {
  bool existing = false;  // the month had been run; nothing was booked now
  domain::PayoutRun run;
  std::vector<domain::LedgerEntry> entries;
  std::vector<projection::AnomalyLine> anomalies;  // of a run booked now
};

// Plans and books the run for `month` at the projection's applied seq, which must be the store's
// head (kRefused otherwise, and by AppendAtomically if the head moves meanwhile). Shows the
// existing run if the month has been run. The refusals of PlanPayout. `recorded_at` backfills.
// Leaves the projection behind the store by the run's events; the caller catches up.
Result<PayoutResult> BookPayout(const projection::Projection& projection, store::EventStore& store, domain::Month month,
                                std::optional<Timestamp> recorded_at);

// Plans made while ingest appends are retried this often before the run is refused.
inline constexpr int kPayoutAttemptsMax = 5;

class LedgerService {
 public:
  // Loads the projection (newest checkpoint, then the tail). `store` must outlive the service.
  static Result<std::unique_ptr<LedgerService>> Open(store::EventStore& store);

  // Applies every event stored since the last call (exclusive lock).
  Status CatchUp();

  // Stops the index warmer, if started.
  ~LedgerService();
  LedgerService(const LedgerService&) = delete;
  LedgerService& operator=(const LedgerService&) = delete;

  // Starts a thread that, every kIndexWarmPeriod and under the shared lock, builds the snapshot
  // index of every date asked once (Projection::BuildAskedSnapshotIndexes): a date's first
  // question is answered by folding the residents, and its second then finds the index built
  // instead of building it (0.8 s at Sweden scale). Writers wait for a build in progress.
  void StartIndexWarmer();
  static constexpr std::chrono::milliseconds kIndexWarmPeriod{250};

  // Runs `read(projection)` under the shared lock and returns what it returns.
  template <typename Read>
  auto WithProjection(Read&& read) const {
    std::shared_lock lock(mutex_);
    return read(static_cast<const projection::Projection&>(projection_));
  }

  // BookPayout under the exclusive lock, then catches up.
  Result<PayoutResult> Payout(domain::Month month, std::optional<Timestamp> recorded_at);

  // Called (under the exclusive lock, so keep it quick) after Payout booked a new run: the
  // finance feed's wake-up. Set it before the service is shared between threads.
  std::function<void()> on_booked;

  store::EventStore& store() { return store_; }
  const store::EventStore& store() const { return store_; }

 private:
  LedgerService(store::EventStore& store, projection::Projection projection)
      : store_(store), projection_(std::move(projection)) {}
  Status CatchUpLocked();

  store::EventStore& store_;
  mutable std::shared_mutex mutex_;
  projection::Projection projection_;
  // The index warmer: its thread, and what stops it.
  std::thread warmer_;
  std::mutex warmer_mutex_;
  std::condition_variable warmer_wake_;
  bool warmer_stop_ = false;
};

}  // namespace capledger::ledger
