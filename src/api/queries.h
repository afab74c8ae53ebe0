// The answers of the API's endpoints, each shown by the context's presenter: for the API the JSON
// the command line prints with --json for the same question, for the pages their HTML. Errors are
// the ledger's (api/api.h maps them to statuses).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <utility>
#include <vector>
#include <string>
#include <string_view>

#include "api/metrics.h"
#include "api/params.h"
#include "api/presenter.h"
#include "common/clock.h"
#include "common/region_secret.h"
#include "ledger/known_at.h"
#include "ledger/service.h"

namespace capledger::api {

// What the endpoints read from and write to, and how they show their answers (JSON for the API,
// HTML for the pages); every reference outlives the calls.
// What the app may put in place of the embedded defaults (cluster mode, DESIGN.md §6).
struct ApiHooks {
  // Books (or shows) the run of a month. Empty: LedgerService::Payout on this process's store. In
  // cluster mode: a submission to the log, answered once this node has indexed it.
  std::function<Result<ledger::PayoutResult>(domain::Month)> payout;
  // More members of /health's answer, as (name, JSON value) pairs (the node's indexing).
  std::function<std::vector<std::pair<std::string, std::string>>()> health;
};

struct QueryContext {
  ledger::LedgerService& service;
  const RegionSecret* secret;  // may be null: /v1/explain then takes pseudonyms only
  Metrics& metrics;
  const Clock& clock;
  const Presenter& presenter;
  const ApiHooks& hooks;
};

// Resolves a known_at parameter (empty: the head) against the store, and makes sure the
// projection has applied up to it (catching up if events were appended since), so that every
// query may ask the projection at the K it resolved. Errors name the parameter `name`.
Result<ledger::KnownAt> ResolveForQuery(ledger::LedgerService& service, const std::string& text,
                                        std::string_view name = "known_at");

// GET /v1/report?month=M[&known_at=T][&clinic=C]   (report --month M [--known-at T] [--clinic C])
Result<std::string> ReportQuery(QueryContext& context, const Params& params);
// GET /v1/period?year=Y&through=M[&known_at=T]: the period report (DOMAIN.md §10).
Result<std::string> PeriodQuery(QueryContext& context, const Params& params);
// GET /v1/annual-report?year=Y[&known_at=T]: the annual report (DOMAIN.md §11).
Result<std::string> AnnualReportQuery(QueryContext& context, const Params& params);
// GET /v1/rulebooks[?known_at=T]                 (rulebook list [--known-at T])
Result<std::string> RulebooksQuery(QueryContext& context, const Params& params);
// GET /v1/entries[?month=M][&run=M][&clinic=C]    (entries ...)
Result<std::string> EntriesQuery(QueryContext& context, const Params& params);
// GET /v1/runs                                   (runs)
Result<std::string> RunsQuery(QueryContext& context);
// GET /v1/statement?run=M[&clinic=C]              (statement --run M [--clinic C])
Result<std::string> StatementQuery(QueryContext& context, const Params& params);
// GET /v1/entries/{id}/trace                      (trace ID)
Result<std::string> TraceQuery(QueryContext& context, std::string_view entry_id);
// GET /v1/dispute?clinic=C&month=M&known_at=T1&vs=T2
Result<std::string> DisputeQuery(QueryContext& context, const Params& params);
// Who looks a resident up by personnummer, and where that is recorded (api/api.h).
struct LookupRequest {
  std::string who;
  std::filesystem::path store_dir;
};

// True if `text` is a valid personnummer or samordningsnummer (not a pseudonym).
bool IsPersonnummerText(std::string_view text);

// GET /v1/explain?resident=P&month=M[&known_at=T]  (P: a pseudonym; or a personnummer, with
// `lookup` given: the lookup is recorded, found or not, before the answer; kIoError unanswered if
// it cannot be)
Result<std::string> ExplainQuery(QueryContext& context, const Params& params, const LookupRequest* lookup);
// GET /v1/balance?account=A[&known_at=T]
Result<std::string> BalanceQuery(QueryContext& context, const Params& params);
// GET /v1/verify
Result<std::string> VerifyQuery(QueryContext& context);
// GET /v1/events/{seq}: the event stored at seq, as `log --from-seq SEQ --limit 1` prints it.
// kInvalidArgument for a seq that is not a positive integer; kNotFound beyond the head.
Result<std::string> EventQuery(QueryContext& context, std::string_view seq_text);
// POST /v1/payouts/{month}: books the run (or shows the run already booked), as `payout`.
Result<std::string> PayoutCommand(QueryContext& context, std::string_view month);
// The head seq of the log: what a payout booked now would be known at.
domain::Seq HeadSeq(const ledger::LedgerService& service);
// The month of the last completed run, if there is one.
std::optional<domain::Month> LastRunMonth(ledger::LedgerService& service);
// GET /health: {"ready": true, "head_seq": N, "applied_seq": M}
std::string HealthAnswer(QueryContext& context);

}  // namespace capledger::api
