#include "api/ui.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/form.h"
#include "api/queries.h"
#include "api/ui_pages.h"
#include "codec/seq_format.h"
#include "present/html_assets.h"
#include "present/html_parts.h"

namespace capledger::api {
namespace {

using present::L;
using present::Lang;

constexpr std::string_view kSignInCookie = "capledger_signin";
constexpr std::size_t kPageMax = 1'000'000;

// A /ui/ request, its language and page taken out of the query.
struct UiRequest {
  const ApiRequest& raw;
  Lang lang = Lang::kSv;
  std::size_t page = 0;  // 0-based
  QueryPairs query = {};  // without lang and page
  std::optional<UiSession> session = std::nullopt;
  std::string session_id = {};
};

ApiResponse HtmlResponse(int status, std::string body, std::string_view endpoint) {
  return ApiResponse{.status = status, .body = std::move(body), .content_type = "text/html; charset=utf-8",
                     .endpoint = std::string(endpoint)};
}

ApiResponse Redirect(std::string location, std::string_view endpoint) {
  ApiResponse response = HtmlResponse(303, "", endpoint);
  response.headers.emplace_back("Location", std::move(location));
  return response;
}

UiFrame FrameOf(const UiRequest& r, std::string_view current) {
  return UiFrame{r.lang, r.raw.path, r.query, r.session ? &*r.session : nullptr, current};
}

ApiResponse ErrorPage(const UiRequest& r, int status, std::string_view message, std::string_view endpoint) {
  const std::string title(status == 403 ? L(r.lang, "Inte tillåtet", "Not allowed")
                          : status == 404 ? L(r.lang, "Finns inte", "Not found")
                                          : L(r.lang, "Frågan kunde inte besvaras", "The question could not be answered"));
  return HtmlResponse(status, UiPage(FrameOf(r, ""), title, ErrorMarkup(r.lang, message)), endpoint);
}

// Splits lang and page off the query; kInvalidArgument for a page that is not 1..kPageMax.
Result<UiRequest> ParseUiRequest(const ApiRequest& raw) {
  UiRequest r{.raw = raw};
  for (const auto& [key, value] : raw.query) {
    if (key == "lang") {
      r.lang = value == "en" ? Lang::kEn : Lang::kSv;
    } else if (key == "page") {
      std::size_t page = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), page);
      if (ec != std::errc() || end != value.data() + value.size() || page == 0 || page > kPageMax) {
        return Fail(ErrorCode::kInvalidArgument, fmt::format("page: a number from 1 to {}", kPageMax));
      }
      r.page = page - 1;
    } else {
      r.query.emplace_back(key, value);
    }
  }
  return r;
}

ApiResponse StaticAsset(const UiRequest& r) {
  const std::string_view path = r.raw.path;
  if (r.raw.method != "GET") return ErrorPage(r, 405, "GET only", "/ui/static");
  ApiResponse response;
  if (path == "/ui/static/style.css") {
    response = ApiResponse{.body = std::string(present::StyleCss()), .content_type = "text/css; charset=utf-8"};
  } else if (path == "/ui/static/sort.js") {
    response = ApiResponse{.body = std::string(present::SortJs()), .content_type = "text/javascript; charset=utf-8"};
  } else if (path == "/ui/static/icon.svg") {
    response = ApiResponse{.body = std::string(present::IconSvg()), .content_type = "image/svg+xml"};
  } else {
    return ErrorPage(r, 404, L(r.lang, "ingen sådan fil", "no such file"), "/ui/static");
  }
  response.endpoint = "/ui/static";
  response.headers.emplace_back("Cache-Control", "max-age=3600");
  return response;
}

ApiResponse SignInPage(const UiRequest& r, int status, std::optional<std::string_view> problem) {
  const std::string value = RandomHex();
  ApiResponse response = HtmlResponse(
      status, UiPage(FrameOf(r, ""), L(r.lang, "Logga in", "Sign in"), SignInMarkup(r.lang, value, problem)), "/ui/sign-in");
  response.headers.emplace_back("Set-Cookie",
                                fmt::format("{}={}; Path=/ui/sign-in; HttpOnly; SameSite=Strict", kSignInCookie, value));
  return response;
}

bool IsFormPost(const ApiRequest& raw) {
  return raw.content_type.starts_with("application/x-www-form-urlencoded");
}


