// entries, statement, trace, dispute and balance: reading the books.
#include <fmt/format.h>

#include "app/commands.h"
#include "app/store_access.h"
#include "codec/seq_format.h"
#include "ledger/books.h"
#include "ledger/dispute.h"
#include "ledger/trace.h"
#include "present/json_ledger.h"
#include "present/text_ledger.h"

namespace capledger::app {
namespace {

Result<std::optional<domain::Month>> OptionalMonth(const std::string& text, std::string_view flag) {
  if (text.empty()) return std::optional<domain::Month>{};
  auto month = domain::ParseMonth(text);
  if (!month) return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: {}", flag, month.error().message));
  return std::optional<domain::Month>{*month};
}

int Print(const std::string& out) {
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

// An opened store and its projection, for the read-only commands.
struct Loaded {
  std::unique_ptr<store::EventStore> store;
  projection::Projection projection;
};

Result<Loaded> LoadReadOnly(const CommandContext& context) {
  auto store = OpenStore(context, Access::kRead);
  if (!store) return tl::unexpected(store.error());
  auto projection = LoadForQuery(**store);
  if (!projection) return tl::unexpected(projection.error());
  return Loaded{std::move(*store), std::move(*projection)};
}

}  // namespace

int RunEntries(const CommandContext& context, const EntriesArgs& args) {
  auto month = OptionalMonth(args.month, "--month");
  if (!month) return Refuse(context, month.error());
  auto run = OptionalMonth(args.run, "--run");
  if (!run) return Refuse(context, run.error());
  auto loaded = LoadReadOnly(context);
  if (!loaded) return Refuse(context, loaded.error());
  auto clinic = domain::ClinicId::ParseOptional(args.clinic, "--clinic");
  if (!clinic) return Refuse(context, clinic.error());
  const ledger::EntryFilter filter{*month, *run, *clinic};
  const auto entries = ledger::SelectEntries(loaded->projection, filter);
  return Print(context.json ? present::EntriesJson(entries) : present::EntriesTable(entries));
}

int RunStatement(const CommandContext& context, const std::string& run_text, const std::string& clinic) {
  auto run = domain::ParseMonth(run_text);
  if (!run) return Refuse(context, Error{ErrorCode::kInvalidArgument, "--run: " + run.error().message});
  auto loaded = LoadReadOnly(context);
  if (!loaded) return Refuse(context, loaded.error());
  auto clinic_id = domain::ClinicId::ParseOptional(clinic, "--clinic");
  if (!clinic_id) return Refuse(context, clinic_id.error());
  auto statement = ledger::Statement(loaded->projection, *run, *clinic_id);
  if (!statement) return Refuse(context, statement.error());
  return Print(context.json ? present::StatementJson(*statement) : present::StatementText(*statement));
}

int RunRuns(const CommandContext& context) {
  auto loaded = LoadReadOnly(context);
  if (!loaded) return Refuse(context, loaded.error());
  const auto& runs = loaded->projection.ledger().runs();
  return Print(context.json ? present::RunsJson(runs) : present::RunsText(runs));
}

int RunTrace(const CommandContext& context, const std::string& entry_id) {
  auto loaded = LoadReadOnly(context);
  if (!loaded) return Refuse(context, loaded.error());
  auto id = domain::EventId::Parse(entry_id, "entry id");
  if (!id) return Refuse(context, id.error());
  auto trace = ledger::TraceEntry(loaded->projection, *id);
  if (!trace) return Refuse(context, trace.error());
  Print(context.json ? present::TraceJson(*trace) : present::TraceText(*trace));
  if (!trace->reproduces) {
    std::fprintf(stderr, "capledger: entry %s does not reproduce: booked %s, recomputed %s\n", entry_id.c_str(),
                 domain::FormatKronor(trace->entry.entry.amount).c_str(), domain::FormatKronor(trace->expected).c_str());
    return kExitCheckFailed;
  }
  return kExitOk;
}

int RunDispute(const CommandContext& context, const DisputeArgs& args) {
  auto month = domain::ParseMonth(args.month);
  if (!month) return Refuse(context, Error{ErrorCode::kInvalidArgument, "--month: " + month.error().message});
  auto loaded = LoadReadOnly(context);
  if (!loaded) return Refuse(context, loaded.error());
  auto k1 = ResolveKnownAt(*loaded->store, args.known_at);
  if (!k1) return Refuse(context, k1.error());
  auto k2 = ResolveKnownAt(*loaded->store, args.vs, "--vs");
  if (!k2) return Refuse(context, k2.error());
  auto clinic = domain::ClinicId::Parse(args.clinic, "--clinic");
  if (!clinic) return Refuse(context, clinic.error());
  auto dispute = ledger::Dispute(loaded->projection, *clinic, *month, k1->seq, k2->seq);
  if (!dispute) return Refuse(context, dispute.error());
  return Print(context.json ? present::DisputeJson(*dispute, *k1, *k2) : present::DisputeText(*dispute));
}

int RunBalance(const CommandContext& context, const std::string& account, const std::string& known_at_text) {
  auto loaded = LoadReadOnly(context);
  if (!loaded) return Refuse(context, loaded.error());
  auto known_at = ResolveKnownAt(*loaded->store, known_at_text);
  if (!known_at) return Refuse(context, known_at.error());
  auto balance = ledger::AccountBalance(loaded->projection, account, known_at->seq);
  if (!balance) return Refuse(context, balance.error());
  if (context.json) return Print(present::BalanceJson(*balance, *known_at));
  return Print(fmt::format("{} {} ({} entries) as known at seq {}\n", balance->account,
                           domain::FormatKronor(balance->balance), balance->entries, known_at->seq));
}

}  // namespace capledger::app
