// The auditor's pages' content (present/html_ledger.h): caller text never becomes markup, long
// lists are cut into pages, and links keep the language.
#include <doctest/doctest.h>

#include "present/html_ledger.h"
#include "present/html_links.h"

namespace capledger::present {
namespace {

domain::Month M(int y, unsigned m) { return domain::Month{std::chrono::year(y), std::chrono::month(m)}; }

bool Contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

// A trace of a capitation entry with `residents` counted residents and hostile text in every
// field a person or another system wrote.
ledger::EntryTrace HostileTrace(std::size_t residents) {
  ledger::EntryTrace t;
  t.entry.seq = domain::Seq(90);
  t.entry.entry = domain::LedgerEntry{.entry_id = "E-2024-03-000001", .run = M(2024, 3), .clinic = "VC-A",
                                      .period = M(2024, 3), .amount = domain::Money::FromOre(38333),
                                      .known_at_seq = domain::Seq(80), .rulebook = "KoK-2024", .adjusts = {},
                                      .debit = "expense:halsoval:capitation", .credit = "payable:VC-A"};
  t.inputs.header.month = M(2024, 3);
  t.inputs.header.rulebook_id = "KoK-2024";
  t.inputs.header.rulebook_seq = domain::Seq(1);
  t.inputs.header.known_at_seq = domain::Seq(80);
  t.rulebook.id = "KoK-2024";
  t.rulebook.title = "<script>alert(1)</script>";
  t.rulebook.decision = "\"><img src=x onerror=alert(2)>";
  t.rulebook.capitation = {{0, domain::Money::FromOre(360000)}};
  t.amounts.band_counts = {static_cast<std::int64_t>(residents)};
  for (std::size_t i = 0; i < residents; ++i) t.residents.push_back({.pseudonym = {}, .age = 44, .band = 0, .listed_seq = domain::Seq(10 + i)});
  return t;
}

TEST_CASE("a trace shows a hostile rulebook title and decision as text, never as markup") {
  const std::string html = TraceHtml(HostileTrace(1), HtmlView{});
  CHECK(Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK(Contains(html, "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
  CHECK_FALSE(Contains(html, "<script"));
  CHECK_FALSE(Contains(html, "<img"));
}

TEST_CASE("a trace of 1,234 residents shows 500 a page: the third page holds rows 1,001-1,234") {
  // ceil(1234 / 500) = 3 pages; page 3 starts at index 2 × 500 = 1000 and ends at 1234.
  HtmlView view{.lang = Lang::kEn, .page = 2, .path = "/ui/entries/E-2024-03-000001/trace", .query = {}};
  const std::string html = TraceHtml(HostileTrace(1234), view);
  CHECK(Contains(html, "Rows 1,001–1,234 of 1,234"));
  CHECK(Contains(html, "Page 3 of 3"));
  CHECK(Contains(html, R"(href="/ui/entries/E-2024-03-000001/trace?page=2&amp;lang=en" rel="prev")"));
  CHECK_FALSE(Contains(html, R"(rel="next")"));
  CHECK_FALSE(Contains(html, ">seq 1009<"));  // row 1,000 (index 999, listed_seq 10 + 999) is on page 2
  CHECK(Contains(html, ">seq 1010<"));        // index 1000, the first row of page 3
  CHECK(Contains(html, ">seq 1243<"));        // index 1233, the last row
}

TEST_CASE("a page past the end shows the last page; a list of no rows says so") {
  const PageSlice past = SliceOf(1001, HtmlView{.page = 99});
  // 1001 rows: pages of 500, 500, 1; the last page (index 2) is the row at index 1000.
  CHECK(past.page == 2);
  CHECK(past.first == 1000);
  CHECK(past.last == 1001);
  const PageSlice none = SliceOf(0, HtmlView{});
  CHECK(none.pages == 1);
  CHECK(none.first == 0);
  CHECK(none.last == 0);
}

TEST_CASE("links percent-encode their values and keep English") {
  CHECK(UiHref("/ui/clinic", {{"clinic", "A&B C<"}}, Lang::kSv) == "/ui/clinic?clinic=A%26B%20C%3C");
  CHECK(UiHref("/ui/dispute", {{"known_at", "seq:7"}, {"vs", "2025-01-05T23:59:59Z"}}, Lang::kEn) ==
        "/ui/dispute?known_at=seq:7&vs=2025-01-05T23:59:59Z&lang=en");
  CHECK(UiHref("/ui/runs", {}, Lang::kEn) == "/ui/runs?lang=en");
  CHECK(TraceHref("E-1\"><x", Lang::kSv) == "/ui/entries/E-1%22%3E%3Cx/trace");
}

}  // namespace
}  // namespace capledger::present
