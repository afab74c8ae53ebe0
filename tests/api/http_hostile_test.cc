// The HTTP server against clients that do not play by the rules: request smuggling, bodies where
// none belongs, ambiguous framing, repeated credentials, and clients that never finish.
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "api/api_fixture.h"

namespace capledger::testing {
namespace {

std::string Auth(const char* token) { return std::string("Authorization: Bearer ") + token + "\r\n"; }

// The status code of a response's first line ("HTTP/1.1 400 Bad Request" -> 400), or 0.
int StatusOf(const std::optional<std::string>& response) {
  if (!response || response->size() < 12 || !response->starts_with("HTTP/1.1 ")) return 0;
  return std::stoi(response->substr(9, 3));
}

bool Has(const std::optional<std::string>& response, std::string_view text) {
  return response && response->find(text) != std::string::npos;
}

TEST_CASE("a GET with a body is refused and the connection closed: its body never becomes another request") {
  // The attack: a GET whose body is the start of a payout request with an unfinished header
  // line, so that the next request on the same connection (another client's, through a proxy
  // that reuses connections) completes it and lends it its operator token.
  ApiFixture f;
  RawConnection shared(f.port());
  REQUIRE(shared.connected());
  const std::string smuggled = "POST /v1/payouts/2024-03 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Ignore: ";
  shared.Send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(smuggled.size()) +
              "\r\n\r\n");
  const auto answer = shared.ReadResponse();
  CHECK(StatusOf(answer) == 400);
  CHECK(Has(answer, R"("code": "body_not_allowed")"));
  CHECK(Has(answer, "Connection: close"));
  // The attacker's body, then the victim's request, as a proxy would forward them.
  shared.TrySend(smuggled);
  shared.TrySend("GET /v1/entries HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth(kOperatorToken) + "\r\n");
  CHECK(shared.ReadAll().empty());
  CHECK(f.store().head().seq.value() == f.world_events());  // no run was booked
}

TEST_CASE("a body on a route that takes none is 400 body_not_allowed, whatever the method") {
  ApiFixture f;
  for (const std::string method : {"GET", "HEAD", "OPTIONS"}) {
    RawConnection connection(f.port());
    REQUIRE(connection.connected());
    connection.Send(method + " /v1/entries HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth(kAuditorToken) +
                    "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    const auto answer = connection.ReadResponse(method == "HEAD");
    CHECK_MESSAGE(StatusOf(answer) == 400, method);
    CHECK_MESSAGE(connection.ClosedByServer(), method);
  }
}

TEST_CASE("a zero Content-Length on a GET is no body and is answered on a connection kept open") {
  ApiFixture f;
  RawConnection connection(f.port());
  REQUIRE(connection.connected());
  connection.Send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
  CHECK(StatusOf(connection.ReadResponse()) == 200);
  connection.Send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  CHECK(StatusOf(connection.ReadResponse()) == 200);
}

TEST_CASE("ambiguous framing is 400 and closes: Content-Length with Transfer-Encoding, or two lengths") {
  ApiFixture f;
  const std::string post = "POST /v1/payouts/2024-03 HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth(kOperatorToken);
  for (const std::string& framing : {std::string("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"),
                                     std::string("Content-Length: 0\r\nContent-Length: 5\r\n"),
                                     std::string("Transfer-Encoding: gzip, chunked\r\n")}) {
    RawConnection connection(f.port());
    REQUIRE(connection.connected());
    connection.Send(post + framing + "\r\n0\r\n\r\n");
    const auto answer = connection.ReadResponse();
    CHECK_MESSAGE(StatusOf(answer) == 400, framing);
    CHECK_MESSAGE(Has(answer, R"("code": "bad_request")"), framing);
    CHECK_MESSAGE(connection.ClosedByServer(), framing);
  }
  CHECK(f.store().head().seq.value() == f.world_events());
}

TEST_CASE("a body above the limit is 413 and the connection closes before its bytes are read as a request") {
  ApiFixture f;  // body_bytes_max = 1024
  RawConnection connection(f.port());
  REQUIRE(connection.connected());
  connection.Send("POST /v1/payouts/2024-03 HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth(kOperatorToken) +
                  "Content-Length: 2000\r\n\r\n");
  const auto answer = connection.ReadResponse();
  CHECK(StatusOf(answer) == 413);
  CHECK(Has(answer, "Connection: close"));
  connection.TrySend("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  CHECK(connection.ReadAll().empty());
  CHECK(f.store().head().seq.value() == f.world_events());
}

TEST_CASE("a malformed request is 400 and closes the connection instead of reading on in its bytes") {
  ApiFixture f;
  RawConnection connection(f.port());
  REQUIRE(connection.connected());
  connection.Send("GET /health\r\n\r\n");  // no version
  CHECK(StatusOf(connection.ReadResponse()) == 400);
  CHECK(connection.ClosedByServer());
}

TEST_CASE("a head the library would read leniently is refused and closed: bare LF, a folded line, a name with a space, a '%'") {
  ApiFixture f;
  const std::string auth = Auth(kAuditorToken);
  for (const std::string& head :
       {"GET /v1/entries HTTP/1.1\r\n" + auth + "X-Skipped: yes\nHost: 127.0.0.1\r\n\r\n",
        "GET /v1/entries HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "X-Folded: a\r\n b\r\n\r\n",
        "POST /v1/payouts/2024-03 HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth(kOperatorToken) + "Content-Length : 5\r\n\r\nhello",
        "POST /v1/payouts/2024-03 HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth(kOperatorToken) + "Content-Length: %35\r\n\r\nhello"}) {
    RawConnection connection(f.port());
    REQUIRE(connection.connected());
    connection.Send(head);
    const auto answer = connection.ReadResponse();
    CHECK_MESSAGE(StatusOf(answer) == 400, head);
    CHECK_MESSAGE(connection.ClosedByServer(), head);
  }
  CHECK(f.store().head().seq.value() == f.world_events());
}

TEST_CASE("a compressed or chunked body is refused before it is read: 415 and 400") {
  ApiFixture f;
  const std::string post = "POST /v1/payouts/2024-03 HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth(kOperatorToken);
  {
    RawConnection connection(f.port());
    REQUIRE(connection.connected());
    connection.Send(post + "Content-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd");
    const auto answer = connection.ReadResponse();
    CHECK(StatusOf(answer) == 415);
    CHECK(Has(answer, R"("code": "unsupported_encoding")"));
    CHECK(connection.ClosedByServer());
  }
  {
    RawConnection connection(f.port());
    REQUIRE(connection.connected());
    connection.Send(post + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n");
    CHECK(StatusOf(connection.ReadResponse()) == 400);
    CHECK(connection.ClosedByServer());
  }
  CHECK(f.store().head().seq.value() == f.world_events());
}

TEST_CASE("a head larger than the server keeps is cut off: the connection closes, unanswered") {
  ApiFixture f;
  RawConnection connection(f.port());
  REQUIRE(connection.connected());
  // 100 KB in one header line, sent at once: the library would grow the line until its end.
  connection.TrySend("GET /health HTTP/1.1\r\nX-Big: " + std::string(100 * 1024, 'a') + "\r\n\r\n");
  const std::string rest = connection.ReadAll();
  CHECK(rest.find("HTTP/1.1 200") == std::string::npos);
  auto health = f.Get("/health", "");  // the server goes on
  REQUIRE(health);
  CHECK(health->status == 200);
}

TEST_CASE("after a 100 Continue the answer has its whole write timeout, however long the body took") {
  // Write timeout 300 ms; the body comes 600 ms after the 100 Continue. The response's clock
  // used to start with the 100 Continue, and the answer was never sent.
  ApiFixture f({}, [](api::HttpOptions& options) { options.write_timeout_ms = 300; });
  RawConnection connection(f.port());
  REQUIRE(connection.connected());
  connection.Send("POST /v1/payouts/2024-03 HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth(kOperatorToken) +
                  "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  const auto interim = connection.ReadResponse();
  CHECK(StatusOf(interim) == 100);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  connection.Send("{}");
  const auto answer = connection.ReadResponse();
  CHECK(StatusOf(answer) == 200);
  CHECK(Has(answer, R"("total": "683.33")"));  // VC-A 383.33 + VC-B 300.00, as in api_test.cc
}

TEST_CASE("two Authorization headers are 400: which one counts would be a guess") {
  ApiFixture f;
  RawConnection connection(f.port());
  REQUIRE(connection.connected());
  connection.Send("GET /v1/entries HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth(kAuditorToken) + Auth(kOperatorToken) +
                  "\r\n");
  const auto answer = connection.ReadResponse();
  CHECK(StatusOf(answer) == 400);
  CHECK(Has(answer, R"("code": "bad_request")"));
  CHECK(Has(answer, "Authorization"));
}

TEST_CASE("pipelined requests on one connection are each answered, in order") {
  ApiFixture f;
  RawConnection connection(f.port());
  REQUIRE(connection.connected());
  connection.Send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  "GET /v1/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth(kAuditorToken) + "\r\n"
                  "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  CHECK(StatusOf(connection.ReadResponse()) == 200);
  CHECK(StatusOf(connection.ReadResponse()) == 404);
  CHECK(StatusOf(connection.ReadResponse()) == 200);
  CHECK(connection.ClosedByServer());
}

TEST_CASE("a POST body within the limit is read whole, and the next request on the connection is served") {
  ApiFixture f;
  RawConnection connection(f.port());
  REQUIRE(connection.connected());
  const std::string body = "GET /v1/verify HTTP/1.1\r\n\r\n";  // looks like a request; is a body
  connection.Send("POST /v1/payouts/March HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Auth(kOperatorToken) +
                  "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body +
                  "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  const auto first = connection.ReadResponse();
  CHECK(StatusOf(first) == 400);
  CHECK(Has(first, R"("code": "invalid_argument")"));  // the month, not the framing
  const auto second = connection.ReadResponse();
  CHECK(StatusOf(second) == 200);
  CHECK(Has(second, R"("ready": true)"));
}

// Sends `head`, then 'a' after 'a' as the value of its last header, one byte every `gap`, until
// told to stop or the server closes the connection.
std::future<void> Trickle(RawConnection& connection, std::string head, std::chrono::milliseconds gap,
                          std::atomic<bool>& stop) {
  return std::async(std::launch::async, [&connection, head = std::move(head), gap, &stop] {
    for (std::size_t i = 0; !stop && i < 100'000; ++i) {
      if (!connection.TrySend(std::string(1, i < head.size() ? head[i] : 'a'))) return;
      std::this_thread::sleep_for(gap);
    }
  });
}

TEST_CASE("Stop returns within its bound while a client trickles a request header forever") {
  // Read timeout 60 s, drain 300 ms: a client sending a byte every 50 ms never lets a read time
  // out, and used to hold Stop for as long as it went on.
  ApiFixture f({}, [](api::HttpOptions& options) {
    options.read_timeout_ms = 60'000;
    options.drain_timeout_ms = 300;
  });
  RawConnection slow(f.port());
  REQUIRE(slow.connected());
  std::atomic<bool> stop_trickling{false};
  auto trickling = Trickle(slow, "GET /health HTTP/1.1\r\nX-Slow: ",
                           std::chrono::milliseconds(50), stop_trickling);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a worker is reading it
  auto stopped = std::async(std::launch::async, [&] { f.server().Stop(); });
  // The bound is the drain time plus a little; 5 s is far above it and far below "forever".
  const bool within_bound = stopped.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  stop_trickling = true;
  trickling.wait();
  CHECK(within_bound);
  stopped.wait();
}

TEST_CASE("a request must arrive whole within the read timeout, however steadily its bytes come") {
  ApiFixture f({}, [](api::HttpOptions& options) { options.read_timeout_ms = 500; });
  RawConnection slow(f.port());
  REQUIRE(slow.connected());
  std::atomic<bool> stop_trickling{false};
  auto trickling = Trickle(slow, "GET /health HTTP/1.1\r\nX-Slow: ",
                           std::chrono::milliseconds(50), stop_trickling);
  CHECK(slow.ClosedByServer());  // within about 500 ms, unanswered (a read gives up after 10 s)
  stop_trickling = true;
  trickling.wait();
  auto health = f.Get("/health", "");  // the worker is free again
  REQUIRE(health);
  CHECK(health->status == 200);
}

TEST_CASE("Stop closes idle keep-alive connections at once instead of waiting out their timeout") {
  ApiFixture f({}, [](api::HttpOptions& options) { options.keep_alive_timeout_s = 60; });
  RawConnection idle(f.port());
  REQUIRE(idle.connected());
  idle.Send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  REQUIRE(StatusOf(idle.ReadResponse()) == 200);
  auto stopped = std::async(std::launch::async, [&] { f.server().Stop(); });
  CHECK(stopped.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  CHECK(idle.ClosedByServer());
  stopped.wait();
}

TEST_CASE("a crowd of slow and idle clients leaves /health answering at once") {
  // Before the gate, each connection held a worker: with the default 4 workers, 4 clients that
  // sent half a header made /health wait 6.5 s, and 8 kept it waiting beyond 12 s. Here 4
  // workers face 16 clients trickling a header a byte every 100 ms, 16 that sent half a header
  // and stopped, and 200 that connected and sent nothing. The read timeout (5 s) keeps them all
  // open for the whole test, so only the gate stands between them and the workers.
  ApiFixture f;
  std::vector<std::unique_ptr<RawConnection>> crowd;
  std::vector<std::future<void>> trickling;
  std::atomic<bool> stop_trickling{false};
  for (int i = 0; i < 232; ++i) {
    crowd.push_back(std::make_unique<RawConnection>(f.port()));
    REQUIRE(crowd.back()->connected());
    if (i < 16) {
      trickling.push_back(Trickle(*crowd.back(), "GET /health HTTP/1.1\r\nX-Slow: ", std::chrono::milliseconds(100),
                                  stop_trickling));
    } else if (i < 32) {
      crowd.back()->Send("GET /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ");
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // every client has begun
  for (int round = 0; round < 5; ++round) {
    const auto start = std::chrono::steady_clock::now();
    auto health = f.Get("/health", "");
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(health);
    CHECK(health->status == 200);
    // The bound is the time of the handler; 1 s is far above it and far below the read timeout
    // that the crowd's connections would hold a worker for.
    CHECK(took < std::chrono::seconds(1));
  }
  stop_trickling = true;
  for (auto& t : trickling) t.wait();
}

TEST_CASE("beyond the connection limit the idlest connection is closed and the newcomer is served") {
  ApiFixture f({}, [](api::HttpOptions& options) {
    options.connections_max = 8;
    options.keep_alive_timeout_s = 60;
  });
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 8; ++i) {
    idle.push_back(std::make_unique<RawConnection>(f.port()));
    REQUIRE(idle.back()->connected());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // in order: the first is the idlest
  }
  auto health = f.Get("/health", "");  // the ninth connection
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(idle.front()->ClosedByServer());  // made room: it was nearest its idle deadline
  // The last one is still open: it answers.
  idle.back()->Send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  CHECK(StatusOf(idle.back()->ReadResponse()) == 200);
}

}  // namespace
}  // namespace capledger::testing
