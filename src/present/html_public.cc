#include "present/html_public.h"

#include <algorithm>

#include <fmt/format.h>

#include "codec/json_out.h"
#include "codec/seq_format.h"
#include "domain/event.h"
#include "present/format_lang.h"
#include "present/html_out.h"
#include "present/html_page.h"
#include "present/html_parts.h"
#include "present/svg_chart.h"

namespace capledger::present {
namespace {

using domain::Component;

std::string OperatorLabel(const std::optional<domain::Operator>& op, Lang lang) {
  if (!op) return "–";
  return std::string(*op == domain::Operator::kRegion ? L(lang, "Regiondriven", "Region") : L(lang, "Privat", "Private"));
}

std::string MunicipalityLabel(const std::optional<std::uint16_t>& code) {
  return code ? fmt::format("{:04}", *code) : std::string("–");
}

std::string CniLabel(const std::optional<std::int64_t>& cni, Lang lang) {
  if (!cni) return "–";
  std::string text;
  codec::AppendFixedPoint(text, *cni, 4);  // the open data's form; Swedish takes a decimal comma
  if (lang == Lang::kSv) std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

PageFrame PublicFrame(const ledger::OpenData& data, Lang lang, std::string title, std::string_view prefix) {
  PageFrame frame;
  frame.lang = lang;
  frame.title = std::move(title);
  frame.site_name = std::string(L(lang, "Hälsoval Örebro län", "Hälsoval Örebro County"));
  frame.home_href = std::string(prefix) + "index.html";
  frame.asset_prefix = std::string(prefix);
  frame.nav = {{std::string(prefix) + "index.html", std::string(L(lang, "Alla vårdcentraler", "All clinics")), false},
               {std::string(prefix) + "open-data/ersattning.csv", std::string(L(lang, "Öppna data (CSV)", "Open data (CSV)")), false},
               {std::string(prefix) + "open-data/README.txt", std::string(L(lang, "Om uppgifterna", "About the data")), false}};
  frame.footer = fmt::format("{} {} {} {}, {} seq {}.", L(lang, "Ersättning", "Compensation"), data.year,
                             L(lang, "till och med", "through"), FormatMonthIn(data.through, lang),
                             L(lang, "som känt vid", "as known at"), data.known_at_seq);
  return frame;
}

void IndexRow(HtmlOut& out, const ledger::OpenDataClinic& c, Lang lang) {
  out.Open("tr");
  out.Open("td").Open("a").Attr("href", PublicClinicPath(c.clinic)).Text(c.name.empty() ? c.clinic.view() : std::string_view(c.name)).Close();
  out.Open("span").Attr("class", "muted mono id").Text(c.clinic).Close().Close();
  out.Open("td").Text(MunicipalityLabel(c.municipality)).Close();
  out.Open("td").Text(OperatorLabel(c.op, lang)).Close();
  NumberCell(out, c.listed_last, FormatCountIn(c.listed_last, lang));
  if (c.per_listed) {
    NumberCell(out, c.per_listed->ore(), FormatKronorIn(*c.per_listed, lang));
  } else {
    out.Open("td").Attr("class", "num").Attr("data-value", "").Text("–").Close();
  }
  NumberCell(out, c.total.ore(), FormatKronorIn(c.total, lang));
  NumberCell(out, c.cni_ten_thousandths.value_or(0), CniLabel(c.cni_ten_thousandths, lang));
  out.Close();
}

}  // namespace

std::string PublicClinicPath(std::string_view clinic) { return "clinics/" + std::string(clinic) + ".html"; }

std::string PublicIndexHtml(const ledger::OpenData& data, Lang lang) {
  HtmlOut out;
  out.Open("p").Attr("class", "lead")
      .Text(fmt::format("{} {}–{}. {}", L(lang, "Ersättning och listade invånare per vårdcentral,", "Compensation and listed residents per clinic,"),
                        FormatMonthIn(data.reported_months.front(), lang), FormatMonthIn(data.through, lang),
                        L(lang, "Tryck på en kolumnrubrik för att sortera.", "Press a column heading to sort.")))
      .Close();
  out.Open("div").Attr("class", "table-wrap").Open("table").Attr("class", "sortable").Attr("id", "clinics");
  out.Open("caption").Text(L(lang, "Vårdcentraler", "Clinics")).Close();
  out.Open("thead").Open("tr");
  for (auto [text, numeric] : {std::pair{L(lang, "Vårdcentral", "Clinic"), false}, {L(lang, "Kommun", "Municipality"), false},
                               {L(lang, "Driftsform", "Operator"), false},
                               {L(lang, "Listade (senaste månaden)", "Listed (last month)"), true},
                               {L(lang, "Ersättning per listad", "Paid per listed resident"), true},
                               {L(lang, "Ersättning totalt", "Paid in total"), true}, {L(lang, "CNI", "CNI"), true}}) {
    out.Open("th").Attr("scope", "col");
    if (numeric) out.Attr("class", "num");
    out.Text(text).Close();
  }
  out.Close().Close();
  out.Open("tbody");
  for (const auto& c : data.clinics) IndexRow(out, c, lang);
  out.Close().Close().Close();
  return HtmlPage(PublicFrame(data, lang, fmt::format("{} {}", L(lang, "Vårdcentralernas resultat", "The clinics' results"), data.year), ""),
                  std::move(out).Finish());
}

namespace {

std::vector<const ledger::OpenDataRow*> RowsOf(const ledger::OpenData& data, const domain::ClinicId& clinic) {
  std::vector<const ledger::OpenDataRow*> rows;
  for (const auto& row : data.rows) {
    if (row.clinic == clinic) rows.push_back(&row);
  }
  return rows;
}

void Facts(HtmlOut& out, const ledger::OpenDataClinic& c, Lang lang) {
  out.Open("dl").Attr("class", "facts");
  Fact(out, L(lang, "Id", "Id"), c.clinic);
  Fact(out, L(lang, "Kommun", "Municipality"), MunicipalityLabel(c.municipality));
  Fact(out, L(lang, "Driftsform", "Operator"), OperatorLabel(c.op, lang));
  Fact(out, L(lang, "Listade invånare (senaste månaden)", "Listed residents (last month)"), FormatCountIn(c.listed_last, lang));
  Fact(out, L(lang, "Ersättning per listad invånare", "Paid per listed resident"),
       c.per_listed ? FormatKronorIn(*c.per_listed, lang) : std::string("–"));
  Fact(out, L(lang, "Ersättning totalt", "Paid in total"), FormatKronorIn(c.total, lang));
  Fact(out, L(lang, "CNI (senaste månaden)", "CNI (last month)"), CniLabel(c.cni_ten_thousandths, lang));
  out.Close();
}

Result<std::string> ListedChart(const std::vector<const ledger::OpenDataRow*>& rows, Lang lang) {
  MonthlyChart chart;
  chart.frame = ChartFrame{"listed", std::string(L(lang, "Listade invånare per månad", "Listed residents per month")), lang,
                           ValueKind::kCount};
  ChartSeries series{std::string(L(lang, "Listade", "Listed")), {}};
  for (const auto* row : rows) {
    chart.months.push_back(row->month);
    series.values.push_back(row->listed);
  }
  chart.series.push_back(std::move(series));
  return LineChartSvg(chart);
}

Result<std::string> ComponentChart(const std::vector<const ledger::OpenDataRow*>& rows, Lang lang) {
  MonthlyChart chart;
  chart.frame = ChartFrame{"components", std::string(L(lang, "Ersättning per del och månad", "Compensation per component and month")),
                           lang, ValueKind::kMoney};
  for (const auto* row : rows) chart.months.push_back(row->month);
  for (const Component c : domain::kComponents) {
    ChartSeries series{std::string(ComponentLabel(c, lang)), {}};
    bool any = false;
    for (const auto* row : rows) {
      const std::int64_t ore = row->amounts[static_cast<std::size_t>(c)].ore();
      series.values.push_back(ore);
      any = any || ore != 0;
    }
    if (any) chart.series.push_back(std::move(series));
  }
  return StackedBarsSvg(chart);
}

void AgeProfile(HtmlOut& out, const ledger::OpenData& data, const ledger::OpenDataRow& last, Lang lang) {
  out.Open("h2").Text(L(lang, "Åldersprofil", "Age profile")).Text(" ").Text(FormatMonthIn(last.month, lang)).Close();
  out.Open("table").Open("thead").Open("tr");
  out.Open("th").Attr("scope", "col").Text(L(lang, "Ålder", "Age")).Close();
  out.Open("th").Attr("scope", "col").Attr("class", "num").Text(L(lang, "Listade", "Listed")).Close();
  out.Close().Close().Open("tbody");
  for (std::size_t b = 0; b < data.band_min_ages.size(); ++b) {
    const auto& count = last.band_counts[b];
    if (!count) continue;
    const int from = data.band_min_ages[b];
    const std::string ages = b + 1 < data.band_min_ages.size() ? fmt::format("{}–{}", from, data.band_min_ages[b + 1] - 1)
                                                              : fmt::format("{}–", from);
    out.Open("tr").Open("td").Text(ages).Close();
    out.Open("td").Attr("class", "num").Text(count->suppressed ? std::string("<5") : FormatCountIn(count->value, lang)).Close();
    out.Close();
  }
  out.Close().Close();
  out.Open("p").Attr("class", "muted")
      .Text(L(lang, "1–4 listade redovisas som <5 för att ingen enskild ska kunna pekas ut.",
              "1–4 listed residents are shown as <5 so that no individual can be singled out."))
      .Close();
}

// The components paid to the clinic in any month of `rows`: the others are zero throughout.
std::vector<Component> PaidComponents(const std::vector<const ledger::OpenDataRow*>& rows) {
  std::vector<Component> paid;
  for (const Component c : domain::kComponents) {
    const bool any = std::any_of(rows.begin(), rows.end(),
                                 [c](const auto* row) { return row->amounts[static_cast<std::size_t>(c)].ore() != 0; });
    if (any) paid.push_back(c);
  }
  return paid;
}

void ComponentTable(HtmlOut& out, const std::vector<const ledger::OpenDataRow*>& rows, Lang lang) {
  const std::vector<Component> paid = PaidComponents(rows);
  out.Open("div").Attr("class", "table-wrap").Open("table").Attr("class", "sortable").Open("thead").Open("tr");
  out.Open("th").Attr("scope", "col").Text(MsgText(Msg::kMonth, lang)).Close();
  out.Open("th").Attr("scope", "col").Attr("class", "num").Text(L(lang, "Listade", "Listed")).Close();
  for (const Component c : paid) {
    out.Open("th").Attr("scope", "col").Attr("class", "num").Text(ComponentLabel(c, lang)).Close();
  }
  out.Open("th").Attr("scope", "col").Attr("class", "num").Text(MsgText(Msg::kTotal, lang)).Close();
  out.Close().Close().Open("tbody");
  for (const auto* row : rows) {
    out.Open("tr").Open("td").Text(FormatMonthIn(row->month, lang)).Close();
    NumberCell(out, row->listed, FormatCountIn(row->listed, lang));
    for (const Component c : paid) {
      const domain::Money amount = row->amounts[static_cast<std::size_t>(c)];
      NumberCell(out, amount.ore(), FormatKronorIn(amount, lang));
    }
    NumberCell(out, row->total.ore(), FormatKronorIn(row->total, lang));
    out.Close();
  }
  out.Close().Close().Close();
  out.Open("p").Attr("class", "muted")
      .Text(L(lang, "Delar som inte betalats ut någon månad visas inte; alla delar finns i öppna data.",
              "Components not paid in any month are left out; the open data have every component."))
      .Close();
}

void Missions(HtmlOut& out, const ledger::OpenDataClinic& c, Lang lang) {
  out.Open("h2").Text(L(lang, "Tilläggsuppdrag", "Optional missions")).Close();
  if (c.missions.empty()) {
    out.Open("p").Text(L(lang, "Inga tilläggsuppdrag den senaste månaden.", "No optional missions in the last month.")).Close();
    return;
  }
  out.Open("ul");
  for (const auto& m : c.missions) {
    out.Open("li").Text(m.title.empty() ? m.id : m.title).Open("span").Attr("class", "muted mono").Text(" ").Text(m.id).Close().Close();
  }
  out.Close();
}

}  // namespace

Result<std::string> PublicClinicHtml(const ledger::OpenData& data, const domain::ClinicId& clinic, Lang lang) {
  const auto it = std::find_if(data.clinics.begin(), data.clinics.end(), [&](const auto& c) { return c.clinic == clinic; });
  if (it == data.clinics.end()) return Fail(ErrorCode::kNotFound, fmt::format("no clinic {} in the open data", clinic.view()));
  const auto rows = RowsOf(data, clinic);
  auto listed = ListedChart(rows, lang);
  if (!listed) return tl::unexpected(listed.error());
  auto components = ComponentChart(rows, lang);
  if (!components) return tl::unexpected(components.error());
  HtmlOut out;
  Facts(out, *it, lang);
  out.Open("h2").Text(L(lang, "Listade invånare", "Listed residents")).Close();
  Figure(out, *listed);
  if (!rows.empty()) AgeProfile(out, data, *rows.back(), lang);
  out.Open("h2").Text(L(lang, "Ersättning", "Compensation")).Close();
  Figure(out, *components);
  ComponentTable(out, rows, lang);
  Missions(out, *it, lang);
  return HtmlPage(PublicFrame(data, lang, it->name.empty() ? it->clinic.str() : it->name, "../"), std::move(out).Finish());
}

}  // namespace capledger::present
