#include "app/config.h"

#include <cstdlib>
#include <algorithm>
#include <map>
#include <set>
#include <type_traits>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

// toml++ as a header-only library without exceptions: there is no throw in this program.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

namespace capledger::app {
namespace {

}  // namespace

bool IsLogLevel(std::string_view level) {
  return level == "debug" || level == "info" || level == "warn" || level == "error" || level == "off";
}

namespace {

Status CheckKnownKeys(const toml::table& root, const std::string& file) {
  static const std::map<std::string, std::set<std::string>> kKnown = {
      {"store", {"data_dir"}},
      {"secret", {"key_hex", "use_demo_key"}},
      {"log", {"level"}},
      {"ingest", {"batch_events"}},
      {"kafka", {"enabled", "brokers", "events_topic", "ledger_topic", "group_id", "batch_messages", "properties"}},
      {"http", {"address", "tokens_file", "threads", "queued_connections", "connections", "body_bytes_max", "read_timeout_ms",
                "write_timeout_ms", "keep_alive_timeout_s", "keep_alive_requests_max", "drain_timeout_ms", "resident_lookups_per_hour",
                "resident_lookups_burst"}},
      {"cluster", {"enabled", "log_topic", "regions", "batch_messages", "await_ms", "feed", "feed_group", "session_ms", "ingest_group"}},
      {"sie", {"company", "org_number", "series", "verification_date", "clinic_dimension", "clinic_dimension_name",
               "accounts"}},
  };
  for (const auto& [table_name, node] : root) {
    if (table_name.str() == "regions" && node.is_table()) continue;  // [regions.<id>]: checked by ApplyRegions
    auto known = kKnown.find(std::string(table_name.str()));
    if (known == kKnown.end() || !node.is_table()) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: unknown table [{}]", file, table_name.str()));
    }
    for (const auto& [key, value] : *node.as_table()) {
      if (!known->second.contains(std::string(key.str()))) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{}: unknown key {}.{}", file, table_name.str(), key.str()));
      }
    }
  }
  return {};
}

// An integer setting within [min, max], if present.
Status ApplyInteger(const toml::node_view<const toml::node>& node, std::int64_t min, std::int64_t max,
                    const std::string& name, const std::string& file, auto& target) {
  if (!node) return {};
  auto v = node.value<std::int64_t>();
  if (!v || *v < min || *v > max) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: {} must be an integer from {} to {}", file, name, min, max));
  }
  target = static_cast<std::remove_reference_t<decltype(target)>>(*v);
  return {};
}

// A string setting, if present; kInvalidArgument naming the key if it is another type.
Status ApplyString(const toml::node_view<const toml::node>& node, const std::string& name, const std::string& file,
                   std::string& target) {
  if (!node) return {};
  auto v = node.value_exact<std::string>();
  if (!v) return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: {} must be a string", file, name));
  target = *v;
  return {};
}

// A boolean setting (true or false), if present.
Status ApplyBool(const toml::node_view<const toml::node>& node, const std::string& name, const std::string& file,
                 bool& target) {
  if (!node) return {};
  auto v = node.value_exact<bool>();
  if (!v) return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: {} must be true or false", file, name));
  target = *v;
  return {};
}

