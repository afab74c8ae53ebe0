// The pieces of the auditor's pages that are no query's answer (api/ui.h): the frame around every
// page, the forms (sign-in, the questions, the payout's confirmation) and the error page.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/ui_session.h"
#include "present/html_ledger.h"

namespace capledger::api {

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// What the frame of a page needs to know about the request: the language, the page's path and
// query (for the language switch), and who is signed in (none on the sign-in page).
struct UiFrame {
  present::Lang lang = present::Lang::kSv;
  std::string path;
  QueryPairs query;
  const UiSession* session = nullptr;
  std::string_view current;  // the nav link to mark: "start", "runs", "dispute", "period", "verify"
};

// The whole page: `title` as its h1, `main_markup` (made with present::HtmlOut) under it.
std::string UiPage(const UiFrame& frame, std::string_view title, std::string_view main_markup);

// The sign-in form; `signin_value` is the double-submit value its cookie holds too. `problem`,
// if any, is shown above the form.
std::string SignInMarkup(present::Lang lang, std::string_view signin_value, std::optional<std::string_view> problem);

// The start page's forms: a month report, a clinic, a dispute, the period report.
std::string StartMarkup(present::Lang lang);

// The dispute form, filled with what was asked.
std::string DisputeFormMarkup(present::Lang lang, const QueryPairs& asked);

// The clinic form (on a clinic's page, to pick another clinic or month).
std::string ClinicFormMarkup(present::Lang lang, std::string_view clinic, std::string_view month);

// The payout form of the runs page (operators only): a month, to the confirmation.
std::string PayoutFormMarkup(present::Lang lang);

// The confirmation: book the run for `month` at the head `head_seq`, with the form token.
std::string PayoutConfirmMarkup(present::Lang lang, std::string_view month, domain::Seq head_seq,
                                std::string_view form_token);

// An error box with `message` (escaped) and a link back to the start page.
std::string ErrorMarkup(present::Lang lang, std::string_view message);

// A knowledge point as a form gives it, as the queries take it: "" stays "" (the head), a date
// YYYY-MM-DD becomes the end of that day in UTC ("YYYY-MM-DDT23:59:59.999999Z"), digits N become
// "seq:N"; anything else is passed on as it is (seq:N, an RFC 3339 time, or an error there).
std::string KnownAtFromForm(std::string_view text);

}  // namespace capledger::api
