// The auditor's pages under /ui/ (issue: what people look at). They answer the API's own queries
// (api/queries.h) through the HTML presenter, so a page shows what the JSON of the same question
// says, and never reaches past the queries.
//
// Pages (GET; ?lang=en for English, ?page=N for the N-th page of a long list):
//   /ui/                      start: every page, and forms for the questions that take arguments
//   /ui/sign-in               the sign-in form (POST: the bearer token, once)
//   /ui/runs                  every run; an operator also gets the payout form
//   /ui/statement?run=M[&clinic=C]
//   /ui/entries[?month=M][&run=M][&clinic=C]   booked entries, per month as a chart and a table
//   /ui/entries/ID/trace      one entry's trace
//   /ui/events/SEQ            one log record
//   /ui/dispute[?clinic=C&month=M&known_at=T1&vs=T2]   the form, and the waterfall once asked
//   /ui/clinic?clinic=C[&month=M]                      a clinic's months, chart and anomalies
//   /ui/report?month=M[&known_at=T][&clinic=C]
//   /ui/period?year=Y&through=M[&known_at=T]
//   /ui/annual?year=Y, /ui/balance?account=A, /ui/rulebooks, /ui/explain?resident=P&month=M
//                             (each [&known_at=T]) the annual report, a balance, the rulebooks, a resident
//   /ui/verify                the hash chain
//   /ui/payout?month=M        an operator's confirmation (POST books the run)
//   /ui/static/style.css, /ui/static/sort.js
// A knowledge point in a form may be a date (YYYY-MM-DD: as known at the end of that day, UTC), a
// seq (N or seq:N), or an RFC 3339 time.
//
// Security:
// - Access: the same tokens and roles as the API. The token is given once, on the sign-in form;
//   the browser then holds a session cookie (api/ui_session.h), never the token.
// - Every state-changing form (sign-out, payout) carries the session's form token; the sign-in
//   form carries a one-time value that must equal its cookie (double submit). A POST without
//   them is refused with 403, whatever the page showed.
// - A payout needs the operator role and an explicit confirmation; an auditor's POST is refused
//   with 403.
// - Every answer carries a strict Content-Security-Policy (no inline script or style, no other
//   origin, no framing), nosniff, no-referrer and no-store.
#pragma once

#include "api/request.h"
#include "api/metrics.h"
#include "api/queries.h"
#include "api/tokens.h"
#include "api/ui_session.h"
#include "common/clock.h"
#include "common/region_secret.h"
#include "ledger/service.h"

namespace capledger::api {

// The Content-Security-Policy of every /ui/ answer.
inline constexpr std::string_view kUiContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

// Answers the requests whose path is /ui or starts with /ui/.
class Ui {
 public:
  // Keeps references to everything; all must outlive the Ui.
  Ui(ledger::LedgerService& service, const TokenTable& tokens, Metrics& metrics, const RegionSecret* secret,
     const Clock& clock, const ApiHooks& hooks);

  // Answers one request (thread-safe, as Api::Handle). response.endpoint names the page.
  ApiResponse Handle(const ApiRequest& request);

 private:
  ApiResponse Route(const ApiRequest& request);

  ledger::LedgerService& service_;
  Metrics& metrics_;
  const RegionSecret* secret_;
  const Clock& clock_;
  const ApiHooks& hooks_;
  UiSessions sessions_;
};

}  // namespace capledger::api
