// The month report and the rulebook listing as tables for people (their JSON: present/json_ledger.h).
#pragma once

#include <string>

#include "ledger/known_at.h"
#include "projection/report.h"

namespace capledger::present {

// Clinics as rows, components as columns, with totals; then the anomalies.
std::string ReportTable(const projection::MonthReport& report, const ledger::KnownAt& known_at);

// The rulebooks known at K, one block each: seq, id, validity, snapshot rule, decision, and who
// decided it and when ("decided: not recorded" for one published before that was kept).
std::string RulebooksTable(const std::vector<const projection::RulebookFact*>& rulebooks,
                           const ledger::KnownAt& known_at);

}  // namespace capledger::present
