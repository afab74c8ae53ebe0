#include "projection/report.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "common/assert.h"

namespace capledger::projection {
namespace {

using domain::Money;

struct Context {
  const Projection& p;
  domain::Month month;
  domain::Seq known_at;
  const domain::Rulebook& rulebook;
  std::int32_t on;  // the snapshot date, days since epoch
  const Assumptions* assumed = nullptr;  // an estimate's (BuildEstimatedReport), else none
};

// The rulebook in force for `m` at K: the assumed one for the months it covers, else the log's.
const domain::Rulebook* RulebookFor(const Projection& p, const Assumptions* assumed, domain::Month m,
                                    domain::Seq known_at) {
  if (assumed && assumed->rulebook && !(m < assumed->from) && !(assumed->through < m)) return assumed->rulebook;
  const RulebookFact* fact = p.RulebookInForce(m, known_at);
  return fact ? &fact->rulebook : nullptr;
}

// The clinics that get the CNI supplement on D, by dense id.
std::vector<std::uint16_t> CniWinners(const Context& ctx, const std::vector<std::uint16_t>& open,
                                      const std::function<bool(std::uint16_t)>& has_listed) {
  if (!ctx.rulebook.cni_supplement) return {};
  std::vector<domain::CniCandidate> candidates;
  for (std::uint16_t c : open) {
    auto cni = ctx.p.CniOn(c, ctx.on, ctx.known_at);
    if (!cni) continue;
    candidates.push_back(domain::CniCandidate{ctx.p.clinics().id[c], has_listed(c) ? 1 : 0, *cni});
  }
  std::vector<std::uint16_t> winners;
  for (const auto& id : domain::CniTopN(std::move(candidates), ctx.rulebook.cni_supplement->top_n)) {
    winners.push_back(*ctx.p.ClinicIndex(id));
  }
  return winners;
}

// O' of DOMAIN.md §6 step 3: the first month from `opened` up to the context's month on whose
// snapshot date (under the rulebook in force for that month at K) clinic c is open. A month with
// no rulebook in force has no snapshot date and is passed over. The caller has checked that c is
// open on the context's D, so the context's month is the latest answer.
domain::Month FirstPaidMonth(const Context& ctx, std::uint16_t c, domain::Month opened) {
  for (domain::Month m = opened; m < ctx.month; m = domain::AddMonths(m, 1)) {
    const domain::Rulebook* rulebook = RulebookFor(ctx.p, ctx.assumed, m, ctx.known_at);
    if (!rulebook) continue;
    const domain::Date snapshot = domain::SnapshotDate(rulebook->snapshot, m);
    if (ctx.p.OpenOn(c, domain::DaysSinceEpoch(snapshot), ctx.known_at)) return m;
  }
  return ctx.month;
}

// The start-grant part owed to clinic c for the month, under the rulebook in force for the month
// it opened (DOMAIN.md §6.3), as known at K. Part 1 belongs to O', the first month on whose
// snapshot date c is open, so that no part is lost to the snapshot rule. The caller has checked
// that c is open on D.
std::optional<Money> StartGrantPart(const Context& ctx, std::uint16_t c) {
  auto opening = ctx.p.OpeningDay(c, ctx.known_at);
  if (!opening) return std::nullopt;
  const domain::Month opened = domain::MonthOf(domain::DateFromDays(*opening));
  const domain::Rulebook* at_opening = RulebookFor(ctx.p, ctx.assumed, opened, ctx.known_at);
  if (!at_opening || !at_opening->start_grant) return std::nullopt;
  const auto& grant = *at_opening->start_grant;
  if (ctx.month < opened) return std::nullopt;
  const int index = domain::MonthOrdinal(ctx.month) - domain::MonthOrdinal(FirstPaidMonth(ctx, c, opened));
  if (index < 0 || index >= grant.months) return std::nullopt;
  return domain::StartGrantParts(grant.amount, grant.months)[static_cast<std::size_t>(index)];
}

// The latest month up to `not_after` with a report of the kind (visits, or a performance
// period's end) visible at K.
template <typename Fact, typename MonthOf>
std::optional<domain::Month> LatestReportedMonth(const std::vector<Fact>& facts, domain::Seq known_at,
                                                 domain::Month not_after, MonthOf month_of) {
  const std::int32_t bound = domain::MonthOrdinal(not_after);
  std::optional<std::int32_t> latest;
  for (const Fact& f : facts) {
    const std::int32_t m = month_of(f);
    if (m <= bound && VisibleAt(f.seq, f.retracted_at, known_at)) latest = std::max(latest.value_or(m), m);
  }
  if (!latest) return std::nullopt;
  return domain::MonthFromOrdinal(*latest);
}

// The fulfilment and visits for clinic c: the month's own reports; an estimate with
// latest_reports falls back to those of the latest earlier month that has them at K.
void ReportsFor(const Context& ctx, std::uint16_t c, domain::ClinicMonthFacts& facts) {
  const bool latest = ctx.assumed && ctx.assumed->latest_reports;
  const auto& clinics = ctx.p.clinics();
  const PerformanceFact* perf = ctx.p.PerformanceFor(c, ctx.month, ctx.known_at);
  if (!perf && latest) {
    if (auto m = LatestReportedMonth(clinics.performance[c], ctx.known_at, ctx.month,
                                     [](const PerformanceFact& f) { return f.to_month; })) {
      perf = ctx.p.PerformanceFor(c, *m, ctx.known_at);
    }
  }
  if (perf) facts.fulfilment_thousandths = perf->fulfilment_thousandths;
  const VisitFact* visits = ctx.p.VisitsFor(c, ctx.month, ctx.known_at);
  if (!visits && latest) {
    if (auto m = LatestReportedMonth(clinics.visits[c], ctx.known_at, ctx.month, [](const VisitFact& f) { return f.month; })) {
      visits = ctx.p.VisitsFor(c, *m, ctx.known_at);
    }
  }
  if (visits) facts.visits = visits->counts;
}

domain::ClinicMonthFacts FactsFor(const Context& ctx, std::uint16_t c, const domain::AgeCounts& ages, bool in_top) {
  domain::ClinicMonthFacts facts;
  facts.open_on_snapshot = true;
  facts.open_in_month = true;
  facts.listed_by_age = ages;
  ReportsFor(ctx, c, facts);
  facts.in_cni_top_n = in_top;
  if (auto distance = ctx.p.DistanceOn(c, ctx.on, ctx.known_at)) {
    facts.distance_km_tenths = static_cast<std::int32_t>(*distance);
  }
  facts.start_grant_part = StartGrantPart(ctx, c);
  facts.missions = ctx.p.MissionsOn(c, ctx.on, ctx.known_at);
  return facts;
}

// The facts of a clinic not open on D: only its visits, paid if it was open on a day of the month.
domain::ClinicMonthFacts ClosedFactsFor(const Context& ctx, std::uint16_t c, const domain::AgeCounts& ages) {
  domain::ClinicMonthFacts facts;
  facts.listed_by_age = ages;
  facts.open_in_month = ctx.p.OpenInMonth(c, ctx.month, ctx.known_at);
  if (const auto* visits = ctx.p.VisitsFor(c, ctx.month, ctx.known_at)) facts.visits = visits->counts;
  return facts;
}

// A clinic not open on D has a line in the report only for visits paid for work done.
bool HasVisitsOnlyLine(const domain::ClinicMonthFacts& closed) { return closed.open_in_month && closed.visits; }

// `closed`: the clinic's ClosedFactsFor.
void AddClosedClinicAnomalies(const Context& ctx, std::uint16_t c, const domain::ClinicMonthFacts& closed,
                              std::int64_t listed, MonthReport& report) {
  const domain::ClinicId& id = ctx.p.clinics().id[c];
  const bool registered = ctx.p.OpeningDay(c, ctx.known_at).has_value();
  if (listed > 0) {
    report.anomalies.push_back(AnomalyLine{
        registered ? "listing_at_closed_clinic" : "listing_at_unregistered_clinic",
        fmt::format("{} residents listed at {}, which is not open on {}: not counted", listed, id,
                    domain::FormatDate(report.snapshot))});
  }
  if (closed.visits && !closed.open_in_month) {
    report.anomalies.push_back(AnomalyLine{
        "report_for_closed_clinic",
        fmt::format("a visits report for {} covers {}, but the clinic is open on no day of it: not paid", id,
                    domain::FormatMonth(ctx.month))});
  }
  if (ctx.p.PerformanceFor(c, ctx.month, ctx.known_at)) {
    report.anomalies.push_back(AnomalyLine{
        "report_for_closed_clinic",
        fmt::format("a performance report for {} covers {}, but the clinic is not open on {}: not paid", id,
                    domain::FormatMonth(ctx.month), domain::FormatDate(report.snapshot))});
  }
}

// A list above the clinic's cap on D is reported; every listed resident still counts, since
// anomalies never change money (DOMAIN.md §4.1).
void AddListCapAnomaly(const Context& ctx, std::uint16_t c, std::int64_t listed, MonthReport& report) {
  const auto cap = ctx.p.ListCapOn(c, ctx.on, ctx.known_at);
  if (!cap || listed <= *cap) return;
  report.anomalies.push_back(AnomalyLine{
      "list_cap_exceeded", fmt::format("{} residents listed at {} on {}, above its list cap of {}: all counted", listed,
                                       ctx.p.clinics().id[c], domain::FormatDate(report.snapshot), *cap)});
}

// An offered mission that pays nothing is reported (DOMAIN.md §9).
void AddMissionAnomalies(const Context& ctx, std::uint16_t c, const domain::ClinicMonthFacts& facts,
                         MonthReport& report) {
  for (const domain::MissionPart& part : domain::MissionParts(ctx.rulebook, facts)) {
    const domain::ClinicId& id = ctx.p.clinics().id[c];
    switch (part.problem) {
      case domain::MissionProblem::kNone: break;
      case domain::MissionProblem::kNotInRulebook:
        report.anomalies.push_back(AnomalyLine{
            "mission_not_in_rulebook", fmt::format("{} offers mission {}, which {} does not list: not paid", id,
                                                   part.mission, ctx.rulebook.id)});
        break;
      case domain::MissionProblem::kBaseMission:
        report.anomalies.push_back(AnomalyLine{
            "mission_is_base", fmt::format("{} undertook mission {}, which {} lists as base (paid by capitation): "
                                           "not paid", id, part.mission, ctx.rulebook.id)});
        break;
      case domain::MissionProblem::kUnitsMissing:
        report.anomalies.push_back(AnomalyLine{
            "mission_units_missing", fmt::format("{} undertook the per_unit mission {} without units: not paid", id,
                                                 part.mission)});
        break;
    }
  }
}

// The line of clinic c from its facts: FactsFor if open on D, else ClosedFactsFor (visits only).
Status AddClinicLine(const Context& ctx, std::uint16_t c, const domain::ClinicMonthFacts& facts, MonthReport& report) {
  auto amounts = domain::ComputeClinicMonth(ctx.rulebook, facts);
  if (!amounts) return tl::unexpected(amounts.error());
  auto total = report.total.Plus(amounts->total);
  if (!total) return tl::unexpected(total.error());
  report.total = *total;
  report.clinics.push_back(ClinicMonthLine{ctx.p.clinics().id[c], ctx.p.NameAt(c, ctx.known_at), std::move(*amounts)});
  return {};
}

std::int64_t Sum(const domain::AgeCounts& ages) {
  std::int64_t n = 0;
  for (std::int64_t a : ages) n += a;
  return n;
}

Result<MonthReport> AllClinics(const Context& ctx, MonthReport report, const Projection::Listing& listing) {
  std::vector<std::uint16_t> open;
  std::vector<std::pair<std::uint16_t, domain::ClinicMonthFacts>> visits_only;
  for (std::uint16_t c = 0; c < ctx.p.clinics().id.size(); ++c) {
    if (ctx.p.OpenOn(c, ctx.on, ctx.known_at)) {
      open.push_back(c);
      continue;
    }
    domain::ClinicMonthFacts closed = ClosedFactsFor(ctx, c, listing.by_clinic[c]);
    AddClosedClinicAnomalies(ctx, c, closed, Sum(listing.by_clinic[c]), report);
    if (HasVisitsOnlyLine(closed)) visits_only.emplace_back(c, std::move(closed));
  }
  const auto winners = CniWinners(ctx, open, [&](std::uint16_t c) { return Sum(listing.by_clinic[c]) > 0; });
  for (std::uint16_t c : open) {
    const bool in_top = std::find(winners.begin(), winners.end(), c) != winners.end();
    const domain::ClinicMonthFacts facts = FactsFor(ctx, c, listing.by_clinic[c], in_top);
    if (auto added = AddClinicLine(ctx, c, facts, report); !added) return tl::unexpected(added.error());
    AddListCapAnomaly(ctx, c, Sum(listing.by_clinic[c]), report);
    AddMissionAnomalies(ctx, c, facts, report);
  }
  for (const auto& [c, facts] : visits_only) {
    if (auto added = AddClinicLine(ctx, c, facts, report); !added) return tl::unexpected(added.error());
  }
  for (int bit = 0; bit < kAnomalyKinds; ++bit) {
    const std::int64_t n = listing.anomaly_residents[static_cast<std::size_t>(bit)];
    if (n > 0) {
      report.anomalies.push_back(AnomalyLine{std::string(AnomalyCode(bit)),
                                             fmt::format("{} residents on {}", n, domain::FormatDate(report.snapshot))});
    }
  }
  return report;
}

std::vector<std::uint16_t> OpenClinics(const Context& ctx) {
  std::vector<std::uint16_t> open;
  for (std::uint16_t k = 0; k < ctx.p.clinics().id.size(); ++k) {
    if (ctx.p.OpenOn(k, ctx.on, ctx.known_at)) open.push_back(k);
  }
  return open;
}

Result<MonthReport> OneClinic(const Context& ctx, MonthReport report, const domain::ClinicId& clinic) {
  auto c = ctx.p.ClinicIndex(clinic);
  const bool open = c && ctx.p.OpenOn(*c, ctx.on, ctx.known_at);
  std::optional<domain::ClinicMonthFacts> facts;
  if (open) {
    const auto winners =
        CniWinners(ctx, OpenClinics(ctx), [&](std::uint16_t k) { return ctx.p.AnyListedAt(k, ctx.on, ctx.known_at); });
    const bool in_top = std::find(winners.begin(), winners.end(), *c) != winners.end();
    facts = FactsFor(ctx, *c, ctx.p.ListedAtClinic(*c, ctx.on, ctx.known_at), in_top);
  } else if (c) {
    facts = ClosedFactsFor(ctx, *c, domain::AgeCounts{});
    if (!HasVisitsOnlyLine(*facts)) facts.reset();
  }
  if (!facts) {
    return Fail(ErrorCode::kNotFound,
                fmt::format("clinic {} is not open on {} and has no visits paid for {} as known at seq {}", clinic,
                            domain::FormatDate(report.snapshot), domain::FormatMonth(ctx.month), ctx.known_at));
  }
  if (auto added = AddClinicLine(ctx, *c, *facts, report); !added) return tl::unexpected(added.error());
  if (open) AddMissionAnomalies(ctx, *c, *facts, report);
  return report;
}


}  // namespace

// The report's header fields, or kNoRulebookInForce.
Result<MonthReport> ReportHeader(const Projection& projection, domain::Month month, domain::Seq known_at) {
  const RulebookFact* rulebook = projection.RulebookInForce(month, known_at);
  if (!rulebook) {
    return Fail(ErrorCode::kNoRulebookInForce, fmt::format("no rulebook is in force for {} as known at seq {}",
                                                           domain::FormatMonth(month), known_at));
  }
  MonthReport report;
  report.month = month;
  report.snapshot = domain::SnapshotDate(rulebook->rulebook.snapshot, month);
  report.rulebook_id = rulebook->rulebook.id;
  report.rulebook_seq = domain::Seq(rulebook->seq);
  report.rulebook_provenance = rulebook->rulebook.provenance;
  report.known_at_seq = known_at;
  return report;
}

namespace {

Context ContextFor(const Projection& projection, const MonthReport& header) {
  const RulebookFact* rulebook = projection.RulebookInForce(header.month, header.known_at_seq);
  LEDGER_ASSERT(rulebook != nullptr);  // Header found it
  return Context{projection, header.month, header.known_at_seq, rulebook->rulebook,
                 domain::DaysSinceEpoch(header.snapshot)};
}

void SortLines(MonthReport& report) {
  std::sort(report.clinics.begin(), report.clinics.end(),
            [](const ClinicMonthLine& a, const ClinicMonthLine& b) { return a.clinic < b.clinic; });
}

}  // namespace

std::optional<std::int32_t> EstimatedSnapshotDay(const Projection& projection, domain::Month month,
                                                 domain::Seq known_at, const Assumptions& assumed) {
  const domain::Rulebook* rulebook = RulebookFor(projection, &assumed, month, known_at);
  if (!rulebook) return std::nullopt;
  return domain::DaysSinceEpoch(domain::SnapshotDate(rulebook->snapshot, month));
}

namespace {

// The estimated report of `month` with the listing `listing_of` gives for its snapshot day.
Result<MonthReport> Estimated(const Projection& projection, domain::Month month, domain::Seq known_at,
                              const Assumptions& assumed,
                              const std::function<Projection::Listing(std::int32_t)>& listing_of) {
  const domain::Rulebook* rulebook = RulebookFor(projection, &assumed, month, known_at);
  if (!rulebook) {
    return Fail(ErrorCode::kNoRulebookInForce, fmt::format("no rulebook is in force for {} as known at seq {}",
                                                           domain::FormatMonth(month), known_at));
  }
  MonthReport report;
  report.month = month;
  report.snapshot = domain::SnapshotDate(rulebook->snapshot, month);
  report.rulebook_id = rulebook->id;
  const RulebookFact* published = projection.RulebookInForce(month, known_at);
  report.rulebook_seq = published && &published->rulebook == rulebook ? domain::Seq(published->seq) : domain::Seq{};
  report.rulebook_provenance = rulebook->provenance;
  report.known_at_seq = known_at;
  const Context ctx{projection, month, known_at, *rulebook, domain::DaysSinceEpoch(report.snapshot), &assumed};
  auto built = AllClinics(ctx, std::move(report), listing_of(ctx.on));
  if (built) SortLines(*built);
  return built;
}

}  // namespace

Result<MonthReport> BuildEstimatedReport(const Projection& projection, domain::Month month, domain::Seq known_at,
                                         const Assumptions& assumed) {
  return Estimated(projection, month, known_at, assumed,
                   [&](std::int32_t on) { return projection.ListedByClinic(on, known_at); });
}

Result<MonthReport> BuildEstimatedReport(const Projection& projection, domain::Month month, domain::Seq known_at,
                                         const Assumptions& assumed, const Projection::Listing& listing) {
  return Estimated(projection, month, known_at, assumed, [&](std::int32_t) { return listing; });
}

Result<MonthReport> BuildMonthReport(const Projection& projection, domain::Month month, domain::Seq known_at,
                                     const std::optional<domain::ClinicId>& only_clinic) {
  auto header = ReportHeader(projection, month, known_at);
  if (!header) return header;
  const Context ctx = ContextFor(projection, *header);
  auto built = only_clinic ? OneClinic(ctx, std::move(*header), *only_clinic)
                           : AllClinics(ctx, std::move(*header), projection.ListedByClinic(ctx.on, known_at));
  if (built) SortLines(*built);
  return built;
}

Result<ClinicMonthInputs> ClinicInputsAt(const Projection& projection, std::uint16_t clinic, domain::Month month,
                                         domain::Seq known_at, const domain::AgeCounts& ages) {
  LEDGER_ASSERT(clinic < projection.clinics().id.size());
  auto header = ReportHeader(projection, month, known_at);
  if (!header) return tl::unexpected(header.error());
  const Context ctx = ContextFor(projection, *header);
  ClinicMonthInputs inputs{std::move(*header), &ctx.rulebook, ctx.on, {}};
  if (!projection.OpenOn(clinic, ctx.on, known_at)) {
    inputs.facts = ClosedFactsFor(ctx, clinic, ages);
    return inputs;  // open_on_snapshot stays false: only visits for work done may be owed
  }
  const bool listed_here = Sum(ages) > 0;
  const auto winners = CniWinners(ctx, OpenClinics(ctx), [&](std::uint16_t k) {
    return k == clinic ? listed_here : projection.AnyListedAt(k, ctx.on, known_at);
  });
  const bool in_top = std::find(winners.begin(), winners.end(), clinic) != winners.end();
  inputs.facts = FactsFor(ctx, clinic, ages, in_top);
  return inputs;
}

std::vector<Result<MonthReport>> BuildMonthReports(const Projection& projection, std::span<const domain::Month> months,
                                                   domain::Seq known_at) {
  std::vector<Result<MonthReport>> reports;
  std::vector<std::int32_t> days;
  for (domain::Month month : months) {
    reports.push_back(ReportHeader(projection, month, known_at));
    if (reports.back()) days.push_back(domain::DaysSinceEpoch(reports.back()->snapshot));
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  if (days.empty()) return reports;
  const std::vector<Projection::Listing> listings = projection.ListedByClinicOn(days, known_at);
  for (auto& report : reports) {
    if (!report) continue;
    const Context ctx = ContextFor(projection, *report);
    const auto at = std::lower_bound(days.begin(), days.end(), ctx.on) - days.begin();
    report = AllClinics(ctx, std::move(*report), listings[static_cast<std::size_t>(at)]);
    if (report) SortLines(*report);
  }
  return reports;
}

}  // namespace capledger::projection
