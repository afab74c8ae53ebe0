// How the answer of a query is shown. The API answers in JSON (JsonPresenter, the bytes of the
// command line's --json); the auditor's pages answer the same queries in HTML. So a page shows
// exactly what the API returns for the same question, and never reaches past the queries.
#pragma once

#include <string>
#include <vector>

#include "ledger/annual.h"
#include "ledger/books.h"
#include "ledger/dispute.h"
#include "ledger/known_at.h"
#include "ledger/period.h"
#include "ledger/service.h"
#include "ledger/trace.h"
#include "present/html_ledger.h"
#include "projection/explain.h"
#include "projection/projection.h"
#include "projection/report.h"
#include "store/event_store.h"

namespace capledger::api {

// One method per answer; each returns the body to send. Called with the projection's lock held
// (api/queries.h), so a presenter reads what it is given and returns quickly.
class Presenter {
 public:
  virtual ~Presenter() = default;
  virtual std::string Report(const projection::MonthReport& report, const ledger::KnownAt& known_at) const = 0;
  virtual std::string Period(const ledger::PeriodReport& report, const ledger::KnownAt& known_at) const = 0;
  virtual std::string Annual(const ledger::AnnualReport& report, const ledger::KnownAt& known_at) const = 0;
  virtual std::string Rulebooks(const std::vector<const projection::RulebookFact*>& rulebooks,
                                const ledger::KnownAt& known_at) const = 0;
  virtual std::string Entries(const std::vector<projection::BookedEntry>& entries) const = 0;
  virtual std::string Runs(const std::vector<projection::BookedRun>& runs) const = 0;
  virtual std::string Statement(const ledger::RunStatement& statement) const = 0;
  virtual std::string Trace(const ledger::EntryTrace& trace) const = 0;
  virtual std::string Dispute(const ledger::DisputeReport& dispute, const ledger::KnownAt& before,
                              const ledger::KnownAt& after) const = 0;
  virtual std::string Explain(const store::EventStore& store,
                              const projection::ResidentExplanation& explanation) const = 0;
  virtual std::string Balance(const ledger::Balance& balance, const ledger::KnownAt& known_at) const = 0;
  virtual std::string Verify(const store::VerifyReport& report, const store::Head& head) const = 0;
  virtual std::string Payout(const ledger::PayoutResult& result, const ledger::KnownAt& known_at) const = 0;
  virtual std::string Event(const store::StoredRecord& record) const = 0;
};

// The API's JSON (present/json_*.h): the same bytes as the command line's --json.
class JsonPresenter final : public Presenter {
 public:
  std::string Report(const projection::MonthReport& report, const ledger::KnownAt& known_at) const override;
  std::string Period(const ledger::PeriodReport& report, const ledger::KnownAt& known_at) const override;
  std::string Annual(const ledger::AnnualReport& report, const ledger::KnownAt& known_at) const override;
  std::string Rulebooks(const std::vector<const projection::RulebookFact*>& rulebooks,
                        const ledger::KnownAt& known_at) const override;
  std::string Entries(const std::vector<projection::BookedEntry>& entries) const override;
  std::string Runs(const std::vector<projection::BookedRun>& runs) const override;
  std::string Statement(const ledger::RunStatement& statement) const override;
  std::string Trace(const ledger::EntryTrace& trace) const override;
  std::string Dispute(const ledger::DisputeReport& dispute, const ledger::KnownAt& before,
                      const ledger::KnownAt& after) const override;
  std::string Explain(const store::EventStore& store,
                      const projection::ResidentExplanation& explanation) const override;
  std::string Balance(const ledger::Balance& balance, const ledger::KnownAt& known_at) const override;
  std::string Verify(const store::VerifyReport& report, const store::Head& head) const override;
  std::string Payout(const ledger::PayoutResult& result, const ledger::KnownAt& known_at) const override;
  std::string Event(const store::StoredRecord& record) const override;
};

// The auditor's pages (present/html_ledger.h): each answer as the HTML for a page's <main>, in
// the view's language; api/ui.h puts the page's frame around it. A chart that cannot be drawn
// (a value beyond present::kChartValueMax) is replaced by a note saying so; the tables remain.
class HtmlPresenter final : public Presenter {
 public:
  // Keeps a copy of `view`.
  explicit HtmlPresenter(present::HtmlView view) : view_(std::move(view)) {}

  std::string Report(const projection::MonthReport& report, const ledger::KnownAt& known_at) const override;
  std::string Period(const ledger::PeriodReport& report, const ledger::KnownAt& known_at) const override;
  std::string Annual(const ledger::AnnualReport& report, const ledger::KnownAt& known_at) const override;
  std::string Rulebooks(const std::vector<const projection::RulebookFact*>& rulebooks,
                        const ledger::KnownAt& known_at) const override;
  std::string Entries(const std::vector<projection::BookedEntry>& entries) const override;
  std::string Runs(const std::vector<projection::BookedRun>& runs) const override;
  std::string Statement(const ledger::RunStatement& statement) const override;
  std::string Trace(const ledger::EntryTrace& trace) const override;
  std::string Dispute(const ledger::DisputeReport& dispute, const ledger::KnownAt& before,
                      const ledger::KnownAt& after) const override;
  std::string Explain(const store::EventStore& store,
                      const projection::ResidentExplanation& explanation) const override;
  std::string Balance(const ledger::Balance& balance, const ledger::KnownAt& known_at) const override;
  std::string Verify(const store::VerifyReport& report, const store::Head& head) const override;
  std::string Payout(const ledger::PayoutResult& result, const ledger::KnownAt& known_at) const override;
  std::string Event(const store::StoredRecord& record) const override;

 private:
  present::HtmlView view_;
};

}  // namespace capledger::api
