// The auditor's pages for the board's and the bookkeeper's questions: the annual report, an
// account's balance, and the rulebooks known at K (present/html_ledger.h).
#include <fmt/format.h>

#include "common/assert.h"
#include "domain/money.h"
#include "present/format_lang.h"
#include "present/html_ledger.h"
#include "present/html_links.h"
#include "present/html_parts.h"
#include "present/json_log.h"

namespace capledger::present {
namespace {

using domain::Money;

void OptionalMoneyCell(HtmlOut& out, const std::optional<Money>& amount, Lang lang) {
  if (amount) {
    NumberCell(out, amount->ore(), FormatKronorIn(*amount, lang));
  } else {
    out.Open("td").Attr("class", "num").Attr("data-value", "").Text("–").Close();
  }
}

void AnnualRow(HtmlOut& out, const ledger::AnnualClinic& c, const std::vector<domain::Month>& months, Lang lang, bool total) {
  out.Open("tr").Attr("data-clinic", c.clinic);
  if (total) out.Attr("class", "total");
  out.Open("td");
  if (total) {
    out.Text(MsgText(Msg::kTotal, lang));
  } else {
    Link(out, ClinicHref(c.clinic, lang), c.clinic);
    if (!c.name.empty()) out.Open("span").Attr("class", "muted").Text(" ").Text(c.name).Close();
  }
  out.Close();
  if (months.empty()) {
    out.Open("td").Attr("class", "num").Attr("data-value", "").Text("–").Close();
  } else {
    // The mean listed count in hundredths, rounded half away from zero, as the JSON gives it.
    const auto n = static_cast<std::int64_t>(months.size());
    const auto hundredths = domain::DivideRoundHalfAway(static_cast<__int128>(c.listed_sum) * 100, n);
    LEDGER_ASSERT(hundredths.has_value() && "a mean listed count fits in 64 bits");
    NumberCell(out, hundredths->ore(), FormatHundredthsIn(hundredths->ore(), lang));
  }
  NumberCell(out, c.fixed.ore(), FormatKronorIn(c.fixed, lang));
  NumberCell(out, c.variable.ore(), FormatKronorIn(c.variable, lang));
  NumberCell(out, c.total.ore(), FormatKronorIn(c.total, lang));
  OptionalMoneyCell(out, c.fixed_per_listed, lang);
  OptionalMoneyCell(out, c.variable_per_listed, lang);
  out.Close();
}

}  // namespace

std::string AnnualHtml(const ledger::AnnualReport& r, const HtmlView& view) {
  const Lang lang = view.lang;
  HtmlOut out;
  out.Open("dl").Attr("class", "facts");
  Fact(out, L(lang, "År", "Year"), std::to_string(r.year));
  KnownAtFact(out, r.known_at_seq, lang);
  Fact(out, L(lang, "Månader med rapport", "Months with a report"), FormatCountIn(static_cast<std::int64_t>(r.months.size()), lang));
  out.Close();
  OpenTable(out, {{L(lang, "Vårdcentral", "Clinic")}, {L(lang, "Listade i medel", "Mean listed"), true},
                  {L(lang, "Fast ersättning", "Fixed compensation"), true}, {L(lang, "Rörlig ersättning", "Variable compensation"), true},
                  {MsgText(Msg::kTotal, lang), true}, {L(lang, "Fast per listad", "Fixed per listed"), true},
                  {L(lang, "Rörlig per listad", "Variable per listed"), true}},
            true);
  for (const auto& c : r.clinics) AnnualRow(out, c, r.months, lang, false);
  CloseTable(out);
  OpenTable(out, {{""}, {L(lang, "Listade i medel", "Mean listed"), true}, {L(lang, "Fast", "Fixed"), true},
                  {L(lang, "Rörlig", "Variable"), true}, {MsgText(Msg::kTotal, lang), true},
                  {L(lang, "Fast per listad", "Fixed per listed"), true}, {L(lang, "Rörlig per listad", "Variable per listed"), true}});
  AnnualRow(out, r.total, r.months, lang, true);
  CloseTable(out);
  return std::move(out).Finish();
}

std::string BalanceHtml(const ledger::Balance& b, const ledger::KnownAt& known_at, const HtmlView& view) {
  const Lang lang = view.lang;
  HtmlOut out;
  out.Open("dl").Attr("class", "facts");
  Fact(out, L(lang, "Konto", "Account"), b.account);
  KnownAtFact(out, known_at.seq, lang);
  out.Open("dt").Text(L(lang, "Saldo", "Balance")).Close().Open("dd").Attr("id", "balance").Text(FormatKronorIn(b.balance, lang)).Close();
  Fact(out, L(lang, "Poster", "Entries"), FormatCountIn(static_cast<std::int64_t>(b.entries), lang));
  out.Close();
  out.Open("p").Attr("class", "muted")
      .Text(L(lang, "Kostnadskonton är positiva och skuldkonton negativa; alla saldon summerar till noll.",
              "Expense accounts are positive and payable accounts negative; all balances sum to zero."))
      .Close();
  return std::move(out).Finish();
}

std::string RulebooksHtml(const std::vector<const projection::RulebookFact*>& rulebooks, const ledger::KnownAt& known_at,
                          const HtmlView& view) {
  const Lang lang = view.lang;
  HtmlOut out;
  out.Open("dl").Attr("class", "facts");
  KnownAtFact(out, known_at.seq, lang);
  out.Close();
  OpenTable(out, {{L(lang, "Regelbok", "Rulebook")}, {L(lang, "Titel", "Title")}, {L(lang, "Gäller", "Valid")},
                  {L(lang, "Beslut", "Decision")}, {L(lang, "Beslutad", "Decided")}, {L(lang, "Publicerad", "Published")}});
  for (const auto* fact : rulebooks) {
    const auto& rb = fact->rulebook;
    out.Open("tr").Open("td").Text(rb.id).Close().Open("td").Text(rb.title).Close();
    out.Open("td").Text(fmt::format("{} – {}", FormatDateIn(rb.valid_from, lang), FormatDateIn(domain::AddDays(rb.valid_until, -1), lang))).Close();
    out.Open("td").Text(rb.decision).Close().Open("td").Text(domain::DescribeProvenance(rb)).Close().Open("td");
    SeqLink(out, domain::Seq(fact->seq), lang);
    out.Close().Close();
  }
  CloseTable(out);
  return std::move(out).Finish();
}

std::string ExplainHtml(const store::EventStore& store, const projection::ResidentExplanation& e, const HtmlView& view) {
  const Lang lang = view.lang;
  HtmlOut out;
  out.Open("dl").Attr("class", "facts");
  Fact(out, L(lang, "Invånare (pseudonym)", "Resident (pseudonym)"), e.pseudonym.ToHex());
  Fact(out, L(lang, "Född", "Born"), FormatDateIn(e.birth_date, lang));
  Fact(out, L(lang, "Kön", "Sex"), domain::Name(e.sex));
  Fact(out, MsgText(Msg::kMonth, lang), FormatMonthIn(e.month, lang));
  Fact(out, L(lang, "Mätdag", "Snapshot date"), FormatDateIn(e.snapshot, lang));
  Fact(out, L(lang, "Regelbok", "Rulebook"), e.rulebook_id);
  KnownAtFact(out, e.known_at_seq, lang);
  out.Open("dt").Text(L(lang, "Räknas", "Counted")).Close().Open("dd").Attr("id", "counted");
  out.Text(e.counted ? L(lang, "ja", "yes") : L(lang, "nej", "no"));
  if (!e.clinic.empty()) {
    out.Text(", ");
    Link(out, ClinicHref(e.clinic, lang), e.clinic);
  }
  out.Close();
  if (e.counted) Fact(out, L(lang, "Ålder och band", "Age and band"), fmt::format("{}, {}", e.age, e.band));
  Fact(out, L(lang, "Varför", "Why"), e.why);
  out.Close();
  out.Open("h2").Text(L(lang, "Händelserna", "The events")).Close();
  OpenTable(out, {{L(lang, "Händelse", "Event")}, {"id"}, {L(lang, "Typ", "Type")}, {L(lang, "Gäller från", "Effective")},
                  {L(lang, "Vårdcentral", "Clinic")}, {L(lang, "Hur den användes", "How it was used")}});
  for (const auto& f : e.facts) {
    const FactEvent event = DescribeFactEvent(store, domain::Seq(f.fact.seq));
    out.Open("tr");
    if (f.decisive) out.Attr("class", "total");
    out.Open("td");
    SeqLink(out, domain::Seq(f.fact.seq), lang);
    out.Close().Open("td").Attr("class", "mono").Text(event.id).Close().Open("td").Text(event.type).Close();
    out.Open("td").Text(FormatDateIn(domain::DateFromDays(f.fact.effective), lang)).Close();
    out.Open("td").Text(event.clinic.value_or("")).Close();
    out.Open("td").Text(UseName(f.use)).Text(f.decisive ? L(lang, " (avgörande)", " (decisive)") : "").Close().Close();
  }
  CloseTable(out);
  return std::move(out).Finish();
}

}  // namespace capledger::present