// What the pages read from and write to.
struct UiContext {
  ledger::LedgerService& service;
  const RegionSecret* secret;
  Metrics& metrics;
  const Clock& clock;
  UiSessions& sessions;
  const ApiHooks& hooks;
};

// Runs `query` with the HTML presenter of this request's view; the answer, or the error page.
template <typename Query>
Result<std::string> Answer(UiContext& c, const UiRequest& r, Query query) {
  const HtmlPresenter html(present::HtmlView{r.lang, r.page, r.raw.path, r.query});
  QueryContext context{c.service, c.secret, c.metrics, c.clock, html, c.hooks};
  return query(context);
}

ApiResponse PageOrError(const UiRequest& r, Result<std::string> markup, std::string_view title, std::string_view current,
                        std::string_view endpoint, std::string_view before = {}) {
  if (!markup) {
    const int status = HttpStatusOf(markup.error().code);
    if (status >= 500) spdlog::error("a page could not be answered: {}", markup.error().message);
    return ErrorPage(r, status, markup.error().message, endpoint);
  }
  return HtmlResponse(200, UiPage(FrameOf(r, current), title, std::string(before) + *markup), endpoint);
}

// The query's parameters as Params (the keys `allowed`), with known_at and vs as the forms give them.
Result<Params> FormParams(const UiRequest& r, std::initializer_list<std::string_view> allowed) {
  QueryPairs query = r.query;
  for (auto& [key, value] : query) {
    if (key == "known_at" || key == "vs") value = KnownAtFromForm(value);
  }
  return Params::From(query, allowed);
}

template <typename ParamsQuery>
ApiResponse ParamsPage(UiContext& c, const UiRequest& r, std::initializer_list<std::string_view> allowed, ParamsQuery query,
                       std::string_view title, std::string_view current, std::string_view endpoint) {
  auto params = FormParams(r, allowed);
  if (!params) return ErrorPage(r, 400, params.error().message, endpoint);
  return PageOrError(r, Answer(c, r, [&](QueryContext& q) { return query(q, *params); }), title, current, endpoint);
}

std::string Param(const UiRequest& r, std::string_view key) { return FirstValue(r.query, key); }

ApiResponse RunsPage(UiContext& c, const UiRequest& r) {
  const bool operator_role = r.session->holder.role == Role::kOperator;
  auto markup = Answer(c, r, [](QueryContext& q) { return RunsQuery(q); });
  if (markup && operator_role) *markup += PayoutFormMarkup(r.lang);
  return PageOrError(r, std::move(markup), L(r.lang, "Körningar", "Runs"), "runs", "/ui/runs");
}

ApiResponse DisputePage(UiContext& c, const UiRequest& r) {
  const std::string form = DisputeFormMarkup(r.lang, r.query);
  const std::string_view title = L(r.lang, "Tvist", "Dispute");
  if (Param(r, "clinic").empty() || Param(r, "month").empty() || Param(r, "known_at").empty()) {
    return HtmlResponse(200, UiPage(FrameOf(r, "dispute"), title, form), "/ui/dispute");
  }
  UiRequest asked = r;  // an empty second knowledge point is now: the head
  for (auto& [key, value] : asked.query) {
    if (key == "vs" && value.empty()) value = fmt::format("seq:{}", HeadSeq(c.service));
  }
  auto params = FormParams(asked, {"clinic", "month", "known_at", "vs"});
  if (!params) return ErrorPage(r, 400, params.error().message, "/ui/dispute");
  return PageOrError(r, Answer(c, r, [&](QueryContext& q) { return DisputeQuery(q, *params); }), title, "dispute",
                     "/ui/dispute", form);
}

// The month of a clinic's report: the one asked, else the last month paid.
std::string ClinicReportMonth(UiContext& c, const UiRequest& r) {
  std::string month = Param(r, "month");
  if (!month.empty()) return month;
  const auto last = LastRunMonth(c.service);
  return last ? domain::FormatMonth(*last) : std::string();
}

// The clinic's month report for `month` under an h2, or why there is none.
std::string ClinicReportMarkup(UiContext& c, const UiRequest& r, const std::string& clinic, const std::string& month) {
  present::HtmlOut out;
  out.Open("h2").Text(fmt::format("{} {}", L(r.lang, "Månadsrapport", "Month report"), month)).Close();
  auto params = Params::From({{"month", month}, {"clinic", clinic}}, {"month", "clinic"});
  auto markup = params ? Answer(c, r, [&](QueryContext& q) { return ReportQuery(q, *params); })
                       : Result<std::string>(tl::unexpected(params.error()));
  if (markup) {
    out.Raw(*markup);
  } else {
    out.Open("p").Attr("class", "muted").Text(markup.error().message).Close();
  }
  return std::move(out).Finish();
}

