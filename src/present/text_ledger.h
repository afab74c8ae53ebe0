// The people-readable forms of the ledger's answers (the JSON forms are present/json_ledger.h).
#pragma once

#include <string>
#include <vector>

#include "ledger/books.h"
#include "ledger/dispute.h"
#include "ledger/known_at.h"
#include "ledger/trace.h"
#include "projection/report.h"

namespace capledger::present {

// The run: per clinic, this month's amount, corrections and the total; then each adjustment,
// the differences outside the window and the anomalies.
std::string PayoutTable(const domain::PayoutRun& run, const ledger::KnownAt& known_at, bool existing,
                        const std::vector<domain::LedgerEntry>& entries,
                        const std::vector<projection::AnomalyLine>& anomalies);

// One line per entry.
std::string EntriesTable(const std::vector<projection::BookedEntry>& entries);

// One line per completed payout run: the month, the seqs, the rulebook, the entries and the total.
std::string RunsText(const std::vector<projection::BookedRun>& runs);

// Per clinic: the current month by component, then corrections, with totals.
std::string StatementText(const ledger::RunStatement& statement);

// The derivation, the check, every counted resident and, for an adjustment, the causes.
std::string TraceText(const ledger::EntryTrace& trace);

// Both sides per component, the difference and its causes.
std::string DisputeText(const ledger::DisputeReport& dispute);

}  // namespace capledger::present
