// The auditor's pages over the books: runs, statements, entries (a clinic's page), month reports,
// payouts, the hash chain and one log record (present/html_ledger.h).
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "codec/json_writer.h"
#include "codec/seq_format.h"
#include "common/assert.h"
#include "common/crypto.h"
#include "present/format_lang.h"
#include "present/html_ledger.h"
#include "present/html_links.h"
#include "present/html_parts.h"
#include "present/svg_chart.h"

namespace capledger::present {
namespace {

using domain::Component;
using domain::Money;
using ComponentTotals = std::array<Money, domain::kComponentCount>;

void EntryRows(HtmlOut& out, const std::vector<projection::BookedEntry>& entries, Lang lang, bool with_run) {
  for (const auto& booked : entries) {
    const auto& e = booked.entry;
    out.Open("tr");
    out.Open("td").Attr("class", "mono").Text(e.entry_id).Close();
    if (with_run) out.Open("td").Text(FormatMonthIn(e.run, lang)).Close();
    out.Open("td").Text(FormatMonthIn(e.period, lang)).Close();
    out.Open("td").Text(ComponentLabel(e.component, lang)).Close();
    out.Open("td").Text(EntryKindLabel(e.kind, lang)).Close();
    TracedAmountCell(out, e.amount, e.entry_id, lang);
    out.Close();
  }
}

void TotalRow(HtmlOut& out, std::string_view label, std::size_t blank_cells, Money total, Lang lang) {
  out.Open("tr").Attr("class", "total").Open("td").Text(label).Close();
  for (std::size_t i = 0; i < blank_cells; ++i) out.Open("td").Close();
  out.Open("td").Attr("class", "num").Text(FormatKronorIn(total, lang)).Close().Close();
}

void ClinicStatementHtml(HtmlOut& out, const ledger::ClinicStatement& c, Lang lang) {
  out.Open("h2").Attr("id", c.clinic);
  Link(out, ClinicHref(c.clinic, lang), c.clinic);
  out.Close();
  OpenTable(out, {{L(lang, "Post", "Entry")}, {L(lang, "Avser", "Month")}, {L(lang, "Del", "Component")},
                  {L(lang, "Slag", "Kind")}, {MsgText(Msg::kAmount, lang), true}});
  EntryRows(out, c.current, lang, false);
  TotalRow(out, L(lang, "Denna månad", "This month"), 3, c.current_total, lang);
  EntryRows(out, c.corrections, lang, false);
  TotalRow(out, L(lang, "Rättelser av tidigare månader", "Corrections of earlier months"), 3, c.corrections_total, lang);
  TotalRow(out, L(lang, "Betalas av körningen", "Paid by this run"), 3, c.total, lang);
  CloseTable(out);
}

// Per period month, the sum booked per component (regular entries and adjustments alike).
std::map<std::int32_t, ComponentTotals> BookedPerMonth(const std::vector<projection::BookedEntry>& entries) {
  std::map<std::int32_t, ComponentTotals> months;
  for (const auto& booked : entries) {
    auto [it, inserted] = months.try_emplace(domain::MonthOrdinal(booked.entry.period), domain::ZeroAmounts());
    Money& cell = it->second[static_cast<std::size_t>(booked.entry.component)];
    const Status added = domain::AddTo(cell, booked.entry.amount);
    LEDGER_ASSERT(added.has_value() && "a clinic's booked month fits in 64-bit öre");
  }
  return months;
}

Result<std::string> BookedChart(const std::map<std::int32_t, ComponentTotals>& months, Lang lang) {
  MonthlyChart chart;
  chart.frame = ChartFrame{"booked", std::string(L(lang, "Bokfört per del och månad", "Booked per component and month")),
                           lang, ValueKind::kMoney};
  for (const auto& [ordinal, amounts] : months) chart.months.push_back(domain::MonthFromOrdinal(ordinal));
  for (const Component c : domain::kComponents) {
    ChartSeries series{std::string(ComponentLabel(c, lang)), {}};
    bool any = false;
    for (const auto& [ordinal, amounts] : months) {
      series.values.push_back(amounts[static_cast<std::size_t>(c)].ore());
      any = any || amounts[static_cast<std::size_t>(c)].ore() != 0;
    }
    if (any) chart.series.push_back(std::move(series));
  }
  return StackedBarsSvg(chart);
}

void BookedTable(HtmlOut& out, const std::map<std::int32_t, ComponentTotals>& months, Lang lang) {
  out.Open("div").Attr("class", "table-wrap").Open("table").Attr("id", "booked").Open("thead").Open("tr");
  out.Open("th").Attr("scope", "col").Text(MsgText(Msg::kMonth, lang)).Close();
  for (const Component c : domain::kComponents) {
    out.Open("th").Attr("scope", "col").Attr("class", "num").Text(ComponentLabel(c, lang)).Close();
  }
  out.Open("th").Attr("scope", "col").Attr("class", "num").Text(MsgText(Msg::kTotal, lang)).Close();
  out.Close().Close().Open("tbody");
  for (const auto& [ordinal, amounts] : months) {
    out.Open("tr").Attr("data-month", domain::FormatMonth(domain::MonthFromOrdinal(ordinal)));
    out.Open("td").Text(FormatMonthIn(domain::MonthFromOrdinal(ordinal), lang)).Close();
    std::int64_t total = 0;
    for (const Component c : domain::kComponents) {
      const Money amount = amounts[static_cast<std::size_t>(c)];
      NumberCell(out, amount.ore(), FormatKronorIn(amount, lang));
      total += amount.ore();  // seven components of one clinic-month: far inside 64 bits
    }
    NumberCell(out, total, FormatKronorIn(Money::FromOre(total), lang));
    out.Close();
  }
  out.Close().Close().Close();
}

void ReportHeader(HtmlOut& out, const projection::MonthReport& r, Lang lang) {
  out.Open("dl").Attr("class", "facts");
  Fact(out, MsgText(Msg::kMonth, lang), FormatMonthIn(r.month, lang));
  KnownAtFact(out, r.known_at_seq, lang);
  out.Open("dt").Text(L(lang, "Regelbok", "Rulebook")).Close().Open("dd").Text(r.rulebook_id);
  if (!r.rulebook_seq.none()) {  // none: an assumed rulebook, published nowhere
    out.Text(" (");
    Link(out, EventHref(r.rulebook_seq, lang), fmt::format("{} seq {}", L(lang, "publicerad", "published at"), r.rulebook_seq));
    out.Text(")");
  }
  out.Close();
  Fact(out, L(lang, "Mätdag", "Snapshot date"), FormatDateIn(r.snapshot, lang));
  out.Close();
}

void Anomalies(HtmlOut& out, const std::vector<projection::AnomalyLine>& anomalies, Lang lang) {
  out.Open("h2").Text(L(lang, "Avvikelser", "Anomalies")).Close();
  if (anomalies.empty()) {
    out.Open("p").Text(L(lang, "Inga avvikelser.", "No anomalies.")).Close();
    return;
  }
  out.Open("ul").Attr("class", "anomalies");
  for (const auto& a : anomalies) out.Open("li").Open("code").Text(a.code).Close().Text(" ").Text(a.detail).Close();
  out.Close();
}

}  // namespace

std::string RunsHtml(const std::vector<projection::BookedRun>& runs, const HtmlView& view) {
  const Lang lang = view.lang;
  HtmlOut out;
  if (runs.empty()) {
    out.Open("p").Text(L(lang, "Inga utbetalningar är bokförda.", "No payout has been booked.")).Close();
    return std::move(out).Finish();
  }
  OpenTable(out, {{L(lang, "Körning", "Run")}, {L(lang, "Känt vid", "Known at")}, {L(lang, "Bokförd", "Booked")},
                  {L(lang, "Regelbok", "Rulebook")}, {L(lang, "Poster", "Entries"), true}, {MsgText(Msg::kTotal, lang), true}},
            true);
  for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
    const auto& r = it->run;
    out.Open("tr").Open("td");
    Link(out, StatementHref(r.run, "", lang), FormatMonthIn(r.run, lang));
    out.Close().Open("td");
    SeqLink(out, r.known_at_seq, lang);
    out.Close().Open("td");
    SeqLink(out, it->seq, lang);
    out.Close().Open("td").Text(r.rulebook).Close();
    NumberCell(out, r.entry_count, FormatCountIn(r.entry_count, lang));
    NumberCell(out, r.total.ore(), FormatKronorIn(r.total, lang));
    out.Close();
  }
  CloseTable(out);
  return std::move(out).Finish();
}

