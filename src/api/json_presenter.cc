#include "api/presenter.h"

#include "codec/json_writer.h"
#include "present/json_ledger.h"
#include "present/json_log.h"
#include "present/json_period.h"

namespace capledger::api {

std::string JsonPresenter::Report(const projection::MonthReport& report, const ledger::KnownAt& known_at) const {
  return present::ReportJson(report, known_at);
}

std::string JsonPresenter::Period(const ledger::PeriodReport& report, const ledger::KnownAt& known_at) const {
  return present::PeriodJson(report, known_at);
}

std::string JsonPresenter::Annual(const ledger::AnnualReport& report, const ledger::KnownAt& known_at) const {
  return present::AnnualJson(report, known_at);
}

std::string JsonPresenter::Rulebooks(const std::vector<const projection::RulebookFact*>& rulebooks,
                                     const ledger::KnownAt& known_at) const {
  return present::RulebooksJson(rulebooks, known_at);
}

std::string JsonPresenter::Entries(const std::vector<projection::BookedEntry>& entries) const {
  return present::EntriesJson(entries);
}

std::string JsonPresenter::Runs(const std::vector<projection::BookedRun>& runs) const {
  return present::RunsJson(runs);
}

std::string JsonPresenter::Statement(const ledger::RunStatement& statement) const {
  return present::StatementJson(statement);
}

std::string JsonPresenter::Trace(const ledger::EntryTrace& trace) const { return present::TraceJson(trace); }

std::string JsonPresenter::Dispute(const ledger::DisputeReport& dispute, const ledger::KnownAt& before,
                                   const ledger::KnownAt& after) const {
  return present::DisputeJson(dispute, before, after);
}

std::string JsonPresenter::Explain(const store::EventStore& store,
                                   const projection::ResidentExplanation& explanation) const {
  return present::ExplainJson(store, explanation);
}

std::string JsonPresenter::Balance(const ledger::Balance& balance, const ledger::KnownAt& known_at) const {
  return present::BalanceJson(balance, known_at);
}

std::string JsonPresenter::Verify(const store::VerifyReport& report, const store::Head& head) const {
  return present::VerifyJson(report, head);
}

std::string JsonPresenter::Payout(const ledger::PayoutResult& result, const ledger::KnownAt& known_at) const {
  return present::PayoutJson(result.run, known_at, result.existing, result.entries, result.anomalies);
}

std::string JsonPresenter::Event(const store::StoredRecord& record) const {
  const codec::LogPosition position{record.stored.seq, record.stored.recorded_at, record.prev_hash, record.hash};
  return codec::EventToJson(record.stored.event, &position) + "\n";
}

}  // namespace capledger::api
