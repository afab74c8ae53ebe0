// A request and its answer as the HTTP layer carries them (api/http_server.h), for the API
// (api/api.h) and the auditor's pages (api/ui.h) alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"

namespace capledger::api {

// One request as the HTTP layer received it.
struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded, without the query: "/v1/entries/E-2024-03-000017/trace"
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order, repeats kept
  std::optional<std::string> authorization;                // the Authorization header, if sent
  std::optional<std::string> cookie;                       // the Cookie header, if sent (the pages' session)
  std::optional<std::string> origin;                       // the Origin header, if sent
  std::string content_type;                                // the body's Content-Type, if it has one
  std::string body;                                        // what was posted (the pages' forms)
};

// The answer to send.
struct ApiResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::string endpoint = "other";  // the route's name, for metrics and the log ("other": none)
  bool challenge = false;          // a 401: send WWW-Authenticate: Bearer
  std::int64_t retry_after_s = 0;  // a 429: send Retry-After
  std::vector<std::pair<std::string, std::string>> headers = {};  // more to send (the pages': Set-Cookie, Location, ...)
};

// The HTTP status for a ledger error: kInvalidArgument 400, kNotFound 404, kRefused,
// kNoRulebookInForce and kIdempotencyConflict 409, the rest (the store failed) 500.
int HttpStatusOf(ErrorCode code);

}  // namespace capledger::api
