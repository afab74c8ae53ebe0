// The program's configuration: config/capledger.toml, the environment, and command-line flags.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "api/http_server.h"
#include "api/lookup_limiter.h"
#include "common/error.h"
#include "common/region_secret.h"
#include "present/sie.h"
#include "stream/kafka_config.h"

namespace capledger::app {

// A region the cluster knows ([regions.<id>]): its partition of the log topic and where its
// secret comes from.
struct RegionConfig {
  std::string id;          // [a-z0-9-]{1,32}, the name of its store's directory under data_dir
  std::int32_t partition = 0;
  std::string secret_env;  // the environment variable holding its secret (empty: the global secret)
  std::string ledger_topic;  // its finance feed's topic (empty: [kafka] ledger_topic + "." + id)
  std::string events_topic;  // its upstream events, read by its nodes' ingest group (empty: none)
};

// [cluster] (DESIGN.md §6): with `enabled`, `serve` indexes its regions' partitions of the log
// topic into their stores, and every write is a submission to the log.
struct ClusterConfig {
  bool enabled = false;
  std::string log_topic = "halsoval.log";
  std::vector<std::string> regions;     // the regions this node indexes
  std::size_t batch_messages = 5'000;   // submissions per synced write at most
  std::int64_t await_ms = 30'000;       // how long a write waits for its node to index it
  bool feed = true;                     // publish the finance feed (from the feed group's chosen node)
  std::string feed_group = "capledger-feed";  // the feed group of region R is "<feed_group>.<R>"
  std::int64_t session_ms = 6'000;  // a node silent this long loses the feed and its upstream partitions
  std::string ingest_group = "capledger-ingest";  // region R's upstream ingest group is "<ingest_group>.<R>"
};

// Settings every command may use. Precedence: flag > environment > config file > default.
struct AppConfig {
  std::filesystem::path data_dir = "./data";
  std::string secret_hex;         // [secret] key_hex, or $CAPLEDGER_SECRET
  bool use_demo_key = false;      // [secret] use_demo_key: demonstrations only
  std::string log_level = "info";
  std::size_t ingest_batch_events = 10'000;
  // [http]: where `serve` listens (address = "HOST:PORT" fills host and port) and its bounds.
  api::HttpOptions http;
  std::string tokens_file;        // [http] tokens_file; `serve --tokens` wins
  // [http] resident_lookups_per_hour, resident_lookups_burst: how often each resident_lookup
  // token may find a resident by personnummer.
  api::LookupLimits lookups;
  // [sie]: the account mapping of `export-sie`.
  present::SieOptions sie;
  // [kafka]: brokers, topics, group and pass-through properties of `serve`'s Kafka part.
  stream::KafkaConfig kafka;
  ClusterConfig cluster;
  std::vector<RegionConfig> regions;  // [regions.<id>], in id order
  // The region a command acts on (--region, or the only one [cluster] regions names); its store
  // is data_dir/<id>. Empty without [regions]: data_dir is the one store, as in embedded mode.
  std::optional<RegionConfig> region;
};

// Chooses the region commands act on: `flag` (--region) if given, else the only region of
// [cluster] regions (or of [regions]); sets config.region and makes data_dir that region's store.
// Nothing to do when no region is configured and none is asked for. kInvalidArgument names an
// unknown region, or asks for --region when there are several to choose from.
Status SelectRegion(AppConfig& config, const std::string& flag);

// The log levels --log-level and [log] level take, and whether `level` is one.
inline constexpr std::string_view kLogLevels = "debug, info, warn, error, off";
bool IsLogLevel(std::string_view level);

// Reads `path` if given (else $CAPLEDGER_CONFIG if set, else built-in defaults) and applies
// $CAPLEDGER_SECRET. kInvalidArgument names the file, key and problem: unknown keys, values of
// the wrong type (a string where a number belongs, ...), values outside their range or list, a
// path that is not a file.
Result<AppConfig> LoadConfig(const std::optional<std::filesystem::path>& path);

// The region secret the config calls for: the selected region's secret_env if it names one, else
// the configured key, or the built-in demo key (with a
// warning in the log). kRefused when there is none, with a message saying how to provide one.
Result<RegionSecret> ResolveSecret(const AppConfig& config);

}  // namespace capledger::app
