#include "api/api.h"

#include <cctype>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/form.h"
#include "api/queries.h"
#include "codec/json_out.h"
#include "common/assert.h"
#include "present/json_ledger.h"

namespace capledger::api {
namespace {

enum class RouteId : std::uint8_t {
  kHealth, kMetrics, kReport, kRulebooks, kEntries, kTrace, kStatement, kDispute, kExplain, kBalance, kVerify, kPayout,
  kPeriod, kAnnualReport, kRuns, kEvent,
};

// A path matched to an endpoint: its name (a fixed string, the metrics label), the method and
// role it needs (no role: open to all), and the path's argument ({id} or {month}).
struct RouteMatch {
  RouteId id;
  std::string_view name;
  std::string_view method;
  std::optional<Role> role;
  std::string argument;
};

// Matches "/v1/entries/{id}/trace" and "/v1/payouts/{month}" by segments, the rest exactly.
std::optional<RouteMatch> MatchRoute(std::string_view path) {
  struct Fixed {
    std::string_view path;
    RouteId id;
    std::optional<Role> role;
  };
  static constexpr Fixed kFixed[] = {
      {"/health", RouteId::kHealth, std::nullopt},        {"/metrics", RouteId::kMetrics, std::nullopt},
      {"/v1/report", RouteId::kReport, Role::kAuditor},   {"/v1/entries", RouteId::kEntries, Role::kAuditor},
      {"/v1/statement", RouteId::kStatement, Role::kAuditor}, {"/v1/dispute", RouteId::kDispute, Role::kAuditor},
      {"/v1/explain", RouteId::kExplain, Role::kAuditor}, {"/v1/balance", RouteId::kBalance, Role::kAuditor},
      {"/v1/verify", RouteId::kVerify, Role::kAuditor},   {"/v1/rulebooks", RouteId::kRulebooks, Role::kAuditor},
      {"/v1/period", RouteId::kPeriod, Role::kAuditor},   {"/v1/annual-report", RouteId::kAnnualReport, Role::kAuditor},
      {"/v1/runs", RouteId::kRuns, Role::kAuditor},
  };
  for (const auto& route : kFixed) {
    if (path == route.path) return RouteMatch{route.id, route.path, "GET", route.role, ""};
  }
  constexpr std::string_view kEntriesPrefix = "/v1/entries/";
  constexpr std::string_view kTraceSuffix = "/trace";
  if (path.starts_with(kEntriesPrefix) && path.ends_with(kTraceSuffix) &&
      path.size() > kEntriesPrefix.size() + kTraceSuffix.size()) {
    std::string_view id = path.substr(kEntriesPrefix.size(), path.size() - kEntriesPrefix.size() - kTraceSuffix.size());
    if (id.find('/') == std::string_view::npos) {
      return RouteMatch{RouteId::kTrace, "/v1/entries/{id}/trace", "GET", Role::kAuditor, std::string(id)};
    }
  }
  constexpr std::string_view kEventsPrefix = "/v1/events/";
  if (path.starts_with(kEventsPrefix) && path.size() > kEventsPrefix.size() &&
      path.substr(kEventsPrefix.size()).find('/') == std::string_view::npos) {
    return RouteMatch{RouteId::kEvent, "/v1/events/{seq}", "GET", Role::kAuditor,
                      std::string(path.substr(kEventsPrefix.size()))};
  }
  constexpr std::string_view kPayoutsPrefix = "/v1/payouts/";
  if (path.starts_with(kPayoutsPrefix) && path.size() > kPayoutsPrefix.size() &&
      path.substr(kPayoutsPrefix.size()).find('/') == std::string_view::npos) {
    return RouteMatch{RouteId::kPayout, "/v1/payouts/{month}", "POST", Role::kOperator,
                      std::string(path.substr(kPayoutsPrefix.size()))};
  }
  return std::nullopt;
}

ApiResponse ErrorResponse(int status, std::string_view code, std::string_view message) {
  ApiResponse response;
  response.status = status;
  response.body = HttpErrorJson(code, message);
  return response;
}

ApiResponse FromResult(Result<std::string> result) {
  if (result) return ApiResponse{.status = 200, .body = std::move(*result)};
  const int status = HttpStatusOf(result.error().code);
  if (status >= 500) spdlog::error("the API could not answer: {}", result.error().message);
  ApiResponse response;
  response.status = status;
  response.body = present::ErrorJson(result.error());
  return response;
}

// The token of "Bearer TOKEN" (the scheme in any case, then spaces), or empty.
std::string_view BearerToken(const std::optional<std::string>& header) {
  if (!header) return {};
  std::string_view value = *header;
  constexpr std::string_view kScheme = "bearer";
  if (value.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return {};
  }
  if (value[kScheme.size()] != ' ') return {};
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

using ParamsQuery = Result<std::string> (*)(QueryContext&, const Params&);

Result<std::string> WithParams(QueryContext& context, const ApiRequest& request,
                               std::initializer_list<std::string_view> allowed, ParamsQuery query) {
  auto params = Params::From(request.query, allowed);
  if (!params) return tl::unexpected(params.error());
  return query(context, *params);
}

Result<std::string> Dispatch(QueryContext& context, const RouteMatch& route, const ApiRequest& request,
                             const LookupRequest* lookup) {
  const auto none = Params::From(request.query, {});
  switch (route.id) {
    case RouteId::kReport: return WithParams(context, request, {"month", "known_at", "clinic"}, ReportQuery);
    case RouteId::kRulebooks: return WithParams(context, request, {"known_at"}, RulebooksQuery);
    case RouteId::kPeriod: return WithParams(context, request, {"year", "through", "known_at"}, PeriodQuery);
    case RouteId::kAnnualReport: return WithParams(context, request, {"year", "known_at"}, AnnualReportQuery);
    case RouteId::kEntries: return WithParams(context, request, {"month", "run", "clinic"}, EntriesQuery);
    case RouteId::kStatement: return WithParams(context, request, {"run", "clinic"}, StatementQuery);
    case RouteId::kDispute:
      return WithParams(context, request, {"clinic", "month", "known_at", "vs"}, DisputeQuery);
    case RouteId::kExplain: {
      auto params = Params::From(request.query, {"resident", "month", "known_at"});
      if (!params) return tl::unexpected(params.error());
      return ExplainQuery(context, *params, lookup);
    }
    case RouteId::kBalance: return WithParams(context, request, {"account", "known_at"}, BalanceQuery);
    case RouteId::kTrace: return none ? TraceQuery(context, route.argument) : tl::unexpected(none.error());
    case RouteId::kVerify: return none ? VerifyQuery(context) : tl::unexpected(none.error());
    case RouteId::kEvent: return none ? EventQuery(context, route.argument) : tl::unexpected(none.error());
    case RouteId::kRuns: return none ? RunsQuery(context) : tl::unexpected(none.error());
    case RouteId::kPayout: return none ? PayoutCommand(context, route.argument) : tl::unexpected(none.error());
    case RouteId::kHealth:
    case RouteId::kMetrics: break;
  }
  LEDGER_ASSERT(false && "open routes are answered before dispatch");
  return Fail(ErrorCode::kRefused, "unreachable");
}

}  // namespace

std::string HttpErrorJson(std::string_view code, std::string_view message) {
  std::string out;
  codec::JsonObject o(out, codec::JsonSpacing::kSpaced);
  o.Object("error").String("code", code).String("message", message).Close();
  o.Close();
  return out + "\n";
}

Status AddStoreGauges(Metrics& metrics, const store::EventStore& store) {
  auto head = metrics.AddGauge("capledger_log_events", "Events in the log (the head seq)",
                               [&store] { return static_cast<std::int64_t>(store.head().seq.value()); });
  if (!head) return head;
  return metrics.AddGauge("capledger_rejects", "Rejected input lines kept in the store",
                          [&store] { return static_cast<std::int64_t>(store.reject_count()); });
}

int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kRefused:
    case ErrorCode::kNoRulebookInForce:
    case ErrorCode::kIdempotencyConflict: return 409;
    case ErrorCode::kCorruption:
    case ErrorCode::kSecretMismatch:
    case ErrorCode::kLogDamaged:
    case ErrorCode::kInternal: return 500;
    // A write the disk refused (failing, full): nothing was booked, and the same request may
    // succeed once the disk is fixed.
    case ErrorCode::kIoError:
    case ErrorCode::kUnavailable: return 503;
  }
  return 500;
}

