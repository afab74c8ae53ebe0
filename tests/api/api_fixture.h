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

#include <functional>
#include <memory>
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
  explicit ApiFixture(const std::function<void(store::EventStore&)>& more = {}) {
    store_ = OpenForTest(dir_.path(), secret_, clock_);
    AppendWorld();
    if (more) more(*store_);
    auto service = ledger::LedgerService::Open(*store_);
    REQUIRE_MESSAGE(service.has_value(), (service ? "" : service.error().message));
    service_ = std::move(*service);
    auto tokens = api::TokenTable::Parse(std::string("auditor ") + kAuditorToken + "\noperator " + kOperatorToken + "\n");
    REQUIRE(tokens.has_value());
    tokens_ = std::move(*tokens);
    REQUIRE(api::AddStoreGauges(metrics_, *store_).has_value());
    api_ = std::make_unique<api::Api>(*service_, tokens_, metrics_, &secret_, clock_);
    api::HttpOptions options;
    options.port = 0;
    options.threads = 2;
    options.body_bytes_max = 1024;
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
  api::HttpServer& server() { return *server_; }
  store::EventStore& store() { return *store_; }
  std::uint64_t world_events() const { return world_events_; }

 private:
  void Append(domain::EventBody body) {
    store::AppendRequest request;
    request.event.id = "w" + std::to_string(++world_events_);
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
    const char* clinics[] = {"VC-A", "VC-A", "VC-B"};
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
  std::unique_ptr<api::Api> api_;
  std::unique_ptr<api::HttpServer> server_;
  int port_ = 0;
};

}  // namespace capledger::testing
