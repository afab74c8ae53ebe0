// The open data of the public follow-up (DOMAIN.md §11) as files: CSV with a header row, and JSON.
// Both carry the same rows and columns (docs/open-data.md describes every column). Counts come
// suppressed from ledger::BuildOpenData: a suppressed band count is written "<5".
#pragma once

#include <string>

#include "ledger/open_data.h"

namespace capledger::present {

// The CSV (RFC 4180, UTF-8, CRLF line ends): one header row, then one row per clinic and month
// in the order of `data.rows`. Columns: clinic, name, municipality (4 digits), operator (region or
// private), month (YYYY-MM), listed, one listed_age_<A> per band column, each component (kronor
// with two decimals, '.' as the decimal point), total, cni (4 decimals). An empty cell is a value
// that does not exist (a band the month's rulebook lacks, a CNI never reported). A field holding a
// comma, a quote or a line end is quoted; a name that starts with = + - @ or a tab is written after
// an apostrophe, so that a spreadsheet never reads it as a formula.
std::string OpenDataCsv(const ledger::OpenData& data);

// {"year", "through", "known_at_seq", "band_min_ages", "rows": [{"clinic", "name", "municipality",
//  "operator", "month", "listed", "listed_by_band" ([number, "<5" or null per band column]),
//  "amounts" ({component: kronor}), "total", "cni"}]}: the same figures as OpenDataCsv, the
// name exactly as registered.
std::string OpenDataJson(const ledger::OpenData& data);

// README.txt of the open-data folder: what the files are, the year, month and K, and every column,
// in Swedish and then in English.
std::string OpenDataReadme(const ledger::OpenData& data);

}  // namespace capledger::present
