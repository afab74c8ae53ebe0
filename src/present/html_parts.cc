#include "present/html_parts.h"

namespace capledger::present {

std::string_view ComponentLabel(domain::Component c, Lang lang) {
  using domain::Component;
  switch (c) {
    case Component::kCapitation: return L(lang, "Ålderskapitering", "Capitation");
    case Component::kPerformance: return L(lang, "Målrelaterad ersättning", "Performance");
    case Component::kVisits: return L(lang, "Besöksersättning", "Visits");
    case Component::kStartGrant: return L(lang, "Startbidrag", "Start-up grant");
    case Component::kCniSupplement: return L(lang, "CNI-tillägg", "CNI supplement");
    case Component::kDistanceSupplement: return L(lang, "Avståndstillägg", "Distance supplement");
    case Component::kMissions: return L(lang, "Tilläggsuppdrag", "Optional missions");
  }
  return "";
}

void NumberCell(HtmlOut& out, std::int64_t sort_value, const std::string& text) {
  out.Open("td").Attr("class", "num").Attr("data-value", std::to_string(sort_value)).Text(text).Close();
}

void Fact(HtmlOut& out, std::string_view term, std::string_view value) {
  out.Open("dt").Text(term).Close().Open("dd").Text(value).Close();
}

std::string_view EntryKindLabel(domain::EntryKind kind, Lang lang) {
  return kind == domain::EntryKind::kRegular ? L(lang, "ordinarie", "regular") : L(lang, "justering", "adjustment");
}

void Figure(HtmlOut& out, const std::string& svg) { out.Open("figure").Attr("class", "chart").Raw(svg).Close(); }

}  // namespace capledger::present
