#include "ledger/service.h"

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "common/assert.h"
#include "common/thread.h"
#include "ledger/payout.h"
#include "projection/replay.h"

namespace capledger::ledger {

Result<PayoutResult> BookPayout(const projection::Projection& projection, store::EventStore& store, domain::Month month,
                                std::optional<Timestamp> recorded_at) {
  if (auto existing = FindExistingRun(projection, month)) {
    PayoutResult out{true, existing->run.run, {}, {}};
    for (const auto& booked : existing->entries) out.entries.push_back(booked.entry);
    return out;
  }
  const domain::Seq known_at = projection.applied_seq();
  if (store.head().seq != known_at) {
    return Fail(ErrorCode::kRefused, fmt::format("the projection is at seq {} but the log at seq {}: catch up first",
                                                 known_at, store.head().seq));
  }
  auto plan = PlanPayout(projection, month, known_at);
  if (!plan) return tl::unexpected(plan.error());
  std::vector<store::AppendRequest> requests;
  for (auto& event : PayoutEvents(*plan)) {
    requests.push_back(store::AppendRequest{std::move(event), recorded_at, store::InputOrigin{}});
  }
  if (auto booked = store.AppendAtomically(requests, known_at); !booked) return tl::unexpected(booked.error());
  return PayoutResult{false, std::move(plan->run), std::move(plan->entries), std::move(plan->anomalies)};
}

Result<std::unique_ptr<LedgerService>> LedgerService::Open(store::EventStore& store) {
  auto projection = projection::LoadProjection(store);
  if (!projection) return tl::unexpected(projection.error());
  return std::unique_ptr<LedgerService>(new LedgerService(store, std::move(*projection)));
}

LedgerService::~LedgerService() {
  {
    std::lock_guard lock(warmer_mutex_);
    warmer_stop_ = true;
  }
  warmer_wake_.notify_all();
  if (warmer_.joinable()) warmer_.join();
}

void LedgerService::StartIndexWarmer() {
  LEDGER_ASSERT(!warmer_.joinable());
  warmer_ = StartThread("index-warmer", [this] {
    std::unique_lock lock(warmer_mutex_);
    while (!warmer_wake_.wait_for(lock, kIndexWarmPeriod, [this] { return warmer_stop_; })) {
      lock.unlock();
      WithProjection([](const projection::Projection& p) { p.BuildAskedSnapshotIndexes(); });
      lock.lock();
    }
  });
}

Status LedgerService::CatchUpLocked() { return projection::CatchUp(projection_, store_); }

Status LedgerService::CatchUp() {
  std::unique_lock lock(mutex_);
  return CatchUpLocked();
}

Result<PayoutResult> LedgerService::Payout(domain::Month month, std::optional<Timestamp> recorded_at) {
  std::unique_lock lock(mutex_);
  Result<PayoutResult> result = Fail(ErrorCode::kRefused, "not attempted");
  // Events appended by ingest between catching up and booking move the head: plan again.
  for (int attempt = 0; attempt < kPayoutAttemptsMax; ++attempt) {
    if (auto caught_up = CatchUpLocked(); !caught_up) return tl::unexpected(caught_up.error());
    result = BookPayout(projection_, store_, month, recorded_at);
    if (result || store_.head().seq == projection_.applied_seq()) break;
  }
  if (auto caught_up = CatchUpLocked(); !caught_up) return tl::unexpected(caught_up.error());
  if (result && !result->existing && on_booked) on_booked();
  return result;
}

}  // namespace capledger::ledger
