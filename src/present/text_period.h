// The printed forms of the board's follow-up for people: the period report, the cost of a draft
// rulebook and the annual report (DOMAIN.md §10, §11). The JSON forms are present/json_period.h.
#pragma once

#include <string>

#include "ledger/annual.h"
#include "ledger/known_at.h"
#include "ledger/period.h"

namespace capledger::present {

// Months as rows (booked, then estimated), components as columns; outcome, forecast, frame and
// headroom, and which months assumed a rulebook.
std::string PeriodTable(const ledger::PeriodReport& report, const ledger::KnownAt& known_at);

// The draft's year per month and component, against the frame, and per clinic against the
// rulebooks in force.
std::string DraftCostTable(const ledger::DraftCost& cost, const ledger::KnownAt& known_at);

// Clinics as rows: mean listed, fixed, variable, and each per listed resident and year.
std::string AnnualTable(const ledger::AnnualReport& report, const ledger::KnownAt& known_at);

}  // namespace capledger::present
