#include "app/cluster_write.h"

#include <thread>

#include <fmt/format.h>

#include "common/assert.h"
#include "store/keys.h"
#include "stream/message_decoder.h"

namespace capledger::app {
namespace {

constexpr std::chrono::milliseconds kPollInterval{50};

std::chrono::milliseconds AwaitBound(const CommandContext& context) {
  return std::chrono::milliseconds(context.config.cluster.await_ms);
}

}  // namespace

Result<ClusterWrite> ClusterWrite::Create(const CommandContext& context) {
  LEDGER_ASSERT(context.config.cluster.enabled && context.config.region.has_value());
  stream::KafkaConfig kafka = context.config.kafka;
  kafka.enabled = true;
  auto submitter = stream::Submitter::Create(kafka, context.config.cluster.log_topic);
  if (!submitter) return tl::unexpected(submitter.error());
  return ClusterWrite(context, std::move(*submitter));
}

Result<std::unique_ptr<store::EventStore>> ClusterWrite::OpenIndexed(Access access) const {
  return OpenStore(*context_, access);
}

Result<std::int64_t> ClusterWrite::IndexedNext() const {
  auto store = OpenIndexed(Access::kRead);
  if (!store) return tl::unexpected(store.error());
  auto stored = (*store)->ReadMeta(store::kMetaLogOffset);
  if (!stored) return tl::unexpected(stored.error());
  if (!stored->has_value()) return 0;
  auto next = stream::DecodeOffset(**stored);
  if (!next) return Fail(ErrorCode::kCorruption, "the store's log offset is damaged");
  return *next;
}

Status ClusterWrite::AwaitIndexed(std::int64_t next_offset) {
  const auto deadline = context_->clock->SteadyNow() + AwaitBound(*context_);
  std::int64_t indexed = 0;
  for (;;) {
    auto got = IndexedNext();
    if (!got && got.error().code != ErrorCode::kNotFound) return tl::unexpected(got.error());
    indexed = got ? *got : 0;
    if (indexed >= next_offset || context_->clock->SteadyNow() >= deadline) break;
    std::this_thread::sleep_for(kPollInterval);
  }
  if (indexed >= next_offset) return {};
  const auto& config = context_->config;
  return Fail(ErrorCode::kUnavailable,
              fmt::format("region {}: this node has indexed {} partition {} through offset {}, not yet through {}, "
                          "after {} ms (cluster.await_ms): is `serve --region {}` running on {}? What was submitted "
                          "is in the log and is applied once the node indexes it",
                          config.region->id, config.cluster.log_topic, config.region->partition, indexed - 1,
                          next_offset - 1, config.cluster.await_ms, config.region->id, config.data_dir.string()));
}

Result<domain::Seq> ClusterWrite::CatchUp() {
  auto end = submitter_->EndOffset(context_->config.region->partition, AwaitBound(*context_));
  if (!end) return tl::unexpected(end.error());
  if (auto awaited = AwaitIndexed(*end); !awaited) return tl::unexpected(awaited.error());
  auto store = OpenIndexed(Access::kRead);
  if (!store) return tl::unexpected(store.error());
  return (*store)->head().seq;
}

Result<std::vector<std::int64_t>> ClusterWrite::Submit(std::span<const stream::Submission> submissions) {
  return submitter_->Submit(context_->config.region->partition, submissions, context_->clock->Now(),
                            AwaitBound(*context_));
}

}  // namespace capledger::app
