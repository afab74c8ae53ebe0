// `capledger serve`: the parts of the running service and how they start and stop.
//
// RunServe opens the store for writing (with the region secret) and the ledger service on it,
// then starts each part in the order ServeParts lists them, prints the ready line once all are
// started, waits for SIGTERM or SIGINT, and stops the parts in the reverse order before it
// closes the store. A part listed before the HTTP API is therefore started before it and stopped
// after it: a part that publishes what payouts book (the finance feed) drains after the API has
// stopped taking payouts.
#pragma once

#include <cstdint>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/metrics.h"
#include "api/queries.h"
#include "common/log_clock.h"
#include "app/commands.h"
#include "common/region_secret.h"
#include "ledger/service.h"
#include "store/event_store.h"
#include "stream/kafka_config.h"

namespace capledger::app {

// serve [--http ADDR] [--tokens FILE] [--kafka-mock]
struct ServeArgs {
  std::string http;        // empty: [http] address
  std::string tokens;      // empty: [http] tokens_file
  bool kafka_mock = false; // run Kafka against librdkafka's mock cluster, started in-process
};

// kafka-mock [--brokers N] [--partitions P]
struct KafkaMockArgs {
  int brokers = 3;
  int partitions = 4;  // of each of [kafka] events_topic and ledger_topic, and [cluster] log_topic
  std::uint64_t chaos_seed = 0;  // 0: none; else SIGUSR1 starts and pauses seeded faults (stream/mock_chaos.h)
  int chaos_interval_ms = 300;
};

// Runs librdkafka's mock cluster until SIGTERM or SIGINT; prints {"ready": true, "brokers":
// "127.0.0.1:PORT,..."} on stdout once it listens. With a chaos seed, each SIGUSR1 starts or
// pauses the seeded faults, and each pause logs what they did so far ("chaos: ..."). Exit 2 if
// it cannot start.
int RunKafkaMock(const CommandContext& context, const KafkaMockArgs& args);

// What every part may use while it runs. Everything outlives every part's Stop.
struct ServeEnv {
  const CommandContext& context;
  store::EventStore& store;
  ledger::LedgerService& service;  // queries and payouts; CatchUp after appending to `store`
  api::Metrics& metrics;           // add gauges here (AddGauge) before the ready line
  const RegionSecret& secret;
  // Asks `serve` to drain and stop, as SIGTERM does; for a part that can no longer do its work.
  // Safe from any thread, any number of times.
  std::function<void()> request_stop;
  // Cluster mode: the clock `store` was opened with, which the indexer sets to the log's time
  // (null in embedded mode).
  LogClock* log_clock = nullptr;
  // What the parts put in place of the API's embedded defaults; filled before the HTTP part starts.
  api::ApiHooks hooks;
};

// One part of the service.
class ServePart {
 public:
  virtual ~ServePart() = default;
  // Its key in the ready line ("http", "kafka").
  virtual std::string_view name() const = 0;
  // Starts it; returns its value in the ready line as JSON (a quoted address, say). An error
  // stops the parts started before it and `serve` exits 2 with the message.
  virtual Result<std::string> Start(ServeEnv& env) = 0;
  // Drains it and returns when it has finished: no thread of it may touch `env` afterwards.
  // Called once, only after a successful Start.
  virtual void Stop() = 0;
};

// The parts `serve` runs for this configuration, in start order: the cluster part (with [cluster]
// enabled) or Kafka (with [kafka] enabled or --kafka-mock), then the HTTP API.
// kInvalidArgument / kNotFound for a bad address or tokens file.
Result<std::vector<std::unique_ptr<ServePart>>> ServeParts(const CommandContext& context, const ServeArgs& args);

// The HTTP API part (api/http_server.h), on `options` with `tokens`.
std::unique_ptr<ServePart> MakeHttpPart(api::HttpOptions options, api::TokenTable tokens);

// The Kafka part: the mock cluster if `mock` (its bootstrap address replaces config.brokers),
// the finance feed and the ingest (stream/feed.h, stream/ingest.h), and their gauges.
std::unique_ptr<ServePart> MakeKafkaPart(stream::KafkaConfig config, bool mock);

// The cluster part (with [cluster] enabled): the indexer of the selected region's partition of
// the log topic, and payouts as submissions to it (stream/indexer.h, stream/submitter.h).
std::unique_ptr<ServePart> MakeClusterPart();

// The ready line: {"ready": true, "http": <value>, "kafka": <value>} and '\n', every part's value
// under its name; "http" and "kafka" are always present (null when no such part runs).
std::string ReadyLine(const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace capledger::app
