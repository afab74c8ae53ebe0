// The auditor's pages that derive one amount: an entry's trace, a dispute between two knowledge
// points, and the period report against the budget frame (present/html_ledger.h).
#include <map>

#include <fmt/format.h>

#include "codec/rulebook_codec.h"
#include "codec/seq_format.h"
#include "present/format_lang.h"
#include "present/html_ledger.h"
#include "present/html_links.h"
#include "present/html_parts.h"
#include "present/svg_chart.h"

namespace capledger::present {
namespace {

using domain::Component;
using domain::Money;

std::int64_t SumOf(const ledger::ComponentAmounts& parts) {
  std::int64_t sum = 0;
  for (const Money m : parts) sum += m.ore();  // seven parts of one clinic-month: inside 64 bits
  return sum;
}

std::string_view CauseLabel(ledger::CauseKind kind, Lang lang) {
  using ledger::CauseKind;
  switch (kind) {
    case CauseKind::kResidentGained: return L(lang, "Invånare som tillkommit", "Residents gained");
    case CauseKind::kResidentLost: return L(lang, "Invånare som fallit bort", "Residents lost");
    case CauseKind::kRulebook: return L(lang, "Regelbok", "Rulebook");
    case CauseKind::kCniDelivery: return L(lang, "CNI-leverans", "CNI delivery");
    case CauseKind::kCniRanking: return L(lang, "CNI-rangordning", "CNI ranking");
    case CauseKind::kPerformanceReport: return L(lang, "Måluppfyllelse", "Performance report");
    case CauseKind::kVisitsReport: return L(lang, "Besöksrapport", "Visits report");
    case CauseKind::kClinicChange: return L(lang, "Vårdcentralens uppgifter", "The clinic's details");
    case CauseKind::kMission: return L(lang, "Tilläggsuppdrag", "Optional mission");
    case CauseKind::kOtherClinics: return L(lang, "Andra vårdcentraler", "Other clinics");
  }
  return "";
}

void TraceFacts(HtmlOut& out, const ledger::EntryTrace& t, Lang lang) {
  const auto& e = t.entry.entry;
  const auto& h = t.inputs.header;
  out.Open("dl").Attr("class", "facts");
  Fact(out, L(lang, "Post", "Entry"), e.entry_id);
  out.Open("dt").Text(L(lang, "Bokförd", "Booked")).Close().Open("dd");
  SeqLink(out, t.entry.seq, lang);
  out.Text(", ").Text(L(lang, "körningen för", "the run for")).Text(" ");
  Link(out, StatementHref(e.run, e.clinic, lang), FormatMonthIn(e.run, lang));
  out.Close();
  out.Open("dt").Text(L(lang, "Vårdcentral", "Clinic")).Close().Open("dd");
  Link(out, ClinicHref(e.clinic, lang), e.clinic);
  out.Close();
  Fact(out, L(lang, "Avser", "Month"), FormatMonthIn(e.period, lang));
  Fact(out, L(lang, "Del", "Component"), ComponentLabel(e.component, lang));
  Fact(out, L(lang, "Slag", "Kind"), EntryKindLabel(e.kind, lang));
  out.Open("dt").Text(L(lang, "Bokfört belopp", "Booked amount")).Close().Open("dd").Attr("id", "booked").Text(FormatKronorIn(e.amount, lang)).Close();
  out.Open("dt").Text(L(lang, "Känt vid (K)", "Known at (K)")).Close().Open("dd");
  SeqLink(out, h.known_at_seq, lang);
  out.Close();
  out.Open("dt").Text(L(lang, "Regelbok", "Rulebook")).Close().Open("dd").Text(h.rulebook_id).Text(" (").Text(t.rulebook.title).Text("), ");
  Link(out, EventHref(h.rulebook_seq, lang), fmt::format("{} seq {}", L(lang, "publicerad", "published at"), h.rulebook_seq));
  out.Text(". ").Text(L(lang, "Beslut:", "Decision:")).Text(" ").Text(t.rulebook.decision).Text("; ").Text(domain::DescribeProvenance(t.rulebook)).Close();
  Fact(out, L(lang, "Mätdag", "Snapshot date"),
       fmt::format("{} ({})", FormatDateIn(h.snapshot, lang), domain::SnapshotRuleName(t.rulebook.snapshot)));
  Fact(out, L(lang, "Öppen på mätdagen", "Open on the snapshot date"),
       t.inputs.facts.open_on_snapshot ? L(lang, "ja", "yes") : L(lang, "nej", "no"));
  out.Open("dt").Text(L(lang, "Listade (N)", "Listed (N)")).Close().Open("dd").Attr("id", "listed").Text(FormatCountIn(t.amounts.listed, lang)).Close();
  out.Close();
}

void Verdict(HtmlOut& out, const ledger::EntryTrace& t, Lang lang) {
  const auto& e = t.entry.entry;
  out.Open("p").Attr("class", "arithmetic");
  out.Text(fmt::format("{}: {} {} − {} {} = {}; {} {}. ", ComponentLabel(e.component, lang), L(lang, "omräknat", "recomputed"),
                       FormatKronorIn(t.recomputed, lang), L(lang, "bokfört tidigare", "booked before"),
                       FormatKronorIn(t.booked_before, lang), FormatKronorIn(t.expected, lang), L(lang, "bokfört", "booked"),
                       FormatKronorIn(e.amount, lang)));
  out.Open("span").Attr("id", "verdict").Attr("class", t.reproduces ? "verdict ok" : "verdict bad")
      .Text(t.reproduces ? "REPRODUCES" : "DOES NOT REPRODUCE").Close();
  out.Close();
  if (t.outside_window) {
    out.Open("p").Text(fmt::format(
        "{} ({} {}; {} {}).", L(lang, "Bokförd utanför rättelsefönstret: en sen rapport betalas, den går inte förlorad",
                               "Booked outside the retro window: a late report is paid, not lost"),
        t.outside_window->window_months, L(lang, "månader", "months"), L(lang, "körningen rättar från", "the run corrects from"),
        FormatMonthIn(t.outside_window->window_start, lang))).Close();
  }
}

void Bands(HtmlOut& out, const ledger::EntryTrace& t, Lang lang) {
  out.Open("h2").Text(L(lang, "Åldersband", "Capitation bands")).Close();
  out.Open("div").Attr("class", "table-wrap").Open("table").Attr("id", "bands").Open("thead").Open("tr");
  out.Open("th").Attr("scope", "col").Text(L(lang, "Från ålder", "From age")).Close();
  out.Open("th").Attr("scope", "col").Attr("class", "num").Text(L(lang, "Belopp per år", "Amount per year")).Close();
  out.Open("th").Attr("scope", "col").Attr("class", "num").Text(L(lang, "Invånare", "Residents")).Close();
  out.Close().Close().Open("tbody");
  for (std::size_t b = 0; b < t.rulebook.capitation.size(); ++b) {
    const auto& band = t.rulebook.capitation[b];
    const std::int64_t count = b < t.amounts.band_counts.size() ? t.amounts.band_counts[b] : 0;
    out.Open("tr").Open("td").Text(fmt::format("{}+", band.min_age)).Close();
    NumberCell(out, band.amount_per_year.ore(), FormatKronorIn(band.amount_per_year, lang));
    NumberCell(out, count, FormatCountIn(count, lang));
    out.Close();
  }
  out.Close().Close().Close();
}

void Amounts(HtmlOut& out, const domain::ClinicMonthAmounts& amounts, Lang lang) {
  out.Open("h2").Text(L(lang, "Vårdcentralens månad", "The clinic-month")).Close();
  OpenTable(out, {{L(lang, "Del", "Component")}, {MsgText(Msg::kAmount, lang), true}});
  for (const Component c : domain::kComponents) {
    const Money amount = amounts.amounts[static_cast<std::size_t>(c)];
    out.Open("tr").Attr("data-component", domain::Name(c)).Open("td").Text(ComponentLabel(c, lang)).Close();
    NumberCell(out, amount.ore(), FormatKronorIn(amount, lang));
    out.Close();
  }
  out.Open("tr").Attr("class", "total").Open("td").Text(MsgText(Msg::kTotal, lang)).Close();
  NumberCell(out, amounts.total.ore(), FormatKronorIn(amounts.total, lang));
  out.Close();
  CloseTable(out);
}

void Missions(HtmlOut& out, const std::vector<domain::MissionPart>& missions, Lang lang) {
  if (missions.empty()) return;
  out.Open("h2").Text(L(lang, "Tilläggsuppdrag", "Optional missions")).Close();
  OpenTable(out, {{L(lang, "Uppdrag", "Mission")}, {L(lang, "Grund", "Basis")}, {L(lang, "Antal", "Count"), true},
                  {L(lang, "Belopp", "Amount"), true}, {L(lang, "Åtagande", "Undertaken")}});
  for (const auto& m : missions) {
    out.Open("tr").Open("td").Text(m.mission).Close().Open("td").Text(domain::Name(m.basis)).Close();
    NumberCell(out, m.count, FormatCountIn(m.count, lang));
    NumberCell(out, m.amount.ore(), FormatKronorIn(m.amount, lang));
    out.Open("td");
    SeqLink(out, m.seq, lang);
    out.Close().Close();
  }
  CloseTable(out);
}

// Every cause of a difference, page by page when `paged` (a dispute), else whole (a trace's
// change, which its own pages never cut).
void CausesTable(HtmlOut& out, const std::vector<ledger::Cause>& causes, const HtmlView& view, bool paged) {
  const Lang lang = view.lang;
  const PageSlice slice = paged ? SliceOf(causes.size(), view) : PageSlice{0, causes.size(), 0, 1};
  if (paged) Pager(out, slice, causes.size(), view);
  OpenTable(out, {{L(lang, "Händelse", "Event")}, {L(lang, "Orsak", "Cause")}, {L(lang, "Typ", "Type")},
                  {L(lang, "Invånare", "Resident")}, {L(lang, "Förklaring", "Detail")}, {L(lang, "Del av skillnaden", "Part of the difference"), true}});
  for (std::size_t i = slice.first; i < slice.last; ++i) {
    const auto& c = causes[i];
    out.Open("tr").Attr("data-kind", ledger::Name(c.kind)).Open("td");
    SeqLink(out, c.seq, lang);
    out.Close().Open("td").Text(CauseLabel(c.kind, lang)).Close().Open("td").Text(c.event_type).Close();
    out.Open("td").Attr("class", "mono").Text(c.resident ? c.resident->ToHex().substr(0, 16) : "").Close();
    out.Open("td").Text(c.detail).Close();
    const std::int64_t part = SumOf(c.parts);
    NumberCell(out, part, FormatKronorIn(Money::FromOre(part), lang));
    out.Close();
  }
  CloseTable(out);
  if (paged) Pager(out, slice, causes.size(), view);
}

void Residents(HtmlOut& out, const ledger::EntryTrace& t, const HtmlView& view) {
  const Lang lang = view.lang;
  out.Open("h2").Attr("id", "residents").Text(L(lang, "Räknade invånare", "Counted residents")).Close();
  const PageSlice slice = SliceOf(t.residents.size(), view);
  Pager(out, slice, t.residents.size(), view);
  OpenTable(out, {{L(lang, "Pseudonym", "Pseudonym")}, {L(lang, "Ålder", "Age"), true}, {L(lang, "Band", "Band"), true},
                  {L(lang, "Listad genom", "Listed by")}});
  for (std::size_t i = slice.first; i < slice.last; ++i) {
    const auto& r = t.residents[i];
    out.Open("tr").Open("td").Attr("class", "mono");
    Link(out, UiHref("/ui/explain", {{"resident", r.pseudonym.ToHex()}, {"month", domain::FormatMonth(t.entry.entry.period)},
                                     {"known_at", fmt::format("seq:{}", t.inputs.header.known_at_seq)}}, lang),
         r.pseudonym.ToHex());
    out.Close();
    NumberCell(out, r.age, std::to_string(r.age));
    NumberCell(out, r.band, std::to_string(r.band));
    out.Open("td");
    SeqLink(out, r.listed_seq, lang);
    out.Close().Close();
  }
  CloseTable(out);
  Pager(out, slice, t.residents.size(), view);
}

}  // namespace

std::string TraceHtml(const ledger::EntryTrace& t, const HtmlView& view) {
  const Lang lang = view.lang;
  HtmlOut out;
  TraceFacts(out, t, lang);
  Verdict(out, t, lang);
  Bands(out, t, lang);
  Missions(out, t.missions, lang);
  Amounts(out, t.amounts, lang);
  if (t.change) {
    out.Open("h2").Text(fmt::format("{} seq {} {} seq {}", L(lang, "Vad som ändrats mellan", "What changed between"),
                                    t.change->before.known_at_seq, L(lang, "och", "and"), t.change->after.known_at_seq)).Close();
    CausesTable(out, t.change->causes, view, false);
  }
  out.Open("details").Open("summary").Text(L(lang, "Regelbokens parametrar, som loggen lagrar dem", "The rulebook's parameters, as the log stores them")).Close();
  out.Open("pre").Attr("class", "mono").Text(codec::RulebookToJson(t.rulebook)).Close().Close();
  Residents(out, t, view);
  return std::move(out).Finish();
}

namespace {

// The causes' total per kind, in the order of CauseKind; kinds with no cause are left out.
std::vector<WaterfallStep> StepsByKind(const std::vector<ledger::Cause>& causes, Lang lang) {
  std::map<int, std::pair<std::int64_t, std::size_t>> kinds;  // kind -> (sum, causes)
  for (const auto& c : causes) {
    auto& [sum, count] = kinds[static_cast<int>(c.kind)];
    sum += SumOf(c.parts);
    ++count;
  }
  std::vector<WaterfallStep> steps;
  for (const auto& [kind, totals] : kinds) {
    steps.push_back({fmt::format("{} ({})", CauseLabel(static_cast<ledger::CauseKind>(kind), lang),
                                 FormatCountIn(static_cast<std::int64_t>(totals.second), lang)),
                     Money::FromOre(totals.first)});
  }
  return steps;
}

void SideTable(HtmlOut& out, const ledger::DisputeReport& d, Lang lang) {
  OpenTable(out, {{L(lang, "Del", "Component")}, {fmt::format("seq {}", d.before.known_at_seq), true},
                  {fmt::format("seq {}", d.after.known_at_seq), true}, {L(lang, "Skillnad", "Difference"), true}});
  for (const Component c : domain::kComponents) {
    const auto i = static_cast<std::size_t>(c);
    out.Open("tr").Attr("data-component", domain::Name(c)).Open("td").Text(ComponentLabel(c, lang)).Close();
    NumberCell(out, d.before.amounts.amounts[i].ore(), FormatKronorIn(d.before.amounts.amounts[i], lang));
    NumberCell(out, d.after.amounts.amounts[i].ore(), FormatKronorIn(d.after.amounts.amounts[i], lang));
    NumberCell(out, d.difference[i].ore(), FormatKronorIn(d.difference[i], lang));
    out.Close();
  }
  const std::int64_t difference = d.after.amounts.total.ore() - d.before.amounts.total.ore();
  out.Open("tr").Attr("class", "total").Open("td").Text(MsgText(Msg::kTotal, lang)).Close();
  NumberCell(out, d.before.amounts.total.ore(), FormatKronorIn(d.before.amounts.total, lang));
  NumberCell(out, d.after.amounts.total.ore(), FormatKronorIn(d.after.amounts.total, lang));
  NumberCell(out, difference, FormatKronorIn(Money::FromOre(difference), lang));
  out.Close();
  CloseTable(out);
}

}  // namespace

Result<std::string> DisputeHtml(const ledger::DisputeReport& d, const ledger::KnownAt& before, const ledger::KnownAt& after,
                                const HtmlView& view) {
  const Lang lang = view.lang;
  const WaterfallChart chart{
      .frame = ChartFrame{"dispute", fmt::format("{} {}: {}", d.clinic, FormatMonthIn(d.month, lang),
                                                 L(lang, "från första till andra kunskapsläget", "from the first knowledge point to the second")),
                          lang, ValueKind::kMoney},
      .start_label = fmt::format("seq {}", before.seq),
      .start = d.before.amounts.total,
      .steps = StepsByKind(d.causes, lang),
      .end_label = fmt::format("seq {}", after.seq),
      .end = d.after.amounts.total,
  };
  auto svg = WaterfallSvg(chart);
  if (!svg) return tl::unexpected(svg.error());
  HtmlOut out;
  out.Open("dl").Attr("class", "facts");
  out.Open("dt").Text(L(lang, "Vårdcentral", "Clinic")).Close().Open("dd");
  Link(out, ClinicHref(d.clinic, lang), d.clinic);
  out.Close();
  Fact(out, MsgText(Msg::kMonth, lang), FormatMonthIn(d.month, lang));
  for (const auto* side : {&d.before, &d.after}) {
    const ledger::KnownAt& k = side == &d.before ? before : after;
    out.Open("dt").Text(side == &d.before ? L(lang, "Första kunskapsläget", "First knowledge point")
                                          : L(lang, "Andra kunskapsläget", "Second knowledge point")).Close().Open("dd");
    SeqLink(out, k.seq, lang);
    out.Text(fmt::format(" ({}), ", domain::FormatTimestamp(k.recorded_at)));
    out.Text(side->computable ? fmt::format("{} {}, {} {}", L(lang, "regelbok", "rulebook"), side->rulebook_id,
                                            L(lang, "mätdag", "snapshot"), FormatDateIn(side->snapshot, lang))
                              : std::string(L(lang, "ingen regelbok gällde", "no rulebook in force")));
    out.Close();
  }
  out.Close();
  SideTable(out, d, lang);
  Figure(out, *svg);
  out.Open("h2").Attr("id", "causes").Text(fmt::format("{} ({})", L(lang, "Orsaker", "Causes"),
                                                       FormatCountIn(static_cast<std::int64_t>(d.causes.size()), lang))).Close();
  CausesTable(out, d.causes, view, true);
  return std::move(out).Finish();
}

Result<std::string> PeriodHtml(const ledger::PeriodReport& r, const ledger::KnownAt& known_at, const HtmlView& view) {
  const Lang lang = view.lang;
  MonthlyChart chart;
  chart.frame = ChartFrame{"period", fmt::format("{} {}: {}", L(lang, "År", "Year"), r.year,
                                                 L(lang, "utfall och prognos per del", "outcome and forecast per component")),
                           lang, ValueKind::kMoney};
  for (const auto& m : r.months) chart.months.push_back(m.month);
  for (const Component c : domain::kComponents) {
    ChartSeries series{std::string(ComponentLabel(c, lang)), {}};
    bool any = false;
    for (const auto& m : r.months) {
      series.values.push_back(m.amounts[static_cast<std::size_t>(c)].ore());
      any = any || m.amounts[static_cast<std::size_t>(c)].ore() != 0;
    }
    if (any) chart.series.push_back(std::move(series));
  }
  auto svg = StackedBarsSvg(chart);
  if (!svg) return tl::unexpected(svg.error());
  HtmlOut out;
  out.Open("dl").Attr("class", "facts");
  Fact(out, L(lang, "År", "Year"), std::to_string(r.year));
  Fact(out, L(lang, "Utfall till och med", "Outcome through"), FormatMonthIn(r.through, lang));
  KnownAtFact(out, known_at.seq, lang);
  out.Open("dt").Text(L(lang, "Utfall", "Outcome")).Close().Open("dd").Attr("id", "outcome").Text(FormatKronorIn(r.outcome_total, lang)).Close();
  out.Open("dt").Text(L(lang, "Prognos för året", "Forecast for the year")).Close().Open("dd").Attr("id", "forecast").Text(FormatKronorIn(r.forecast_total, lang)).Close();
  if (r.frame) {
    out.Open("dt").Text(L(lang, "Budgetram", "Budget frame")).Close().Open("dd").Attr("id", "frame").Text(FormatKronorIn(r.frame->amount, lang)).Text(" (").Text(r.frame->decision).Text(", ");
    SeqLink(out, r.frame->seq, lang);
    out.Text(")").Close();
    out.Open("dt").Text(L(lang, "Utrymme", "Headroom")).Close().Open("dd").Open("span").Attr("id", "headroom")
        .Attr("class", r.exceeds_frame ? "verdict bad" : "verdict ok").Text(FormatKronorIn(*r.headroom, lang)).Close().Close();
  } else {
    Fact(out, L(lang, "Budgetram", "Budget frame"), L(lang, "ingen ram är satt för året", "no frame set for the year"));
  }
  out.Close();
  Figure(out, *svg);
  out.Open("div").Attr("class", "table-wrap").Open("table").Attr("id", "months").Open("thead").Open("tr");
  out.Open("th").Attr("scope", "col").Text(MsgText(Msg::kMonth, lang)).Close();
  out.Open("th").Attr("scope", "col").Text(L(lang, "Underlag", "Basis")).Close();
  for (const Component c : domain::kComponents) out.Open("th").Attr("scope", "col").Attr("class", "num").Text(ComponentLabel(c, lang)).Close();
  out.Open("th").Attr("scope", "col").Attr("class", "num").Text(MsgText(Msg::kTotal, lang)).Close();
  out.Close().Close().Open("tbody");
  for (const auto& m : r.months) {
    out.Open("tr").Attr("data-month", domain::FormatMonth(m.month)).Open("td").Text(FormatMonthIn(m.month, lang)).Close();
    out.Open("td").Text(m.estimated ? fmt::format("{} ({})", L(lang, "prognos", "estimate"), m.rulebook)
                                    : std::string(L(lang, "bokfört", "booked"))).Close();
    for (const Component c : domain::kComponents) {
      const Money amount = m.amounts[static_cast<std::size_t>(c)];
      NumberCell(out, amount.ore(), FormatKronorIn(amount, lang));
    }
    NumberCell(out, m.total.ore(), FormatKronorIn(m.total, lang));
    out.Close();
  }
  out.Close().Close().Close();
  return std::move(out).Finish();
}

}  // namespace capledger::present