Status ApplyHttp(AppConfig& config, const toml::table& root, const std::string& file) {
  const auto http = root["http"];
  if (!http) return {};
  std::string address;
  if (auto status = ApplyString(http["address"], "http.address", file, address); !status) return status;
  if (!address.empty()) {
    if (auto parsed = api::ParseHttpAddress(address, config.http); !parsed) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: http.{}", file, parsed.error().message));
    }
  }
  api::HttpOptions& o = config.http;
  for (auto status : {
           ApplyString(http["tokens_file"], "http.tokens_file", file, config.tokens_file),
           ApplyInteger(http["threads"], 1, api::kHttpThreadsMax, "http.threads", file, o.threads),
           ApplyInteger(http["queued_connections"], 1, api::kHttpQueuedConnectionsMax, "http.queued_connections",
                        file, o.queued_connections_max),
           ApplyInteger(http["connections"], 1, api::kHttpConnectionsMax, "http.connections", file, o.connections_max),
           ApplyInteger(http["body_bytes_max"], 0, api::kHttpBodyBytesMax, "http.body_bytes_max", file, o.body_bytes_max),
           ApplyInteger(http["read_timeout_ms"], 1, 600'000, "http.read_timeout_ms", file, o.read_timeout_ms),
           ApplyInteger(http["write_timeout_ms"], 1, 600'000, "http.write_timeout_ms", file, o.write_timeout_ms),
           ApplyInteger(http["keep_alive_timeout_s"], 1, 600, "http.keep_alive_timeout_s", file, o.keep_alive_timeout_s),
           ApplyInteger(http["keep_alive_requests_max"], 1, 1'000'000, "http.keep_alive_requests_max", file,
                        o.keep_alive_requests_max),
           ApplyInteger(http["drain_timeout_ms"], 1, 600'000, "http.drain_timeout_ms", file, o.drain_timeout_ms),
           ApplyInteger(http["resident_lookups_per_hour"], 1, api::kLookupsPerHourMax, "http.resident_lookups_per_hour",
                        file, config.lookups.per_hour),
           ApplyInteger(http["resident_lookups_burst"], 1, api::kLookupsBurstMax, "http.resident_lookups_burst", file,
                        config.lookups.burst),
       }) {
    if (!status) return status;
  }
  return {};
}

Status ApplySieAccount(present::SieAccount& account, const toml::node& node, const std::string& name,
                       const std::string& file) {
  const toml::table* table = node.as_table();
  if (!table) return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: {} must be {{ number = N, name = \"...\" }}", file, name));
  for (const auto& [key, value] : *table) {
    if (key.str() != "number" && key.str() != "name") {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: unknown key {}.{}", file, name, key.str()));
    }
  }
  if (auto status = ApplyInteger((*table)["number"], 1000, 9999, name + ".number", file, account.number); !status) {
    return status;
  }
  return ApplyString((*table)["name"], name + ".name", file, account.name);
}

Status ApplySieAccounts(present::SieOptions& sie, const toml::table& accounts, const std::string& file) {
  for (const auto& [key, node] : accounts) {
    const std::string name = "sie.accounts." + std::string(key.str());
    if (key.str() == "payable") {
      if (auto status = ApplySieAccount(sie.payable, node, name, file); !status) return status;
      continue;
    }
    std::optional<std::size_t> component;
    for (std::size_t c = 0; c < sie.expense.size(); ++c) {
      if (domain::Name(static_cast<domain::Component>(c)) == key.str()) component = c;
    }
    if (!component) return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: unknown key {}", file, name));
    auto& account = sie.expense[*component];
    if (auto status = ApplySieAccount(account, node, name, file); !status) return status;
  }
  return {};
}

Status ApplySie(present::SieOptions& sie, const toml::table& root, const std::string& file) {
  const auto node = root["sie"];
  if (!node) return {};
  std::string date;
  for (auto status : {ApplyString(node["company"], "sie.company", file, sie.company),
                      ApplyString(node["org_number"], "sie.org_number", file, sie.org_number),
                      ApplyString(node["series"], "sie.series", file, sie.series),
                      ApplyString(node["clinic_dimension_name"], "sie.clinic_dimension_name", file,
                                  sie.clinic_dimension_name),
                      ApplyString(node["verification_date"], "sie.verification_date", file, date)}) {
    if (!status) return status;
  }
  if (!date.empty()) {
    if (date != "month_end" && date != "booked") {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: sie.verification_date must be month_end or booked", file));
    }
    sie.date = date == "booked" ? present::SieDate::kBooked : present::SieDate::kMonthEnd;
  }
  if (auto status = ApplyInteger(node["clinic_dimension"], 1, 999, "sie.clinic_dimension", file, sie.clinic_dimension);
      !status) {
    return status;
  }
  if (const toml::table* accounts = node["accounts"].as_table()) {
    if (auto status = ApplySieAccounts(sie, *accounts, file); !status) return status;
  } else if (node["accounts"]) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: sie.accounts must be a table", file));
  }
  if (auto checked = present::CheckSieOptions(sie); !checked) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: {}", file, checked.error().message));
  }
  return {};
}

// [kafka]; [kafka.properties] holds librdkafka properties as strings (or numbers, booleans).
Status ApplyKafka(stream::KafkaConfig& kafka, const toml::table& root, const std::string& file) {
  const auto node = root["kafka"];
  if (!node) return {};
  for (auto status : {ApplyBool(node["enabled"], "kafka.enabled", file, kafka.enabled),
                      ApplyString(node["brokers"], "kafka.brokers", file, kafka.brokers),
                      ApplyString(node["events_topic"], "kafka.events_topic", file, kafka.events_topic),
                      ApplyString(node["ledger_topic"], "kafka.ledger_topic", file, kafka.ledger_topic),
                      ApplyString(node["group_id"], "kafka.group_id", file, kafka.group_id)}) {
    if (!status) return status;
  }
  if (auto batch = ApplyInteger(node["batch_messages"], 1, static_cast<std::int64_t>(stream::kKafkaBatchMessagesMax),
                                "kafka.batch_messages", file, kafka.batch_messages);
      !batch) {
    return batch;
  }
  if (const toml::node* properties = node["properties"].node()) {
    const toml::table* table = properties->as_table();
    if (table == nullptr) return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: kafka.properties must be a table", file));
    for (const auto& [key, value] : *table) {
      std::string text;
      if (auto str = value.value_exact<std::string>()) {
        text = *str;
      } else if (auto flag = value.value_exact<bool>()) {
        text = *flag ? "true" : "false";
      } else if (auto number = value.value_exact<std::int64_t>()) {
        text = std::to_string(*number);
      } else {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{}: kafka.properties.{} must be a string, integer or boolean", file, key.str()));
      }
      kafka.properties.emplace_back(std::string(key.str()), std::move(text));
    }
  }
  if (auto checked = stream::CheckKafkaConfig(kafka); !checked) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: {}", file, checked.error().message));
  }
  return {};
}

