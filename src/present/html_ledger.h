// The auditor's pages' content (api serves them under /ui/): the same answers as the JSON of
// present/json_ledger.h and json_log.h, as HTML fragments for the <main> of a page
// (present/html_page.h puts the frame around them).
//
// Links: every booked amount links to its entry's trace (/ui/entries/ID/trace), every seq to its
// log record (/ui/events/SEQ), every run to its statement and every clinic to its page; each link
// keeps the page's language. Caller text (names, ids, details) is escaped by construction
// (present/html_out.h). Long lists (a trace's residents, a dispute's causes) are cut into pages of
// kHtmlRowsPerPage rows, so a page is never sent whole however many rows there are; the rows shown
// and the links to the other pages stand above and below the table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "ledger/annual.h"
#include "ledger/books.h"
#include "ledger/dispute.h"
#include "ledger/known_at.h"
#include "ledger/period.h"
#include "ledger/service.h"
#include "ledger/trace.h"
#include "present/lang.h"
#include "projection/explain.h"
#include "projection/facts.h"
#include "projection/ledger_table.h"
#include "projection/report.h"
#include "store/event_store.h"

namespace capledger::present {

// Rows of a long list on one page.
inline constexpr std::size_t kHtmlRowsPerPage = 500;

// How one page is shown: its language, which page of a long list, and the query that asked for it
// (the page links of a long list repeat it with another page number).
struct HtmlView {
  Lang lang = Lang::kSv;
  std::size_t page = 0;  // 0-based
  std::string path = {};  // the page's own path ("/ui/entries/E-2025-01-000001/trace")
  std::vector<std::pair<std::string, std::string>> query = {};  // its parameters, without lang and page
};

// The link to a page of ours: `path`, then `query` percent-encoded, then lang=en for English.
std::string UiHref(std::string_view path, const std::vector<std::pair<std::string, std::string>>& query, Lang lang);

// Every completed run: month (to its statement), K (to its log record), rulebook, entries, total.
std::string RunsHtml(const std::vector<projection::BookedRun>& runs, const HtmlView& view);

// One run's statement: per clinic, the month's entries and the corrections, each to its trace.
std::string StatementHtml(const ledger::RunStatement& statement, const HtmlView& view);

// Booked entries (a clinic's page): per month, what was booked per component (a stacked-bar chart
// and a table), then every entry with its trace. kInvalidArgument from the chart.
Result<std::string> EntriesHtml(const std::vector<projection::BookedEntry>& entries, const HtmlView& view);

// One entry's trace: the rule and its parameters, the counts per band, the amounts, the verdict
// (REPRODUCES or not), the events that changed it, and the counted residents page by page.
std::string TraceHtml(const ledger::EntryTrace& trace, const HtmlView& view);

// A dispute: both sides per component, a waterfall from the first to the second total through the
// causes grouped by kind, and every cause (page by page). kInvalidArgument from the chart.
Result<std::string> DisputeHtml(const ledger::DisputeReport& dispute, const ledger::KnownAt& before,
                                const ledger::KnownAt& after, const HtmlView& view);

// A month report: the header, every clinic's listed count and components, the anomalies.
std::string ReportHtml(const projection::MonthReport& report, const HtmlView& view);

// The period report against the budget frame: outcome, forecast, frame and headroom, with every
// month per component as a chart and a table. kInvalidArgument from the chart.
Result<std::string> PeriodHtml(const ledger::PeriodReport& report, const ledger::KnownAt& known_at,
                               const HtmlView& view);

// The hash chain's state: the verdict, events checked, the head, the first bad seq if any.
std::string VerifyHtml(const store::VerifyReport& report, const store::Head& head, const HtmlView& view);

// A payout's outcome: booked now or run before, K, entries, total, anomalies, the statement link.
std::string PayoutHtml(const ledger::PayoutResult& result, const ledger::KnownAt& known_at, const HtmlView& view);

// The annual report (DOMAIN.md §11): per clinic the mean listed count, fixed and variable
// compensation, their total and each per listed resident; then the totals.
std::string AnnualHtml(const ledger::AnnualReport& report, const HtmlView& view);

// An account's balance at K and the number of its entries.
std::string BalanceHtml(const ledger::Balance& balance, const ledger::KnownAt& known_at, const HtmlView& view);

// The rulebooks known at K: id, title, validity, decision, who decided, the seq that published it.
std::string RulebooksHtml(const std::vector<const projection::RulebookFact*>& rulebooks, const ledger::KnownAt& known_at,
                          const HtmlView& view);

// Where a resident counted on the snapshot date and why, with every fact's event (read from
// `store`) and how the fold used it; the decisive listing stands out.
std::string ExplainHtml(const store::EventStore& store, const projection::ResidentExplanation& explanation,
                        const HtmlView& view);

// One log record: seq, time, type, id, hashes, and the event as `log` prints it.
std::string EventHtml(const store::StoredRecord& record, const HtmlView& view);

}  // namespace capledger::present
