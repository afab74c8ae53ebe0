// The auditor's pages (/ui/) over a real socket: sign-in and its cookies, the security headers,
// who may start a payout, forms without their token refused, and what the pages show of the
// fixture's world (api/api_fixture.h, where the amounts are worked out).
#include <map>
#include <regex>

#include "api/api_fixture.h"
#include "api/ui.h"
#include "api/ui_pages.h"

namespace capledger::testing {
namespace {

// A browser's part: its cookie jar (names to values) and requests to the fixture's server.
class Browser {
 public:
  explicit Browser(ApiFixture& f) : f_(f) {}

  httplib::Result Get(const std::string& path) { return Client().Get(path.c_str(), Headers()); }
  httplib::Result Post(const std::string& path, const std::string& form) {
    return Client().Post(path.c_str(), Headers(), form, "application/x-www-form-urlencoded");
  }
  // Keeps the cookies a response sets (a Max-Age=0 cookie is forgotten).
  void Keep(const httplib::Result& r) {
    for (const auto& [name, value] : r->headers) {
      if (name != "Set-Cookie") continue;
      const auto eq = value.find('=');
      const auto end = value.find(';');
      const std::string key = value.substr(0, eq);
      if (value.find("Max-Age=0") != std::string::npos) {
        jar_.erase(key);
      } else {
        jar_[key] = value.substr(eq + 1, end - eq - 1);
      }
    }
  }
  // Signs in with `token` through the sign-in form; the status of the POST.
  int SignIn(const std::string& token) {
    auto form = Get("/ui/sign-in");
    REQUIRE(form);
    Keep(form);
    auto signed_in = Post("/ui/sign-in", "signin=" + jar_["capledger_signin"] + "&token=" + token);
    REQUIRE(signed_in);
    Keep(signed_in);
    return signed_in->status;
  }
  // The form token of the signed-in page's sign-out form.
  std::string FormToken() {
    auto page = Get("/ui/runs");
    REQUIRE(page);
    std::smatch m;
    REQUIRE(std::regex_search(page->body, m, std::regex(R"re(name="form_token" value="([0-9a-f]{64})")re")));
    return m[1];
  }
  bool Has(const std::string& cookie) const { return jar_.count(cookie) != 0; }

