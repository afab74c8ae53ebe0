// Who publishes a region's finance feed in cluster mode (DESIGN.md §6, docs/cluster.md): the
// member of the region's feed group that Kafka assigns the region's partition of the log topic.
// Every node of the region joins the group; Kafka's group protocol picks one member, and picks
// again when that member leaves or stops heartbeating. The member reads no messages: what it is
// assigned stays paused. The holder records in the group, as the partition's committed offset,
// the log seq through which its feed is delivered, so that the next holder need not publish
// again what was delivered before it (every node's log is the same, seq for seq). librdkafka's
// types stay in feed_owner.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/error.h"
#include "stream/kafka_config.h"

namespace capledger::stream {

struct FeedOwnerConfig {
  KafkaConfig kafka;             // brokers and properties (its group_id is not used)
  std::string group;             // the region's feed group
  std::string log_topic;         // subscribed to; the region's partition decides
  std::int32_t partition = 0;    // the region's partition of log_topic
  int session_timeout_ms = 6000; // a member silent this long loses the partition (unless set in properties)
  // The seq through which this node's feed is delivered (0: nothing yet). Called on the
  // ownership's thread while it holds the partition, and once after it gave it up.
  std::function<std::uint64_t()> delivered;
};

class FeedOwnership {
 public:
  // Joins the group on a thread of its own. `on_change(true, handed_over)` is called on that
  // thread when this member is given the partition, with the seq the group last recorded as
  // delivered (0 if none); `on_change(false, 0)` when it is taken away, inside the rebalance (so
  // before the group can give it to another member), when the membership is lost, and at Stop
  // if it was held. kInvalidArgument for a property librdkafka refuses.
  static Result<std::unique_ptr<FeedOwnership>> Start(const FeedOwnerConfig& config,
                                                      std::function<void(bool owner, std::uint64_t handed_over)> on_change);
  virtual ~FeedOwnership() = default;
  // Leaves the group (on_change(false) first if the partition was held) and returns when its
  // thread has ended. Idempotent.
  virtual void Stop() = 0;
  // Whether this member holds the partition now. Any thread.
  virtual bool owner() const = 0;
};

}  // namespace capledger::stream
