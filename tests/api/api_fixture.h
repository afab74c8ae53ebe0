// Test set-up for the HTTP API: a small store written through the real EventStore, the ledger
// service on it, and the API served by the real HTTP server on 127.0.0.1 at a free port.
//
// The world (every amount worked out by hand in the tests that use it):
//   rulebook KoK-2024, valid 2024, snapshot on the last day of the month, capitation only:
//     per year 0-5: 3600.00, 6-15: 1700.00, 16-24: 1900.00, 25-44: 2300.00, 45-64: 2900.00,
//     65-74: 4300.00, 75-84: 6200.00, 85+: 8100.00
//   VC-A "Vårdcentralen Åby": residents 1 (born 1980-03-02) and 2 (born 1980-03-03), listed
//     from 2023-01-01;
//   VC-B "Vårdcentralen Öster": resident 3 (born 2020-06-01), listed from 2023-01-01.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <doctest/doctest.h>
#include <httplib.h>

#include "api/api.h"
#include "api/http_server.h"
#include "ledger/service.h"
#include "store/store_fixture.h"

namespace capledger::testing {

inline constexpr const char* kAuditorToken = "auditor-token-0123456789abcdef";
inline constexpr const char* kOperatorToken = "operator-token-0123456789abcdef";
inline constexpr const char* kLookupToken = "lookup-token-0123456789abcdef";  // held by anna.svensson

inline domain::Rulebook Rulebook2024() {
  domain::Rulebook rb;
  rb.id = "KoK-2024";
  rb.title = "Krav- och kvalitetsbok 2024";
  rb.decision = "TEST";
  rb.valid_from = Day(2024, 1, 1);
  rb.valid_until = Day(2025, 1, 1);
  rb.snapshot = domain::SnapshotRule::kLastDayOfMonth;
  rb.retro_window_months = 12;
  auto kr = [](std::int64_t kronor) { return domain::Money::FromOre(kronor * 100); };
  rb.capitation = {{0, kr(3600)}, {6, kr(1700)}, {16, kr(1900)}, {25, kr(2300)},
                   {45, kr(2900)}, {65, kr(4300)}, {75, kr(6200)}, {85, kr(8100)}};
  return rb;
}

class ApiFixture {
 public:
  // `more` may append to the store after the world, before the service loads it.
  // `tune_http` may change the server's options (defaults but a free port, 2 threads, 1 KiB bodies).
  explicit ApiFixture(const std::function<void(store::EventStore&)>& more = {},
                      const std::function<void(api::HttpOptions&)>& tune_http = {}) {
    store_ = OpenForTest(dir_.path(), secret_, clock_);
    AppendWorld();
    if (more) more(*store_);
    auto service = ledger::LedgerService::Open(*store_);
    REQUIRE_MESSAGE(service.has_value(), (service ? "" : service.error().message));
    service_ = std::move(*service);
    auto tokens = api::TokenTable::Parse(std::string("auditor ") + kAuditorToken + "\noperator " + kOperatorToken +
                                         "\nresident_lookup " + kLookupToken + " anna.svensson\n");
    REQUIRE(tokens.has_value());
    tokens_ = std::move(*tokens);
    REQUIRE(api::AddStoreGauges(metrics_, *store_).has_value());
    // Resident lookups: at most 10 at once, 30 an hour, recorded beside the store.
    lookups_ = std::make_unique<api::ResidentLookups>(api::ResidentLookups{dir_.path(), limiter_});
    api_ = std::make_unique<api::Api>(*service_, tokens_, metrics_, &secret_, clock_, lookups_.get());
    api::HttpOptions options;
    options.port = 0;
    options.threads = 2;
    options.body_bytes_max = 1024;
    if (tune_http) tune_http(options);
    auto server = api::HttpServer::Start(*api_, options);
    REQUIRE_MESSAGE(server.has_value(), (server ? "" : server.error().message));
    server_ = std::move(*server);
    port_ = std::stoi(server_->address().substr(server_->address().rfind(':') + 1));
  }

  // A client of the server; `token` empty: no Authorization header.
  httplib::Result Get(const std::string& path, const std::string& token = kAuditorToken) {
    return Client(token).Get(path.c_str());
  }
  httplib::Result Post(const std::string& path, const std::string& token = kOperatorToken) {
    return Client(token).Post(path.c_str());
  }
  httplib::Client Client(const std::string& token) {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(std::chrono::seconds(10));
    if (!token.empty()) client.set_bearer_token_auth(token.c_str());
    return client;
  }