ApiResponse ClinicPage(UiContext& c, const UiRequest& r) {
  const std::string clinic = Param(r, "clinic");
  const std::string title = fmt::format("{} {}", L(r.lang, "Vårdcentral", "Clinic"), clinic);
  auto entries = Params::From({{"clinic", clinic}}, {"clinic"});
  if (!entries) return ErrorPage(r, 400, entries.error().message, "/ui/clinic");
  auto markup = Answer(c, r, [&](QueryContext& q) { return EntriesQuery(q, *entries); });
  const std::string month = ClinicReportMonth(c, r);
  if (markup && !month.empty()) *markup += ClinicReportMarkup(c, r, clinic, month);
  return PageOrError(r, std::move(markup), title, "", "/ui/clinic", ClinicFormMarkup(r.lang, clinic, Param(r, "month")));
}

ApiResponse PayoutConfirmPage(UiContext& c, const UiRequest& r) {
  const std::string month = Param(r, "month");
  if (auto parsed = domain::ParseMonth(month); !parsed) return ErrorPage(r, 400, "month: " + parsed.error().message, "/ui/payout");
  const domain::Seq head = HeadSeq(c.service);
  return HtmlResponse(200, UiPage(FrameOf(r, "runs"), L(r.lang, "Bekräfta utbetalningen", "Confirm the payout"),
                                  PayoutConfirmMarkup(r.lang, month, head, r.session->form_token)),
                      "/ui/payout");
}

// The pages named by their path: /ui/entries/ID/trace and /ui/events/SEQ.
ApiResponse ReadPathPage(UiContext& c, const UiRequest& r) {
  const std::string_view path = r.raw.path;
  constexpr std::string_view kEntries = "/ui/entries/";
  constexpr std::string_view kTrace = "/trace";
  if (path.starts_with(kEntries) && path.ends_with(kTrace) && path.size() > kEntries.size() + kTrace.size()) {
    const std::string id(path.substr(kEntries.size(), path.size() - kEntries.size() - kTrace.size()));
    return PageOrError(r, Answer(c, r, [&](QueryContext& q) { return TraceQuery(q, id); }),
                       fmt::format("{} {}", L(r.lang, "Härledning av posten", "Trace of entry"), id), "", "/ui/entries/{id}/trace");
  }
  constexpr std::string_view kEvents = "/ui/events/";
  if (path.starts_with(kEvents) && path.size() > kEvents.size()) {
    const std::string seq(path.substr(kEvents.size()));
    return PageOrError(r, Answer(c, r, [&](QueryContext& q) { return EventQuery(q, seq); }),
                       fmt::format("{} seq {}", L(r.lang, "Loggpost", "Log record"), seq), "", "/ui/events/{seq}");
  }
  return ErrorPage(r, 404, L(r.lang, "ingen sådan sida", "no such page"), "other");
}

