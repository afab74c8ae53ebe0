#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/cluster_writes.h"
#include "app/commands.h"
#include "app/store_access.h"
#include "codec/json_out.h"
#include "codec/rulebook_codec.h"
#include "codec/seq_format.h"
#include "common/crypto.h"
#include "store/event_store.h"

namespace capledger::app {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, fmt::format("cannot open {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<domain::Rulebook> ReadRulebookFile(const std::string& file) {
  auto text = ReadWholeFile(file);
  if (!text) return tl::unexpected(text.error());
  auto rulebook = codec::ParseRulebookToml(*text);
  if (!rulebook) {
    const auto& r = rulebook.error();
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}: field `{}`: {} ({})", file, r.field, r.message, codec::RejectCodeName(r.code)));
  }
  return *rulebook;
}

namespace {

// The idempotency key of a rulebook: its id and a digest of its canonical JSON, so that the same
// file published twice is a duplicate and a revised one is a new event.
// A rulebook id is at most 64 characters of the id rule's, so the whole stays within it.
domain::EventId RulebookEventId(const domain::Rulebook& rulebook) {
  const crypto::Digest digest = crypto::Sha256Of(codec::RulebookToJson(rulebook));
  return domain::EventId::Made(fmt::format("rulebook:{}:{}", rulebook.id, crypto::Hex(digest).substr(0, 16)));
}

void PrintPublished(const CommandContext& context, const domain::Rulebook& rulebook,
                    const store::AppendOutcome& outcome) {
  const bool duplicate = outcome.kind == store::AppendOutcome::Kind::kDuplicate;
  if (context.json) {
    std::string out;
    codec::JsonObject(out, codec::JsonSpacing::kSpaced)
        .String("rulebook", rulebook.id)
        .Integer("seq", outcome.seq)
        .String("status", duplicate ? "duplicate" : "stored")
        .Close();
    fmt::print("{}\n", out);
  } else {
    fmt::print("{} {} as seq {}\n", duplicate ? "already published:" : "published", rulebook.id, outcome.seq);
  }
}

// Cluster mode: the RulebookPublished event is submitted to the region's partition; the node's
// store then says whether it was stored, already there, or rejected.
int RunClusterPublish(const CommandContext& context, const std::string& file, const domain::Rulebook& rulebook) {
  if (context.recorded_at) {
    return Refuse(context, Error{ErrorCode::kInvalidArgument,
                                 "--recorded-at: in cluster mode the log's time is the recorded time (docs/cluster.md)"});
  }
  auto secret = ResolveSecret(context.config);
  if (!secret) return Refuse(context, secret.error());
  const domain::Event event{RulebookEventId(rulebook), "capledger", domain::RulebookPublished{rulebook}};
  auto counts = SubmitEvent(context, event, *secret);
  if (!counts) return Refuse(context, counts.error());
  if (counts->rejected > 0) {
    return Refuse(context, Error{ErrorCode::kRefused, fmt::format("{}: the node rejected the rulebook; `capledger "
                                                                  "rejects` says why", file)});
  }
  auto store = OpenStore(context, Access::kRead);
  if (!store) return Refuse(context, store.error());
  auto found = (*store)->LookupId(event.id);
  if (!found) return Refuse(context, found.error());
  LEDGER_ASSERT(found->has_value());
  store::AppendOutcome outcome;
  outcome.kind = counts->stored > 0 ? store::AppendOutcome::Kind::kStored : store::AppendOutcome::Kind::kDuplicate;
  outcome.seq = (*found)->seq;
  PrintPublished(context, rulebook, outcome);
  return kExitOk;
}

}  // namespace

int RunRulebookPublish(const CommandContext& context, const std::string& file) {
  auto rulebook = ReadRulebookFile(file);
  if (!rulebook) return Refuse(context, rulebook.error());
  if (context.config.cluster.enabled) return RunClusterPublish(context, file, *rulebook);
  auto store = OpenStore(context, Access::kWrite);
  if (!store) return Refuse(context, store.error());
  store::AppendRequest request;
  request.event = domain::Event{RulebookEventId(*rulebook), "capledger", domain::RulebookPublished{*rulebook}};
  request.recorded_at = context.recorded_at;
  request.origin = store::InputOrigin{file, 1, ""};
  auto outcomes = (*store)->Append(std::span(&request, 1));
  if (!outcomes) return Refuse(context, outcomes.error());
  const store::AppendOutcome& outcome = outcomes->front();
  if (outcome.kind == store::AppendOutcome::Kind::kRejected) {
    const auto& r = *outcome.rejection;
    return Refuse(context, Error{ErrorCode::kRefused, fmt::format("{}: {} ({})", file, r.message,
                                                                  codec::RejectCodeName(r.code))});
  }
  PrintPublished(context, *rulebook, outcome);
  return kExitOk;
}

}  // namespace capledger::app
