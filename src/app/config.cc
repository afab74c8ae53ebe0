#include "app/config.h"

#include <cstdlib>
#include <map>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

// toml++ as a header-only library without exceptions: there is no throw in this program.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

namespace capledger::app {
namespace {

Status CheckKnownKeys(const toml::table& root, const std::string& file) {
  static const std::map<std::string, std::set<std::string>> kKnown = {
      {"store", {"data_dir"}},
      {"secret", {"key_hex", "use_demo_key"}},
      {"log", {"level"}},
      {"ingest", {"batch_events"}},
      {"kafka", {}},  // reserved for the service; checked where it is used
  };
  for (const auto& [table_name, node] : root) {
    auto known = kKnown.find(std::string(table_name.str()));
    if (known == kKnown.end() || !node.is_table()) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: unknown table [{}]", file, table_name.str()));
    }
    if (known->first == "kafka") continue;
    for (const auto& [key, value] : *node.as_table()) {
      if (!known->second.contains(std::string(key.str()))) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{}: unknown key {}.{}", file, table_name.str(), key.str()));
      }
    }
  }
  return {};
}

Status ApplyFile(AppConfig& config, const std::filesystem::path& path) {
  auto parsed = toml::parse_file(path.string());
  if (!parsed) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}:{}: {}", path.string(), parsed.error().source().begin.line,
                            parsed.error().description()));
  }
  const toml::table& root = parsed.table();
  if (auto known = CheckKnownKeys(root, path.string()); !known) return known;
  if (auto v = root["store"]["data_dir"].value<std::string>()) config.data_dir = *v;
  if (auto v = root["secret"]["key_hex"].value<std::string>()) config.secret_hex = *v;
  if (auto v = root["secret"]["use_demo_key"].value<bool>()) config.use_demo_key = *v;
  if (auto v = root["log"]["level"].value<std::string>()) config.log_level = *v;
  if (auto v = root["ingest"]["batch_events"].value<std::int64_t>()) {
    if (*v < 1 || *v > 10'000) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: ingest.batch_events must be 1 to 10000", path.string()));
    }
    config.ingest_batch_events = static_cast<std::size_t>(*v);
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

Result<RegionSecret> ResolveSecret(const AppConfig& config) {
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