 private:
  httplib::Client Client() {
    httplib::Client client("127.0.0.1", f_.port());
    client.set_read_timeout(std::chrono::seconds(10));
    return client;
  }
  httplib::Headers Headers() const {
    std::string cookie;
    for (const auto& [name, value] : jar_) cookie += (cookie.empty() ? "" : "; ") + name + "=" + value;
    return cookie.empty() ? httplib::Headers{} : httplib::Headers{{"Cookie", cookie}};
  }
  ApiFixture& f_;
  std::map<std::string, std::string> jar_;
};

bool Contains(const std::string& body, const std::string& part) { return body.find(part) != std::string::npos; }

TEST_CASE("a page without a session leads to the sign-in form; every answer carries the strict policy") {
  ApiFixture f;
  Browser b(f);
  auto page = b.Get("/ui/runs");
  REQUIRE(page);
  CHECK(page->status == 303);
  CHECK(page->get_header_value("Location") == "/ui/sign-in");
  CHECK(page->get_header_value("Content-Security-Policy") == api::kUiContentSecurityPolicy);
  CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(page->get_header_value("Cache-Control") == "no-store");
  auto css = b.Get("/ui/static/style.css");
  REQUIRE(css);
  CHECK(css->status == 200);
  CHECK(css->get_header_value("Content-Type") == "text/css; charset=utf-8");
  auto posted = b.Post("/ui/payout", "month=2024-03&confirm=yes");
  REQUIRE(posted);
  CHECK(posted->status == 403);
  CHECK(f.store().head().seq.value() == f.world_events());
}

TEST_CASE("sign-in: the one-time value must match its cookie, the token must be valid; the session cookie is strict") {
  ApiFixture f;
  Browser stranger(f);
  auto forged = stranger.Post("/ui/sign-in", std::string("signin=0000&token=") + kAuditorToken);
  REQUIRE(forged);
  CHECK(forged->status == 403);  // no sign-in cookie: not from our form
  CHECK(forged->get_header_value("Set-Cookie").find("capledger_session") == std::string::npos);
  Browser wrong(f);
  CHECK(wrong.SignIn("auditor-not-a-token-at-all") == 401);
  CHECK_FALSE(wrong.Has("capledger_session"));
  Browser auditor(f);
  auto form = auditor.Get("/ui/sign-in");
  REQUIRE(form);
  auditor.Keep(form);
  CHECK(auditor.SignIn(kAuditorToken) == 303);
  CHECK(auditor.Has("capledger_session"));
  CHECK_FALSE(auditor.Has("capledger_signin"));  // the one-time value is spent
  auto start = auditor.Get("/ui/");
  REQUIRE(start);
  CHECK(start->status == 200);
  CHECK(Contains(start->body, "auditor"));
  CHECK_FALSE(Contains(start->body, kAuditorToken));
}

TEST_CASE("the session cookie is HttpOnly, SameSite=Strict, for /ui, and lasts the browser session") {
  ApiFixture f;
  Browser b(f);
  auto form = b.Get("/ui/sign-in");
  REQUIRE(form);
  b.Keep(form);
  std::smatch m;
  REQUIRE(std::regex_search(form->body, m, std::regex(R"re(name="signin" value="([0-9a-f]{64})")re")));
  auto signed_in = b.Post("/ui/sign-in", "signin=" + std::string(m[1]) + "&token=" + kOperatorToken);
  REQUIRE(signed_in);
  std::string session;
  for (const auto& [name, value] : signed_in->headers) {
    if (name == "Set-Cookie" && value.starts_with("capledger_session=")) session = value;
  }
  CHECK(std::regex_match(session, std::regex("capledger_session=[0-9a-f]{64}; Path=/ui; HttpOnly; SameSite=Strict")));
}

TEST_CASE("an auditor sees no payout form, and a payout posted anyway is refused with 403") {
  ApiFixture f;
  Browser b(f);
  REQUIRE(b.SignIn(kAuditorToken) == 303);
  auto runs = b.Get("/ui/runs");
  REQUIRE(runs);
  CHECK(runs->status == 200);
  CHECK_FALSE(Contains(runs->body, "payout-form"));
  auto confirm = b.Get("/ui/payout?month=2024-03");
  REQUIRE(confirm);
  CHECK(confirm->status == 403);
  auto posted = b.Post("/ui/payout", "month=2024-03&confirm=yes&form_token=" + b.FormToken());
  REQUIRE(posted);
  CHECK(posted->status == 403);
  CHECK(f.store().head().seq.value() == f.world_events());
}

TEST_CASE("an operator's payout needs the form token and the confirmation; then it is booked once") {
  ApiFixture f;
  Browser b(f);
  REQUIRE(b.SignIn(kOperatorToken) == 303);
  auto runs = b.Get("/ui/runs");
  REQUIRE(runs);
  CHECK(Contains(runs->body, "payout-form"));
  auto no_token = b.Post("/ui/payout", "month=2024-03&confirm=yes");
  REQUIRE(no_token);
  CHECK(no_token->status == 403);
  const std::string token = b.FormToken();
  auto wrong_token = b.Post("/ui/payout", "month=2024-03&confirm=yes&form_token=" + std::string(64, '0'));
  REQUIRE(wrong_token);
  CHECK(wrong_token->status == 403);
  auto unconfirmed = b.Post("/ui/payout", "month=2024-03&form_token=" + token);
  REQUIRE(unconfirmed);
  CHECK(unconfirmed->status == 400);
  CHECK(f.store().head().seq.value() == f.world_events());
  auto booked = b.Post("/ui/payout", "month=2024-03&confirm=yes&form_token=" + token);
  REQUIRE(booked);
  CHECK(booked->status == 200);
  // The fixture's March: VC-A 2 × 2300.00 / 12 = 383.33, VC-B 3600.00 / 12 = 300.00; 683,33 kr in all.
  CHECK(Contains(booked->body, "683,33\u00a0kr"));
  const domain::Seq head = f.store().head().seq;
  CHECK(head.value() > f.world_events());
  auto again = b.Post("/ui/payout", "month=2024-03&confirm=yes&form_token=" + token);
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(f.store().head().seq == head);
}

TEST_CASE("signing out needs the form token and ends the session") {
  ApiFixture f;
  Browser b(f);
  REQUIRE(b.SignIn(kAuditorToken) == 303);
  auto forged = b.Post("/ui/sign-out", "");
  REQUIRE(forged);
  CHECK(forged->status == 403);
  auto out = b.Post("/ui/sign-out", "form_token=" + b.FormToken());
  REQUIRE(out);
  CHECK(out->status == 303);
  b.Keep(out);
  CHECK_FALSE(b.Has("capledger_session"));
  auto after = b.Get("/ui/runs");
  REQUIRE(after);
  CHECK(after->status == 303);
}

TEST_CASE("the pages link every amount to its trace and show the fixture's figures") {
  ApiFixture f;
  REQUIRE(f.Post("/v1/payouts/2024-03")->status == 200);
  Browser b(f);
  REQUIRE(b.SignIn(kAuditorToken) == 303);
  auto statement = b.Get("/ui/statement?run=2024-03");
  REQUIRE(statement);
  CHECK(statement->status == 200);
  CHECK(Contains(statement->body, R"(href="/ui/entries/E-2024-03-000001/trace")"));
  CHECK(Contains(statement->body, "383,33\u00a0kr"));  // VC-A, as above
  auto trace = b.Get("/ui/entries/E-2024-03-000001/trace");
  REQUIRE(trace);
  CHECK(trace->status == 200);
  CHECK(Contains(trace->body, "REPRODUCES"));
  CHECK(Contains(trace->body, R"(href="/ui/events/)"));
  auto entries = b.Get("/ui/entries?run=2024-03&month=&clinic=");  // a GET form sends its empty fields
  REQUIRE(entries);
  CHECK(entries->status == 200);
  CHECK(Contains(entries->body, R"(href="/ui/entries/E-2024-03-000001/trace")"));
  CHECK(Contains(entries->body, R"(href="/ui/entries/E-2024-03-000002/trace")"));
  CHECK(Contains(entries->body, "300,00\u00a0kr"));  // VC-B: 3600.00 / 12
  auto english = b.Get("/ui/statement?run=2024-03&lang=en");
  REQUIRE(english);
  CHECK(Contains(english->body, "SEK\u00a0383.33"));
  CHECK(Contains(english->body, R"(href="/ui/entries/E-2024-03-000001/trace?lang=en")"));
}

TEST_CASE("bad arguments in a page's URL give an error page with the status of the API") {
  ApiFixture f;
  Browser b(f);
  REQUIRE(b.SignIn(kAuditorToken) == 303);
  for (const auto& [path, status] : std::vector<std::pair<std::string, int>>{
           {"/ui/report?month=2024-13", 400}, {"/ui/report?month=2024-03&known_at=nonsense", 400},
           {"/ui/runs?page=0", 400}, {"/ui/statement?run=1999-01", 404}, {"/ui/events/0", 400},
           {"/ui/events/999999", 404}, {"/ui/no-such-page", 404}, {"/ui/report?month=%3Cscript%3E", 400},
           // A resident by personnummer only through the API's recorded lookups: the pages refuse it.
           {"/ui/explain?resident=19121212-1212&month=2024-03", 409}}) {
    CAPTURE(path);
    auto page = b.Get(path);
    REQUIRE(page);
    CHECK(page->status == status);
    CHECK(Contains(page->body, R"(class="error")"));
    CHECK_FALSE(Contains(page->body, "<script>"));
  }
}

TEST_CASE("GET /v1/events/{seq} is the log record as `log` prints it") {
  ApiFixture f;
  auto first = f.Get("/v1/events/1");
  REQUIRE(first);
  CHECK(first->status == 200);
  CHECK(first->body.starts_with(R"({"type":"RulebookPublished")"));
  CHECK(Contains(first->body, R"("seq":1,)"));
  auto bad = f.Get("/v1/events/x");
  REQUIRE(bad);
  CHECK(bad->status == 400);
}

TEST_CASE("a knowledge point from a form: a date is the end of that day, digits a seq, the rest as given") {
  CHECK(api::KnownAtFromForm("") == "");
  CHECK(api::KnownAtFromForm("2025-01-05") == "2025-01-05T23:59:59.999999Z");
  CHECK(api::KnownAtFromForm("42") == "seq:42");
  CHECK(api::KnownAtFromForm("seq:7") == "seq:7");
  CHECK(api::KnownAtFromForm("2025-01-05T06:00:00Z") == "2025-01-05T06:00:00Z");
  CHECK(api::KnownAtFromForm("2025-1-05") == "2025-1-05");  // not a date: the query names the error
}

}  // namespace
}  // namespace capledger::testing
