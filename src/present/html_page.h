// The frame every page shares: the document head (title, stylesheet, script), the site header
// with its navigation, the main content and the footer. No inline script or style, so a strict
// content security policy holds; links are whatever the caller gives (relative for the public
// site, so it reads the same from files or from a server).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "present/lang.h"

namespace capledger::present {

// A link in the site header; `current` marks the page being shown (aria-current="page").
struct NavLink {
  std::string href;
  std::string text;
  bool current = false;
};

// What the frame of one page shows.
struct PageFrame {
  Lang lang = Lang::kSv;
  std::string title;        // the document's title and the page's h1
  std::string site_name;    // the header's brand text
  std::string home_href;    // where the brand links
  std::string asset_prefix; // prepended to "style.css" and "sort.js" ("", "../", "/ui/static/")
  std::vector<NavLink> nav;
  std::string footer;       // one line of text
  std::string header_extra; // markup our code made for the header's right end (a sign-out form)
  std::string icon_href;    // the page's icon (present/html_assets.h IconSvg); empty: none named
};

// The whole HTML document: `main_markup` (made with HtmlOut) inside <main>, after the h1.
std::string HtmlPage(const PageFrame& frame, std::string_view main_markup);

}  // namespace capledger::present
