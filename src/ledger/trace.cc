#include "ledger/trace.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/assert.h"

namespace capledger::ledger {
namespace {

using domain::Money;

// Every resident counted at the clinic on the snapshot day as known at K (folded one by one:
// the trace recomputes the count independently of the snapshot index the reports use).
std::vector<projection::Projection::CountedResident> Counted(const projection::Projection& p, std::uint16_t clinic,
                                                             domain::Date snapshot, domain::Seq known_at) {
  return p.CountedAt(clinic, domain::DaysSinceEpoch(snapshot), known_at);
}

domain::AgeCounts AgesOf(const std::vector<projection::Projection::CountedResident>& counted) {
  domain::AgeCounts ages{};
  for (const auto& c : counted) {
    LEDGER_ASSERT(c.age >= 0 && c.age < domain::kAgeSlots);
    ++ages[static_cast<std::size_t>(c.age)];
  }
  return ages;
}

std::vector<TracedResident> Residents(const projection::Projection& p,
                                      const std::vector<projection::Projection::CountedResident>& counted,
                                      const projection::ClinicMonthInputs& inputs) {
  std::vector<TracedResident> out;
  if (!inputs.facts.open_on_snapshot) return out;
  for (const auto& c : counted) {
    out.push_back(TracedResident{p.residents().pseudonym[c.resident], c.age, domain::CapitationBandOf(*inputs.rulebook, c.age),
                                 domain::Seq(c.listed_seq)});
  }
  std::sort(out.begin(), out.end(),
            [](const TracedResident& a, const TracedResident& b) { return a.pseudonym < b.pseudonym; });
  return out;
}

// The booked sum of the entries `entry` adjusts, and the latest K among them.
Result<std::pair<Money, domain::Seq>> Adjusted(const projection::LedgerTable& ledger, const domain::LedgerEntry& entry) {
  Money sum = Money::Zero();
  domain::Seq latest_k;
  for (const auto& id : entry.adjusts) {
    const auto* adjusted = ledger.FindEntry(id);
    if (!adjusted) return Fail(ErrorCode::kCorruption, fmt::format("entry {} adjusts {}, which is not booked", entry.entry_id, id));
    auto total = sum.Plus(adjusted->entry.amount);
    if (!total) return tl::unexpected(total.error());
    sum = *total;
    latest_k = std::max(latest_k, adjusted->entry.known_at_seq);
  }
  return std::pair{sum, latest_k};
}

}  // namespace

Result<EntryTrace> TraceEntry(const projection::Projection& p, const domain::EventId& entry_id) {
  const auto* booked = p.ledger().FindEntry(entry_id);
  if (!booked) return Fail(ErrorCode::kNotFound, fmt::format("no entry {} is booked", entry_id));
  const domain::LedgerEntry& entry = booked->entry;
  auto clinic = p.ClinicIndex(entry.clinic);
  if (!clinic) return Fail(ErrorCode::kCorruption, fmt::format("entry {} is for unknown clinic {}", entry_id, entry.clinic));
  const domain::Seq k = entry.known_at_seq;
  auto header = projection::ReportHeader(p, entry.period, k);
  if (!header) return tl::unexpected(header.error());
  const auto counted = Counted(p, *clinic, header->snapshot, k);
  auto inputs = projection::ClinicInputsAt(p, *clinic, entry.period, k, AgesOf(counted));
  if (!inputs) return tl::unexpected(inputs.error());
  auto amounts = domain::ComputeClinicMonth(*inputs->rulebook, inputs->facts);
  if (!amounts) return tl::unexpected(amounts.error());
  EntryTrace trace;
  trace.entry = *booked;
  trace.rulebook = *inputs->rulebook;
  trace.residents = Residents(p, counted, *inputs);
  trace.inputs = std::move(*inputs);
  trace.amounts = std::move(*amounts);
  trace.missions = domain::MissionParts(trace.rulebook, trace.inputs.facts);
  trace.recomputed = trace.amounts.amounts[static_cast<std::size_t>(entry.component)];
  auto adjusted = Adjusted(p.ledger(), entry);
  if (!adjusted) return tl::unexpected(adjusted.error());
  trace.booked_before = adjusted->first;
  auto expected = trace.recomputed.Minus(trace.booked_before);
  if (!expected) return tl::unexpected(expected.error());
  trace.expected = *expected;
  trace.reproduces = trace.expected == entry.amount;
  // The adjustment's two knowledge points: the latest K among the entries it adjusts, or, when
  // it adjusts none (the component was zero when the month was paid, say a visits report that
  // came late), the K of the month's own run.
  domain::Seq before_k = adjusted->second;
  if (entry.adjusts.empty()) {
    if (const auto* run = p.ledger().FindRun(entry.period)) before_k = run->run.known_at_seq;
  }
  if (entry.kind == domain::EntryKind::kAdjustment) {
    const auto* run_rulebook = p.RulebookInForce(entry.run, k);
    LEDGER_ASSERT(run_rulebook != nullptr);  // the run was planned with it
    const int window = run_rulebook->rulebook.retro_window_months;
    const domain::Month window_start = domain::AddMonths(entry.run, -window);
    if (entry.period < window_start) trace.outside_window = EntryTrace::OutsideWindow{window, window_start};
  }
  if (entry.kind == domain::EntryKind::kAdjustment && before_k <= k) {
    auto clinic = domain::ClinicId::Parse(entry.clinic, "the entry's clinic");  // as the log stores it: valid
    if (!clinic) return tl::unexpected(clinic.error());
    auto change = Dispute(p, *clinic, entry.period, before_k, k);
    if (!change) return tl::unexpected(change.error());
    trace.change = std::move(*change);
  }
  return trace;
}

}  // namespace capledger::ledger
