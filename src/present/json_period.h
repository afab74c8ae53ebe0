// The JSON documents of the board's follow-up (DOMAIN.md §10, §11) for --json and the HTTP API,
// in the style of json_ledger.h: money as strings with two decimals, months ISO, keys in a fixed
// order, one line with '\n'.
#pragma once

#include <string>

#include "ledger/annual.h"
#include "ledger/known_at.h"
#include "ledger/period.h"

namespace capledger::present {

// {"year", "through", "known_at", "months": [{"month", "estimated", "rulebook", "assumed_rulebook",
//  "amounts", "total"}], "outcome": {"amounts", "total"}, "forecast": {"amounts", "total"},
//  "frame": {"amount", "decision", "seq"} or null, "headroom" (or null), "exceeds_frame",
//  "assumed_rulebook_months"}
std::string PeriodJson(const ledger::PeriodReport& report, const ledger::KnownAt& known_at);

// {"year", "known_at", "draft", "compared_with", "months", "total": {"amounts", "total"},
//  "current_total", "frame", "headroom", "exceeds_frame", "clinics": [{"clinic", "draft",
//  "current", "difference"}]}
std::string DraftCostJson(const ledger::DraftCost& cost, const ledger::KnownAt& known_at);

// {"year", "known_at", "months", "clinics": [{"clinic", "name", "listed", "mean_listed", "fixed",
//  "variable", "fixed_per_listed", "variable_per_listed"}], "total": {...}}
std::string AnnualJson(const ledger::AnnualReport& report, const ledger::KnownAt& known_at);

}  // namespace capledger::present
