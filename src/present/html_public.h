// The public follow-up's pages (DOMAIN.md §11): an index where every clinic can be compared, and
// one page per clinic from one template. Built from ledger::OpenData only, so they hold no
// resident-level data and show a band count from 1 to 4 as "<5", as the open data do. Links are
// relative: the site reads the same opened from files or served.
#pragma once

#include <string>

#include "common/error.h"
#include "ledger/open_data.h"
#include "present/lang.h"

namespace capledger::present {

// index.html: a sortable table of every clinic (listed residents, paid per listed resident,
// total, CNI, operator, municipality), each linking to its page, and links to the open data.
std::string PublicIndexHtml(const ledger::OpenData& data, Lang lang);

// The path of a clinic's page within the site ("clinics/VC-1880-01.html").
std::string PublicClinicPath(std::string_view clinic);

// A clinic's page: its facts, listed residents over the months (a line chart), the age profile
// of the last month, the compensation per component per month (stacked bars and a table), and the
// missions it offers. kNotFound if `clinic` is not in the data; a chart's errors.
Result<std::string> PublicClinicHtml(const ledger::OpenData& data, const domain::ClinicId& clinic, Lang lang);

}  // namespace capledger::present
