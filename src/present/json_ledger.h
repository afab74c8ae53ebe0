// The JSON documents of the command line's --json and of the HTTP API (DESIGN.md §4): one
// renderer per answer, so that both give the same bytes. Money is a string with two decimals
// ("-1234.50"), dates and months ISO, keys in a fixed order. Each returns one line with '\n'.
#pragma once

#include <string>
#include <vector>

#include "codec/json_out.h"
#include "common/error.h"
#include "ledger/books.h"
#include "ledger/dispute.h"
#include "ledger/known_at.h"
#include "ledger/payout.h"
#include "ledger/trace.h"
#include "projection/report.h"

namespace capledger::present {

// {"known_at", "rulebooks": [{"id", "seq", "title", "decision", "decided" (who decided it:
//  {"decided_by", "decided_on" ("YYYY-MM-DD" or "unknown"), "replaces" (an id or null)}, or null for
//  a rulebook published before provenance was kept),
//  "valid_from", "valid_until", "snapshot", "retro_window_months"}]}: the rulebook listing.
std::string RulebooksJson(const std::vector<const projection::RulebookFact*>& rulebooks, const ledger::KnownAt& known_at);

// {"month", "snapshot_date", "rulebook", "rulebook_decided", "known_at", "clinics", "total",
//  "anomalies"}
std::string ReportJson(const projection::MonthReport& report, const ledger::KnownAt& known_at);

// Writes one entry's members into the open object `o` (the caller closes it): "id", "run",
// "clinic", "month", "component", "kind", "amount", "known_at_seq", "rulebook", "adjusts",
// "debit", "credit".
void WriteEntryMembers(codec::JsonObject& o, const domain::LedgerEntry& entry);
// {"entries": [...]}
std::string EntriesJson(const std::vector<projection::BookedEntry>& entries);

// {"run", "known_at", "existing", "rulebook", "entries", "total", "unbooked", "anomalies"}:
// `existing` is true when the month had already been run and nothing was booked now.
std::string PayoutJson(const domain::PayoutRun& run, const ledger::KnownAt& known_at, bool existing,
                       const std::vector<domain::LedgerEntry>& entries,
                       const std::vector<projection::AnomalyLine>& anomalies);

// {"entry", "known_at", "rulebook" (with "decided", as in RulebooksJson, and "parameters": the
//  rulebook's JSON exactly as the log stores it, codec::RulebookToJson), "facts" (with
//  "open_on_snapshot" and "open_in_month"), "outside_window" (null, or why it was booked outside the
//  window), "snapshot_date", "band_counts", "amounts",
//  "recomputed", "booked_before", "expected", "reproduces", "residents", "change"}
std::string TraceJson(const ledger::EntryTrace& trace);

// {"clinic", "month", "before", "after", "difference", "causes"}
std::string DisputeJson(const ledger::DisputeReport& dispute, const ledger::KnownAt& before, const ledger::KnownAt& after);

// {"account", "known_at", "balance", "entries"}
std::string BalanceJson(const ledger::Balance& balance, const ledger::KnownAt& known_at);

// {"runs": [{"run", "seq", "known_at_seq", "rulebook", "entry_count", "total", "unbooked"}]}: every
// completed payout run in the order booked; "seq" is its PayoutRun event, "unbooked" the number of
// differences left outside the retroactivity window.
std::string RunsJson(const std::vector<projection::BookedRun>& runs);

// {"run", "known_at_seq", "clinics": [{"clinic", "current", "corrections", "current_total",
//  "corrections_total", "total"}], "total"}
std::string StatementJson(const ledger::RunStatement& statement);

// {"error": {"code": "...", "message": "..."}}
std::string ErrorJson(const Error& error);

// Writes a component-indexed array of amounts into `o` and closes it: {"capitation": "...", ...}.
void WriteComponentAmounts(codec::JsonObject o, const std::array<domain::Money, domain::kComponentCount>& amounts);

}  // namespace capledger::present