// The pages a signed-in person reads (GET).
ApiResponse ReadPage(UiContext& c, const UiRequest& r) {
  const std::string_view path = r.raw.path;
  const Lang lang = r.lang;
  if (path == "/ui/") return HtmlResponse(200, UiPage(FrameOf(r, "start"), L(lang, "Revision av utbetalningar", "Auditing the payouts"), StartMarkup(lang)), "/ui/");
  if (path == "/ui/runs") return RunsPage(c, r);
  if (path == "/ui/dispute") return DisputePage(c, r);
  if (path == "/ui/clinic") return ClinicPage(c, r);
  if (path == "/ui/statement") {
    return ParamsPage(c, r, {"run", "clinic"}, StatementQuery,
                      fmt::format("{} {}", L(lang, "Utbetalningsbesked för körningen", "Statement of the run for"), Param(r, "run")),
                      "runs", "/ui/statement");
  }
  if (path == "/ui/report") {
    return ParamsPage(c, r, {"month", "known_at", "clinic"}, ReportQuery,
                      fmt::format("{} {}", L(lang, "Månadsrapport", "Month report"), Param(r, "month")), "", "/ui/report");
  }
  if (path == "/ui/period") {
    return ParamsPage(c, r, {"year", "through", "known_at"}, PeriodQuery,
                      fmt::format("{} {}", L(lang, "Perioden och budgetramen", "The period and the budget frame"), Param(r, "year")),
                      "", "/ui/period");
  }
  if (path == "/ui/entries") {
    return ParamsPage(c, r, {"month", "run", "clinic"}, EntriesQuery, std::string(L(lang, "Bokförda poster", "Booked entries")), "",
                      "/ui/entries");
  }
  if (path == "/ui/annual") {
    return ParamsPage(c, r, {"year", "known_at"}, AnnualReportQuery,
                      fmt::format("{} {}", L(lang, "Årsredovisning av ersättningen", "The annual report"), Param(r, "year")), "",
                      "/ui/annual");
  }
  if (path == "/ui/balance") {
    return ParamsPage(c, r, {"account", "known_at"}, BalanceQuery, fmt::format("{} {}", L(lang, "Saldo för", "Balance of"), Param(r, "account")),
                      "", "/ui/balance");
  }
  if (path == "/ui/explain") {
    return ParamsPage(c, r, {"resident", "month", "known_at"},
                      [](QueryContext& q, const Params& p) { return ExplainQuery(q, p, nullptr); },
                      fmt::format("{} {}", L(lang, "Invånaren under", "The resident in"), Param(r, "month")), "", "/ui/explain");
  }
  if (path == "/ui/rulebooks") {
    return ParamsPage(c, r, {"known_at"}, RulebooksQuery, std::string(L(lang, "Regelböckerna och vem som beslutat dem", "The rulebooks and who decided them")),
                      "", "/ui/rulebooks");
  }
  if (path == "/ui/verify") {
    return PageOrError(r, Answer(c, r, [](QueryContext& q) { return VerifyQuery(q); }), L(lang, "Hashkedjan", "The hash chain"),
                       "verify", "/ui/verify");
  }
  if (path == "/ui/payout") {
    if (r.session->holder.role != Role::kOperator) {
      return ErrorPage(r, 403, L(lang, "bara en operatör får starta en utbetalning", "only an operator may start a payout"), "/ui/payout");
    }
    return PayoutConfirmPage(c, r);
  }
  return ReadPathPage(c, r);
}

ApiResponse PayoutPost(UiContext& c, const UiRequest& r, const QueryPairs& form) {
  if (r.session->holder.role != Role::kOperator) {
    spdlog::warn("refused a payout from the pages by {}: the {} role", r.session->holder.who, RoleName(r.session->holder.role));
    return ErrorPage(r, 403, L(r.lang, "bara en operatör får starta en utbetalning", "only an operator may start a payout"), "/ui/payout");
  }
  if (FirstValue(form, "confirm") != "yes") {
    return ErrorPage(r, 400, L(r.lang, "utbetalningen är inte bekräftad", "the payout is not confirmed"), "/ui/payout");
  }
  const std::string month = FirstValue(form, "month");
  spdlog::info("a payout for {} started from the pages by {}", month, r.session->holder.who);
  return PageOrError(r, Answer(c, r, [&](QueryContext& q) { return PayoutCommand(q, month); }),
                     fmt::format("{} {}", L(r.lang, "Utbetalningen för", "The payout for"), month), "runs", "/ui/payout");
}

// A state-changing form of a signed-in person (POST): it must carry the session's form token.
ApiResponse ChangePage(UiContext& c, const UiRequest& r) {
  const std::string_view path = r.raw.path;
  const std::string_view endpoint = path == "/ui/payout" ? "/ui/payout" : path == "/ui/sign-out" ? "/ui/sign-out" : "other";
  if (endpoint == "other") return ErrorPage(r, 404, L(r.lang, "ingen sådan sida", "no such page"), endpoint);
  auto form = IsFormPost(r.raw) ? ParseForm(r.raw.body) : Fail(ErrorCode::kInvalidArgument, "a form is posted as application/x-www-form-urlencoded");
  if (!form) return ErrorPage(r, 400, form.error().message, endpoint);
  if (!FormTokenMatches(*r.session, FirstValue(*form, "form_token"))) {
    spdlog::warn("refused a form without its session's form token: {}", path);
    return ErrorPage(r, 403, L(r.lang, "formuläret saknar sessionens formulärnyckel", "the form lacks its session's form token"), endpoint);
  }
  if (path == "/ui/sign-out") {
    c.sessions.SignOut(r.session_id);
    ApiResponse response = Redirect(present::UiHref("/ui/sign-in", {}, r.lang), endpoint);
    response.headers.emplace_back("Set-Cookie", ClearedSessionCookieHeader());
    return response;
  }
  return PayoutPost(c, r, *form);
}

