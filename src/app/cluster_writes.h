// The command line's writes in cluster mode (docs/cluster.md, "Submit, then await"): lines and
// events submitted to the selected region's partition of the log topic, awaited until this
// node has indexed them, and counted from its store.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "app/commands.h"
#include "common/region_secret.h"
#include "domain/event.h"
#include "domain/seq.h"

namespace capledger::app {

// What became of the submitted lines, as this node's store holds them once it has indexed them.
struct ClusterCounts {
  std::uint64_t stored = 0;     // in the log now and not before the command (the first of an id)
  std::uint64_t duplicate = 0;  // already in the log, or earlier in the same input
  std::uint64_t rejected = 0;   // kept as rejects
  domain::Seq head;             // the node's head once it had indexed them
};

// The next line of an input, valid until the next call; false at its end.
using NextLine = std::function<Result<bool>(std::string_view& line)>;

// Submits every line `next` gives as an event submission (in chunks), waits for this node to
// index the last, and counts. The node must have indexed the partition's end as of the call
// before anything is submitted, so that "before" is well defined. `secret` is the region's: the
// lines are decoded here only to learn their event ids. Errors: the submitter's, the wait's
// (kUnavailable naming how far the node has indexed), the store's.
Result<ClusterCounts> SubmitLines(const CommandContext& context, const NextLine& next, const RegionSecret& secret);

// SubmitLines for one event, written as its input JSON line.
Result<ClusterCounts> SubmitEvent(const CommandContext& context, const domain::Event& event, const RegionSecret& secret);

}  // namespace capledger::app
