// ingest and rulebook publish in cluster mode: the lines become event submissions to the
// region's partition; the command waits for this node to index them and counts, from its store,
// what was stored, what was already there, and what was rejected (docs/cluster.md).
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/cluster_write.h"
#include "app/cluster_writes.h"
#include "codec/json_line_decoder.h"
#include "codec/json_writer.h"
#include "stream/submission.h"

namespace capledger::app {
namespace {

constexpr std::size_t kChunkLines = 10'000;  // submissions per Submit call

// One submitted line: its offset, and its event id if it decodes here (else the indexer rejects it).
struct Submitted {
  std::int64_t offset = 0;
  std::string id;
};

// The offsets of `submitted` that this node's store keeps rejects for (their source is
// "kafka:<topic>/<partition>/<offset>").
Result<std::set<std::int64_t>> RejectedOffsets(const store::EventStore& store, const std::string& topic,
                                               std::int32_t partition, std::int64_t first, std::int64_t last) {
  const std::string prefix = fmt::format("kafka:{}/{}/", topic, partition);
  std::set<std::int64_t> out;
  auto scanned = store.ScanRejects([&](const std::string& json) {
    const std::size_t at = json.find(prefix);
    if (at == std::string::npos) return;
    std::int64_t offset = 0;
    for (std::size_t i = at + prefix.size(); i < json.size() && json[i] >= '0' && json[i] <= '9'; ++i) {
      offset = offset * 10 + (json[i] - '0');
    }
    if (offset >= first && offset <= last) out.insert(offset);
  });
  if (!scanned) return tl::unexpected(scanned.error());
  return out;
}

// Stored (in the log after `before`, first of its id here), duplicate (there before, or earlier
// in this input), or rejected (a reject of its offset).
Result<ClusterCounts> Count(const store::EventStore& store, const std::vector<Submitted>& submitted,
                            const std::set<std::int64_t>& rejected, domain::Seq before) {
  ClusterCounts counts;
  std::set<std::string> seen;
  for (const auto& s : submitted) {
    if (rejected.count(s.offset) > 0) {
      ++counts.rejected;
      continue;
    }
    auto found = s.id.empty() ? Result<std::optional<store::IdRecord>>(std::nullopt) : store.LookupId(s.id);
    if (!found) return tl::unexpected(found.error());
    if (!found->has_value()) {
      return Fail(ErrorCode::kInternal, fmt::format("the event at offset {} ({}) is neither in the log nor rejected",
                                                    s.offset, s.id.empty() ? "no id" : s.id));
    }
    const bool fresh = (*found)->seq > before && seen.insert(s.id).second;
    ++(fresh ? counts.stored : counts.duplicate);
  }
  counts.head = store.head().seq;
  return counts;
}

}  // namespace

Result<ClusterCounts> SubmitLines(const CommandContext& context, const NextLine& next, const RegionSecret& secret) {
  auto write = ClusterWrite::Create(context);
  if (!write) return tl::unexpected(write.error());
  auto before = write->CatchUp();
  if (!before) return tl::unexpected(before.error());
  codec::JsonLineDecoder decoder(secret.bytes());
  std::vector<Submitted> submitted;
  std::vector<stream::Submission> chunk;
  auto send = [&]() -> Status {
    if (chunk.empty()) return {};
    auto offsets = write->Submit(chunk);
    if (!offsets) return tl::unexpected(offsets.error());
    const std::size_t base = submitted.size() - chunk.size();
    for (std::size_t i = 0; i < offsets->size(); ++i) submitted[base + i].offset = (*offsets)[i];
    spdlog::info("submitted {} lines through offset {}", submitted.size(), offsets->back());
    chunk.clear();
    return {};
  };
  std::string_view line;
  for (;;) {
    auto more = next(line);
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    auto decoded = decoder.Decode(line);
    submitted.push_back(Submitted{0, decoded ? decoded->event.id.str() : std::string()});
    chunk.push_back(stream::Submission{stream::SubmissionKind::kEvent, std::string(line), {}, {}});
    if (chunk.size() == kChunkLines) {
      if (auto sent = send(); !sent) return tl::unexpected(sent.error());
    }
  }
  if (auto sent = send(); !sent) return tl::unexpected(sent.error());
  if (submitted.empty()) return ClusterCounts{0, 0, 0, *before};
  const auto& config = context.config;
  if (auto awaited = write->AwaitIndexed(submitted.back().offset + 1); !awaited) return tl::unexpected(awaited.error());
  auto store = write->OpenIndexed(Access::kReadWithSecret);  // rejects are kept encrypted
  if (!store) return tl::unexpected(store.error());
  auto rejected = RejectedOffsets(**store, config.cluster.log_topic, config.region->partition,
                                  submitted.front().offset, submitted.back().offset);
  if (!rejected) return tl::unexpected(rejected.error());
  return Count(**store, submitted, *rejected, *before);
}

Result<ClusterCounts> SubmitEvent(const CommandContext& context, const domain::Event& event, const RegionSecret& secret) {
  std::string json;
  codec::AppendInputJson(json, event, codec::InputLineExtras{});
  bool given = false;
  return SubmitLines(
      context,
      [&](std::string_view& line) -> Result<bool> {
        if (given) return false;
        line = json;
        given = true;
        return true;
      },
      secret);
}

}  // namespace capledger::app
