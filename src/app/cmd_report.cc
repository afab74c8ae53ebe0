#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/store_access.h"
#include "codec/seq_format.h"
#include "domain/date.h"
#include "ledger/known_at.h"
#include "present/json_ledger.h"
#include "present/text_report.h"
#include "projection/replay.h"
#include "projection/report.h"

namespace capledger::app {

Result<projection::Projection> LoadForQuery(const store::EventStore& store) {
  projection::ReplayStats stats;
  auto loaded = projection::LoadProjection(store, true, &stats);
  if (loaded) {
    spdlog::info("projection at seq {} (checkpoint seq {}, {} events replayed)", loaded->applied_seq(),
                 stats.checkpoint_seq, stats.events_applied);
  }
  return loaded;
}

int RunReport(const CommandContext& context, const ReportArgs& args) {
  auto month = domain::ParseMonth(args.month);
  if (!month) return Refuse(context, Error{ErrorCode::kInvalidArgument, "--month: " + month.error().message});
  auto store = OpenStore(context, Access::kRead);
  if (!store) return Refuse(context, store.error());
  auto known_at = ResolveKnownAt(**store, args.known_at);
  if (!known_at) return Refuse(context, known_at.error());
  auto projection = LoadForQuery(**store);
  if (!projection) return Refuse(context, projection.error());
  auto clinic = domain::ClinicId::ParseOptional(args.clinic, "--clinic");
  if (!clinic) return Refuse(context, clinic.error());
  auto report = projection::BuildMonthReport(*projection, *month, known_at->seq, *clinic);
  if (!report) return Refuse(context, report.error());
  const std::string out = context.json ? present::ReportJson(*report, *known_at) : present::ReportTable(*report, *known_at);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int RunRulebookList(const CommandContext& context, const std::string& known_at_text) {
  auto store = OpenStore(context, Access::kRead);
  if (!store) return Refuse(context, store.error());
  auto known_at = ResolveKnownAt(**store, known_at_text);
  if (!known_at) return Refuse(context, known_at.error());
  auto projection = LoadForQuery(**store);
  if (!projection) return Refuse(context, projection.error());
  const auto rulebooks = projection->RulebooksKnownAt(known_at->seq);
  const std::string out =
      context.json ? present::RulebooksJson(rulebooks, *known_at) : present::RulebooksTable(rulebooks, *known_at);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int RunCheckpoint(const CommandContext& context) {
  auto store = OpenStore(context, Access::kWrite);
  if (!store) return Refuse(context, store.error());
  auto projection = LoadForQuery(**store);
  if (!projection) return Refuse(context, projection.error());
  if (auto saved = projection::SaveCheckpoint(*projection, **store); !saved) return Refuse(context, saved.error());
  fmt::print("checkpoint at seq {}\n", projection->applied_seq());
  return kExitOk;
}

}  // namespace capledger::app
