// serve: the parts of the service (Kafka, the HTTP API) on one store, until SIGTERM.
#include <csignal>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <vector>
#include <cstdio>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/api.h"
#include "api/http_server.h"
#include "app/serve.h"
#include "app/store_access.h"
#include "codec/json_out.h"
#include "codec/seq_format.h"

namespace capledger::app {
namespace {

// The connection gate's counts as gauges (docs/api.md, "Metrics"). The counts are shared, so the
// gauges read them safely whenever they are scraped.
Status AddConnectionGauges(api::Metrics& metrics, const std::shared_ptr<const api::GateCounts>& counts) {
  using Read = std::function<std::int64_t()>;
  auto of = [counts](auto member) -> Read {
    return [counts, member] { return static_cast<std::int64_t>((counts.get()->*member).load()); };
  };
  const std::vector<std::tuple<std::string, std::string, Read>> gauges = {
      {"capledger_gate_connections_open", "HTTP connections open now", of(&api::GateCounts::open)},
      {"capledger_gate_connections_accepted", "HTTP connections accepted since start", of(&api::GateCounts::accepted)},
      {"capledger_gate_connections_evicted", "held HTTP connections closed to let a newcomer in, since start",
       of(&api::GateCounts::evicted)},
      {"capledger_gate_requests_timed_out", "HTTP requests not whole within read_timeout_ms, closed, since start",
       of(&api::GateCounts::timed_out)},
      {"capledger_gate_requests_too_large", "HTTP request heads beyond the limit, closed, since start",
       of(&api::GateCounts::too_large)},
      {"capledger_gate_requests_busy", "HTTP requests answered 503 busy (workers' queue full), since start",
       of(&api::GateCounts::busy)},
  };
  for (const auto& [name, help, read] : gauges) {
    if (auto added = metrics.AddGauge(name, help, read); !added) return added;
  }
  return {};
}

class HttpPart final : public ServePart {
 public:
  HttpPart(api::HttpOptions options, api::TokenTable tokens) : options_(std::move(options)), tokens_(std::move(tokens)) {}

  std::string_view name() const override { return "http"; }

  Result<std::string> Start(ServeEnv& env) override {
    limiter_ = std::make_unique<api::LookupLimiter>(env.context.config.lookups, *env.context.clock);
    lookups_ = std::make_unique<api::ResidentLookups>(api::ResidentLookups{env.context.config.data_dir, *limiter_});
    api_ = std::make_unique<api::Api>(env.service, tokens_, env.metrics, &env.secret, *env.context.clock,
                                      lookups_.get(), env.hooks);
    auto server = api::HttpServer::Start(*api_, options_, env.request_stop);
    if (!server) return tl::unexpected(server.error());
    server_ = std::move(*server);
    if (auto gauges = AddConnectionGauges(env.metrics, server_->connection_counts()); !gauges) {
      return tl::unexpected(gauges.error());
    }
    spdlog::info("HTTP API on {} ({} threads, {} tokens)", server_->address(), options_.threads, tokens_.size());
    return codec::JsonString(server_->address());
  }

  void Stop() override {
    server_->Stop();
    spdlog::info("HTTP API stopped");
  }

 private:
  api::HttpOptions options_;
  api::TokenTable tokens_;
  std::unique_ptr<api::LookupLimiter> limiter_;
  std::unique_ptr<api::ResidentLookups> lookups_;
  std::unique_ptr<api::Api> api_;
  std::unique_ptr<api::HttpServer> server_;
};

// SIGTERM and SIGINT, blocked in every thread (set before any is started) and taken by sigwait.
sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

void StopAll(std::vector<std::unique_ptr<ServePart>>& parts, std::size_t started) {
  while (started > 0) parts[--started]->Stop();
}

// Starts the parts, prints the ready line, waits for a stop signal, stops them.
int Serve(ServeEnv& env, std::vector<std::unique_ptr<ServePart>>& parts, const sigset_t& signals) {
  std::vector<std::pair<std::string, std::string>> ready;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto value = parts[i]->Start(env);
    if (!value) {
      StopAll(parts, i);
      return Refuse(env.context, value.error());
    }
    ready.emplace_back(std::string(parts[i]->name()), std::move(*value));
  }
  const std::string line = ReadyLine(ready);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
  int signal = 0;
  sigwait(&signals, &signal);
  spdlog::info("{}: draining (further stop signals are ignored until stopped)",
               signal == SIGTERM ? "SIGTERM" : "SIGINT");
  StopAll(parts, parts.size());
  return kExitOk;
}

// File descriptors kept for everything but client connections: RocksDB's files, Kafka's sockets,
// the logs.
constexpr std::size_t kDescriptorsReserved = 512;

// Raises the soft limit on open files to the hard one, and lowers http.connections, with a
// warning, if the connections and the reserve would not fit under it: a crowd of clients must
// never leave RocksDB without a descriptor to open a file with.
void FitConnectionsToFileLimit(api::HttpOptions& http) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY) return;
  const std::size_t fits = limit.rlim_cur > kDescriptorsReserved + 16 ? limit.rlim_cur - kDescriptorsReserved : 16;
  if (http.connections_max <= fits) return;
  spdlog::warn("http.connections {} does not fit under the open-file limit {} with {} kept for the store: using {}",
               http.connections_max, limit.rlim_cur, kDescriptorsReserved, fits);
  http.connections_max = fits;
}

}  // namespace

