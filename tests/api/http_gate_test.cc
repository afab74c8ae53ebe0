// The HTTP server's gate on its own, over socket pairs: a connection reaches the workers only
// when its request is whole; the workers' full queue is answered 503 at once; a request that does
// not arrive in time, and idle connections at a stop, are closed.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "api/http_gate.h"

namespace capledger::testing {
namespace {

using namespace std::chrono_literals;

// A gate on its own thread, whose handoff keeps what it is given (or refuses, when told to).
class GateFixture {
 public:
  explicit GateFixture(api::GateLimits limits = {}, api::ConnectionBounds bounds = {}) {
    auto gate = api::ConnectionGate::Create(bounds, signals_, limits, [this](std::unique_ptr<api::Connection>& c) {
      std::lock_guard lock(mutex_);
      if (refuse_) return false;
      passed_.push_back(std::move(c));
      return true;
    });
    REQUIRE(gate);
    gate_ = std::move(*gate);
    thread_ = std::thread([this] { gate_->Run(); });
  }
  ~GateFixture() {
    gate_->Stop();
    thread_.join();
    std::lock_guard lock(mutex_);
    for (auto& c : passed_) gate_->Close(std::move(c));
    for (int client : clients_) ::close(client);
  }

  // A connected pair: the gate gets one end, the test keeps the other (the client).
  int Connect() {
    int ends[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) == 0);
    clients_.push_back(ends[1]);
    gate_->Add(ends[0]);
    return ends[1];
  }
  std::size_t passed() {
    std::lock_guard lock(mutex_);
    return passed_.size();
  }
  void Refuse() {
    std::lock_guard lock(mutex_);
    refuse_ = true;
  }
  api::ConnectionGate& gate() { return *gate_; }

  // Waits up to `limit` for `condition`.
  template <typename Condition>
  static bool Within(std::chrono::milliseconds limit, Condition condition) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

