#include "api/ui_pages.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "api/form.h"
#include "codec/seq_format.h"
#include "present/html_out.h"
#include "present/html_page.h"
#include "present/html_parts.h"

namespace capledger::api {
namespace {

using present::HtmlOut;
using present::L;
using present::Lang;

std::string Href(std::string_view path, Lang lang) { return present::UiHref(path, {}, lang); }

// The language switch: this page in the other language.
std::string OtherLanguageHref(const UiFrame& frame) {
  return present::UiHref(frame.path, frame.query, frame.lang == Lang::kSv ? Lang::kEn : Lang::kSv);
}

std::string HeaderExtra(const UiFrame& frame) {
  HtmlOut out;
  out.Open("a").Attr("href", OtherLanguageHref(frame)).Attr("hreflang", frame.lang == Lang::kSv ? "en" : "sv")
      .Text(frame.lang == Lang::kSv ? "English" : "Svenska").Close();
  if (frame.session != nullptr) {
    out.Text(" · ").Open("span").Attr("id", "who").Text(frame.session->holder.who).Text(" (")
        .Text(RoleName(frame.session->holder.role)).Text(") ").Close();
    out.Open("form").Attr("method", "post").Attr("action", Href("/ui/sign-out", frame.lang));
    out.Empty("input").Attr("type", "hidden").Attr("name", "form_token").Attr("value", frame.session->form_token);
    out.Open("button").Attr("type", "submit").Text(L(frame.lang, "Logga ut", "Sign out")).Close();
    out.Close();
  }
  return std::move(out).Finish();
}

void Field(HtmlOut& out, std::string_view label, std::string_view name, std::string_view value, std::string_view placeholder,
           bool required) {
  out.Open("label").Text(label);
  out.Empty("input").Attr("name", name).Attr("value", value).Attr("placeholder", placeholder);
  if (required) out.Attr("required", "required");
  out.Close();
}

void OpenGetForm(HtmlOut& out, std::string_view action, Lang lang, std::string_view id) {
  out.Open("form").Attr("class", "query").Attr("method", "get").Attr("action", action).Attr("id", id);
  if (lang == Lang::kEn) out.Empty("input").Attr("type", "hidden").Attr("name", "lang").Attr("value", "en");
}

void Submit(HtmlOut& out, std::string_view text) {
  out.Open("button").Attr("type", "submit").Attr("class", "primary").Text(text).Close();
}


// A field of a question's form on the start page.
struct FormField {
  std::string_view label_sv, label_en, name, placeholder_sv, placeholder_en;
  bool required = false;
};
// A question's form on the start page: its heading, where it goes, its fields (unused ones empty).
struct QuestionForm {
  std::string_view heading_sv, heading_en, action, id;
  std::array<FormField, 3> fields;
};

constexpr FormField kKnownAtField{"Känt vid", "Known at", "known_at", "datum, seq eller tom", "date, seq or empty", false};

constexpr QuestionForm kStartForms[] = {
    {"Månadsrapport", "Month report", "/ui/report", "report-form",
     {FormField{"Månad", "Month", "month", "YYYY-MM", "YYYY-MM", true}, kKnownAtField, FormField{}}},
    {"Vårdcentral", "Clinic", "/ui/clinic", "clinic-form", {}},
    {"Period och budgetram", "Period and budget frame", "/ui/period", "period-form",
     {FormField{"År", "Year", "year", "YYYY", "YYYY", true},
      FormField{"Utfall till och med", "Outcome through", "through", "YYYY-MM", "YYYY-MM", true}, kKnownAtField}},
    {"Bokförda poster", "Booked entries", "/ui/entries", "entries-form",
     {FormField{"Avser månad", "For the month", "month", "YYYY-MM", "YYYY-MM", false},
      FormField{"Körning", "Run", "run", "YYYY-MM", "YYYY-MM", false},
      FormField{"Vårdcentral", "Clinic", "clinic", "VC-1880-01", "VC-1880-01", false}}},
    {"Årsredovisning", "Annual report", "/ui/annual", "annual-form",
     {FormField{"År", "Year", "year", "YYYY", "YYYY", true}, kKnownAtField, FormField{}}},
    {"Saldo", "Balance", "/ui/balance", "balance-form",
     {FormField{"Konto", "Account", "account", "payable:VC-1880-01", "payable:VC-1880-01", true}, kKnownAtField, FormField{}}},
};

}  // namespace

std::string UiPage(const UiFrame& frame, std::string_view title, std::string_view main_markup) {
  const Lang lang = frame.lang;
  present::PageFrame page;
  page.lang = lang;
  page.title = std::string(title);
  page.site_name = std::string(L(lang, "capledger – Hälsoval Örebro län", "capledger – Hälsoval Örebro County"));
  page.home_href = Href("/ui/", lang);
  page.asset_prefix = "/ui/static/";
  page.icon_href = "/ui/static/icon.svg";
  if (frame.session != nullptr) {
    const std::pair<std::string_view, std::pair<std::string_view, std::string>> links[] = {
        {"start", {L(lang, "Start", "Start"), Href("/ui/", lang)}},
        {"runs", {L(lang, "Körningar", "Runs"), Href("/ui/runs", lang)}},
        {"dispute", {L(lang, "Tvist", "Dispute"), Href("/ui/dispute", lang)}},
        {"verify", {L(lang, "Hashkedjan", "Hash chain"), Href("/ui/verify", lang)}},
    };
    for (const auto& [key, link] : links) page.nav.push_back({link.second, std::string(link.first), key == frame.current});
  }
  page.footer = std::string(L(lang, "Varje belopp länkar till sin härledning och varje händelse till sin loggpost.",
                              "Every amount links to its derivation and every event to its log record."));
  page.header_extra = HeaderExtra(frame);
  return present::HtmlPage(page, main_markup);
}

std::string SignInMarkup(Lang lang, std::string_view signin_value, std::optional<std::string_view> problem) {
  HtmlOut out;
  if (problem) out.Open("p").Attr("class", "error").Attr("role", "alert").Text(*problem).Close();
  out.Open("p").Text(L(lang, "Logga in med din token (revisor eller operatör). Token lämnar inte den här sidan: "
                             "webbläsaren får en sessionskaka som glöms när den stängs.",
                       "Sign in with your token (auditor or operator). The token stays on this page: the browser gets a "
                       "session cookie that is forgotten when it closes."))
      .Close();
  out.Open("form").Attr("class", "query").Attr("method", "post").Attr("action", Href("/ui/sign-in", lang)).Attr("id", "sign-in");
  out.Empty("input").Attr("type", "hidden").Attr("name", "signin").Attr("value", signin_value);
  out.Open("label").Text("Token");
  out.Empty("input").Attr("type", "password").Attr("name", "token").Attr("autocomplete", "off").Attr("required", "required").Attr("size", "48");
  out.Close();
  Submit(out, L(lang, "Logga in", "Sign in"));
  out.Close();
  return std::move(out).Finish();
}

std::string StartMarkup(Lang lang) {
  HtmlOut out;
  out.Open("p").Text(L(lang, "Börja med körningarna: varje utbetalning, vad den betalade varje vårdcentral och varför.",
                       "Start with the runs: every payout, what it paid each clinic, and why."))
      .Close();
  out.Open("ul");
  for (auto [path, sv, en] : {std::tuple{"/ui/runs", "Körningar och utbetalningsbesked", "Runs and statements"},
                              {"/ui/dispute", "Tvist: två kunskapslägen jämförda", "Dispute: two knowledge points compared"},
                              {"/ui/rulebooks", "Regelböckerna och vem som beslutat dem", "The rulebooks and who decided them"},
                              {"/ui/verify", "Hashkedjans tillstånd", "The hash chain's state"}}) {
    out.Open("li").Open("a").Attr("href", Href(path, lang)).Text(L(lang, sv, en)).Close().Close();
  }
  out.Close();
  for (const QuestionForm& form : kStartForms) {
    out.Open("h2").Text(L(lang, form.heading_sv, form.heading_en)).Close();
    if (form.action == "/ui/clinic") {  // the clinic form is also on a clinic's page
      out.Raw(ClinicFormMarkup(lang, "", ""));
      continue;
    }
    OpenGetForm(out, form.action, lang, form.id);
    for (const FormField& f : form.fields) {
      if (f.name.empty()) break;
      Field(out, L(lang, f.label_sv, f.label_en), f.name, "", L(lang, f.placeholder_sv, f.placeholder_en), f.required);
    }
    Submit(out, L(lang, "Visa", "Show"));
    out.Close();
  }
  return std::move(out).Finish();
}

std::string DisputeFormMarkup(Lang lang, const QueryPairs& asked) {
  HtmlOut out;
  OpenGetForm(out, "/ui/dispute", lang, "dispute-form");
  Field(out, L(lang, "Vårdcentral", "Clinic"), "clinic", FirstValue(asked, "clinic"), "VC-1880-01", true);
  Field(out, L(lang, "Månad", "Month"), "month", FirstValue(asked, "month"), "YYYY-MM", true);
  Field(out, L(lang, "Första kunskapsläget", "First knowledge point"), "known_at", FirstValue(asked, "known_at"),
        L(lang, "datum eller seq", "date or seq"), true);
  Field(out, L(lang, "Andra kunskapsläget", "Second knowledge point"), "vs", FirstValue(asked, "vs"),
        L(lang, "datum, seq eller tom (nu)", "date, seq or empty (now)"), false);
  Submit(out, L(lang, "Jämför", "Compare"));
  out.Close();
  out.Open("p").Attr("class", "muted")
      .Text(L(lang, "Ett datum betyder det som var känt vid dagens slut (UTC); en seq är en plats i loggen.",
              "A date means what was known at the end of that day (UTC); a seq is a place in the log."))
      .Close();
  return std::move(out).Finish();
}

std::string ClinicFormMarkup(Lang lang, std::string_view clinic, std::string_view month) {
  HtmlOut out;
  OpenGetForm(out, "/ui/clinic", lang, "clinic-form");
  Field(out, L(lang, "Vårdcentral", "Clinic"), "clinic", clinic, "VC-1880-01", true);
  Field(out, L(lang, "Månad för rapporten", "Month of the report"), "month", month, L(lang, "YYYY-MM eller tom", "YYYY-MM or empty"), false);
  Submit(out, L(lang, "Visa", "Show"));
  out.Close();
  if (!clinic.empty()) {
    out.Open("p").Open("a").Attr("href", present::UiHref("/ui/balance", {{"account", "payable:" + std::string(clinic)}}, lang))
        .Text(L(lang, "Vad regionen är skyldig vårdcentralen (saldo)", "What the region owes the clinic (balance)")).Close().Close();
  }
  return std::move(out).Finish();
}

std::string PayoutFormMarkup(Lang lang) {
  HtmlOut out;
  out.Open("h2").Text(L(lang, "Starta en utbetalning", "Start a payout")).Close();
  OpenGetForm(out, "/ui/payout", lang, "payout-form");
  Field(out, L(lang, "Månad", "Month"), "month", "", "YYYY-MM", true);
  out.Open("button").Attr("type", "submit").Attr("class", "danger").Attr("id", "payout-button")
      .Text(L(lang, "Till bekräftelse…", "To confirmation…")).Close();
  out.Close();
  return std::move(out).Finish();
}

std::string PayoutConfirmMarkup(Lang lang, std::string_view month, domain::Seq head_seq, std::string_view form_token) {
  HtmlOut out;
  out.Open("p").Text(fmt::format("{} {} {} seq {}. {}", L(lang, "Bokför utbetalningskörningen för", "Book the payout run for"), month,
                                 L(lang, "med allt som är känt nu, till och med", "with everything known now, through"), head_seq,
                                 L(lang, "Det går inte att ångra: rättelser görs av senare körningar.",
                                   "It cannot be undone: later runs make any corrections.")))
      .Close();
  out.Open("form").Attr("class", "query").Attr("method", "post").Attr("action", Href("/ui/payout", lang)).Attr("id", "payout-confirm");
  out.Empty("input").Attr("type", "hidden").Attr("name", "form_token").Attr("value", form_token);
  out.Empty("input").Attr("type", "hidden").Attr("name", "month").Attr("value", month);
  out.Empty("input").Attr("type", "hidden").Attr("name", "confirm").Attr("value", "yes");
  out.Open("button").Attr("type", "submit").Attr("class", "danger").Text(L(lang, "Bekräfta och bokför", "Confirm and book")).Close();
  out.Close();
  out.Open("p").Open("a").Attr("href", Href("/ui/runs", lang)).Text(L(lang, "Avbryt", "Cancel")).Close().Close();
  return std::move(out).Finish();
}

std::string ErrorMarkup(Lang lang, std::string_view message) {
  HtmlOut out;
  out.Open("p").Attr("class", "error").Attr("role", "alert").Text(message).Close();
  out.Open("p").Open("a").Attr("href", Href("/ui/", lang)).Text(L(lang, "Till start", "To the start page")).Close().Close();
  return std::move(out).Finish();
}

std::string KnownAtFromForm(std::string_view text) {
  auto digits = [](std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  if (digits(text)) return "seq:" + std::string(text);
  const bool date = text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(text.substr(0, 4)) &&
                    digits(text.substr(5, 2)) && digits(text.substr(8, 2));
  if (date) return std::string(text) + "T23:59:59.999999Z";
  return std::string(text);
}

}  // namespace capledger::api
