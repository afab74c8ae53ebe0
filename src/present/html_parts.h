// Small pieces every HTML page of ours uses: a text in the page's language, a component's
// label, a numeric table cell that sorts by its value, and a figure around a chart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/event.h"
#include "present/html_out.h"
#include "present/lang.h"

namespace capledger::present {

// `sv` in Swedish, `en` in English.
inline std::string_view L(Lang lang, std::string_view sv, std::string_view en) { return lang == Lang::kSv ? sv : en; }

// A component as a reader of `lang` names it ("Ålderskapitering", "Capitation").
std::string_view ComponentLabel(domain::Component c, Lang lang);

// <td class="num" data-value="sort_value">text</td>: right-aligned, sorted by its value.
void NumberCell(HtmlOut& out, std::int64_t sort_value, const std::string& text);

// <dt>term</dt><dd>value</dd>, a line of a <dl class="facts">.
void Fact(HtmlOut& out, std::string_view term, std::string_view value);

// An entry's kind as a reader of `lang` names it ("ordinarie", "adjustment").
std::string_view EntryKindLabel(domain::EntryKind kind, Lang lang);

// <figure class="chart"> around an SVG our own code drew.
void Figure(HtmlOut& out, const std::string& svg);

}  // namespace capledger::present
