// The links and small tables the auditor's pages share (present/html_ledger.h): to a trace, to a
// log record, to a statement and to a clinic's page, each keeping the page's language; a table's
// header row; the links between the pages of a long list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/date.h"
#include "domain/seq.h"
#include "present/html_ledger.h"
#include "present/html_out.h"

namespace capledger::present {

std::string TraceHref(std::string_view entry_id, Lang lang);
std::string EventHref(domain::Seq seq, Lang lang);
std::string StatementHref(domain::Month run, std::string_view clinic, Lang lang);  // clinic "": all
std::string ClinicHref(std::string_view clinic, Lang lang);

// <a href="href">text</a>
void Link(HtmlOut& out, const std::string& href, std::string_view text);
// "seq N" linking to the log record of seq N.
void SeqLink(HtmlOut& out, domain::Seq seq, Lang lang);
// The "Known at" line of a <dl class="facts">: seq K linking to its log record.
void KnownAtFact(HtmlOut& out, domain::Seq seq, Lang lang);
// A money cell linking to the trace of `entry_id`.
void TracedAmountCell(HtmlOut& out, domain::Money amount, std::string_view entry_id, Lang lang);

// Opens <table> (in a scrolling wrapper) and writes its header row; numeric columns are right-
// aligned. Leaves <tbody> open: close it with CloseTable.
struct Column {
  std::string_view text;
  bool numeric = false;
};
void OpenTable(HtmlOut& out, std::initializer_list<Column> columns, bool sortable = false);
void CloseTable(HtmlOut& out);

// The rows [first, last) of page view.page of a list of `rows` (kHtmlRowsPerPage per page); a page
// past the end shows the last one.
struct PageSlice {
  std::size_t first = 0;
  std::size_t last = 0;
  std::size_t page = 0;
  std::size_t pages = 1;
};
PageSlice SliceOf(std::size_t rows, const HtmlView& view);
// "rows a–b of n", with links to the first, previous, next and last pages (if there is more than one).
void Pager(HtmlOut& out, const PageSlice& slice, std::size_t rows, const HtmlView& view);

}  // namespace capledger::present
