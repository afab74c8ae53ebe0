#include "api/http_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "api/http_connection.h"
#include "api/http_framing.h"
#include "api/http_gate.h"
#include "common/assert.h"
#include "common/bounded_queue.h"
#include "common/thread.h"

namespace capledger::api {
namespace {

// How long a worker that has answered a request waits for the next one on the same connection
// before it hands the connection back to the gate: long enough for a client that sends its next
// request as soon as it has read an answer, far too short for a slow client to matter.
constexpr std::chrono::microseconds kWorkerKeepAlive{1'000};

// cpp-httplib's queue of accepted connections, replaced: the library's accept loop hands each
// socket to the gate at once (process_and_close_socket below), so it never waits for a worker.
class GateEntrance final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

// Whether the connection a worker serves must close after the response being made. Set by the
// handlers below, which run on the worker's thread while Serve waits for them; one worker serves
// one connection at a time, so the thread identifies the connection.
struct ConnectionVerdict {
  bool close = false;
  const ConnectionStream* stream = nullptr;  // the connection's stream, for its raw request head
};
thread_local ConnectionVerdict* t_verdict = nullptr;

void CloseAfterResponse() {
  if (t_verdict != nullptr) t_verdict->close = true;
}

// cpp-httplib's server with connections held by a gate (api/http_gate.h) until a request is
// whole, then answered by a fixed pool of workers, one request at a time.
class GuardedServer final : public httplib::Server {
 public:
  GuardedServer(const ConnectionBounds& bounds, const HttpOptions& options)
      : bounds_(bounds), options_(options), ready_(options.queued_connections_max) {}
  ~GuardedServer() override { LEDGER_ASSERT(workers_.empty() && !gate_thread_.joinable()); }

  ConnectionSignals& signals() { return signals_; }
  std::shared_ptr<const GateCounts> counts() const { return gate_->shared_counts(); }
  std::size_t open_connections() const { return gate_ ? gate_->open() : 0; }

  // Creates the gate and starts it and the workers. kIoError if the gate cannot be created.
  Status StartGate() {
    GateLimits limits;
    limits.connections_max = options_.connections_max;
    limits.keep_alive = std::chrono::seconds(options_.keep_alive_timeout_s);
    limits.drain = std::chrono::milliseconds(options_.drain_timeout_ms);
    limits.body_bytes_max = options_.body_bytes_max;
    auto gate = ConnectionGate::Create(bounds_, signals_, limits,
                                       [this](std::unique_ptr<Connection>& c) { return ready_.TryPush(c); });
    if (!gate) return tl::unexpected(gate.error());
    gate_ = std::move(*gate);
    gate_thread_ = StartThread("http-gate", [this] { gate_->Run(); });
    for (std::size_t i = 0; i < options_.threads; ++i) workers_.push_back(StartThread("http-worker", [this] { Work(); }));
    return {};
  }

  // After the listener has stopped: drains the gate, lets the workers answer the requests that
  // arrived whole until the drain is over (those still queued then are closed unanswered),
  // finishes the requests in hand, and joins the workers.
  void StopGate() {
    const auto drain_over = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.drain_timeout_ms);
    if (gate_) gate_->Stop();
    if (gate_thread_.joinable()) gate_thread_.join();
    // The requests that arrived whole before the drain was over are answered.
    while (!ready_.Drained() && std::chrono::steady_clock::now() < drain_over) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    signals_.closing.Raise();
    ready_.Close();
    for (auto& worker : workers_) worker.join();
    workers_.clear();
  }

 private:
  // Called on the listener's thread for each accepted socket: the gate owns it from here.
  bool process_and_close_socket(socket_t sock) override {
    gate_->Add(sock);
    return true;
  }

  void Work() {
    while (auto connection = ready_.Pop()) {
      if (signals_.closing.raised()) {
        gate_->Close(std::move(*connection));
      } else {
        Serve(std::move(*connection));
      }
      ready_.Done();
    }
  }

  // Answers the connection's request, whole in its buffer, and the requests after it while each
  // arrives whole within kWorkerKeepAlive of the answer before (a client that keeps its
  // connection busy is not passed through the gate between requests); then hands the connection
  // back to the gate, or closes it. A worker so waits at most kWorkerKeepAlive for any client.
  void Serve(std::unique_ptr<Connection> connection) {
    for (;;) {
      switch (AnswerOne(*connection)) {
        case Answered::kRefused: gate_->Refuse(std::move(connection)); return;
        case Answered::kClosing: gate_->Close(std::move(connection)); return;
        case Answered::kKeepOpen: break;
      }
      connection->stream.NextRequest();
      if (signals_.stopping.raised() || !NextArrivesSoon(*connection)) {
        gate_->Return(std::move(connection));
        return;
      }
    }
  }

  enum class Answered { kKeepOpen, kClosing, kRefused };

  // Answers the one request whole in the connection's buffer. Nothing escapes: an exception (an
  // allocation that failed) ends the connection, not the server.
  Answered AnswerOne(Connection& connection) {
    ConnectionVerdict verdict{false, &connection.stream};
    t_verdict = &verdict;
    bool client_closes = false;
    bool answered = false;
    const bool last = ++connection.served >= options_.keep_alive_requests_max;
    try {
      answered = process_request(connection.stream, last, client_closes, nullptr);
    } catch (const std::exception& e) {
      spdlog::error("an HTTP connection failed: {}", e.what());
    } catch (...) {
      spdlog::error("an HTTP connection failed with an exception");
    }
    t_verdict = nullptr;
    if (verdict.close) return Answered::kRefused;
    if (!answered || client_closes || last) return Answered::kClosing;
    return Answered::kKeepOpen;
  }

  // True if the connection's next request is whole within kWorkerKeepAlive (or already was).
  static bool NextArrivesSoon(Connection& connection) {
    using Clock = std::chrono::steady_clock;
    const auto until = Clock::now() + kWorkerKeepAlive;
    while (connection.stream.arrival() != ConnectionStream::Arrival::kWhole) {
      if (connection.stream.arrival() == ConnectionStream::Arrival::kTooLarge) return false;
      const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(until - Clock::now()).count();
      if (left <= 0) return false;
      pollfd readable{connection.fd, POLLIN, 0};
      const timespec wait{0, static_cast<long>(left)};
      if (::ppoll(&readable, 1, &wait, nullptr) <= 0) return false;
      if (connection.stream.Receive() == ConnectionStream::Received::kEnded) break;
    }
    return connection.stream.arrival() == ConnectionStream::Arrival::kWhole;
  }

  const ConnectionBounds bounds_;
  const HttpOptions options_;
  ConnectionSignals signals_;
  BoundedQueue<std::unique_ptr<Connection>> ready_;  // whole requests waiting for a worker
  std::unique_ptr<ConnectionGate> gate_;
  std::thread gate_thread_;
  std::vector<std::thread> workers_;
};

// The code and message of an answer the library gave itself.
std::pair<std::string_view, std::string_view> LibraryError(int status) {
  switch (status) {
    case 400: return {"bad_request", "the request is not valid HTTP/1.1"};
    case 404: return {"not_found", "no such endpoint"};
    case 413: return {"payload_too_large", "the request body is larger than the server accepts"};
    case 414: return {"uri_too_long", "the request line is too long"};
    default: return {"http_error", "the request could not be handled"};
  }
}

ApiRequest ToApiRequest(const httplib::Request& req) {
  ApiRequest request;
  request.method = req.method;
  request.path = req.path;
  request.query.assign(req.params.begin(), req.params.end());
  if (req.has_header("Authorization")) request.authorization = req.get_header_value("Authorization");
  if (req.has_header("Cookie")) request.cookie = req.get_header_value("Cookie");
  if (req.has_header("Origin")) request.origin = req.get_header_value("Origin");
  request.content_type = req.get_header_value("Content-Type");
  request.body = req.body;
  return request;
}

void SetBounds(httplib::Server& server, const HttpOptions& options) {
  server.new_task_queue = [] { return new GateEntrance; };
  server.set_payload_max_length(options.body_bytes_max);
  // The library applies these to each accepted socket; ConnectionStream never blocks in a read or
  // a write, and keeps its own deadlines.
  server.set_read_timeout(std::chrono::milliseconds(options.read_timeout_ms));
  server.set_write_timeout(std::chrono::milliseconds(options.write_timeout_ms));
  server.set_keep_alive_timeout(options.keep_alive_timeout_s);  // announced in Keep-Alive: timeout=
  server.set_keep_alive_max_count(options.keep_alive_requests_max);
  server.set_tcp_nodelay(true);
}

// A request's refusal as the response, and its connection marked to close.
void Refuse(Api& api, const FramingRefusal& refusal, const httplib::Request& req, httplib::Response& res) {
  spdlog::info("refused a {} request and closed its connection: {}", req.method, refusal.message);
  CloseAfterResponse();
  res.status = refusal.status;
  res.set_content(HttpErrorJson(refusal.code, refusal.message), "application/json");
  api.metrics().ObserveRequest("other", refusal.status, 0);
}

// Answers a request the library need not read further (no body), or has read whole.
void Answer(Api& api, const httplib::Request& req, httplib::Response& res) {
  ApiResponse response = api.Handle(ToApiRequest(req));
  res.status = response.status;
  if (response.challenge) res.set_header("WWW-Authenticate", "Bearer");
  if (response.retry_after_s > 0) res.set_header("Retry-After", std::to_string(response.retry_after_s));
  for (const auto& [name, value] : response.headers) res.set_header(name, value);
  res.set_content(response.body, response.content_type);  // this httplib copies: it has no move overload
}

// The handler that runs once a request's head is read, before the library reads any body.
httplib::Server::HandlerWithResponse BeforeBody(Api& api, std::size_t body_bytes_max) {
  return [&api, body_bytes_max](const httplib::Request& req, httplib::Response& res) {
    LEDGER_ASSERT(t_verdict != nullptr && t_verdict->stream != nullptr);
    const ConnectionStream& stream = *t_verdict->stream;
    if (auto refusal = CheckFraming(stream.head(), stream.head_complete(), req, body_bytes_max)) {
      Refuse(api, *refusal, req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    // A request with a body (a Content-Length within body_bytes_max) goes on to the library,
    // which reads it whole first. One without is answered now: cpp-httplib 0.11 would refuse a
    // bodiless POST (as `curl -X POST` sends it).
    if (HasBody(req)) return httplib::Server::HandlerResponse::Unhandled;
    Answer(api, req, res);
    return httplib::Server::HandlerResponse::Handled;
  };
}

void SetHandlers(httplib::Server& server, Api& api, std::size_t body_bytes_max) {
  server.set_pre_routing_handler(BeforeBody(api, body_bytes_max));
  const httplib::Server::Handler handler = [&api](const httplib::Request& req, httplib::Response& res) {
    Answer(api, req, res);
  };
  for (auto add : {&httplib::Server::Get, &httplib::Server::Post, &httplib::Server::Put, &httplib::Server::Delete,
                   &httplib::Server::Patch}) {
    (server.*add)(".*", handler);
  }
  // What the library answers itself (a malformed request, a body too large) gets our error body,
  // and closes the connection: what follows on it may be the rest of what the library did not read.
  Metrics* metrics = &api.metrics();
  const httplib::Server::HandlerWithResponse on_error = [metrics](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // an answer of ours
    CloseAfterResponse();
    const auto [code, message] = LibraryError(res.status);
    res.set_content(HttpErrorJson(code, message), "application/json");
    metrics->ObserveRequest("other", res.status, 0);
    return httplib::Server::HandlerResponse::Handled;
  };
  server.set_error_handler(on_error);
  // The last look at a response before it is written: tell a client whose connection closes.
  server.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    if (t_verdict == nullptr || !t_verdict->close) return;
    res.headers.erase("Keep-Alive");
    if (res.get_header_value("Connection") != "close") res.set_header("Connection", "close");
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    spdlog::error("an API handler failed with an exception");
    res.status = 500;
    res.set_content(HttpErrorJson("internal", "the request failed"), "application/json");
  });
}

ConnectionBounds BoundsOf(const HttpOptions& options) {
  ConnectionBounds bounds;
  bounds.request = std::chrono::milliseconds(options.read_timeout_ms);
  bounds.response = std::chrono::milliseconds(options.write_timeout_ms);
  bounds.keep_alive = std::chrono::seconds(options.keep_alive_timeout_s);
  bounds.request_bytes_max = kRequestHeadBytesMax + options.body_bytes_max;
  return bounds;
}

}  // namespace

struct HttpServer::Impl {
  explicit Impl(const HttpOptions& options) : server(BoundsOf(options), options) {}

