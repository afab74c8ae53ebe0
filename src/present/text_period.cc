#include "present/text_period.h"

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "domain/date.h"

namespace capledger::present {
namespace {

using domain::FormatKronor;
using domain::Money;

constexpr const char* kHeader = "{:<9} {:<10} {:>15} {:>13} {:>13} {:>13} {:>13} {:>13} {:>13} {:>16}\n";

std::string Row(const std::string& label, const std::string& kind, const ledger::ComponentTotals& a, Money total) {
  static_assert(domain::kComponentCount == 7);
  return fmt::format(kHeader, label, kind, FormatKronor(a[0]), FormatKronor(a[1]), FormatKronor(a[2]), FormatKronor(a[3]),
                     FormatKronor(a[4]), FormatKronor(a[5]), FormatKronor(a[6]), FormatKronor(total));
}

std::string ColumnHeads() {
  return fmt::format(kHeader, "month", "", "capitation", "performance", "visits", "start_grant", "cni_suppl", "distance",
                     "missions", "total");
}

std::string MonthKind(const ledger::PeriodMonth& m) {
  if (!m.estimated) return "booked";
  return m.assumed_rulebook ? "estimate*" : "estimate";
}

std::string FrameLines(const std::optional<ledger::FrameAtK>& frame, const std::optional<Money>& headroom,
                       bool exceeds, const std::string& what, int year) {
  if (!frame) return fmt::format("frame: no budget frame is set for {} as known at K\n", year);
  std::string out = fmt::format("frame:    {:>18}   ({}, BudgetFrameSet at seq {})\n", FormatKronor(frame->amount),
                                frame->decision, frame->seq);
  out += fmt::format("headroom: {:>18}   (frame − {})\n", FormatKronor(*headroom), what);
  if (exceeds) out += fmt::format("THE {} EXCEEDS THE FRAME by {}\n", what == "forecast" ? "FORECAST" : "DRAFT'S YEAR",
                                  FormatKronor(Money::FromOre(-headroom->ore())));
  return out;
}

}  // namespace

std::string PeriodTable(const ledger::PeriodReport& r, const ledger::KnownAt& k) {
  std::string out = fmt::format("Period report {} through {}  known at seq {} ({})\n\n", r.year,
                                domain::FormatMonth(r.through), k.seq, domain::FormatTimestamp(k.recorded_at));
  out += ColumnHeads();
  for (const auto& m : r.months) out += Row(domain::FormatMonth(m.month), MonthKind(m), m.amounts, m.total);
  out += "\n" + Row("outcome", "booked", r.outcome, r.outcome_total);
  out += Row("forecast", "year", r.forecast, r.forecast_total);
  out += "\noutcome: the entries booked at K for the months they concern; estimate: the month's amounts at K,\n"
         "with visits and performance as in " + domain::FormatMonth(r.through) + ".\n";
  bool assumed = false;
  for (const auto& m : r.months) assumed = assumed || m.assumed_rulebook;
  if (assumed) {
    out += "estimate*: no rulebook is in force for the month at K; the rulebook of " + domain::FormatMonth(r.through) +
           " was assumed:";
    for (const auto& m : r.months) {
      if (m.assumed_rulebook) out += " " + domain::FormatMonth(m.month);
    }
    out += "\n";
  }
  return out + "\n" + FrameLines(r.frame, r.headroom, r.exceeds_frame, "forecast", r.year);
}

std::string DraftCostTable(const ledger::DraftCost& c, const ledger::KnownAt& k) {
  std::string out = fmt::format("Cost of the draft {} for {}  known at seq {} ({}); nothing is published\n\n", c.draft_id,
                                c.year, k.seq, domain::FormatTimestamp(k.recorded_at));
  out += ColumnHeads();
  for (const auto& m : c.months) out += Row(domain::FormatMonth(m.month), "draft", m.amounts, m.total);
  out += "\n" + Row("year", "draft", c.total, c.total_all);
  std::string compared;
  for (const auto& id : c.current_rulebooks) compared += (compared.empty() ? "" : ", ") + id;
  out += fmt::format("\nthe year under {}: {}; the draft − that: {}\n", compared, FormatKronor(c.current_all),
                     FormatKronor(Money::FromOre(c.total_all.ore() - c.current_all.ore())));
  out += "\nvisits and performance: each clinic's reports for the month, or those of its latest earlier month at K.\n\n";
  out += FrameLines(c.frame, c.headroom, c.exceeds_frame, "the draft's year", c.year);
  out += fmt::format("\nper clinic: the draft {} against the rulebooks in force ({})\n", c.draft_id, compared);
  out += fmt::format("{:<12} {:>16} {:>16} {:>16}\n", "clinic", "draft", "in force", "difference");
  for (const auto& clinic : c.clinics) {
    out += fmt::format("{:<12} {:>16} {:>16} {:>16}\n", clinic.clinic, FormatKronor(clinic.draft),
                       FormatKronor(clinic.current), FormatKronor(clinic.difference));
  }
  return out;
}

std::string AnnualTable(const ledger::AnnualReport& r, const ledger::KnownAt& k) {
  std::string out = fmt::format("Annual report {}  known at seq {} ({}); listed on the snapshot date of {} months\n\n",
                                r.year, k.seq, domain::FormatTimestamp(k.recorded_at), r.months.size());
  constexpr const char* kRow = "{:<12} {:>11} {:>16} {:>16} {:>16} {:>14} {:>14}\n";
  out += fmt::format(kRow, "clinic", "mean listed", "fixed", "variable", "total", "fixed/listed", "variable/listed");
  const auto months = static_cast<std::int64_t>(r.months.size());
  auto line = [&](const ledger::AnnualClinic& c) {
    const auto mean = domain::DivideRoundHalfAway(static_cast<__int128>(c.listed_sum) * 100, months);
    return fmt::format(kRow, c.clinic, FormatKronor(*mean), FormatKronor(c.fixed), FormatKronor(c.variable),
                       FormatKronor(c.total), c.fixed_per_listed ? FormatKronor(*c.fixed_per_listed) : "-",
                       c.variable_per_listed ? FormatKronor(*c.variable_per_listed) : "-");
  };
  for (const auto& c : r.clinics) out += line(c);
  out += "\n" + line(r.total);
  out += "\nfixed: capitation, missions, start_grant, cni_supplement, distance_supplement; variable: performance,\n"
         "visits; each the entries booked at K for the year's months. Per listed: ÷ the mean listed count.\n";
  return out;
}

}  // namespace capledger::present