std::string StatementHtml(const ledger::RunStatement& s, const HtmlView& view) {
  const Lang lang = view.lang;
  HtmlOut out;
  out.Open("dl").Attr("class", "facts");
  Fact(out, L(lang, "Körning", "Run"), FormatMonthIn(s.run.run.run, lang));
  KnownAtFact(out, s.run.run.known_at_seq, lang);
  Fact(out, L(lang, "Regelbok", "Rulebook"), s.run.run.rulebook);
  Fact(out, L(lang, "Vårdcentraler", "Clinics"), FormatCountIn(static_cast<std::int64_t>(s.clinics.size()), lang));
  out.Open("dt").Text(MsgText(Msg::kTotal, lang)).Close().Open("dd").Attr("id", "statement-total").Text(FormatKronorIn(s.total, lang)).Close();
  out.Close();
  for (const auto& c : s.clinics) ClinicStatementHtml(out, c, lang);
  return std::move(out).Finish();
}

Result<std::string> EntriesHtml(const std::vector<projection::BookedEntry>& entries, const HtmlView& view) {
  const Lang lang = view.lang;
  HtmlOut out;
  if (entries.empty()) {
    out.Open("p").Text(L(lang, "Inga bokförda poster.", "No booked entries.")).Close();
    return std::move(out).Finish();
  }
  const auto months = BookedPerMonth(entries);
  auto chart = BookedChart(months, lang);
  if (!chart) return tl::unexpected(chart.error());
  out.Open("h2").Text(L(lang, "Bokfört per månad", "Booked per month")).Close();
  Figure(out, *chart);
  BookedTable(out, months, lang);
  out.Open("h2").Text(L(lang, "Poster", "Entries")).Close();
  const PageSlice slice = SliceOf(entries.size(), view);
  Pager(out, slice, entries.size(), view);
  OpenTable(out, {{L(lang, "Post", "Entry")}, {L(lang, "Körning", "Run")}, {L(lang, "Avser", "Month")},
                  {L(lang, "Del", "Component")}, {L(lang, "Slag", "Kind")}, {MsgText(Msg::kAmount, lang), true}},
            true);
  EntryRows(out, {entries.begin() + static_cast<std::ptrdiff_t>(slice.first), entries.begin() + static_cast<std::ptrdiff_t>(slice.last)},
            lang, true);
  CloseTable(out);
  Pager(out, slice, entries.size(), view);
  return std::move(out).Finish();
}

