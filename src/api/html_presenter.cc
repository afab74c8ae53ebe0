#include <fmt/format.h>

#include "api/presenter.h"
#include "present/html_out.h"

namespace capledger::api {
namespace {

// A chart that could not be drawn: a note in its place (the caller's tables follow).
std::string OrNote(Result<std::string> html) {
  if (html) return std::move(*html);
  present::HtmlOut out;
  out.Open("p").Attr("class", "error").Text(html.error().message).Close();
  return std::move(out).Finish();
}

}  // namespace

std::string HtmlPresenter::Report(const projection::MonthReport& report, const ledger::KnownAt&) const {
  return present::ReportHtml(report, view_);
}

std::string HtmlPresenter::Period(const ledger::PeriodReport& report, const ledger::KnownAt& known_at) const {
  return OrNote(present::PeriodHtml(report, known_at, view_));
}

std::string HtmlPresenter::Annual(const ledger::AnnualReport& report, const ledger::KnownAt&) const {
  return present::AnnualHtml(report, view_);
}

std::string HtmlPresenter::Rulebooks(const std::vector<const projection::RulebookFact*>& rulebooks,
                                     const ledger::KnownAt& known_at) const {
  return present::RulebooksHtml(rulebooks, known_at, view_);
}

std::string HtmlPresenter::Entries(const std::vector<projection::BookedEntry>& entries) const {
  return OrNote(present::EntriesHtml(entries, view_));
}

std::string HtmlPresenter::Runs(const std::vector<projection::BookedRun>& runs) const {
  return present::RunsHtml(runs, view_);
}

std::string HtmlPresenter::Statement(const ledger::RunStatement& statement) const {
  return present::StatementHtml(statement, view_);
}

std::string HtmlPresenter::Trace(const ledger::EntryTrace& trace) const { return present::TraceHtml(trace, view_); }

std::string HtmlPresenter::Dispute(const ledger::DisputeReport& dispute, const ledger::KnownAt& before,
                                   const ledger::KnownAt& after) const {
  return OrNote(present::DisputeHtml(dispute, before, after, view_));
}

std::string HtmlPresenter::Explain(const store::EventStore& store,
                                   const projection::ResidentExplanation& explanation) const {
  return present::ExplainHtml(store, explanation, view_);
}

std::string HtmlPresenter::Balance(const ledger::Balance& balance, const ledger::KnownAt& known_at) const {
  return present::BalanceHtml(balance, known_at, view_);
}

std::string HtmlPresenter::Verify(const store::VerifyReport& report, const store::Head& head) const {
  return present::VerifyHtml(report, head, view_);
}

std::string HtmlPresenter::Payout(const ledger::PayoutResult& result, const ledger::KnownAt& known_at) const {
  return present::PayoutHtml(result, known_at, view_);
}

std::string HtmlPresenter::Event(const store::StoredRecord& record) const { return present::EventHtml(record, view_); }

}  // namespace capledger::api
