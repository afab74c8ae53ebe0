// payout: books a month's run (DOMAIN.md §8) and prints it.
#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/ledger_output.h"
#include "app/store_access.h"
#include "ledger/payout.h"
#include "ledger/render_json.h"
#include "projection/replay.h"

namespace capledger::app {
namespace {

// Tails longer than this are saved as a checkpoint after a run, so that later commands start fast.
constexpr std::uint64_t kCheckpointTailMin = 50'000;

int PrintExisting(const CommandContext& context, const store::EventStore& store, const ledger::BookedPayout& existing) {
  auto known_at = ResolveKnownAt(store, fmt::format("seq:{}", existing.run.run.known_at_seq));
  if (!known_at) return Refuse(context, known_at.error());
  std::vector<domain::LedgerEntry> entries;
  for (const auto& booked : existing.entries) entries.push_back(booked.entry);
  spdlog::info("{} has already been run at seq {}: nothing was booked now", domain::FormatMonth(existing.run.run.run),
               existing.run.run.known_at_seq);
  const std::string out = context.json ? ledger::PayoutJson(existing.run.run, *known_at, true, entries, {})
                                       : PayoutTable(existing.run.run, *known_at, true, entries, {});
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

Status Book(store::EventStore& store, const ledger::PayoutPlan& plan, const CommandContext& context) {
  std::vector<store::AppendRequest> requests;
  for (auto& event : ledger::PayoutEvents(plan)) {
    requests.push_back(store::AppendRequest{std::move(event), context.recorded_at, store::InputOrigin{}});
  }
  auto outcomes = store.AppendAtomically(requests, plan.run.known_at_seq);
  if (!outcomes) return tl::unexpected(outcomes.error());
  return {};
}

}  // namespace

int RunPayout(const CommandContext& context, const std::string& month_text) {
  auto month = domain::ParseMonth(month_text);
  if (!month) return Refuse(context, Error{ErrorCode::kInvalidArgument, "--month: " + month.error().message});
  auto store = OpenStore(context, Access::kWrite);
  if (!store) return Refuse(context, store.error());
  projection::ReplayStats stats;
  auto projection = projection::LoadProjection(**store, true, &stats);
  if (!projection) return Refuse(context, projection.error());
  if (auto existing = ledger::FindExistingRun(*projection, *month)) return PrintExisting(context, **store, *existing);
  const std::uint64_t known_at = projection->applied_seq();
  auto plan = ledger::PlanPayout(*projection, *month, known_at);
  if (!plan) return Refuse(context, plan.error());
  if (auto booked = Book(**store, *plan, context); !booked) return Refuse(context, booked.error());
  spdlog::info("booked the run for {}: {} entries, total {}, at seq {}", month_text, plan->entries.size(),
               domain::FormatKronor(plan->run.total), known_at);
  if (stats.events_applied >= kCheckpointTailMin) {
    if (auto caught_up = projection::CatchUp(*projection, **store); caught_up) {
      if (auto saved = projection::SaveCheckpoint(*projection, **store); !saved) {
        spdlog::warn("the checkpoint was not saved: {}", saved.error().message);
      }
    }
  }
  auto k = ResolveKnownAt(**store, fmt::format("seq:{}", known_at));
  if (!k) return Refuse(context, k.error());
  const std::string out = context.json ? ledger::PayoutJson(plan->run, *k, false, plan->entries, plan->anomalies)
                                       : PayoutTable(plan->run, *k, false, plan->entries, plan->anomalies);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace capledger::app