  // Everything the gate sends until it closes its end (or 5 s pass).
  static std::string ReadAll(int client) {
    timeval timeout{5, 0};
    ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    std::string out;
    char buffer[4096];
    for (ssize_t n; (n = ::recv(client, buffer, sizeof(buffer), 0)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
    return out;
  }
  // True once the gate has closed its end: a read sees the end of the stream, or a reset (the
  // gate closed with bytes of ours unread), within 5 s.
  static bool Closed(int client) {
    timeval timeout{5, 0};
    ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    char buffer[4096];
    ssize_t n;
    while ((n = ::recv(client, buffer, sizeof(buffer), 0)) > 0) {
    }
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  api::ConnectionSignals signals_;
  std::unique_ptr<api::ConnectionGate> gate_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<api::Connection>> passed_;
  bool refuse_ = false;
  std::vector<int> clients_;
};

void Send(int client, const std::string& bytes) {
  REQUIRE(::send(client, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
}

TEST_CASE("a request reaches the workers only when its head and declared body have arrived") {
  GateFixture f;
  const int client = f.Connect();
  Send(client, "POST /v1/payouts/2024-03 HTTP/1.1\r\nContent-Length: 5\r");
  std::this_thread::sleep_for(100ms);
  CHECK(f.passed() == 0);  // the head is unfinished
  Send(client, "\n\r\nab");
  std::this_thread::sleep_for(100ms);
  CHECK(f.passed() == 0);  // 2 of the body's 5 bytes
  Send(client, "cde");
  CHECK(GateFixture::Within(2s, [&] { return f.passed() == 1; }));
  CHECK(f.gate().open() == 1);
}

TEST_CASE("a GET is passed on at the end of its head, whatever Content-Length it claims") {
  // Its body is refused by the worker (400 body_not_allowed), so the gate does not wait for it.
  GateFixture f;
  Send(f.Connect(), "GET /health HTTP/1.1\r\nContent-Length: 10\r\n\r\n");
  CHECK(GateFixture::Within(2s, [&] { return f.passed() == 1; }));
}

TEST_CASE("when the workers have no room the request is answered 503 busy at once and closed") {
  GateFixture f;
  f.Refuse();
  const int client = f.Connect();
  Send(client, "GET /health HTTP/1.1\r\n\r\n");
  const std::string answer = GateFixture::ReadAll(client);
  CHECK(answer.starts_with("HTTP/1.1 503 "));
  CHECK(answer.find("Retry-After: 1\r\n") != std::string::npos);
  CHECK(answer.find(R"("code": "busy")") != std::string::npos);
  CHECK(f.gate().counts().busy == 1);
  CHECK(GateFixture::Within(2s, [&] { return f.gate().open() == 0; }));
}

TEST_CASE("a request that is not whole within the request time is closed unanswered") {
  api::ConnectionBounds bounds;
  bounds.request = 300ms;
  GateFixture f({}, bounds);
  const int client = f.Connect();
  Send(client, "GET /health HTTP/1.1\r\nX-Slow: a");
  const auto start = std::chrono::steady_clock::now();
  CHECK(GateFixture::Closed(client));
  CHECK(std::chrono::steady_clock::now() - start < 3s);  // about 300 ms; the read would wait 5 s
  CHECK(f.gate().counts().timed_out == 1);
  CHECK(f.passed() == 0);
}

TEST_CASE("a head longer than the server keeps is closed unanswered") {
  GateFixture f;
  const int client = f.Connect();
  std::string head = "GET /health HTTP/1.1\r\nX-Long: " + std::string(api::kRequestHeadBytesMax, 'a');
  ::send(client, head.data(), head.size(), MSG_NOSIGNAL);  // the gate may close before all is sent
  CHECK(GateFixture::Closed(client));
  CHECK(f.gate().counts().too_large == 1);
}

// A gate of 3 connections, idle ones kept a minute: a fourth must make room.
api::GateLimits ThreeConnections() {
  api::GateLimits limits;
  limits.connections_max = 3;
  limits.keep_alive = 60s;
  return limits;
}

TEST_CASE("at the connection limit a newcomer closes the connection waiting longest, not a busy one") {
  GateFixture f(ThreeConnections());
  const int first = f.Connect();
  std::this_thread::sleep_for(20ms);
  const int receiving = f.Connect();
  Send(receiving, "GET /health HTTP/1.1\r\n");  // under way, and younger than `first`
  std::this_thread::sleep_for(20ms);
  const int second = f.Connect();
  std::this_thread::sleep_for(50ms);
  CHECK(f.gate().open() == 3);
  const int newcomer = f.Connect();
  CHECK(GateFixture::Closed(first));
  CHECK(GateFixture::Within(2s, [&] { return f.gate().open() == 3; }));  // counted just after the close
  CHECK(f.gate().counts().evicted == 1);
  Send(receiving, "\r\n");
  Send(newcomer, "GET /health HTTP/1.1\r\n\r\n");
  CHECK(GateFixture::Within(2s, [&] { return f.passed() == 2; }));
  Send(second, "GET /health HTTP/1.1\r\n\r\n");
  CHECK(GateFixture::Within(2s, [&] { return f.passed() == 3; }));
}

TEST_CASE("at the connection limit a new client that has not sent yet keeps its place before older slow ones") {
  // The hostile-clients scenario (seed 17) once lost a /health probe this way: the probe had
  // connected and not yet sent, so it ranked as idle and was closed before the trickling heads.
  GateFixture f(ThreeConnections());
  const int slow = f.Connect();
  Send(slow, "GET /health HTTP/1.1\r\nX-Slow: a");
  std::this_thread::sleep_for(20ms);
  const int slower = f.Connect();
  Send(slower, "GET /health HTTP/1.1\r\n");
  std::this_thread::sleep_for(20ms);
  const int fresh = f.Connect();  // connected, its request not sent yet
  std::this_thread::sleep_for(50ms);
  CHECK(f.gate().open() == 3);
  const int newcomer = f.Connect();
  CHECK(GateFixture::Closed(slow));  // the longest waiting of the three
  CHECK(GateFixture::Within(2s, [&] { return f.gate().open() == 3; }));
  CHECK(f.gate().counts().evicted == 1);
  Send(fresh, "GET /health HTTP/1.1\r\n\r\n");
  Send(newcomer, "GET /health HTTP/1.1\r\n\r\n");
  CHECK(GateFixture::Within(2s, [&] { return f.passed() == 2; }));
  Send(slower, "\r\n");
  CHECK(GateFixture::Within(2s, [&] { return f.passed() == 3; }));
}

TEST_CASE("a stop closes idle connections at once and gives a request under way the drain time") {
  api::GateLimits limits;
  limits.keep_alive = 60s;
  limits.drain = 2s;
  GateFixture f(limits);
  const int idle = f.Connect();
  const int arriving = f.Connect();
  Send(arriving, "GET /health HTTP/1.1\r\n");
  std::this_thread::sleep_for(100ms);
  f.gate().Stop();
  CHECK(GateFixture::Closed(idle));
  Send(arriving, "\r\n");  // within the drain: it is passed on
  CHECK(GateFixture::Within(2s, [&] { return f.passed() == 1; }));
}

}  // namespace
}  // namespace capledger::testing