std::string ReportHtml(const projection::MonthReport& r, const HtmlView& view) {
  const Lang lang = view.lang;
  HtmlOut out;
  ReportHeader(out, r, lang);
  out.Open("div").Attr("class", "table-wrap").Open("table").Attr("class", "sortable").Attr("id", "report").Open("thead").Open("tr");
  out.Open("th").Attr("scope", "col").Text(L(lang, "Vårdcentral", "Clinic")).Close();
  out.Open("th").Attr("scope", "col").Attr("class", "num").Text(L(lang, "Listade", "Listed")).Close();
  for (const Component c : domain::kComponents) {
    out.Open("th").Attr("scope", "col").Attr("class", "num").Text(ComponentLabel(c, lang)).Close();
  }
  out.Open("th").Attr("scope", "col").Attr("class", "num").Text(MsgText(Msg::kTotal, lang)).Close();
  out.Close().Close().Open("tbody");
  for (const auto& line : r.clinics) {
    out.Open("tr").Attr("data-clinic", line.clinic).Open("td");
    Link(out, ClinicHref(line.clinic, lang), line.clinic);
    if (!line.name.empty()) out.Open("span").Attr("class", "muted").Text(" ").Text(line.name).Close();
    out.Close();
    NumberCell(out, line.amounts.listed, FormatCountIn(line.amounts.listed, lang));
    for (const Component c : domain::kComponents) {
      const Money amount = line.amounts.amounts[static_cast<std::size_t>(c)];
      NumberCell(out, amount.ore(), FormatKronorIn(amount, lang));
    }
    NumberCell(out, line.amounts.total.ore(), FormatKronorIn(line.amounts.total, lang));
    out.Close();
  }
  out.Close().Close().Close();
  out.Open("p").Text(MsgText(Msg::kTotal, lang)).Text(": ").Open("strong").Attr("id", "report-total").Text(FormatKronorIn(r.total, lang)).Close().Close();
  Anomalies(out, r.anomalies, lang);
  return std::move(out).Finish();
}