std::unique_ptr<ServePart> MakeHttpPart(api::HttpOptions options, api::TokenTable tokens) {
  return std::make_unique<HttpPart>(std::move(options), std::move(tokens));
}

Result<std::vector<std::unique_ptr<ServePart>>> ServeParts(const CommandContext& context, const ServeArgs& args) {
  api::HttpOptions http = context.config.http;
  if (!args.http.empty()) {
    if (auto parsed = api::ParseHttpAddress(args.http, http); !parsed) {
      return Fail(ErrorCode::kInvalidArgument, "--http: " + parsed.error().message);
    }
  }
  const std::string tokens_file = args.tokens.empty() ? context.config.tokens_file : args.tokens;
  if (tokens_file.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "serve needs a tokens file: --tokens FILE or [http] tokens_file");
  }
  auto tokens = api::TokenTable::Load(tokens_file);
  if (!tokens) return tl::unexpected(tokens.error());
  std::error_code error;
  const auto permissions = std::filesystem::status(tokens_file, error).permissions();
  if (!error && (permissions & (std::filesystem::perms::group_read | std::filesystem::perms::others_read)) !=
                    std::filesystem::perms::none) {
    spdlog::warn("the tokens file {} is readable by other users than its owner", tokens_file);
  }
  std::vector<std::unique_ptr<ServePart>> parts;
  if (context.config.cluster.enabled) {
    if (args.kafka_mock) return Fail(ErrorCode::kInvalidArgument, "--kafka-mock: a cluster node uses [kafka] brokers");
    parts.push_back(MakeClusterPart());
  } else if (context.config.kafka.enabled || args.kafka_mock) {
    parts.push_back(MakeKafkaPart(context.config.kafka, args.kafka_mock));
  }
  FitConnectionsToFileLimit(http);
  parts.push_back(MakeHttpPart(std::move(http), std::move(*tokens)));
  return parts;
}

std::string ReadyLine(const std::vector<std::pair<std::string, std::string>>& values) {
  // "http" and "kafka" always, in that order (null when the part is not running), then the others.
  auto value_of = [&](std::string_view name) -> std::string_view {
    for (const auto& [key, value] : values) {
      if (key == name) return value;
    }
    return "null";
  };
  std::string out;
  codec::JsonObject o(out, codec::JsonSpacing::kSpaced);
  o.Bool("ready", true).Raw("http", value_of("http")).Raw("kafka", value_of("kafka"));
  for (const auto& [name, value] : values) {
    if (name != "http" && name != "kafka") o.Raw(name, value);
  }
  o.Close();
  return out + "\n";
}

// A node serves only a region it indexes ([cluster] regions).
Status NodeIndexes(const AppConfig& config) {
  LEDGER_ASSERT(config.region.has_value());
  const auto& mine = config.cluster.regions;
  if (std::find(mine.begin(), mine.end(), config.region->id) == mine.end()) {
    return Fail(ErrorCode::kRefused, fmt::format("this node does not index region {} (cluster.regions)", config.region->id));
  }
  return {};
}

int RunServe(const CommandContext& context, const ServeArgs& args) {
  const sigset_t signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before RocksDB or any part starts a thread
  auto parts = ServeParts(context, args);
  if (!parts) return Refuse(context, parts.error());
  auto secret = ResolveSecret(context.config);
  if (!secret) return Refuse(context, secret.error());
  // In cluster mode the store's clock is the log's: the indexer sets it to each submission's time.
  LogClock log_clock(*context.clock);
  const bool cluster = context.config.cluster.enabled;
  if (cluster) {
    if (auto indexed = NodeIndexes(context.config); !indexed) return Refuse(context, indexed.error());
  }
  auto store = OpenStore(context, cluster ? Access::kIndex : Access::kWrite, cluster ? &log_clock : nullptr);
  if (!store) return Refuse(context, store.error());
  auto service = ledger::LedgerService::Open(**store);
  if (!service) return Refuse(context, service.error());
  (*service)->StartIndexWarmer();
  spdlog::info("serving the store in {} at seq {}", context.config.data_dir.string(), (*store)->head().seq);
  api::Metrics metrics;
  if (auto gauges = api::AddStoreGauges(metrics, **store); !gauges) return Refuse(context, gauges.error());
  ServeEnv env{context, **store, **service, metrics, *secret, [] { ::kill(::getpid(), SIGTERM); },
               cluster ? &log_clock : nullptr, {}};
  const int code = Serve(env, *parts, signals);
  parts->clear();
  service->reset();
  store->reset();  // closes RocksDB
  spdlog::info("stopped; the store is closed");
  return code;
}

}  // namespace capledger::app
