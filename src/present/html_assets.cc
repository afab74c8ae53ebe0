#include "present/html_assets.h"

namespace capledger::present {
namespace {

constexpr std::string_view kStyleCss = R"css(:root {
  --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --band: #f6f8fa; --link: #0b57b0;
  --bad: #a40e26; --good: #116329; --accent: #0b57b0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; line-height: 1.45;
}
body { margin: 0; }
header.site { background: #0d2f4f; color: #fff; padding: 0.6rem 1.5rem; display: flex; flex-wrap: wrap;
  align-items: baseline; gap: 0.4rem 1.5rem; }
header.site a { color: #fff; text-decoration: none; }
header.site .brand { font-weight: 700; font-size: 1.1rem; }
header.site nav { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; }
header.site nav a[aria-current="page"] { text-decoration: underline; }
header.site .who { margin-left: auto; font-size: 0.9rem; }
header.site form { display: inline; }
main { padding: 1rem 1.5rem 3rem; max-width: 80rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 0.5rem; }
p.lead, .muted { color: var(--muted); }
a { color: var(--link); }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.6rem; vertical-align: top; }
th { text-align: left; background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
.table-wrap td:first-child { white-space: nowrap; }
.table-wrap { overflow-x: auto; max-width: 100%; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
table.sortable th button { font: inherit; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
table.sortable th[aria-sort="ascending"] button::after { content: " \25B2"; }
table.sortable th[aria-sort="descending"] button::after { content: " \25BC"; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.verdict { display: inline-block; padding: 0.15rem 0.6rem; border-radius: 0.25rem; font-weight: 700; }
.verdict.ok { background: #dafbe1; color: var(--good); }
.verdict.bad { background: #ffebe9; color: var(--bad); }
.error { border-left: 4px solid var(--bad); background: #ffebe9; padding: 0.5rem 0.75rem; }
form.query { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; margin: 0.5rem 0 1rem; }
form.query label { display: flex; flex-direction: column; font-size: 0.9rem; color: var(--muted); }
input, select, button { font: inherit; padding: 0.25rem 0.4rem; }
button.primary { background: var(--accent); color: #fff; border: 0; border-radius: 0.25rem; padding: 0.35rem 0.9rem; }
button.danger { background: var(--bad); color: #fff; border: 0; border-radius: 0.25rem; padding: 0.35rem 0.9rem; }
nav.pages { display: flex; gap: 1rem; margin: 0.5rem 0; }
figure.chart { margin: 1rem 0; max-width: 60rem; }
figure.chart svg { width: 100%; height: auto; }
figure.chart figcaption { color: var(--muted); font-size: 0.9rem; }
.mono.id { display: block; white-space: nowrap; overflow-wrap: normal; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 0.85rem; padding: 1rem 1.5rem; border-top: 1px solid var(--line); }
@media (max-width: 40rem) {
  main { padding: 0.75rem 0.75rem 2rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: 0.4rem; overflow-wrap: anywhere; }
  figure.chart { overflow-x: auto; }
  figure.chart svg { width: 40rem; max-width: none; }
}
@media print {
  header.site nav, header.site form, form.query, nav.pages, button { display: none; }
  header.site { background: none; color: var(--ink); }
  header.site a { color: var(--ink); }
  a { color: var(--ink); text-decoration: none; }
}
)css";

constexpr std::string_view kSortJs = R"js("use strict";
// Lets a reader sort a table with class "sortable" by a column. The page reads without it.
(function () {
  var collator = new Intl.Collator("sv", { numeric: true });
  function key(cell) {
    var value = cell.getAttribute("data-value");
    return value !== null && value !== "" ? Number(value) : cell.textContent.trim();
  }
  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return collator.compare(String(a), String(b));
  }
  function sortBy(table, column, header) {
    var body = table.tBodies[0];
    if (!body) return;
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (x, y) {
      var order = compare(key(x.cells[column]), key(y.cells[column]));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tHead.rows.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      var button = document.createElement("button");
      button.type = "button";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, column, header); });
    });
  });
})();
)js";

}  // namespace

std::string_view StyleCss() { return kStyleCss; }

std::string_view SortJs() { return kSortJs; }

std::string_view IconSvg() {
  return R"svg(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0d2f4f"/><path d="M4 4h8M4 8h8M4 12h8M8 3v10" stroke="#fff" stroke-width="1.5"/></svg>
)svg";
}

}  // namespace capledger::present
