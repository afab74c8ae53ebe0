// payout: books a month's run (DOMAIN.md §8) and prints it.
#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "app/cluster_write.h"
#include "app/commands.h"
#include "app/store_access.h"
#include "codec/seq_format.h"
#include "ledger/payout.h"
#include "ledger/service.h"
#include "present/json_ledger.h"
#include "present/text_ledger.h"
#include "projection/replay.h"
#include "projection/report.h"
#include "stream/submission.h"

namespace capledger::app {
namespace {

// Tails longer than this are saved as a checkpoint after a run, so that later commands start fast.
constexpr std::uint64_t kCheckpointTailMin = 50'000;

void SaveCheckpointAtHead(projection::Projection& projection, store::EventStore& store) {
  auto caught_up = projection::CatchUp(projection, store);
  auto saved = caught_up ? projection::SaveCheckpoint(projection, store) : caught_up;
  if (!saved) spdlog::warn("the checkpoint was not saved: {}", saved.error().message);
}

int PrintPayout(const CommandContext& context, store::EventStore& store, const ledger::PayoutResult& result) {
  auto k = ResolveKnownAt(store, fmt::format("seq:{}", result.run.known_at_seq));
  if (!k) return Refuse(context, k.error());
  const std::string out =
      context.json ? present::PayoutJson(result.run, *k, result.existing, result.entries, result.anomalies)
                   : present::PayoutTable(result.run, *k, result.existing, result.entries, result.anomalies);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

// What this node's store says of `month` once the payout submission is indexed: its run, booked
// during this command (after `before`, the head when the command began) or already booked; else
// the refusal PlanPayout gives at the head, which is the indexer's (docs/cluster.md).
Result<ledger::PayoutResult> IndexedOutcome(store::EventStore& store, domain::Month month, domain::Seq before) {
  auto projection = projection::LoadProjection(store);
  if (!projection) return tl::unexpected(projection.error());
  if (auto booked = ledger::FindExistingRun(*projection, month)) {
    ledger::PayoutResult out{booked->run.seq <= before, booked->run.run, {}, {}};
    for (const auto& entry : booked->entries) out.entries.push_back(entry.entry);
    if (!out.existing) {
      const std::array<domain::Month, 1> months = {month};
      auto reports = projection::BuildMonthReports(*projection, months, out.run.known_at_seq);
      if (reports.front()) out.anomalies = reports.front()->anomalies;
    }
    return out;
  }
  auto plan = ledger::PlanPayout(*projection, month, projection->applied_seq());
  if (!plan) return tl::unexpected(plan.error());
  return Fail(ErrorCode::kUnavailable, fmt::format("the payout of {} was indexed but no run is booked for it: ask again",
                                                   domain::FormatMonth(month)));
}

// Cluster mode: submits the payout to the region's partition, waits for this node to index it,
// and prints the run from the node's store.
int RunClusterPayout(const CommandContext& context, domain::Month month) {
  if (context.recorded_at) {
    return Refuse(context, Error{ErrorCode::kInvalidArgument,
                                 "--recorded-at: in cluster mode the log's time is the run's time (docs/cluster.md)"});
  }
  auto write = ClusterWrite::Create(context);
  if (!write) return Refuse(context, write.error());
  auto before = write->CatchUp();
  if (!before) return Refuse(context, before.error());
  const stream::Submission submission{stream::SubmissionKind::kPayout, stream::EncodePayout(month), {}, {}};
  auto offsets = write->Submit(std::span(&submission, 1));
  if (!offsets) return Refuse(context, offsets.error());
  if (auto awaited = write->AwaitIndexed(offsets->front() + 1); !awaited) return Refuse(context, awaited.error());
  auto store = write->OpenIndexed(Access::kRead);
  if (!store) return Refuse(context, store.error());
  auto result = IndexedOutcome(**store, month, *before);
  if (!result) return Refuse(context, result.error());
  spdlog::info("{} {} at seq {} (submitted at offset {})", domain::FormatMonth(month),
               result->existing ? "had already been run" : "was booked by the node", result->run.known_at_seq,
               offsets->front());
  return PrintPayout(context, **store, *result);
}

}  // namespace

int RunPayout(const CommandContext& context, const std::string& month_text) {
  auto month = domain::ParseMonth(month_text);
  if (!month) return Refuse(context, Error{ErrorCode::kInvalidArgument, "--month: " + month.error().message});
  if (context.config.cluster.enabled) return RunClusterPayout(context, *month);
  auto store = OpenStore(context, Access::kWrite);
  if (!store) return Refuse(context, store.error());
  projection::ReplayStats stats;
  auto projection = projection::LoadProjection(**store, true, &stats);
  if (!projection) return Refuse(context, projection.error());
  auto result = ledger::BookPayout(*projection, **store, *month, context.recorded_at);
  if (!result) return Refuse(context, result.error());
  if (result->existing) {
    spdlog::info("{} has already been run at seq {}: nothing was booked now", month_text, result->run.known_at_seq);
  } else {
    spdlog::info("booked the run for {}: {} entries, total {}, at seq {}", month_text, result->entries.size(),
                 domain::FormatKronor(result->run.total), result->run.known_at_seq);
    if (stats.events_applied >= kCheckpointTailMin) SaveCheckpointAtHead(*projection, **store);
  }
  return PrintPayout(context, **store, *result);
}

}  // namespace capledger::app
