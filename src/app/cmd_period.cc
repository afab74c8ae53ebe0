// period, simulate and annual-report: the board's follow-up (DOMAIN.md §10, §11). All read only.
#include <cstdio>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/store_access.h"
#include "domain/date.h"
#include "ledger/annual.h"
#include "ledger/period.h"
#include "present/json_period.h"
#include "present/text_period.h"

namespace capledger::app {
namespace {

Result<int> ParseYear(const std::string& text) {
  auto year = domain::ParseYear(text);
  if (!year) return Fail(ErrorCode::kInvalidArgument, fmt::format("--year '{}': {}", text, year.error().message));
  return year;
}

void Print(const std::string& out) { std::fwrite(out.data(), 1, out.size(), stdout); }

// The store, K and the projection for a read-only command.
struct Loaded {
  std::unique_ptr<store::EventStore> store;
  KnownAt known_at;
  projection::Projection projection;
};
Result<Loaded> Load(const CommandContext& context, const std::string& known_at_text) {
  auto store = OpenStore(context, Access::kRead);
  if (!store) return tl::unexpected(store.error());
  auto known_at = ResolveKnownAt(**store, known_at_text);
  if (!known_at) return tl::unexpected(known_at.error());
  auto projection = LoadForQuery(**store);
  if (!projection) return tl::unexpected(projection.error());
  return Loaded{std::move(*store), *known_at, std::move(*projection)};
}

}  // namespace

int RunPeriod(const CommandContext& context, const FollowUpArgs& args) {
  auto year = ParseYear(args.year);
  if (!year) return Refuse(context, year.error());
  auto through = domain::ParseMonth(args.through);
  if (!through) return Refuse(context, Error{ErrorCode::kInvalidArgument, "--through: " + through.error().message});
  auto loaded = Load(context, args.known_at);
  if (!loaded) return Refuse(context, loaded.error());
  auto report = ledger::BuildPeriodReport(loaded->projection, *year, *through, loaded->known_at.seq);
  if (!report) return Refuse(context, report.error());
  Print(context.json ? present::PeriodJson(*report, loaded->known_at) : present::PeriodTable(*report, loaded->known_at));
  return kExitOk;
}

int RunSimulate(const CommandContext& context, const FollowUpArgs& args) {
  auto year = ParseYear(args.year);
  if (!year) return Refuse(context, year.error());
  auto draft = ReadRulebookFile(args.rulebook);
  if (!draft) return Refuse(context, draft.error());
  auto loaded = Load(context, args.known_at);
  if (!loaded) return Refuse(context, loaded.error());
  auto cost = ledger::CostOfDraft(loaded->projection, *draft, *year, loaded->known_at.seq);
  if (!cost) return Refuse(context, cost.error());
  Print(context.json ? present::DraftCostJson(*cost, loaded->known_at) : present::DraftCostTable(*cost, loaded->known_at));
  return kExitOk;
}

int RunAnnualReport(const CommandContext& context, const FollowUpArgs& args) {
  auto year = ParseYear(args.year);
  if (!year) return Refuse(context, year.error());
  auto loaded = Load(context, args.known_at);
  if (!loaded) return Refuse(context, loaded.error());
  auto report = ledger::BuildAnnualReport(loaded->projection, *year, loaded->known_at.seq);
  if (!report) return Refuse(context, report.error());
  Print(context.json ? present::AnnualJson(*report, loaded->known_at) : present::AnnualTable(*report, loaded->known_at));
  return kExitOk;
}

}  // namespace capledger::app
