#include "present/html_page.h"

#include "present/html_out.h"

namespace capledger::present {
namespace {

void WriteHead(HtmlOut& out, const PageFrame& frame) {
  out.Open("head");
  out.Empty("meta").Attr("charset", "utf-8");
  out.Empty("meta").Attr("name", "viewport").Attr("content", "width=device-width, initial-scale=1");
  out.Open("title").Text(frame.title).Text(" – ").Text(frame.site_name).Close();
  if (!frame.icon_href.empty()) out.Empty("link").Attr("rel", "icon").Attr("type", "image/svg+xml").Attr("href", frame.icon_href);
  out.Empty("link").Attr("rel", "stylesheet").Attr("href", frame.asset_prefix + "style.css");
  out.Open("script").Attr("src", frame.asset_prefix + "sort.js").Attr("defer", "defer").Close();
  out.Close();
}

void WriteHeader(HtmlOut& out, const PageFrame& frame) {
  out.Open("header").Attr("class", "site");
  out.Open("a").Attr("class", "brand").Attr("href", frame.home_href).Text(frame.site_name).Close();
  out.Open("nav").Attr("aria-label", frame.lang == Lang::kSv ? "Huvudmeny" : "Main menu");
  for (const auto& link : frame.nav) {
    out.Open("a").Attr("href", link.href);
    if (link.current) out.Attr("aria-current", "page");
    out.Text(link.text).Close();
  }
  out.Close();
  if (!frame.header_extra.empty()) out.Open("div").Attr("class", "who").Raw(frame.header_extra).Close();
  out.Close();
}

}  // namespace

std::string HtmlPage(const PageFrame& frame, std::string_view main_markup) {
  HtmlOut out;
  out.Raw("<!DOCTYPE html>\n");
  out.Open("html").Attr("lang", frame.lang == Lang::kSv ? "sv" : "en");
  WriteHead(out, frame);
  out.Open("body");
  WriteHeader(out, frame);
  out.Open("main").Attr("id", "main");
  out.Open("h1").Text(frame.title).Close();
  out.Raw(main_markup);
  out.Close();
  out.Open("footer").Text(frame.footer).Close();
  out.Close();
  out.Close();
  std::string html = std::move(out).Finish();
  html += '\n';
  return html;
}

}  // namespace capledger::present
