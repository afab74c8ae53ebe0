// Who publishes a region's finance feed in cluster mode (DESIGN.md §6, docs/cluster.md): the
// member of the region's feed group that Kafka assigns the region's partition of the log topic.
// Every node of the region joins the group; Kafka's group protocol picks one member, and picks
// again when that member leaves or stops heartbeating. The member reads no messages: what it is
// assigned stays paused. librdkafka's types stay in feed_owner.cc.
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
};

class FeedOwnership {
 public:
  // Joins the group on a thread of its own. `on_change(true)` is called on that thread when
  // this member is given the partition; `on_change(false)` when it is taken away, inside the
  // rebalance (so before the group can give it to another member), when the membership is lost,
  // and at Stop if it was held. kInvalidArgument for a property librdkafka refuses.
  static Result<std::unique_ptr<FeedOwnership>> Start(const FeedOwnerConfig& config,
                                                      std::function<void(bool owner)> on_change);
  virtual ~FeedOwnership() = default;
  // Leaves the group (on_change(false) first if the partition was held) and returns when its
  // thread has ended. Idempotent.
  virtual void Stop() = 0;
  // Whether this member holds the partition now. Any thread.
  virtual bool owner() const = 0;
};

}  // namespace capledger::stream
