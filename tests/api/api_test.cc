// The HTTP API over a real socket: every status, access by role, a payout booked through it.
#include <future>
#include <thread>

#include <fmt/format.h>

#include "api/api_fixture.h"
#include "ledger/accounts.h"
#include "ledger/payout.h"

namespace capledger::testing {
namespace {

domain::Month M(int y, unsigned m) { return domain::Month{std::chrono::year(y), std::chrono::month(m)}; }

// The "code" of an error body {"error": {"code": "...", ...}}.
std::string ErrorCodeOf(const std::string& body) {
  const std::string key = R"("code": ")";
  const auto at = body.find(key);
  if (at == std::string::npos) return "";
  const auto start = at + key.size();
  return body.substr(start, body.find('"', start) - start);
}

// The status and error code of a response; fails the test if there was no response.
std::pair<int, std::string> StatusAndCode(const httplib::Result& result) {
  REQUIRE(result);
  return {result->status, ErrorCodeOf(result->body)};
}

TEST_CASE("serve's index warmer builds the index of a date asked once, and the second report is the same") {
  // A date's first question is folded; the warmer then builds the date's snapshot index under
  // the shared lock, so that the second question finds it (LedgerService::StartIndexWarmer).
  ApiFixture f;
  const std::int32_t day = domain::DaysSinceEpoch(Day(2024, 3, 31));  // 2024-03, last day of the month
  const auto has_index = [&] { return f.service().WithProjection([&](const auto& p) { return p.HasSnapshotIndex(day); }); };
  f.service().StartIndexWarmer();
  const auto first = f.Get("/v1/report?month=2024-03");
  REQUIRE(first);
  REQUIRE(first->status == 200);
  for (int i = 0; i < 200 && !has_index(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  CHECK(has_index());
  const auto second = f.Get("/v1/report?month=2024-03");
  REQUIRE(second);
  CHECK(second->status == 200);
  CHECK(second->body == first->body);
  CHECK_FALSE(f.service().WithProjection([&](const auto& p) { return p.HasSnapshotIndex(day + 1); }));
}

TEST_CASE("health and metrics answer without a token") {
  ApiFixture f;
  auto health = f.Get("/health", "");
  REQUIRE(health);
  CHECK(health->status == 200);
  // 9 events: a rulebook, two clinics, three residents registered and listed.
  CHECK(health->body == "{\"ready\": true, \"head_seq\": 9, \"applied_seq\": 9}\n");
  auto metrics = f.Get("/metrics", "");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->get_header_value("Content-Type").starts_with("text/plain; version=0.0.4"));
  CHECK(metrics->body.find("\ncapledger_log_events 9\n") != std::string::npos);
  CHECK(metrics->body.find("\ncapledger_rejects 0\n") != std::string::npos);
  // The health request before it was counted.
  CHECK(metrics->body.find(R"(capledger_http_requests_total{endpoint="/health",status="200"} 1)") != std::string::npos);
}

TEST_CASE("a request without a valid bearer token is 401 and asks for one") {
  ApiFixture f;
  auto none = f.Get("/v1/entries", "");
  REQUIRE(none);
  CHECK(none->status == 401);
  CHECK(ErrorCodeOf(none->body) == "unauthorized");
  CHECK(none->get_header_value("WWW-Authenticate") == "Bearer");
  const std::string wrong = "operator-token-0123456789abcdeX";  // one character off
  auto bad = f.Get("/v1/entries", wrong);
  REQUIRE(bad);
  CHECK(bad->status == 401);
  CHECK(bad->body.find(wrong) == std::string::npos);
  auto basic = f.Client("").Get("/v1/entries", {{"Authorization", std::string("Basic ") + kAuditorToken}});
  CHECK(StatusAndCode(basic) == std::pair<int, std::string>{401, "unauthorized"});
  // An unknown path is not told apart from a known one without a token.
  CHECK(StatusAndCode(f.Get("/v2/nothing", "")) == std::pair<int, std::string>{401, "unauthorized"});
}

TEST_CASE("an auditor may read but not run a payout: 403, and nothing is booked") {
  ApiFixture f;
  CHECK(StatusAndCode(f.Get("/v1/entries")).first == 200);
  CHECK(StatusAndCode(f.Post("/v1/payouts/2024-03", kAuditorToken)) == std::pair<int, std::string>{403, "forbidden"});
  CHECK(f.store().head().seq.value() == f.world_events());
}

TEST_CASE("/v1/runs lists the completed runs: none before a payout, then the run with its entries and total") {
  ApiFixture f;
  auto none = f.Get("/v1/runs");
  REQUIRE(none);
  CHECK(none->status == 200);
  CHECK(none->body == "{\"runs\": []}\n");
  REQUIRE(StatusAndCode(f.Post("/v1/payouts/2024-03")).first == 200);
  auto runs = f.Get("/v1/runs");
  REQUIRE(runs);
  CHECK(runs->status == 200);
  // The run of 2024-03 books two entries (capitation for VC-A 383.33 and VC-B 300.00: see the next
  // test) and the PayoutRun after them: the world's events, two LedgerEntry, then the run at +3.
  // It was planned at the head before it, the world's last seq.
  const std::uint64_t world = f.world_events();
  CHECK(runs->body == fmt::format("{{\"runs\": [{{\"run\": \"2024-03\", \"seq\": {}, \"known_at_seq\": {}, "
                                  "\"rulebook\": \"KoK-2024\", \"entry_count\": 2, \"total\": \"683.33\", "
                                  "\"unbooked\": 0}}]}}\n",
                                  world + 3, world));
  CHECK(StatusAndCode(f.Get("/v1/runs?month=2024-03")) == std::pair<int, std::string>{400, "invalid_argument"});
}

TEST_CASE("an operator books a payout through the API; a second request shows the run booked") {
  ApiFixture f;
  auto booked = f.Post("/v1/payouts/2024-03");
  REQUIRE(booked);
  CHECK(booked->status == 200);
  // VC-A: two residents aged 44 on 2024-03-31 in the 25-44 band: 2 × 2300.00 / 12 = 383.333 -> 383.33.
  // VC-B: one resident aged 3 in the 0-5 band: 3600.00 / 12 = 300.00. Total 683.33.
  CHECK(booked->body.find(R"("existing": false)") != std::string::npos);
  CHECK(booked->body.find(R"("amount": "383.33")") != std::string::npos);
  CHECK(booked->body.find(R"("amount": "300.00")") != std::string::npos);
  CHECK(booked->body.find(R"("total": "683.33")") != std::string::npos);
  CHECK(f.store().head().seq.value() > f.world_events());
  const domain::Seq head = f.store().head().seq;
  auto again = f.Post("/v1/payouts/2024-03");
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(again->body.find(R"("existing": true)") != std::string::npos);
  CHECK(f.store().head().seq == head);
  auto entries = f.Get("/v1/entries?run=2024-03&clinic=VC-A");
  REQUIRE(entries);
  CHECK(entries->status == 200);
  CHECK(entries->body.find(R"("clinic": "VC-B")") == std::string::npos);
  CHECK(entries->body.find(R"("amount": "383.33")") != std::string::npos);
  auto balance = f.Get("/v1/balance?account=payable:VC-B");
  REQUIRE(balance);
  CHECK(balance->body.find(R"("balance": "-300.00")") != std::string::npos);  // credited: owed to VC-B
  auto metrics = f.Get("/metrics", "");
  REQUIRE(metrics);
  CHECK(metrics->body.find(R"(capledger_payout_run_duration_seconds_count{booked="true"} 1)") != std::string::npos);
  CHECK(metrics->body.find(R"(capledger_payout_run_duration_seconds_count{booked="false"} 1)") != std::string::npos);
}

TEST_CASE("the trace of a booked entry is 200 and reproduces; an unknown entry is 404") {
  ApiFixture f;
  REQUIRE(StatusAndCode(f.Post("/v1/payouts/2024-03")).first == 200);
  auto trace = f.Get("/v1/entries/E-2024-03-000001/trace");
  REQUIRE(trace);
  CHECK(trace->status == 200);
  CHECK(trace->body.find(R"("reproduces": true)") != std::string::npos);
  CHECK(StatusAndCode(f.Get("/v1/entries/E-1999-01-000001/trace")) == std::pair<int, std::string>{404, "not_found"});
}

TEST_CASE("a trace that does not reproduce is still 200, with reproduces false") {
  // A run for March booked with a wrong amount: VC-A's capitation is 383.33 (2 × 2300.00 / 12),
  // booked as 999.99.
  ApiFixture f([](store::EventStore& store) {
    domain::LedgerEntry entry{ledger::EntryId(M(2024, 3), 1), M(2024, 3), "VC-A", M(2024, 3),
                              domain::Component::kCapitation, domain::EntryKind::kRegular,
                              domain::Money::FromOre(99999), domain::Seq(9), "KoK-2024", {},
                              ledger::ExpenseAccount(domain::Component::kCapitation), ledger::PayableAccount("VC-A")};
    domain::PayoutRun run{M(2024, 3), domain::Seq(9), "KoK-2024", 1, domain::Money::FromOre(99999), {}};
    std::vector<store::AppendRequest> requests;
    for (auto& event : ledger::PayoutEvents(ledger::PayoutPlan{run, {entry}, {}})) {
      requests.push_back(store::AppendRequest{std::move(event), std::nullopt, {}});
    }
    REQUIRE(store.AppendAtomically(requests, domain::Seq(9)).has_value());
  });
  auto trace = f.Get("/v1/entries/E-2024-03-000001/trace");
  REQUIRE(trace);
  CHECK(trace->status == 200);
  CHECK(trace->body.find(R"("reproduces": false)") != std::string::npos);
  CHECK(trace->body.find(R"("expected": "383.33")") != std::string::npos);
}

TEST_CASE("malformed requests are 400 with the code invalid_argument") {
  ApiFixture f;
  const std::pair<int, std::string> invalid{400, "invalid_argument"};
  CHECK(StatusAndCode(f.Get("/v1/report")) == invalid);                            // month missing
  CHECK(StatusAndCode(f.Get("/v1/report?month=2024-13")) == invalid);              // not a month
  CHECK(StatusAndCode(f.Get("/v1/report?month=2024-03&colour=red")) == invalid);   // unknown parameter
  CHECK(StatusAndCode(f.Get("/v1/report?month=2024-03&month=2024-04")) == invalid);  // given twice
  CHECK(StatusAndCode(f.Get("/v1/report?month=2024-03&known_at=yesterday")) == invalid);
  CHECK(StatusAndCode(f.Get("/v1/report?month=2024-03&known_at=seq:999")) == invalid);  // beyond the head
  CHECK(StatusAndCode(f.Get("/v1/dispute?clinic=VC-A&month=2024-03&known_at=seq:9")) == invalid);  // vs missing
  CHECK(StatusAndCode(f.Get("/v1/dispute?clinic=VC-A&month=2024-03&known_at=seq:9&vs=seq:5")) == invalid);  // K1 > K2
  CHECK(StatusAndCode(f.Get("/v1/explain?resident=12345&month=2024-03")) == invalid);
  CHECK(StatusAndCode(f.Post("/v1/payouts/March")) == invalid);
  CHECK(StatusAndCode(f.Get("/v1/verify?full=1")) == invalid);
  // Text that cannot be a clinic id (2-32 of A-Z, 0-9, -) is a malformed request, not an unknown clinic.
  CHECK(StatusAndCode(f.Get("/v1/report?month=2024-03&clinic=vc-a")) == invalid);
  CHECK(StatusAndCode(f.Get("/v1/entries?clinic=%3Cb%3E")) == invalid);
  CHECK(StatusAndCode(f.Get("/v1/statement?run=2024-03&clinic=V")) == invalid);
  CHECK(StatusAndCode(f.Get("/v1/dispute?clinic=VC%20A&month=2024-03&known_at=seq:1&vs=seq:2")) == invalid);
  CHECK(StatusAndCode(f.Get("/v1/entries/%C3%A5/trace")) == invalid);  // å is no entry id (printable ASCII only)
  auto named = f.Get("/v1/report?month=2024-03&clinic=vc-a");
  REQUIRE(named);
  CHECK(named->body.find("clinic: not a clinic id") != std::string::npos);
}

TEST_CASE("unknown paths, clinics, residents and runs are 404") {
  ApiFixture f;
  const std::pair<int, std::string> not_found{404, "not_found"};
  CHECK(StatusAndCode(f.Get("/v1/nothing")) == not_found);
  CHECK(StatusAndCode(f.Get("/v1/report/")) == not_found);
  CHECK(StatusAndCode(f.Get("/v1/report?month=2024-03&clinic=VC-Z")) == not_found);
  CHECK(StatusAndCode(f.Get("/v1/dispute?clinic=VC-Z&month=2024-03&known_at=seq:5&vs=seq:9")) == not_found);
  CHECK(StatusAndCode(f.Get("/v1/explain?resident=" + std::string(32, 'e') + "&month=2024-03")) == not_found);
  CHECK(StatusAndCode(f.Get("/v1/statement?run=2024-03")) == not_found);  // not run yet
}

TEST_CASE("a payout the ledger refuses is 409: out of order, or no rulebook in force") {
  ApiFixture f;
  CHECK(StatusAndCode(f.Post("/v1/payouts/2025-01")) == std::pair<int, std::string>{409, "no_rulebook_in_force"});
  CHECK(StatusAndCode(f.Get("/v1/report?month=2025-01")) == std::pair<int, std::string>{409, "no_rulebook_in_force"});
  REQUIRE(StatusAndCode(f.Post("/v1/payouts/2024-03")).first == 200);
  CHECK(StatusAndCode(f.Post("/v1/payouts/2024-05")) == std::pair<int, std::string>{409, "refused"});  // skips April
  CHECK(StatusAndCode(f.Post("/v1/payouts/2024-02")) == std::pair<int, std::string>{409, "refused"});  // before March
}

// KoK-2025: the fixture's rulebook moved to 2025, published with who decided it and when.
void AppendRulebook2025(store::EventStore& store) {
  domain::Rulebook rb = Rulebook2024();
  rb.id = "KoK-2025";
  rb.valid_from = Day(2025, 1, 1);
  rb.valid_until = Day(2026, 1, 1);
  rb.provenance = domain::Provenance{"regionstyrelsen", Day(2024, 12, 10), "KoK-2024"};
  store::AppendRequest request;
  request.event = domain::Event{"kok-2025", "test", domain::RulebookPublished{rb}};
  auto appended = store.Append(std::span(&request, 1));
  REQUIRE(appended.has_value());
  REQUIRE(appended->front().kind == store::AppendOutcome::Kind::kStored);
}

TEST_CASE("who decided a rulebook: null for one stored before it was kept, else by, on and replaces") {
  ApiFixture f(AppendRulebook2025);
  const std::string kOld = R"("rulebook": "KoK-2024", "rulebook_decided": null)";
  const std::string kNew = R"("rulebook": "KoK-2025", "rulebook_decided": {"decided_by": "regionstyrelsen", )"
                           R"("decided_on": "2024-12-10", "replaces": "KoK-2024"})";
  auto old_report = f.Get("/v1/report?month=2024-03");
  REQUIRE(old_report);
  CHECK(old_report->status == 200);
  CHECK(old_report->body.find(kOld) != std::string::npos);
  auto new_report = f.Get("/v1/report?month=2025-03");
  REQUIRE(new_report);
  CHECK(new_report->status == 200);
  CHECK(new_report->body.find(kNew) != std::string::npos);
  // The listing: both at the head; at seq 1, only the first rulebook had been published.
  auto all = f.Get("/v1/rulebooks");
  REQUIRE(all);
  CHECK(all->status == 200);
  CHECK(all->body.find(R"({"id": "KoK-2024", "seq": 1, "title": "Krav- och kvalitetsbok 2024", "decision": "TEST", )"
                       R"("decided": null, "valid_from": "2024-01-01", "valid_until": "2025-01-01")") != std::string::npos);
  CHECK(all->body.find(R"("id": "KoK-2025", "seq": )" + std::to_string(f.world_events() + 1)) != std::string::npos);
  auto first = f.Get("/v1/rulebooks?known_at=seq:1");
  REQUIRE(first);
  CHECK(first->body.find("KoK-2024") != std::string::npos);
  CHECK(first->body.find("KoK-2025") == std::string::npos);
  CHECK(StatusAndCode(f.Get("/v1/rulebooks?month=2024-03")).second == "invalid_argument");
}

TEST_CASE("a known path with another method is 405; a body above the limit is 413") {
  ApiFixture f;
  CHECK(StatusAndCode(f.Get("/v1/payouts/2024-03", kOperatorToken)) ==
        std::pair<int, std::string>{405, "method_not_allowed"});
  CHECK(StatusAndCode(f.Post("/v1/report?month=2024-03")) == std::pair<int, std::string>{405, "method_not_allowed"});
  auto large = f.Client(kOperatorToken).Post("/v1/payouts/2024-03", std::string(4096, 'x'), "text/plain");
  CHECK(StatusAndCode(large) == std::pair<int, std::string>{413, "payload_too_large"});
  CHECK(f.store().head().seq.value() == f.world_events());
}

TEST_CASE("explain takes a pseudonym or, with the region secret, a personnummer") {
  ApiFixture f;
  // Resident 1's pseudonym is sixteen bytes of 0x01.
  auto explained = f.Get("/v1/explain?resident=01010101010101010101010101010101&month=2024-03");
  REQUIRE(explained);
  CHECK(explained->status == 200);
  CHECK(explained->body.find(R"("counted": true, "clinic": "VC-A", "age": 44)") != std::string::npos);
}

TEST_CASE("a POST without a body or a Content-Length (as curl -X POST sends it) books the run") {
  ApiFixture f;
  RawConnection connection(f.port());
  REQUIRE(connection.connected());
  connection.Send(std::string("POST /v1/payouts/2024-03 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                              "Authorization: Bearer ") + kOperatorToken + "\r\n\r\n");
  const std::string response = connection.ReadAll();
  CHECK(response.starts_with("HTTP/1.1 200"));
  CHECK(response.find(R"("total": "683.33")") != std::string::npos);  // as worked out above
}

TEST_CASE("Stop refuses new connections but answers the request in flight") {
  ApiFixture f;
  RawConnection in_flight(f.port());
  REQUIRE(in_flight.connected());
  in_flight.Send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");  // the request's end is still to come
  std::this_thread::sleep_for(std::chrono::milliseconds(200));     // a worker is reading it
  auto stopped = std::async(std::launch::async, [&] { f.server().Stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK_FALSE(RawConnection(f.port()).connected());  // the listening socket is closed
  CHECK(stopped.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);  // still draining
  in_flight.Send("\r\n");
  const std::string response = in_flight.ReadAll();
  CHECK(response.starts_with("HTTP/1.1 200"));
  CHECK(response.find(R"("ready": true)") != std::string::npos);
  CHECK(stopped.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
}

}  // namespace
}  // namespace capledger::testing