  GuardedServer server;
  std::thread listener;
  std::once_flag stopped;
};

Status ParseHttpAddress(std::string_view text, HttpOptions& options) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("address {}: expected HOST:PORT", text));
  }
  std::string_view host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("address {}: unclosed [", text));
    }
    host = host.substr(1, host.size() - 2);
  }
  const std::string_view port_text = text.substr(colon + 1);
  int port = -1;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc{} || end != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("address {}: the port must be 0 to 65535", text));
  }
  options.host = std::string(host);
  options.port = port;
  return {};
}

Status CheckHttpOptions(const HttpOptions& o) {
  auto bad = [](std::string_view what) { return Fail(ErrorCode::kInvalidArgument, std::string(what)); };
  if (o.threads < 1 || o.threads > kHttpThreadsMax) return bad(fmt::format("http threads must be 1 to {}", kHttpThreadsMax));
  if (o.queued_connections_max < 1 || o.queued_connections_max > kHttpQueuedConnectionsMax) {
    return bad(fmt::format("http queued connections must be 1 to {}", kHttpQueuedConnectionsMax));
  }
  if (o.connections_max < 1 || o.connections_max > kHttpConnectionsMax) {
    return bad(fmt::format("http connections must be 1 to {}", kHttpConnectionsMax));
  }
  if (o.body_bytes_max > kHttpBodyBytesMax) return bad(fmt::format("http body limit must be at most {}", kHttpBodyBytesMax));
  if (o.read_timeout_ms < 1 || o.write_timeout_ms < 1 || o.keep_alive_timeout_s < 1 || o.drain_timeout_ms < 1) {
    return bad("http timeouts must be positive");
  }
  if (o.keep_alive_requests_max < 1) return bad("http keep-alive requests must be at least 1");
  if (o.host.empty()) return bad("http host is empty");
  return {};
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(Api& api, const HttpOptions& options,
                                                     std::function<void()> on_failure) {
  if (auto checked = CheckHttpOptions(options); !checked) return tl::unexpected(checked.error());
  auto impl = std::make_unique<Impl>(options);
  SetBounds(impl->server, options);
  if (!impl->server.signals().ok()) {
    return Fail(ErrorCode::kIoError, "cannot create the HTTP server's stop signals (eventfd): no file descriptors left?");
  }
  SetHandlers(impl->server, api, options.body_bytes_max);
  if (auto started = impl->server.StartGate(); !started) return tl::unexpected(started.error());
  int port = options.port;
  if (port == 0) {
    port = impl->server.bind_to_any_port(options.host);
  } else if (!impl->server.bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    impl->server.StopGate();
    return Fail(ErrorCode::kRefused, fmt::format("cannot listen on {}:{}", options.host, options.port));
  }
  Impl* raw = impl.get();
  impl->listener = StartThread("http-listener", [raw, on_failure = std::move(on_failure)] {
    bool stopped = false;
    try {
      stopped = raw->server.listen_after_bind();
    } catch (...) {  // a thread entry point: report as a listener that failed
      spdlog::error("the HTTP listener failed with an exception");
    }
    if (stopped) return;  // by Stop
    spdlog::error("the HTTP listener stopped: accepting connections failed");
    if (on_failure) on_failure();
  });
  // stop() only acts on a running server: wait until the loop runs (bounded), so Stop never hangs.
  for (int waited_ms = 0; !raw->server.is_running() && waited_ms < 10'000; ++waited_ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const bool v6 = options.host.find(':') != std::string::npos;
  std::string address = v6 ? fmt::format("[{}]:{}", options.host, port) : fmt::format("{}:{}", options.host, port);
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl), std::move(address)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl, std::string address)
    : impl_(std::move(impl)), address_(std::move(address)) {}

HttpServer::~HttpServer() { Stop(); }

std::shared_ptr<const GateCounts> HttpServer::connection_counts() const { return impl_->server.counts(); }

void HttpServer::Stop() {
  std::call_once(impl_->stopped, [this] {
    GuardedServer& server = impl_->server;
    server.signals().stopping.Raise();
    server.stop();
    if (impl_->listener.joinable()) impl_->listener.join();
    server.StopGate();
  });
}

}  // namespace capledger::api
