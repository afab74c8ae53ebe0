#include "ledger/annual.h"

#include <map>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "projection/report.h"

namespace capledger::ledger {
namespace {

using domain::AddTo;
using domain::Money;

Status Finish(AnnualClinic& c, std::size_t months) {
  auto total = c.fixed.Plus(c.variable);
  if (!total) return tl::unexpected(total.error());
  c.total = *total;
  auto fixed = PerListed(c.fixed, months, c.listed_sum);
  auto variable = PerListed(c.variable, months, c.listed_sum);
  if (!fixed) return tl::unexpected(fixed.error());
  if (!variable) return tl::unexpected(variable.error());
  c.fixed_per_listed = *fixed;
  c.variable_per_listed = *variable;
  return {};
}

// The listed counts from the month reports, per clinic, in month order (0 where a clinic has no line).
Status AddListed(const projection::Projection& p, int year, domain::Seq known_at, AnnualReport& r,
                 std::map<domain::ClinicId, AnnualClinic>& clinics) {
  std::vector<domain::Month> months;
  for (unsigned m = 1; m <= 12; ++m) months.push_back(domain::Month{std::chrono::year(year), std::chrono::month(m)});
  auto reports = projection::BuildMonthReports(p, months, known_at);
  for (auto& report : reports) {
    if (!report && report.error().code == ErrorCode::kNoRulebookInForce) continue;
    if (!report) return tl::unexpected(report.error());
    const std::size_t index = r.months.size();
    r.months.push_back(report->month);
    for (const auto& line : report->clinics) {
      AnnualClinic& c = clinics[line.clinic];
      c.listed.resize(index + 1, 0);
      c.listed[index] = line.amounts.listed;
    }
  }
  if (r.months.empty()) {
    return Fail(ErrorCode::kNoRulebookInForce, fmt::format("no rulebook is in force for any month of {} as known at seq {}",
                                                           year, known_at));
  }
  return {};
}

Status AddEntries(const projection::Projection& p, int year, domain::Seq known_at,
                  std::map<domain::ClinicId, AnnualClinic>& clinics) {
  for (const auto& booked : p.ledger().entries()) {
    if (booked.seq > known_at) break;
    const auto& e = booked.entry;
    if (static_cast<int>(e.period.year()) != year) continue;
    AnnualClinic& c = clinics[e.clinic];
    if (auto added = AddTo(IsFixedCompensation(e.component) ? c.fixed : c.variable, e.amount); !added) return added;
  }
  return {};
}

}  // namespace

Result<std::optional<Money>> PerListed(Money amount, std::size_t months, std::int64_t listed_sum) {
  if (listed_sum <= 0) return std::optional<Money>();
  auto per = domain::DivideRoundHalfAway(static_cast<__int128>(amount.ore()) * static_cast<__int128>(months), listed_sum);
  if (!per) return tl::unexpected(per.error());
  return std::optional<Money>(*per);
}

bool IsFixedCompensation(domain::Component component) {
  return component != domain::Component::kPerformance && component != domain::Component::kVisits;
}

Result<AnnualReport> BuildAnnualReport(const projection::Projection& projection, int year, domain::Seq known_at) {
  AnnualReport r;
  r.year = year;
  r.known_at_seq = known_at;
  std::map<domain::ClinicId, AnnualClinic> clinics;
  if (auto listed = AddListed(projection, year, known_at, r, clinics); !listed) return tl::unexpected(listed.error());
  if (auto added = AddEntries(projection, year, known_at, clinics); !added) return tl::unexpected(added.error());
  r.total.clinic = "TOTAL";
  r.total.listed.assign(r.months.size(), 0);
  for (auto& [id, c] : clinics) {
    c.clinic = id;
    if (auto index = projection.ClinicIndex(id)) c.name = projection.NameAt(*index, known_at);
    c.listed.resize(r.months.size(), 0);
    for (std::size_t i = 0; i < c.listed.size(); ++i) {
      c.listed_sum += c.listed[i];
      r.total.listed[i] += c.listed[i];
    }
    r.total.listed_sum += c.listed_sum;
    if (auto added = AddTo(r.total.fixed, c.fixed); !added) return tl::unexpected(added.error());
    if (auto added = AddTo(r.total.variable, c.variable); !added) return tl::unexpected(added.error());
    if (auto finished = Finish(c, r.months.size()); !finished) return tl::unexpected(finished.error());
    r.clinics.push_back(std::move(c));
  }
  if (auto finished = Finish(r.total, r.months.size()); !finished) return tl::unexpected(finished.error());
  return r;
}

}  // namespace capledger::ledger
