// The printed forms of a month report: the JSON of DESIGN.md §4 and a table for people.
#pragma once

#include <string>

#include "ledger/known_at.h"
#include "projection/report.h"

namespace capledger::app {

// {"month", "snapshot_date", "rulebook", "known_at": {"seq", "recorded_at"}, "clinics": [...],
//  "total", "anomalies": [...]} exactly as DESIGN.md §4 shows it.
std::string ReportJson(const projection::MonthReport& report, const ledger::KnownAt& known_at);

// Clinics as rows, components as columns, with totals; then the anomalies.
std::string ReportTable(const projection::MonthReport& report, const ledger::KnownAt& known_at);

// The rulebooks known at K, one block each: seq, id, validity, snapshot rule, decision, and who
// decided it and when ("decided: not recorded" for one published before that was kept).
std::string RulebooksTable(const std::vector<const projection::RulebookFact*>& rulebooks,
                           const ledger::KnownAt& known_at);

}  // namespace capledger::app
