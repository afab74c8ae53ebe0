#include "present/html_links.h"

#include <algorithm>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "present/format_lang.h"
#include "present/html_parts.h"

namespace capledger::present {
namespace {

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~' || c == ':';
}

void AppendEncoded(std::string& out, std::string_view text) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (Unreserved(c)) {
      out += ch;
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
}

}  // namespace

std::string UiHref(std::string_view path, const std::vector<std::pair<std::string, std::string>>& query, Lang lang) {
  std::string href(path);
  char separator = '?';
  for (const auto& [key, value] : query) {
    href += separator;
    AppendEncoded(href, key);
    href += '=';
    AppendEncoded(href, value);
    separator = '&';
  }
  if (lang == Lang::kEn) href += fmt::format("{}lang=en", separator);
  return href;
}

std::string TraceHref(std::string_view entry_id, Lang lang) {
  std::string path = "/ui/entries/";
  AppendEncoded(path, entry_id);
  return UiHref(path + "/trace", {}, lang);
}

std::string EventHref(domain::Seq seq, Lang lang) { return UiHref(fmt::format("/ui/events/{}", seq), {}, lang); }

std::string StatementHref(domain::Month run, std::string_view clinic, Lang lang) {
  std::vector<std::pair<std::string, std::string>> query{{"run", domain::FormatMonth(run)}};
  if (!clinic.empty()) query.emplace_back("clinic", std::string(clinic));
  return UiHref("/ui/statement", query, lang);
}

std::string ClinicHref(std::string_view clinic, Lang lang) { return UiHref("/ui/clinic", {{"clinic", std::string(clinic)}}, lang); }

void Link(HtmlOut& out, const std::string& href, std::string_view text) { out.Open("a").Attr("href", href).Text(text).Close(); }

void SeqLink(HtmlOut& out, domain::Seq seq, Lang lang) { Link(out, EventHref(seq, lang), fmt::format("seq {}", seq)); }

void KnownAtFact(HtmlOut& out, domain::Seq seq, Lang lang) {
  out.Open("dt").Text(L(lang, "Känt vid", "Known at")).Close().Open("dd");
  SeqLink(out, seq, lang);
  out.Close();
}

void TracedAmountCell(HtmlOut& out, domain::Money amount, std::string_view entry_id, Lang lang) {
  out.Open("td").Attr("class", "num").Attr("data-value", std::to_string(amount.ore()));
  Link(out, TraceHref(entry_id, lang), FormatKronorIn(amount, lang));
  out.Close();
}

void OpenTable(HtmlOut& out, std::initializer_list<Column> columns, bool sortable) {
  out.Open("div").Attr("class", "table-wrap").Open("table");
  if (sortable) out.Attr("class", "sortable");
  out.Open("thead").Open("tr");
  for (const auto& column : columns) {
    out.Open("th").Attr("scope", "col");
    if (column.numeric) out.Attr("class", "num");
    out.Text(column.text).Close();
  }
  out.Close().Close().Open("tbody");
}

void CloseTable(HtmlOut& out) { out.Close().Close().Close(); }

PageSlice SliceOf(std::size_t rows, const HtmlView& view) {
  PageSlice slice;
  slice.pages = std::max<std::size_t>(1, (rows + kHtmlRowsPerPage - 1) / kHtmlRowsPerPage);
  slice.page = std::min(view.page, slice.pages - 1);
  slice.first = slice.page * kHtmlRowsPerPage;
  slice.last = std::min(rows, slice.first + kHtmlRowsPerPage);
  return slice;
}

void Pager(HtmlOut& out, const PageSlice& slice, std::size_t rows, const HtmlView& view) {
  const Lang lang = view.lang;
  out.Open("p").Attr("class", "muted");
  if (rows == 0) {
    out.Text(L(lang, "Inga rader.", "No rows.")).Close();
    return;
  }
  out.Text(fmt::format("{} {}–{} {} {}", L(lang, "Rad", "Rows"), FormatCountIn(static_cast<std::int64_t>(slice.first + 1), lang),
                       FormatCountIn(static_cast<std::int64_t>(slice.last), lang), L(lang, "av", "of"),
                       FormatCountIn(static_cast<std::int64_t>(rows), lang)))
      .Close();
  if (slice.pages == 1) return;
  auto page_href = [&](std::size_t page) {
    auto query = view.query;
    query.emplace_back("page", std::to_string(page + 1));
    return UiHref(view.path, query, lang);
  };
  out.Open("nav").Attr("class", "pages").Attr("aria-label", L(lang, "Sidor", "Pages"));
  if (slice.page > 0) {
    Link(out, page_href(0), L(lang, "Första", "First"));
    out.Open("a").Attr("href", page_href(slice.page - 1)).Attr("rel", "prev").Text(L(lang, "Föregående", "Previous")).Close();
  }
  out.Open("span").Text(fmt::format("{} {} {} {}", L(lang, "Sida", "Page"), slice.page + 1, L(lang, "av", "of"), slice.pages)).Close();
  if (slice.page + 1 < slice.pages) {
    out.Open("a").Attr("href", page_href(slice.page + 1)).Attr("rel", "next").Text(L(lang, "Nästa", "Next")).Close();
    Link(out, page_href(slice.pages - 1), L(lang, "Sista", "Last"));
  }
  out.Close();
}

}  // namespace capledger::present