ApiResponse SignInPost(UiContext& c, const UiRequest& r) {
  auto form = IsFormPost(r.raw) ? ParseForm(r.raw.body) : Fail(ErrorCode::kInvalidArgument, "a form is posted as application/x-www-form-urlencoded");
  if (!form) return ErrorPage(r, 400, form.error().message, "/ui/sign-in");
  const std::optional<std::string_view> cookie = r.raw.cookie ? CookieValue(*r.raw.cookie, kSignInCookie) : std::nullopt;
  const std::string presented = FirstValue(*form, "signin");
  if (!cookie || cookie->empty() || !ConstantTimeEquals(*cookie, presented)) {
    return SignInPage(r, 403, L(r.lang, "Inloggningen kom inte från inloggningssidan; försök igen.",
                                "The sign-in did not come from the sign-in page; try again."));
  }
  auto signed_in = c.sessions.SignIn(FirstValue(*form, "token"));
  if (!signed_in) return SignInPage(r, 401, L(r.lang, "Token är inte giltig.", "The token is not valid."));
  spdlog::info("{} signed in to the pages ({})", signed_in->session.holder.who, RoleName(signed_in->session.holder.role));
  ApiResponse response = Redirect(present::UiHref("/ui/", {}, r.lang), "/ui/sign-in");
  response.headers.emplace_back("Set-Cookie", SessionCookieHeader(signed_in->session_id));
  response.headers.emplace_back("Set-Cookie", fmt::format("{}=; Path=/ui/sign-in; HttpOnly; SameSite=Strict; Max-Age=0", kSignInCookie));
  return response;
}

// Finds the request's session from its cookie, if it has a live one.
void FindSession(UiContext& c, UiRequest& r) {
  if (!r.raw.cookie) return;
  const auto id = CookieValue(*r.raw.cookie, kSessionCookie);
  if (!id || id->empty()) return;
  r.session = c.sessions.Find(*id);
  if (r.session) r.session_id = std::string(*id);
}

ApiResponse RouteUi(UiContext& c, UiRequest& r) {
  const std::string_view path = r.raw.path;
  if (path.starts_with("/ui/static/")) return StaticAsset(r);
  if (path == "/ui/sign-in") {
    if (r.raw.method == "POST") return SignInPost(c, r);
    if (r.raw.method == "GET") return SignInPage(r, 200, std::nullopt);
    return ErrorPage(r, 405, "GET or POST", "/ui/sign-in");
  }
  FindSession(c, r);
  if (!r.session) {
    if (r.raw.method == "GET") return Redirect(present::UiHref("/ui/sign-in", {}, r.lang), "/ui/sign-in");
    return ErrorPage(r, 403, L(r.lang, "logga in först", "sign in first"), "other");
  }
  if (r.raw.method == "POST") return ChangePage(c, r);
  if (r.raw.method != "GET") return ErrorPage(r, 405, "GET or POST", "other");
  return ReadPage(c, r);
}

}  // namespace

Ui::Ui(ledger::LedgerService& service, const TokenTable& tokens, Metrics& metrics, const RegionSecret* secret,
       const Clock& clock, const ApiHooks& hooks)
    : service_(service), metrics_(metrics), secret_(secret), clock_(clock), hooks_(hooks), sessions_(tokens, clock) {}

ApiResponse Ui::Route(const ApiRequest& request) {
  if (request.path == "/ui") return Redirect("/ui/", "/ui/");
  auto parsed = ParseUiRequest(request);
  if (!parsed) {
    const UiRequest plain{.raw = request};
    return ErrorPage(plain, 400, parsed.error().message, "other");
  }
  UiContext context{service_, secret_, metrics_, clock_, sessions_, hooks_};
  return RouteUi(context, *parsed);
}

ApiResponse Ui::Handle(const ApiRequest& request) {
  ApiResponse response = Route(request);
  response.headers.emplace_back("Content-Security-Policy", std::string(kUiContentSecurityPolicy));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  const bool cached = std::any_of(response.headers.begin(), response.headers.end(),
                                  [](const auto& h) { return h.first == "Cache-Control"; });
  if (!cached) response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace capledger::api