// A region id: [a-z0-9-]{1,32}, so that it is a safe directory name.
bool IsRegionId(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (const char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// [regions.<id>]: partition (required) and secret_env.
Status ApplyRegions(std::vector<RegionConfig>& regions, const toml::table& root, const std::string& file) {
  const toml::table* table = root["regions"].as_table();
  if (table == nullptr) {
    if (root["regions"]) return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: regions must be a table", file));
    return {};
  }
  std::set<std::int64_t> partitions;
  for (const auto& [key, value] : *table) {
    const std::string id(key.str());
    const std::string name = "regions." + id;
    const toml::table* region = value.as_table();
    if (!IsRegionId(id) || region == nullptr) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: [{}] must be a table named by a region id of 1-32 characters a-z, 0-9, -", file, name));
    }
    for (const auto& [field, unused] : *region) {
      static const std::set<std::string_view> kKeys = {"partition", "secret_env", "ledger_topic", "events_topic"};
      if (kKeys.count(field.str()) == 0) {
        return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: unknown key {}.{}", file, name, field.str()));
      }
    }
    RegionConfig r{id, -1, {}, {}, {}};
    for (auto status : {ApplyInteger(toml::node_view<const toml::node>(region->get("partition")), 0, 9'999,
                                     name + ".partition", file, r.partition),
                        ApplyString(toml::node_view<const toml::node>(region->get("secret_env")), name + ".secret_env",
                                    file, r.secret_env),
                        ApplyString(toml::node_view<const toml::node>(region->get("ledger_topic")),
                                    name + ".ledger_topic", file, r.ledger_topic),
                        ApplyString(toml::node_view<const toml::node>(region->get("events_topic")),
                                    name + ".events_topic", file, r.events_topic)}) {
      if (!status) return status;
    }
    if (r.partition < 0) return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: {}.partition is required", file, name));
    if (!partitions.insert(r.partition).second) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{}: {}.partition {} is another region's too", file, name, r.partition));
    }
    regions.push_back(std::move(r));
  }
  return {};
}

// [cluster]; every region it names must be in [regions].
Status ApplyCluster(AppConfig& config, const toml::table& root, const std::string& file) {
  const auto node = root["cluster"];
  if (!node) return {};
  ClusterConfig& cluster = config.cluster;
  for (auto status : {ApplyBool(node["enabled"], "cluster.enabled", file, cluster.enabled),
                      ApplyString(node["log_topic"], "cluster.log_topic", file, cluster.log_topic),
                      ApplyInteger(node["batch_messages"], 1, 10'000, "cluster.batch_messages", file,
                                   cluster.batch_messages),
                      ApplyInteger(node["await_ms"], 1, 600'000, "cluster.await_ms", file, cluster.await_ms),
                      ApplyBool(node["feed"], "cluster.feed", file, cluster.feed),
                      ApplyString(node["feed_group"], "cluster.feed_group", file, cluster.feed_group),
                      ApplyInteger(node["session_ms"], 1'000, 300'000, "cluster.session_ms", file,
                                   cluster.session_ms),
                      ApplyString(node["ingest_group"], "cluster.ingest_group", file, cluster.ingest_group)}) {
    if (!status) return status;
  }
  if (const toml::node* regions = node["regions"].node()) {
    const toml::array* list = regions->as_array();
    if (list == nullptr) return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: cluster.regions must be an array", file));
    for (const auto& item : *list) {
      auto id = item.value_exact<std::string>();
      if (!id) return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: cluster.regions holds region ids", file));
      const bool known = std::any_of(config.regions.begin(), config.regions.end(),
                                     [&](const RegionConfig& r) { return r.id == *id; });
      if (!known) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{}: cluster.regions names {}, which has no [regions.{}]", file, *id, *id));
      }
      cluster.regions.push_back(*id);
    }
  }
  if (cluster.enabled && cluster.regions.empty()) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: cluster.regions must name this node's regions", file));
  }
  return {};
}