std::string VerifyHtml(const store::VerifyReport& report, const store::Head& head, const HtmlView& view) {
  const Lang lang = view.lang;
  HtmlOut out;
  const bool ok = !report.first_bad_seq.has_value();
  out.Open("p").Open("span").Attr("class", ok ? "verdict ok" : "verdict bad").Attr("id", "verdict")
      .Text(ok ? L(lang, "Hashkedjan är hel", "The hash chain is intact") : L(lang, "Hashkedjan är bruten", "The hash chain is broken"))
      .Close().Close();
  out.Open("dl").Attr("class", "facts");
  Fact(out, L(lang, "Kontrollerade händelser", "Events checked"), FormatCountIn(static_cast<std::int64_t>(report.events_checked), lang));
  out.Open("dt").Text(L(lang, "Senaste händelse", "Head")).Close().Open("dd");
  SeqLink(out, head.seq, lang);
  out.Close();
  Fact(out, L(lang, "Registrerad", "Recorded at"), domain::FormatTimestamp(head.recorded_at));
  out.Open("dt").Text(L(lang, "Hash", "Hash")).Close().Open("dd").Attr("class", "mono").Text(crypto::Hex(head.hash)).Close();
  if (!ok) {
    out.Open("dt").Text(L(lang, "Första felaktiga", "First bad")).Close().Open("dd");
    SeqLink(out, *report.first_bad_seq, lang);
    out.Text(" ").Text(report.problem).Close();
  }
  out.Close();
  return std::move(out).Finish();
}

std::string PayoutHtml(const ledger::PayoutResult& result, const ledger::KnownAt& known_at, const HtmlView& view) {
  const Lang lang = view.lang;
  HtmlOut out;
  out.Open("p").Open("span").Attr("class", "verdict ok").Attr("id", "payout-outcome")
      .Text(result.existing ? L(lang, "Månaden var redan utbetald; inget nytt bokfördes.", "The month had been paid; nothing new was booked.")
                            : L(lang, "Utbetalningen är bokförd.", "The payout is booked."))
      .Close().Close();
  out.Open("dl").Attr("class", "facts");
  Fact(out, L(lang, "Körning", "Run"), FormatMonthIn(result.run.run, lang));
  KnownAtFact(out, known_at.seq, lang);
  Fact(out, L(lang, "Regelbok", "Rulebook"), result.run.rulebook);
  Fact(out, L(lang, "Poster", "Entries"), FormatCountIn(result.run.entry_count, lang));
  Fact(out, MsgText(Msg::kTotal, lang), FormatKronorIn(result.run.total, lang));
  out.Close();
  out.Open("p");
  Link(out, StatementHref(result.run.run, "", lang), L(lang, "Körningens utbetalningsbesked", "The run's statement"));
  out.Close();
  if (!result.existing) Anomalies(out, result.anomalies, lang);
  return std::move(out).Finish();
}

std::string EventHtml(const store::StoredRecord& record, const HtmlView& view) {
  const Lang lang = view.lang;
  const auto& stored = record.stored;
  HtmlOut out;
  out.Open("dl").Attr("class", "facts");
  Fact(out, "seq", std::to_string(stored.seq.value()));
  Fact(out, L(lang, "Registrerad", "Recorded at"), domain::FormatTimestamp(stored.recorded_at));
  Fact(out, L(lang, "Typ", "Type"), domain::EventTypeName(domain::TypeOf(stored.event.body)));
  Fact(out, "id", stored.event.id);
  Fact(out, L(lang, "Föregående hash", "Previous hash"), crypto::Hex(record.prev_hash));
  Fact(out, L(lang, "Hash", "Hash"), crypto::Hex(record.hash));
  out.Close();
  out.Open("nav").Attr("class", "pages").Attr("aria-label", L(lang, "Loggen", "The log"));
  if (stored.seq > domain::Seq(1)) out.Open("a").Attr("href", EventHref(domain::Seq(stored.seq.value() - 1), lang)).Attr("rel", "prev").Text(L(lang, "Föregående", "Previous")).Close();
  out.Open("a").Attr("href", EventHref(stored.seq.Next(), lang)).Attr("rel", "next").Text(L(lang, "Nästa", "Next")).Close();
  out.Close();
  out.Open("h2").Text(L(lang, "Händelsen som loggen lagrar den", "The event as the log stores it")).Close();
  const codec::LogPosition position{stored.seq, stored.recorded_at, record.prev_hash, record.hash};
  out.Open("pre").Attr("class", "mono").Attr("id", "event-json").Text(codec::EventToJson(stored.event, &position)).Close();
  return std::move(out).Finish();
}

}  // namespace capledger::present
