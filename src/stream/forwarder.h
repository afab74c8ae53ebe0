// The upstream ingest of cluster mode (DESIGN.md §6, docs/cluster.md): a region's events topic
// (halsoval.events) is read by a consumer group of the region's nodes, and every message becomes
// an event submission to the region's partition of the log topic carrying its input position
// (topic/partition/offset). The indexer applies each input position once, so a crash anywhere
// between reading, submitting and recording progress duplicates nothing. librdkafka's types stay
// in forwarder.cc.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "store/event_store.h"
#include "stream/kafka_config.h"

namespace capledger::stream {

struct ForwarderConfig {
  KafkaConfig kafka;              // brokers and properties (its group_id and topics are not used)
  std::string events_topic;       // read: the region's upstream events
  std::string group;              // the region's ingest group
  std::string log_topic;          // written: the region's partition of it
  std::int32_t partition = 0;
  std::size_t batch_messages = 1'000;                 // submitted together at most
  std::chrono::milliseconds submit_timeout{30'000};   // for the brokers to acknowledge a batch
  int session_timeout_ms = 6000;  // a member silent this long loses its partitions (unless set in properties)
};

// Running totals, read by the metrics at any time from any thread.
struct ForwarderStats {
  std::atomic<std::uint64_t> forwarded{0};   // messages submitted and acknowledged
  std::atomic<std::uint64_t> batches{0};
  std::atomic<std::uint64_t> failures{0};    // batches not acknowledged (read again from the last commit)
  std::atomic<bool> assigned{false};         // this node holds some partition of the events topic
};

class Forwarder {
 public:
  // Joins the group on a thread of its own. On assignment each partition resumes at the later
  // of the group's committed offset and the next input offset this node's store has applied
  // (`store`, read only through ReadMeta). After a batch is acknowledged by the log's brokers,
  // its offsets are committed to the group. kInvalidArgument for a property librdkafka refuses.
  static Result<std::unique_ptr<Forwarder>> Start(const ForwarderConfig& config, const store::EventStore& store,
                                                  const Clock& clock);
  virtual ~Forwarder() = default;
  // Leaves the group (what is read but not submitted is read again by the next member) and
  // returns when its thread has ended. Idempotent.
  virtual void Stop() = 0;
  virtual const ForwarderStats& stats() const = 0;
};

}  // namespace capledger::stream
