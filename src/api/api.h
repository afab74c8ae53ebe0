// The HTTP JSON API of DESIGN.md §4 as plain functions of a request: routing, access, parameters
// and the answers, with no socket in sight (api/http_server.h carries it over HTTP). Every answer
// body is the byte-for-byte JSON of the command line's --json for the same question, from the
// same renderers (present/json_ledger.h, present/json_log.h).
//
// Statuses: 200 an answer (also a trace that does not reproduce, or a verify that fails: the
// body says so, as the command line's exit code 1 does); 400 a malformed request; 401 no valid
// bearer token; 403 a token whose role may not do this; 404 an unknown path, entry, clinic,
// resident or run; 405 a known path with another method; 409 refused by the ledger's state (a
// payout out of order, no rulebook in force); 429 too many resident lookups (Retry-After says
// when to come back); 500 the store failed. Errors have the body
// {"error": {"code": "...", "message": "..."}}.
//
// Residents: an auditor (and an operator) sees and asks by pseudonym only. Looking a resident up
// by personnummer (/v1/explain?resident=PERSONNUMMER) needs the resident_lookup role; each such
// lookup, found or not, is recorded with who made it (store/lookup_log.h) before it is answered,
// and each holder is rate-limited (api/lookup_limiter.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/lookup_limiter.h"
#include "api/metrics.h"
#include "api/queries.h"
#include "api/tokens.h"
#include "api/request.h"
#include "api/ui.h"
#include "common/clock.h"
#include "common/region_secret.h"
#include "ledger/service.h"

namespace capledger::api {

// Lookups of residents by personnummer: where they are recorded and how often each holder may.
struct ResidentLookups {
  std::filesystem::path store_dir;  // the record is store_dir/resident-lookups.jsonl
  LookupLimiter& limiter;
};

// The error body {"error": {"code": `code`, "message": `message`}} and '\n', as present::ErrorJson
// renders it for an Error, for the HTTP-level codes that are no ErrorCode ("unauthorized",
// "forbidden", "not_found", "method_not_allowed", "payload_too_large", "bad_request").
std::string HttpErrorJson(std::string_view code, std::string_view message);

// Adds the log's gauges to `metrics`: capledger_log_events (the head seq: events in the log) and
// capledger_rejects (rejected input lines kept). Keeps a reference to `store`, which must outlive
// the last Render. kInvalidArgument if they were added before.
Status AddStoreGauges(Metrics& metrics, const store::EventStore& store);

// Answers requests from the ledger service (see the header comment for the statuses); paths under
// /ui/ go to the auditor's pages (api/ui.h).
class Api {
 public:
  // Keeps references to everything; all must outlive the Api. `secret` and `lookups` (either may
  // be null) let a resident_lookup token find a resident by personnummer; without both, only
  // pseudonyms are accepted.
  // `hooks` replaces the embedded payout and adds to /health (cluster mode); kept.
  Api(ledger::LedgerService& service, const TokenTable& tokens, Metrics& metrics, const RegionSecret* secret,
      const Clock& clock, const ResidentLookups* lookups = nullptr, ApiHooks hooks = {});

  // Answers one request (thread-safe: queries share the projection's lock; payouts take it
  // alone). Records the request in the metrics. Never logs a token or a query string.
  ApiResponse Handle(const ApiRequest& request);

  // The metrics this API records into.
  Metrics& metrics() { return metrics_; }

 private:
  ApiResponse Route(const ApiRequest& request);
  // For /v1/explain with a personnummer: the refusal, if the holder may not look it up now.
  std::optional<ApiResponse> RefuseLookup(const TokenHolder& holder);

  ledger::LedgerService& service_;
  const TokenTable& tokens_;
  Metrics& metrics_;
  const RegionSecret* secret_;
  const Clock& clock_;
  const ResidentLookups* lookups_;
  ApiHooks hooks_;
  Ui ui_;  // after hooks_, which it keeps a reference to  // the auditor's pages under /ui/
};

}  // namespace capledger::api
