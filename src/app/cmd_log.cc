// log, verify and rejects: the read-only views of the log.
#include <cstdio>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/store_access.h"
#include "codec/json_out.h"
#include "codec/json_writer.h"
#include "codec/seq_format.h"
#include "common/crypto.h"
#include "present/json_log.h"

namespace capledger::app {

int RunLog(const CommandContext& context, domain::Seq from_seq, std::uint64_t limit) {
  auto store = OpenStore(context, Access::kRead);
  if (!store) return Refuse(context, store.error());
  std::string out;
  auto scanned = (*store)->Scan(from_seq, limit, [&](const store::StoredRecord& record) {
    codec::LogPosition position{record.stored.seq, record.stored.recorded_at, record.prev_hash, record.hash};
    out += codec::EventToJson(record.stored.event, &position);
    out += '\n';
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
    return true;
  });
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (!scanned) return Refuse(context, scanned.error());
  return kExitOk;
}

int RunVerify(const CommandContext& context) {
  auto store = OpenStore(context, Access::kRead);
  if (!store && store.error().code == ErrorCode::kLogDamaged) {
    // A log that does not open, or lost acknowledged events, is a failed check, not a refusal.
    if (context.json) {
      std::string out;
      codec::JsonObject(out, codec::JsonSpacing::kSpaced).Bool("ok", false).String("problem", store.error().message).Close();
      fmt::print("{}\n", out);
    } else {
      fmt::print("FAILED: {}\n", store.error().message);
    }
    return kExitCheckFailed;
  }
  if (!store) return Refuse(context, store.error());
  auto report = (*store)->Verify();
  if (!report) return Refuse(context, report.error());
  const store::Head head = (*store)->head();
  const bool ok = !report->first_bad_seq.has_value();
  if (context.json) {
    const std::string out = present::VerifyJson(*report, head);
    std::fwrite(out.data(), 1, out.size(), stdout);
  } else if (ok) {
    fmt::print("ok: {} events, hash chain intact, head seq {} hash {}\n", report->events_checked, head.seq,
               crypto::Hex(head.hash));
  } else {
    fmt::print("FAILED at seq {}: {}\n", *report->first_bad_seq, report->problem);
  }
  return ok ? kExitOk : kExitCheckFailed;
}

int RunRejects(const CommandContext& context) {
  auto store = OpenStore(context, Access::kReadWithSecret);
  if (!store) return Refuse(context, store.error());
  auto scanned = (*store)->ScanRejects([](const std::string& json) { fmt::print("{}\n", json); });
  if (!scanned) return Refuse(context, scanned.error());
  return kExitOk;
}

}  // namespace capledger::app