Status ApplyFile(AppConfig& config, const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("config file {} is not a file", path.string()));
  }
  auto parsed = toml::parse_file(path.string());
  if (!parsed) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}:{}: {}", path.string(), parsed.error().source().begin.line,
                            parsed.error().description()));
  }
  const toml::table& root = parsed.table();
  if (auto known = CheckKnownKeys(root, path.string()); !known) return known;
  if (auto http = ApplyHttp(config, root, path.string()); !http) return http;
  if (auto sie = ApplySie(config.sie, root, path.string()); !sie) return sie;
  if (auto kafka = ApplyKafka(config.kafka, root, path.string()); !kafka) return kafka;
  if (auto regions = ApplyRegions(config.regions, root, path.string()); !regions) return regions;
  if (auto cluster = ApplyCluster(config, root, path.string()); !cluster) return cluster;
  const std::string file = path.string();
  std::string data_dir;
  for (auto status : {ApplyString(root["store"]["data_dir"], "store.data_dir", file, data_dir),
                      ApplyString(root["secret"]["key_hex"], "secret.key_hex", file, config.secret_hex),
                      ApplyBool(root["secret"]["use_demo_key"], "secret.use_demo_key", file, config.use_demo_key),
                      ApplyString(root["log"]["level"], "log.level", file, config.log_level),
                      ApplyInteger(root["ingest"]["batch_events"], 1, 10'000, "ingest.batch_events", file,
                                   config.ingest_batch_events)}) {
    if (!status) return status;
  }
  if (!data_dir.empty()) config.data_dir = data_dir;
  if (!IsLogLevel(config.log_level)) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: log.level must be one of {}", file, kLogLevels));
  }
  return {};
}

}  // namespace

Result<AppConfig> LoadConfig(const std::optional<std::filesystem::path>& path) {
  AppConfig config;
  std::optional<std::filesystem::path> file = path;
  if (!file) {
    if (const char* env = std::getenv("CAPLEDGER_CONFIG"); env && *env) file = env;
  }
  if (file) {
    if (!std::filesystem::exists(*file)) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("config file {} does not exist", file->string()));
    }
    if (auto applied = ApplyFile(config, *file); !applied) return tl::unexpected(applied.error());
  }
  if (const char* env = std::getenv("CAPLEDGER_SECRET"); env && *env) config.secret_hex = env;
  return config;
}

Status SelectRegion(AppConfig& config, const std::string& flag) {
  if (config.regions.empty()) {
    if (flag.empty()) return {};
    return Fail(ErrorCode::kInvalidArgument, fmt::format("--region {}: the configuration names no [regions]", flag));
  }
  std::string id = flag;
  if (id.empty()) {
    const std::vector<std::string>& mine = config.cluster.regions;
    if (mine.size() == 1) {
      id = mine.front();
    } else if (mine.empty() && config.regions.size() == 1) {
      id = config.regions.front().id;
    } else {
      std::string names;
      for (const auto& r : config.regions) names += (names.empty() ? "" : ", ") + r.id;
      return Fail(ErrorCode::kInvalidArgument, fmt::format("--region is needed: this configuration has {}", names));
    }
  }
  const auto& mine = config.cluster.regions;
  if (config.cluster.enabled && std::find(mine.begin(), mine.end(), id) == mine.end()) {
    return Fail(ErrorCode::kRefused, fmt::format("region {}: this node does not index it (cluster.regions: {})", id,
                                                 fmt::join(mine, ", ")));
  }
  for (const auto& r : config.regions) {
    if (r.id == id) {
      config.region = r;
      config.data_dir /= r.id;
      return {};
    }
  }
  return Fail(ErrorCode::kInvalidArgument, fmt::format("--region {}: no such region in [regions]", id));
}

Result<RegionSecret> ResolveSecret(const AppConfig& config) {
  if (config.region && !config.region->secret_env.empty()) {
    const char* hex = std::getenv(config.region->secret_env.c_str());
    if (hex == nullptr || *hex == '\0') {
      return Fail(ErrorCode::kRefused, fmt::format("no secret for region {}: set {} (hex, 64+ digits)",
                                                   config.region->id, config.region->secret_env));
    }
    return RegionSecret::FromHex(hex);
  }
  if (!config.secret_hex.empty()) return RegionSecret::FromHex(config.secret_hex);
  if (config.use_demo_key) {
    spdlog::warn("using the built-in DEMO secret: pseudonyms and rejects are not protected; never use "
                 "this for real residents");
    return RegionSecret::FromHex(DemoSecretHex());
  }
  return Fail(ErrorCode::kRefused,
              "no region secret: set CAPLEDGER_SECRET (hex, 64+ digits) or [secret] key_hex in the config "
              "(or use_demo_key = true for a demonstration)");
}

}  // namespace capledger::app
