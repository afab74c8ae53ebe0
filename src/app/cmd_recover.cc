// recover [--accept-loss]: the operator's way out of a store whose log does not open.
#include <cstdio>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/store_access.h"
#include "codec/seq_format.h"
#include "common/crypto.h"
#include "store/recover.h"

namespace capledger::app {
namespace {

void PrintReport(const CommandContext& context, const store::RecoveryReport& report) {
  if (context.json) {
    fmt::print("{}\n", store::RecoveryJson(report));
    return;
  }
  fmt::print("recovered the log at seq {} (hash {})\n", report.recovered.seq, crypto::Hex(report.recovered.hash));
  if (report.acknowledged) {
    fmt::print("acknowledged through seq {}: {} acknowledged events lost", report.acknowledged->seq,
               report.lost_events());
    if (report.lost_events() > 0) fmt::print(" (seqs {}..{})", report.recovered.seq.Next(), report.acknowledged->seq);
    fmt::print("\n");
  } else {
    fmt::print("the head record could not be read: how many acknowledged events were lost is not known\n");
  }
  if (report.substituted()) {
    fmt::print("the event at seq {} is not the one that was acknowledged there (its hash differs): it was replaced\n",
               report.recovered.seq);
  }
  if (report.lost_events() > 0 || report.substituted()) {
    fmt::print("the finance feed may have delivered entries of the lost seqs; a payout run booked again reuses their "
               "entry ids: reconcile with finance (docs/feed.md) before booking it again\n");
  }
  if (report.feed_cursor_before > report.feed_cursor_after) {
    fmt::print("the finance feed had delivered through seq {}; its cursor is now seq {}: finance holds entries whose "
               "seqs later events will reuse (their entry ids stay unique)\n",
               report.feed_cursor_before, report.feed_cursor_after);
  }
  fmt::print("the write-ahead log and manifest as they were are kept in {}\n", report.kept.string());
  fmt::print("recorded in {}\n", (report.kept.parent_path() / std::string(store::kRecoveryLogFile)).string());
}

}  // namespace

int RunRecover(const CommandContext& context, bool accept_loss) {
  const auto& dir = context.config.data_dir;
  if (!std::filesystem::exists(dir / "CURRENT")) {
    return Refuse(context, Error{ErrorCode::kNotFound, fmt::format("no store in {}", dir.string())});
  }
  store::StoreOptions read_only;
  read_only.read_only = true;
  auto opened = store::EventStore::Open(dir, nullptr, *context.clock, read_only);
  if (opened) {
    fmt::print("the store in {} opens whole: nothing to recover (head seq {})\n", dir.string(), (*opened)->head().seq);
    return kExitOk;
  }
  if (opened.error().code != ErrorCode::kLogDamaged) return Refuse(context, opened.error());
  const std::string damage = opened.error().message;
  if (!accept_loss) {
    std::fprintf(stderr,
                 "capledger: %s\ncapledger: `capledger recover --accept-loss` opens the log at the last event it can "
                 "read; every event after it is lost. It first copies the write-ahead log and manifest aside and "
                 "records what it did in %s/%s.\n",
                 damage.c_str(), dir.c_str(), std::string(store::kRecoveryLogFile).c_str());
    return kExitRefused;
  }
  auto report = store::RecoverStore(dir, damage, *context.clock);
  if (!report) return Refuse(context, report.error());
  PrintReport(context, *report);
  auto store = OpenStore(context, Access::kRead);
  if (!store) return Refuse(context, store.error());
  auto verified = (*store)->Verify();
  if (!verified) return Refuse(context, verified.error());
  if (verified->first_bad_seq) {
    std::fprintf(stderr, "capledger: after recovery, verify FAILED at seq %llu: %s\n",
                 static_cast<unsigned long long>(verified->first_bad_seq->value()), verified->problem.c_str());
    return kExitCheckFailed;
  }
  std::fprintf(stderr, "capledger: after recovery, verify: ok, %llu events\n",
               static_cast<unsigned long long>(verified->events_checked));
  return kExitOk;
}

}  // namespace capledger::app
