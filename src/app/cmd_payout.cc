// payout: books a month's run (DOMAIN.md §8) and prints it.
#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/store_access.h"
#include "codec/seq_format.h"
#include "ledger/payout.h"
#include "ledger/service.h"
#include "present/json_ledger.h"
#include "present/text_ledger.h"
#include "projection/replay.h"

namespace capledger::app {
namespace {

// Tails longer than this are saved as a checkpoint after a run, so that later commands start fast.
constexpr std::uint64_t kCheckpointTailMin = 50'000;

void SaveCheckpointAtHead(projection::Projection& projection, store::EventStore& store) {
  auto caught_up = projection::CatchUp(projection, store);
  auto saved = caught_up ? projection::SaveCheckpoint(projection, store) : caught_up;
  if (!saved) spdlog::warn("the checkpoint was not saved: {}", saved.error().message);
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
  auto result = ledger::BookPayout(*projection, **store, *month, context.recorded_at);
  if (!result) return Refuse(context, result.error());
  if (result->existing) {
    spdlog::info("{} has already been run at seq {}: nothing was booked now", month_text, result->run.known_at_seq);
  } else {
    spdlog::info("booked the run for {}: {} entries, total {}, at seq {}", month_text, result->entries.size(),
                 domain::FormatKronor(result->run.total), result->run.known_at_seq);
    if (stats.events_applied >= kCheckpointTailMin) SaveCheckpointAtHead(*projection, **store);
  }
  auto k = ResolveKnownAt(**store, fmt::format("seq:{}", result->run.known_at_seq));
  if (!k) return Refuse(context, k.error());
  const std::string out =
      context.json ? present::PayoutJson(result->run, *k, result->existing, result->entries, result->anomalies)
                   : present::PayoutTable(result->run, *k, result->existing, result->entries, result->anomalies);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace capledger::app
