#include "api/queries.h"

#include <charconv>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "codec/json_out.h"
#include "codec/seq_format.h"
#include "domain/personnummer.h"
#include "domain/pseudonym.h"
#include "ledger/books.h"
#include "ledger/dispute.h"
#include "ledger/trace.h"
#include "projection/explain.h"
#include "projection/report.h"
#include "store/lookup_log.h"

namespace capledger::api {
namespace {

using projection::Projection;

Result<domain::Pseudonym> ResidentPseudonym(const RegionSecret* secret, const std::string& text,
                                            const LookupRequest* lookup) {
  if (text.size() == 32) {
    if (auto pseudonym = domain::ParsePseudonym(text)) return *pseudonym;
  }
  auto pnr = domain::ParsePersonnummer(text);
  if (!pnr) {
    return Fail(ErrorCode::kInvalidArgument,
                "resident: neither a pseudonym nor a valid personnummer: " + pnr.error().message);
  }
  if (!secret || !lookup) {
    return Fail(ErrorCode::kRefused, "resident: looking a resident up by personnummer is not enabled here; give the "
                                     "pseudonym");
  }
  domain::Pseudonymizer pseudonymizer(secret->bytes());
  return pseudonymizer.Of(*pnr);
}

double SecondsSince(const Clock& clock, Timestamp start) {
  return static_cast<double>((clock.Now() - start).count()) / 1e6;
}

}  // namespace

Result<ledger::KnownAt> ResolveForQuery(ledger::LedgerService& service, const std::string& text,
                                        std::string_view name) {
  auto known_at = ledger::ResolveKnownAt(service.store(), text, name);
  if (!known_at) return known_at;
  const domain::Seq applied = service.WithProjection([](const Projection& p) { return p.applied_seq(); });
  // The applied seq only grows, so after catching up it is at least the head resolved above.
  if (known_at->seq > applied) {
    if (auto caught_up = service.CatchUp(); !caught_up) return tl::unexpected(caught_up.error());
  }
  return known_at;
}

Result<std::string> ReportQuery(QueryContext& context, const Params& params) {
  auto month = params.RequiredMonth("month");
  if (!month) return tl::unexpected(month.error());
  auto known_at = ResolveForQuery(context.service, params.Optional("known_at"));
  if (!known_at) return tl::unexpected(known_at.error());
  const auto clinic = domain::ClinicId::ParseOptional(params.Optional("clinic"));
  if (!clinic) return tl::unexpected(clinic.error());
  return context.service.WithProjection([&](const Projection& p) -> Result<std::string> {
    auto report = projection::BuildMonthReport(p, *month, known_at->seq, *clinic);
    if (!report) return tl::unexpected(report.error());
    return context.presenter.Report(*report, *known_at);
  });
}

// The year parameter, "YYYY"; kInvalidArgument names it.
Result<int> YearParam(const Params& params) {
  auto text = params.Required("year");
  if (!text) return tl::unexpected(text.error());
  auto year = domain::ParseYear(*text);
  if (!year) return Fail(ErrorCode::kInvalidArgument, "year: " + year.error().message);
  return year;
}

Result<std::string> PeriodQuery(QueryContext& context, const Params& params) {
  auto year = YearParam(params);
  if (!year) return tl::unexpected(year.error());
  auto through = params.RequiredMonth("through");
  if (!through) return tl::unexpected(through.error());
  auto known_at = ResolveForQuery(context.service, params.Optional("known_at"));
  if (!known_at) return tl::unexpected(known_at.error());
  return context.service.WithProjection([&](const Projection& p) -> Result<std::string> {
    auto report = ledger::BuildPeriodReport(p, *year, *through, known_at->seq);
    if (!report) return tl::unexpected(report.error());
    return context.presenter.Period(*report, *known_at);
  });
}

Result<std::string> AnnualReportQuery(QueryContext& context, const Params& params) {
  auto year = YearParam(params);
  if (!year) return tl::unexpected(year.error());
  auto known_at = ResolveForQuery(context.service, params.Optional("known_at"));
  if (!known_at) return tl::unexpected(known_at.error());
  return context.service.WithProjection([&](const Projection& p) -> Result<std::string> {
    auto report = ledger::BuildAnnualReport(p, *year, known_at->seq);
    if (!report) return tl::unexpected(report.error());
    return context.presenter.Annual(*report, *known_at);
  });
}

Result<std::string> RulebooksQuery(QueryContext& context, const Params& params) {
  auto known_at = ResolveForQuery(context.service, params.Optional("known_at"));
  if (!known_at) return tl::unexpected(known_at.error());
  return context.service.WithProjection(
      [&](const Projection& p) { return context.presenter.Rulebooks(p.RulebooksKnownAt(known_at->seq), *known_at); });
}

Result<std::string> EntriesQuery(QueryContext& context, const Params& params) {
  auto month = params.OptionalMonth("month");
  if (!month) return tl::unexpected(month.error());
  auto run = params.OptionalMonth("run");
  if (!run) return tl::unexpected(run.error());
  const auto clinic = domain::ClinicId::ParseOptional(params.Optional("clinic"));
  if (!clinic) return tl::unexpected(clinic.error());
  const ledger::EntryFilter filter{*month, *run, *clinic};
  return context.service.WithProjection(
      [&](const Projection& p) { return context.presenter.Entries(ledger::SelectEntries(p, filter)); });
}

Result<std::string> RunsQuery(QueryContext& context) {
  return context.service.WithProjection([&](const Projection& p) { return context.presenter.Runs(p.ledger().runs()); });
}

Result<std::string> StatementQuery(QueryContext& context, const Params& params) {
  auto run = params.RequiredMonth("run");
  if (!run) return tl::unexpected(run.error());
  const auto clinic = domain::ClinicId::ParseOptional(params.Optional("clinic"));
  if (!clinic) return tl::unexpected(clinic.error());
  return context.service.WithProjection([&](const Projection& p) -> Result<std::string> {
    auto statement = ledger::Statement(p, *run, *clinic);
    if (!statement) return tl::unexpected(statement.error());
    return context.presenter.Statement(*statement);
  });
}

Result<std::string> TraceQuery(QueryContext& context, std::string_view entry_id_text) {
  auto entry_id = domain::EventId::Parse(entry_id_text, "entry id");
  if (!entry_id) return tl::unexpected(entry_id.error());
  return context.service.WithProjection([&](const Projection& p) -> Result<std::string> {
    auto trace = ledger::TraceEntry(p, *entry_id);
    if (!trace) return tl::unexpected(trace.error());
    return context.presenter.Trace(*trace);
  });
}

Result<std::string> DisputeQuery(QueryContext& context, const Params& params) {
  auto clinic_text = params.Required("clinic");
  if (!clinic_text) return tl::unexpected(clinic_text.error());
  auto clinic = domain::ClinicId::Parse(*clinic_text);
  if (!clinic) return tl::unexpected(clinic.error());
  auto month = params.RequiredMonth("month");
  if (!month) return tl::unexpected(month.error());
  auto k1_text = params.Required("known_at");
  if (!k1_text) return tl::unexpected(k1_text.error());
  auto k2_text = params.Required("vs");
  if (!k2_text) return tl::unexpected(k2_text.error());
  auto k1 = ResolveForQuery(context.service, *k1_text);
  if (!k1) return tl::unexpected(k1.error());
  auto k2 = ResolveForQuery(context.service, *k2_text, "vs");
  if (!k2) return tl::unexpected(k2.error());
  return context.service.WithProjection([&](const Projection& p) -> Result<std::string> {
    auto dispute = ledger::Dispute(p, *clinic, *month, k1->seq, k2->seq);
    if (!dispute) return tl::unexpected(dispute.error());
    return context.presenter.Dispute(*dispute, *k1, *k2);
  });
}

bool IsPersonnummerText(std::string_view text) {
  if (text.size() == 32 && domain::ParsePseudonym(text)) return false;
  return domain::ParsePersonnummer(text).has_value();
}

Result<std::string> ExplainQuery(QueryContext& context, const Params& params, const LookupRequest* lookup) {
  auto resident = params.Required("resident");
  if (!resident) return tl::unexpected(resident.error());
  auto month = params.RequiredMonth("month");
  if (!month) return tl::unexpected(month.error());
  const bool by_personnummer = IsPersonnummerText(*resident);
  auto pseudonym = ResidentPseudonym(context.secret, *resident, by_personnummer ? lookup : nullptr);
  if (!pseudonym) return tl::unexpected(pseudonym.error());
  auto known_at = ResolveForQuery(context.service, params.Optional("known_at"));
  if (!known_at) return tl::unexpected(known_at.error());
  auto answer = context.service.WithProjection([&](const Projection& p) -> Result<std::string> {
    auto explanation = projection::ExplainResident(p, *pseudonym, *month, known_at->seq);
    if (!explanation) return tl::unexpected(explanation.error());
    return context.presenter.Explain(context.service.store(), *explanation);
  });
  if (!by_personnummer) return answer;
  const bool found = answer || answer.error().code != ErrorCode::kNotFound;
  const store::ResidentLookup record{context.clock.Now(), lookup->who, "api", *pseudonym, found};
  if (auto recorded = store::RecordResidentLookup(lookup->store_dir, record); !recorded) {
    return tl::unexpected(recorded.error());
  }
  return answer;
}

Result<std::string> BalanceQuery(QueryContext& context, const Params& params) {
  auto account = params.Required("account");
  if (!account) return tl::unexpected(account.error());
  auto known_at = ResolveForQuery(context.service, params.Optional("known_at"));
  if (!known_at) return tl::unexpected(known_at.error());
  return context.service.WithProjection([&](const Projection& p) -> Result<std::string> {
    auto balance = ledger::AccountBalance(p, *account, known_at->seq);
    if (!balance) return tl::unexpected(balance.error());
    return context.presenter.Balance(*balance, *known_at);
  });
}

Result<std::string> VerifyQuery(QueryContext& context) {
  const store::EventStore& store = context.service.store();
  auto report = store.Verify();
  if (!report) return tl::unexpected(report.error());
  return context.presenter.Verify(*report, store.head());
}

domain::Seq HeadSeq(const ledger::LedgerService& service) { return service.store().head().seq; }

std::optional<domain::Month> LastRunMonth(ledger::LedgerService& service) {
  return service.WithProjection([](const Projection& p) -> std::optional<domain::Month> {
    const auto& runs = p.ledger().runs();
    if (runs.empty()) return std::nullopt;
    return runs.back().run.run;
  });
}

Result<std::string> EventQuery(QueryContext& context, std::string_view seq_text) {
  std::uint64_t seq = 0;
  const auto [end, ec] = std::from_chars(seq_text.data(), seq_text.data() + seq_text.size(), seq);
  if (ec != std::errc() || end != seq_text.data() + seq_text.size() || seq == 0) {
    return Fail(ErrorCode::kInvalidArgument, "seq: not a positive integer");
  }
  std::optional<store::StoredRecord> found;
  auto scanned = context.service.store().Scan(domain::Seq(seq), 1, [&](const store::StoredRecord& record) {
    found = record;
    return false;
  });
  if (!scanned) return tl::unexpected(scanned.error());
  if (!found || found->stored.seq != domain::Seq(seq)) return Fail(ErrorCode::kNotFound, fmt::format("no event at seq {}", seq));
  return context.presenter.Event(*found);
}

Result<std::string> PayoutCommand(QueryContext& context, std::string_view month_text) {
  auto month = domain::ParseMonth(month_text);
  if (!month) return Fail(ErrorCode::kInvalidArgument, "month: " + month.error().message);
  const Timestamp start = context.clock.Now();
  auto result = context.hooks.payout ? context.hooks.payout(*month) : context.service.Payout(*month, std::nullopt);
  if (!result) return tl::unexpected(result.error());
  context.metrics.ObservePayoutRun(SecondsSince(context.clock, start), !result->existing);
  const std::string month_name = domain::FormatMonth(*month);
  if (result->existing) {
    spdlog::info("{} has already been run at seq {}: nothing was booked now", month_name, result->run.known_at_seq);
  } else {
    spdlog::info("booked the run for {}: {} entries, total {}, at seq {}", month_name, result->entries.size(),
                 domain::FormatKronor(result->run.total), result->run.known_at_seq);
  }
  auto known_at = ledger::ResolveKnownAt(context.service.store(), fmt::format("seq:{}", result->run.known_at_seq));
  if (!known_at) return tl::unexpected(known_at.error());
  return context.presenter.Payout(*result, *known_at);
}

std::string HealthAnswer(QueryContext& context) {
  const domain::Seq applied = context.service.WithProjection([](const Projection& p) { return p.applied_seq(); });
  std::string out;
  codec::JsonObject o(out, codec::JsonSpacing::kSpaced);
  o.Bool("ready", true)
      .Integer("head_seq", context.service.store().head().seq)
      .Integer("applied_seq", applied);
  if (context.hooks.health) {
    for (const auto& [name, value] : context.hooks.health()) o.Raw(name, value);
  }
  o.Close();
  return out + "\n";
}

}  // namespace capledger::api
