#include "api/http_server.h"

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

namespace capledger::api {
namespace {

// cpp-httplib's queue of accepted connections, bounded: enqueue waits while `queued_max`
// connections are waiting, which stops the accept loop (the kernel's backlog holds the rest).
class BoundedPool final : public httplib::TaskQueue {
 public:
  BoundedPool(std::size_t threads, std::size_t queued_max) : queued_max_(queued_max) {
    for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~BoundedPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return jobs_.size() < queued_max_ || shutdown_; });
    jobs_.push_back(std::move(fn));
    not_empty_.notify_one();
  }

  // Lets the workers finish every queued connection, then joins them.
  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      if (shutdown_) return;
      shutdown_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();
    for (auto& worker : workers_) worker.join();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock lock(mutex_);
        not_empty_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
        if (jobs_.empty()) return;
        fn = std::move(jobs_.front());
        jobs_.pop_front();
      }
      not_full_.notify_one();
      fn();
    }
  }

  const std::size_t queued_max_;
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<std::function<void()>> jobs_;
  bool shutdown_ = false;
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
  return request;
}

void SetBounds(httplib::Server& server, const HttpOptions& options) {
  server.new_task_queue = [threads = options.threads, queued = options.queued_connections_max] {
    return new BoundedPool(threads, queued);
  };
  server.set_payload_max_length(options.body_bytes_max);
  server.set_read_timeout(std::chrono::milliseconds(options.read_timeout_ms));
  server.set_write_timeout(std::chrono::milliseconds(options.write_timeout_ms));
  server.set_keep_alive_timeout(options.keep_alive_timeout_s);
  server.set_keep_alive_max_count(options.keep_alive_requests_max);
  server.set_tcp_nodelay(true);
}

void SetHandlers(httplib::Server& server, Api& api) {
  const httplib::Server::Handler handler = [&api](const httplib::Request& req, httplib::Response& res) {
    ApiResponse response = api.Handle(ToApiRequest(req));
    res.status = response.status;
    if (response.challenge) res.set_header("WWW-Authenticate", "Bearer");
    res.set_content(std::move(response.body), response.content_type.c_str());
  };
  // A request without a body (no Content-Length, no Transfer-Encoding; RFC 9112 §6.3) is answered
  // before the library tries to read one: cpp-httplib 0.11 refuses a bodiless POST otherwise (as
  // `curl -X POST` sends it). Requests with a body are read within body_bytes_max first.
  const httplib::Server::HandlerWithResponse bodiless = [handler](const httplib::Request& req, httplib::Response& res) {
    if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    handler(req, res);
    return httplib::Server::HandlerResponse::Handled;
  };
  server.set_pre_routing_handler(bodiless);
  for (auto add : {&httplib::Server::Get, &httplib::Server::Post, &httplib::Server::Put, &httplib::Server::Delete,
                   &httplib::Server::Patch}) {
    (server.*add)(".*", handler);
  }
  // What the library answers itself (a malformed request, a body too large) gets our error body.
  Metrics* metrics = &api.metrics();
  const httplib::Server::HandlerWithResponse on_error = [metrics](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // an answer of ours
    const auto [code, message] = LibraryError(res.status);
    res.set_content(HttpErrorJson(code, message), "application/json");
    metrics->ObserveRequest("other", res.status, 0);
    return httplib::Server::HandlerResponse::Handled;
  };
  server.set_error_handler(on_error);
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    spdlog::error("an API handler failed with an exception");
    res.status = 500;
    res.set_content(HttpErrorJson("internal", "the request failed"), "application/json");
  });
}

}  // namespace

struct HttpServer::Impl {
  httplib::Server server;
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
  if (o.body_bytes_max > kHttpBodyBytesMax) return bad(fmt::format("http body limit must be at most {}", kHttpBodyBytesMax));
  if (o.read_timeout_ms < 1 || o.write_timeout_ms < 1 || o.keep_alive_timeout_s < 1) {
    return bad("http timeouts must be positive");
  }
  if (o.keep_alive_requests_max < 1) return bad("http keep-alive requests must be at least 1");
  if (o.host.empty()) return bad("http host is empty");
  return {};
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(Api& api, const HttpOptions& options,
                                                     std::function<void()> on_failure) {
  if (auto checked = CheckHttpOptions(options); !checked) return tl::unexpected(checked.error());
  auto impl = std::make_unique<Impl>();
  SetBounds(impl->server, options);
  SetHandlers(impl->server, api);
  int port = options.port;
  if (port == 0) {
    port = impl->server.bind_to_any_port(options.host);
  } else if (!impl->server.bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return Fail(ErrorCode::kRefused, fmt::format("cannot listen on {}:{}", options.host, options.port));
  }
  Impl* raw = impl.get();
  impl->listener = std::thread([raw, on_failure = std::move(on_failure)] {
    if (raw->server.listen_after_bind()) return;  // stopped by Stop
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

void HttpServer::Stop() {
  std::call_once(impl_->stopped, [this] {
    impl_->server.stop();
    if (impl_->listener.joinable()) impl_->listener.join();
  });
}

}  // namespace capledger::api