Api::Api(ledger::LedgerService& service, const TokenTable& tokens, Metrics& metrics, const RegionSecret* secret,
         const Clock& clock, const ResidentLookups* lookups, ApiHooks hooks)
    : service_(service),
      tokens_(tokens),
      metrics_(metrics),
      secret_(secret),
      clock_(clock),
      lookups_(lookups),
      hooks_(std::move(hooks)),
      ui_(service, tokens, metrics, secret, clock, hooks_) {}

std::optional<ApiResponse> Api::RefuseLookup(const TokenHolder& holder) {
  if (holder.role != Role::kResidentLookup) {
    return ErrorResponse(403, "forbidden", fmt::format("looking a resident up by personnummer needs the "
                                                       "resident_lookup role; the token has the {} role (give the "
                                                       "pseudonym)",
                                                       RoleName(holder.role)));
  }
  if (lookups_ == nullptr || secret_ == nullptr) {
    return ErrorResponse(409, "refused", "looking a resident up by personnummer is not enabled here; give the pseudonym");
  }
  if (const std::int64_t wait_s = lookups_->limiter.TryTake(holder.who); wait_s > 0) {
    spdlog::warn("refused a resident lookup by {}: over the rate limit", holder.who);
    ApiResponse response = ErrorResponse(429, "rate_limited",
                                         fmt::format("too many resident lookups; the next is allowed in {} s", wait_s));
    response.retry_after_s = wait_s;
    return response;
  }
  return std::nullopt;
}

