// The API over HTTP/1.1 on cpp-httplib: a listening socket, a gate that holds connections until
// a request has arrived whole (api/http_gate.h), a bounded queue of whole requests, and a fixed
// pool of worker threads that answer them. The library parses requests; each is read from our
// own stream (api/http_connection.h). No worker ever waits for a client to send: a client that
// trickles a header, sends nothing, or keeps a connection idle costs a few kilobytes in the gate.
//
// Bounds (all explicit, none left to the library's defaults): at most `connections_max`
// connections are open, a new one beyond that closing the held connection that has waited
// longest for its request (ConnectionGate); a request must arrive whole (head and body) within
// `read_timeout_ms` of its first byte, or its connection is closed unanswered; at most `queued_connections_max` whole
// requests wait for one of `threads` workers, and one more is answered 503 `busy` at once; a
// response must be sent whole within `write_timeout_ms`; a request body above `body_bytes_max`
// is answered 413 without being read; a connection serves at most `keep_alive_requests_max`
// requests and is closed after `keep_alive_timeout_s` idle.
//
// Framing that could be read two ways is refused, 400, and the connection closed, so that no byte
// a client sent can become part of another request (request smuggling): a body on a method whose
// body is not read (GET, HEAD, OPTIONS: code body_not_allowed), Content-Length together with
// Transfer-Encoding, two Content-Length headers, a Transfer-Encoding other than chunked, a
// Content-Length that is not a number, and two Authorization headers. Every answer the library
// gives itself (a malformed request 400, 413, 414) closes the connection too: the bytes after
// such a request were never framed. Pipelined requests are answered in order.
//
// Stop drains, within a bound whatever clients do: the listening socket is closed (new
// connections are refused); idle connections are closed at once; requests still arriving get
// `drain_timeout_ms` to arrive; the workers answer whole requests until then, and those still
// queued after it are closed unanswered; requests being handled are finished and answered (each
// answer within `write_timeout_ms`); then the workers are joined.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/api.h"
#include "api/http_gate.h"
#include "common/error.h"

namespace capledger::api {

// Where the server listens and its bounds (config [http]; see the header comment).
struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: the system picks a free port (address() tells which)
  std::size_t threads = 4;
  std::size_t queued_connections_max = 64;  // whole requests waiting for a worker
  std::size_t connections_max = 1'024;     // open connections in all
  std::size_t body_bytes_max = 16 * 1024;  // no endpoint takes a body; a little is tolerated
  int read_timeout_ms = 5'000;
  int write_timeout_ms = 5'000;
  int keep_alive_timeout_s = 2;
  std::size_t keep_alive_requests_max = 1'000;
  int drain_timeout_ms = 2'000;  // how long Stop waits for requests still arriving
};

// The largest values CheckHttpOptions accepts.
inline constexpr std::size_t kHttpThreadsMax = 256;
inline constexpr std::size_t kHttpQueuedConnectionsMax = 4'096;
inline constexpr std::size_t kHttpConnectionsMax = 65'536;
inline constexpr std::size_t kHttpBodyBytesMax = 1 << 20;

// Parses "HOST:PORT" ("127.0.0.1:8080", "localhost:0", "[::1]:8080") into options.host and
// options.port. kInvalidArgument names what is wrong.
Status ParseHttpAddress(std::string_view text, HttpOptions& options);

// Checks the bounds: threads 1..kHttpThreadsMax, queue 1..kHttpQueuedConnectionsMax, connections
// 1..kHttpConnectionsMax, body 0..kHttpBodyBytesMax, timeouts positive. kInvalidArgument names the setting.
Status CheckHttpOptions(const HttpOptions& options);

// The running server: listening from Start until Stop.
class HttpServer {
 public:
  // Binds the address and starts serving `api` on a listener thread. kInvalidArgument for bad
  // options; kRefused if the address cannot be bound (in use, not local). `api` must outlive the
  // server. `on_failure` (may be empty) is called on the listener thread if accepting fails for
  // good, so that the owner can shut down rather than run deaf.
  static Result<std::unique_ptr<HttpServer>> Start(Api& api, const HttpOptions& options,
                                                   std::function<void()> on_failure = {});
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound address, "127.0.0.1:41234" (the port the system chose for port 0).
  const std::string& address() const { return address_; }

  // What the connection gate has counted (open connections, evictions, timeouts, busy answers),
  // for the service's metrics; valid after the server is gone.
  std::shared_ptr<const GateCounts> connection_counts() const;

  // Drains as the header says and returns when every worker has finished: at most about
  // drain_timeout_ms + the longest handler + write_timeout_ms. Idempotent; safe from any thread
  // but the server's own workers.
  void Stop();

  struct Impl;

 private:
  HttpServer(std::unique_ptr<Impl> impl, std::string address);
  std::unique_ptr<Impl> impl_;
  std::string address_;
};

}  // namespace capledger::api
