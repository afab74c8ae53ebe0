// The program's configuration: config/capledger.toml, the environment, and command-line flags.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "api/http_server.h"
#include "api/lookup_limiter.h"
#include "common/error.h"
#include "common/region_secret.h"
#include "present/sie.h"
#include "stream/kafka_config.h"

namespace capledger::app {

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
};

// The log levels --log-level and [log] level take, and whether `level` is one.
inline constexpr std::string_view kLogLevels = "debug, info, warn, error, off";
bool IsLogLevel(std::string_view level);

// Reads `path` if given (else $CAPLEDGER_CONFIG if set, else built-in defaults) and applies
// $CAPLEDGER_SECRET. kInvalidArgument names the file, key and problem: unknown keys, values of
// the wrong type (a string where a number belongs, ...), values outside their range or list, a
// path that is not a file.
Result<AppConfig> LoadConfig(const std::optional<std::filesystem::path>& path);

// The region secret the config calls for: the configured key, or the built-in demo key (with a
// warning in the log). kRefused when there is none, with a message saying how to provide one.
Result<RegionSecret> ResolveSecret(const AppConfig& config);

}  // namespace capledger::app