ApiResponse Api::Handle(const ApiRequest& request) {
  const Timestamp start = clock_.Now();
  ApiResponse response = Route(request);
  const double seconds = static_cast<double>((clock_.Now() - start).count()) / 1e6;
  metrics_.ObserveRequest(response.endpoint, response.status, seconds);
  spdlog::debug("{} {} -> {} in {:.3f} ms", request.method, response.endpoint, response.status, seconds * 1e3);
  return response;
}

ApiResponse Api::Route(const ApiRequest& request) {
  if (request.path == "/ui" || request.path.starts_with("/ui/")) return ui_.Handle(request);
  const auto route = MatchRoute(request.path);
  const std::string endpoint = route ? std::string(route->name) : "other";
  auto finish = [&](ApiResponse response) {
    response.endpoint = endpoint;
    return response;
  };
  if (route && !route->role && request.method == route->method) {
    if (route->id == RouteId::kMetrics) {
      return finish(ApiResponse{.status = 200, .body = metrics_.Render(), .content_type = "text/plain; version=0.0.4; charset=utf-8"});
    }
    const JsonPresenter json;
    QueryContext context{service_, secret_, metrics_, clock_, json, hooks_};
    return finish(ApiResponse{.status = 200, .body = HealthAnswer(context)});
  }
  if (route && !route->role) {
    return finish(ErrorResponse(405, "method_not_allowed", fmt::format("{} takes {}", route->name, route->method)));
  }
  const std::string_view token = BearerToken(request.authorization);
  const std::optional<TokenHolder> holder = token.empty() ? std::nullopt : tokens_.Find(token);
  if (!holder) {
    ApiResponse response = ErrorResponse(401, "unauthorized", token.empty() ? "a bearer token is needed"
                                                                          : "the bearer token is not valid");
    response.challenge = true;
    return finish(std::move(response));
  }
  if (!route) return finish(ErrorResponse(404, "not_found", "no such endpoint"));
  if (request.method != route->method) {
    return finish(ErrorResponse(405, "method_not_allowed", fmt::format("{} takes {}", route->name, route->method)));
  }
  if (!Allows(holder->role, *route->role)) {
    return finish(ErrorResponse(403, "forbidden", fmt::format("{} needs the {} role; the token has the {} role",
                                                              route->name, RoleName(*route->role),
                                                              RoleName(holder->role))));
  }
  std::optional<LookupRequest> lookup;
  if (route->id == RouteId::kExplain && IsPersonnummerText(FirstValue(request.query, "resident"))) {
    if (auto refused = RefuseLookup(*holder)) return finish(std::move(*refused));
    lookup = LookupRequest{holder->who, lookups_->store_dir};
  }
  const JsonPresenter json;
  QueryContext context{service_, secret_, metrics_, clock_, json, hooks_};
  return finish(FromResult(Dispatch(context, *route, request, lookup ? &*lookup : nullptr)));
}

}  // namespace capledger::api
