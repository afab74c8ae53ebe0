#include <cstdio>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/cluster_writes.h"
#include "app/commands.h"
#include "app/line_reader.h"
#include "app/store_access.h"
#include "codec/json_line_decoder.h"
#include "codec/json_out.h"
#include "codec/seq_format.h"
#include "present/json_ledger.h"
#include "store/line_ingester.h"

namespace capledger::app {
namespace {

void PrintCounts(const CommandContext& context, const store::IngestCounts& counts, domain::Seq head_seq) {
  if (context.json) {
    std::string out;
    codec::JsonObject(out, codec::JsonSpacing::kSpaced)
        .Integer("stored", counts.stored)
        .Integer("duplicate", counts.duplicate)
        .Integer("rejected", counts.rejected)
        .Integer("head_seq", head_seq)
        .Close();
    fmt::print("{}\n", out);
  } else {
    fmt::print("stored {}, duplicate {}, rejected {} (log head seq {})\n", counts.stored, counts.duplicate,
               counts.rejected, head_seq);
  }
  std::fflush(stdout);
}

}  // namespace

int Refuse(const CommandContext& context, const Error& error) {
  std::fprintf(stderr, "capledger: %s\n", error.message.c_str());
  if (context.json) std::fputs(present::ErrorJson(error).c_str(), stdout);
  return kExitRefused;
}

// Cluster mode: the lines are submitted to the region's partition and counted once this node
// has indexed them.
int RunClusterIngest(const CommandContext& context, LineReader& reader, const RegionSecret& secret) {
  if (context.recorded_at) {
    return Refuse(context, Error{ErrorCode::kInvalidArgument,
                                 "--recorded-at: in cluster mode the log's time is the recorded time (docs/cluster.md)"});
  }
  auto counts = SubmitLines(context, [&](std::string_view& line) { return reader.Next(line); }, secret);
  if (!counts) return Refuse(context, counts.error());
  store::IngestCounts shown;
  shown.stored = counts->stored;
  shown.duplicate = counts->duplicate;
  shown.rejected = counts->rejected;
  PrintCounts(context, shown, counts->head);
  return counts->rejected > 0 ? kExitRejectedLines : kExitOk;
}

int RunIngest(const CommandContext& context, const std::string& file) {
  auto reader = LineReader::Open(file);
  if (!reader) return Refuse(context, reader.error());
  auto secret = ResolveSecret(context.config);
  if (!secret) return Refuse(context, secret.error());
  if (context.config.cluster.enabled) return RunClusterIngest(context, *reader, *secret);
  auto store = OpenStore(context, Access::kWrite);
  if (!store) return Refuse(context, store.error());
  codec::JsonLineDecoder decoder(secret->bytes());
  store::IngestOptions options{file, context.recorded_at, context.config.ingest_batch_events};
  store::LineIngester ingester(**store, decoder, options);
  ingester.on_reject = [](const std::string& description) { spdlog::warn("rejected {}", description); };
  ingester.on_commit = [](const store::IngestCounts& counts) {
    spdlog::info("committed through line {} (stored {}, duplicate {}, rejected {})", counts.committed_lines,
                 counts.stored, counts.duplicate, counts.rejected);
  };
  std::string_view line;
  for (;;) {
    auto more = reader->Next(line);
    if (!more) return Refuse(context, more.error());
    if (!*more) break;
    if (auto added = ingester.AddLine(line); !added) return Refuse(context, added.error());
  }
  if (auto flushed = ingester.Flush(); !flushed) return Refuse(context, flushed.error());
  PrintCounts(context, ingester.counts(), (*store)->head().seq);
  return ingester.counts().rejected > 0 ? kExitRejectedLines : kExitOk;
}

}  // namespace capledger::app
