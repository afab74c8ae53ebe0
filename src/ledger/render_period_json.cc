#include "ledger/render_period_json.h"

#include <fmt/format.h>

#include "domain/date.h"
#include "ledger/render_json.h"
#include "ledger/render_json_parts.h"
#include "store/json_text.h"

namespace capledger::ledger {
namespace {

using domain::FormatKronor;
using store::JsonString;

using json_parts::JoinJson;
using json_parts::KnownAtJson;
using json_parts::Quoted;

std::string QuotedOrNull(const std::optional<domain::Money>& amount) { return amount ? Quoted(*amount) : "null"; }

std::string MonthJson(const PeriodMonth& m) {
  return fmt::format(R"({{"month": "{}", "estimated": {}, "rulebook": {}, "assumed_rulebook": {}, "amounts": {}, "total": {}}})",
                     domain::FormatMonth(m.month), m.estimated, m.estimated ? JsonString(m.rulebook) : "null",
                     m.assumed_rulebook, ComponentAmountsJson(m.amounts), Quoted(m.total));
}

std::string SumJson(const ComponentTotals& amounts, domain::Money total) {
  return fmt::format(R"({{"amounts": {}, "total": {}}})", ComponentAmountsJson(amounts), Quoted(total));
}

std::string FrameJson(const std::optional<FrameAtK>& frame) {
  if (!frame) return "null";
  return fmt::format(R"({{"amount": {}, "decision": {}, "seq": {}}})", Quoted(frame->amount), JsonString(frame->decision),
                     frame->seq);
}

// The mean listed count with two decimals, Σ listed / months rounded half away from zero.
std::string MeanJson(std::int64_t listed_sum, std::size_t months) {
  if (months == 0) return "null";
  const auto hundredths = domain::DivideRoundHalfAway(static_cast<__int128>(listed_sum) * 100, static_cast<std::int64_t>(months));
  return "\"" + FormatKronor(*hundredths) + "\"";
}

std::string AnnualClinicJson(const AnnualClinic& c, std::size_t months) {
  return fmt::format(
      R"({{"clinic": {}, "name": {}, "listed": {}, "mean_listed": {}, "fixed": {}, "variable": {}, "total": {}, )"
      R"("fixed_per_listed": {}, "variable_per_listed": {}}})",
      JsonString(c.clinic), JsonString(c.name), JoinJson(c.listed, [](std::int64_t n) { return std::to_string(n); }),
      MeanJson(c.listed_sum, months), Quoted(c.fixed), Quoted(c.variable),
      Quoted(c.total), QuotedOrNull(c.fixed_per_listed),
      QuotedOrNull(c.variable_per_listed));
}

}  // namespace

std::string PeriodJson(const PeriodReport& r, const KnownAt& known_at) {
  std::vector<std::string> assumed;
  for (const auto& m : r.months) {
    if (m.assumed_rulebook) assumed.push_back(domain::FormatMonth(m.month));
  }
  return fmt::format(
             R"({{"year": {}, "through": "{}", "known_at": {}, "months": {}, "outcome": {}, "forecast": {}, "frame": {}, )"
             R"("headroom": {}, "exceeds_frame": {}, "assumed_rulebook_months": {}}})",
             r.year, domain::FormatMonth(r.through), KnownAtJson(known_at), JoinJson(r.months, MonthJson),
             SumJson(r.outcome, r.outcome_total), SumJson(r.forecast, r.forecast_total), FrameJson(r.frame),
             QuotedOrNull(r.headroom), r.exceeds_frame,
             JoinJson(assumed, [](const std::string& m) { return "\"" + m + "\""; })) +
         "\n";
}

std::string DraftCostJson(const DraftCost& c, const KnownAt& known_at) {
  return fmt::format(
             R"({{"year": {}, "known_at": {}, "draft": {}, "compared_with": {}, "months": {}, "total": {}, "current_total": {}, )"
             R"("frame": {}, "headroom": {}, "exceeds_frame": {}, "clinics": {}}})",
             c.year, KnownAtJson(known_at), JsonString(c.draft_id),
             JoinJson(c.current_rulebooks, [](const std::string& id) { return JsonString(id); }),
             JoinJson(c.months, MonthJson), SumJson(c.total, c.total_all), Quoted(c.current_all), FrameJson(c.frame),
             QuotedOrNull(c.headroom), c.exceeds_frame, JoinJson(c.clinics, [](const ClinicCost& k) {
               return fmt::format(R"({{"clinic": {}, "draft": {}, "current": {}, "difference": {}}})", JsonString(k.clinic),
                                  Quoted(k.draft), Quoted(k.current), Quoted(k.difference));
             })) +
         "\n";
}

std::string AnnualJson(const AnnualReport& r, const KnownAt& known_at) {
  const std::size_t months = r.months.size();
  return fmt::format(R"({{"year": {}, "known_at": {}, "months": {}, "clinics": {}, "total": {}}})", r.year,
                     KnownAtJson(known_at),
                     JoinJson(r.months, [](domain::Month m) { return "\"" + domain::FormatMonth(m) + "\""; }),
                     JoinJson(r.clinics, [&](const AnnualClinic& c) { return AnnualClinicJson(c, months); }),
                     AnnualClinicJson(r.total, months)) +
         "\n";
}

}  // namespace capledger::ledger