  int port() const { return port_; }
  FakeClock& clock() { return clock_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  api::HttpServer& server() { return *server_; }
  store::EventStore& store() { return *store_; }
  ledger::LedgerService& service() { return *service_; }
  std::uint64_t world_events() const { return world_events_; }

 private:
  void Append(domain::EventBody body) {
    store::AppendRequest request;
    request.event.id = EventIdOf("w" + std::to_string(++world_events_));
    request.event.source = "test";
    request.event.body = std::move(body);
    auto appended = store_->Append(std::span(&request, 1));
    REQUIRE(appended.has_value());
    REQUIRE(appended->front().kind == store::AppendOutcome::Kind::kStored);
  }

  void AppendWorld() {
    Append(domain::RulebookPublished{Rulebook2024()});
    Append(domain::ClinicRegistered{"VC-A", "Vårdcentralen Åby", domain::Operator::kRegion, 1880, 125, Day(2020, 1, 1)});
    Append(domain::ClinicRegistered{"VC-B", "Vårdcentralen Öster", domain::Operator::kRegion, 1880, 125, Day(2020, 1, 1)});
    domain::ResidentRef child = Resident(3);
    child.birth_date = Day(2020, 6, 1);
    const domain::ResidentRef residents[] = {Resident(1), Resident(2), child};
    const domain::ClinicId clinics[] = {"VC-A", "VC-A", "VC-B"};
    for (int i = 0; i < 3; ++i) {
      Append(domain::ResidentRegistered{residents[i], Day(2023, 1, 1), 1880, domain::RegistrationReason::kInitial});
      Append(domain::PatientListed{residents[i], clinics[i], Day(2023, 1, 1), domain::ListingReason::kChoice});
    }
  }

  TempDir dir_;
  FakeClock clock_{FromMicros(kTestNowUs)};
  RegionSecret secret_ = TestSecret();
  std::unique_ptr<store::EventStore> store_;
  std::uint64_t world_events_ = 0;
  std::unique_ptr<ledger::LedgerService> service_;
  api::Metrics metrics_;
  api::TokenTable tokens_;
  api::LookupLimiter limiter_{api::LookupLimits{30, 10}, clock_};
  std::unique_ptr<api::ResidentLookups> lookups_;
  std::unique_ptr<api::Api> api_;
  std::unique_ptr<api::HttpServer> server_;
  int port_ = 0;
};

// A raw TCP connection to the server, for requests no well-behaved client sends. Every read
// gives up after 10 s, so that a server that never answers fails the test instead of hanging it.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  void Send(const std::string& bytes) {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
  }
  // Sends without failing the test if the server has closed the connection; true if all was sent.
  bool TrySend(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // Everything until the server closes the connection (or 10 s pass without a byte).
  std::string ReadAll() {
    std::string out;
    while (ReadMore(out)) {
    }
    return out;
  }
  // One response: its head and as many body bytes as its Content-Length says (none for the answer
  // to a HEAD: `to_head`); nullopt if the connection ends first. Bytes beyond it are kept for the
  // next call.
  std::optional<std::string> ReadResponse(bool to_head = false) {
    std::size_t head_end;
    while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(pending_)) return std::nullopt;
    }
    head_end += 4;
    std::size_t body_bytes = 0;
    const std::size_t length_at = pending_.find("Content-Length: ");
    if (!to_head && length_at != std::string::npos && length_at < head_end) body_bytes = std::stoul(pending_.substr(length_at + 16));
    while (pending_.size() < head_end + body_bytes) {
      if (!ReadMore(pending_)) return std::nullopt;
    }
    std::string response = pending_.substr(0, head_end + body_bytes);
    pending_.erase(0, head_end + body_bytes);
    return response;
  }
  // True if the server closed the connection: the next read ends (within 10 s) with no byte.
  bool ClosedByServer() {
    if (!pending_.empty()) return false;
    char byte;
    return ::recv(fd_, &byte, 1, 0) == 0;
  }

 private:
  bool ReadMore(std::string& out) {
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) return false;
    out.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  bool connected_ = false;
  std::string pending_;
};

}  // namespace capledger::testing
