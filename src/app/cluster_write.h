// A command's write in cluster mode (docs/cluster.md, "Submit, then await"): the command never
// writes a node's store. It submits to the selected region's partition of the log topic, then
// waits until this node's indexer (its `serve --region R` on the same data directory) has
// indexed what it submitted, reading the store read-only beside it, and reports the outcome
// from the store.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "app/commands.h"
#include "app/store_access.h"
#include "domain/seq.h"
#include "stream/submitter.h"

namespace capledger::app {

class ClusterWrite {
 public:
  // The submitter for the selected region. kInvalidArgument for a property librdkafka refuses.
  // REQUIRES config.cluster.enabled and a selected region.
  static Result<ClusterWrite> Create(const CommandContext& context);

  // Waits until this node has indexed its partition through the end it has now, and returns
  // the store's head seq then: what was in the log before this command's submissions.
  Result<domain::Seq> CatchUp();

  // Submits `submissions` in order (stamped now) and returns their offsets.
  Result<std::vector<std::int64_t>> Submit(std::span<const stream::Submission> submissions);

  // Waits until this node has indexed every offset before `next_offset`. kUnavailable after
  // cluster.await_ms, saying how far the node has indexed: the submissions are in the log and
  // are applied once the node runs.
  Status AwaitIndexed(std::int64_t next_offset);

  // The node's store, opened read-only now (after AwaitIndexed, it holds what was awaited).
  Result<std::unique_ptr<store::EventStore>> OpenIndexed(Access access) const;

 private:
  ClusterWrite(const CommandContext& context, std::unique_ptr<stream::Submitter> submitter)
      : context_(&context), submitter_(std::move(submitter)) {}
  // The next offset this node's store has indexed (0 before its first write).
  Result<std::int64_t> IndexedNext() const;

  const CommandContext* context_;
  std::unique_ptr<stream::Submitter> submitter_;
};

}  // namespace capledger::app
