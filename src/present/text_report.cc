#include "present/text_report.h"

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "domain/date.h"
#include "present/json_ledger.h"

namespace capledger::present {
namespace {

using domain::FormatKronor;

}  // namespace

std::string RulebooksTable(const std::vector<const projection::RulebookFact*>& rulebooks,
                           const ledger::KnownAt& k) {
  std::string out = fmt::format("Rulebooks known at seq {} ({}): {}\n", k.seq, domain::FormatTimestamp(k.recorded_at),
                                rulebooks.size());
  for (const projection::RulebookFact* f : rulebooks) {
    const domain::Rulebook& r = f->rulebook;
    out += fmt::format("\n{}  {}  (seq {})\n  valid {} to {} (exclusive), snapshot {}, retro window {} months\n",
                       r.id, r.title, f->seq, domain::FormatDate(r.valid_from), domain::FormatDate(r.valid_until),
                       domain::SnapshotRuleName(r.snapshot), r.retro_window_months);
    out += fmt::format("  decision {}; decided: {}\n", r.decision, domain::DescribeProvenance(r));
  }
  return out;
}

std::string ReportTable(const projection::MonthReport& r, const ledger::KnownAt& k) {
  std::string out = fmt::format("Month {}  snapshot {}  rulebook {} (seq {})  known at seq {} ({})\n",
                                domain::FormatMonth(r.month), domain::FormatDate(r.snapshot), r.rulebook_id,
                                r.rulebook_seq, k.seq, domain::FormatTimestamp(k.recorded_at));
  out += fmt::format("rulebook {} decided: {}\n\n", r.rulebook_id, domain::DescribeProvenance(r.rulebook_provenance));
  out += fmt::format("{:<12} {:>8} {:>14} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>15}\n", "clinic", "listed",
                     "capitation", "performance", "visits", "start_grant", "cni_suppl", "distance", "missions", "total");
  std::int64_t listed = 0;
  std::array<std::int64_t, domain::kComponentCount> sums{};
  for (const auto& line : r.clinics) {
    const auto& a = line.amounts.amounts;
    out += fmt::format("{:<12} {:>8} {:>14} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>15}\n", line.clinic,
                       line.amounts.listed, FormatKronor(a[0]), FormatKronor(a[1]), FormatKronor(a[2]),
                       FormatKronor(a[3]), FormatKronor(a[4]), FormatKronor(a[5]), FormatKronor(a[6]),
                       FormatKronor(line.amounts.total));
    listed += line.amounts.listed;
    for (std::size_t c = 0; c < sums.size(); ++c) sums[c] += a[c].ore();
  }
  auto m = [](std::int64_t ore) { return FormatKronor(domain::Money::FromOre(ore)); };
  static_assert(domain::kComponentCount == 7);
  out += fmt::format("{:<12} {:>8} {:>14} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12} {:>15}\n", "TOTAL", listed, m(sums[0]),
                     m(sums[1]), m(sums[2]), m(sums[3]), m(sums[4]), m(sums[5]), m(sums[6]), FormatKronor(r.total));
  for (const auto& anomaly : r.anomalies) out += fmt::format("anomaly {}: {}\n", anomaly.code, anomaly.detail);
  return out;
}

}  // namespace capledger::present
