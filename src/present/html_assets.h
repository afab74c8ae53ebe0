// The two files every page links to: the stylesheet and the table sorter. The auditor's pages
// serve them under /ui/static/; the public site writes them beside its pages. A page reads fully
// without the script: it only lets a reader sort a table by a column.
#pragma once

#include <string_view>

namespace capledger::present {

// The stylesheet (style.css): readable tables with figures aligned right, print-friendly, no
// external fonts or images.
std::string_view StyleCss();

// The table sorter (sort.js). A table with class "sortable" gets a button in each header cell;
// pressing it sorts the body rows by that column, ascending then descending, by each cell's
// data-value (a number) if it has one, else by its text (Swedish collation). The header cell
// says its order through aria-sort. No other behaviour; no network; no inline handlers.
std::string_view SortJs();

// icon.svg: the pages' icon (a ledger's two columns), so that a browser asks for no favicon.ico.
std::string_view IconSvg();

}  // namespace capledger::present
