#include "present/text_ledger.h"

#include <map>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "domain/date.h"

namespace capledger::present {
namespace {

using domain::FormatKronor;
using domain::Money;

using domain::kComponents;

std::string M(std::int64_t ore) { return FormatKronor(Money::FromOre(ore)); }

std::string EntryLine(const domain::LedgerEntry& e) {
  std::string adjusts;
  for (const auto& id : e.adjusts) {
    if (!adjusts.empty()) adjusts += ',';
    adjusts += id.view();
  }
  return fmt::format("{:<18} run {} {:<12} {} {:<19} {:<10} {:>14}  K {:<8} {}{}\n", e.entry_id,
                     domain::FormatMonth(e.run), e.clinic, domain::FormatMonth(e.period), domain::Name(e.component),
                     domain::Name(e.kind), FormatKronor(e.amount), e.known_at_seq, e.rulebook,
                     adjusts.empty() ? "" : "  adjusts " + adjusts);
}

std::string CausesText(const std::vector<ledger::Cause>& causes, std::optional<domain::Component> only) {
  std::string out;
  for (const auto& cause : causes) {
    std::string parts;
    for (domain::Component c : kComponents) {
      const Money part = cause.parts[static_cast<std::size_t>(c)];
      if (part == Money::Zero() || (only && *only != c)) continue;
      parts += fmt::format(" {} {}", domain::Name(c), FormatKronor(part));
    }
    if (parts.empty()) continue;
    out += fmt::format("  seq {:>8}  {:<18}{}\n      {}\n", cause.seq, ledger::Name(cause.kind), parts, cause.detail);
  }
  return out;
}

}  // namespace

std::string PayoutTable(const domain::PayoutRun& run, const ledger::KnownAt& k, bool existing,
                        const std::vector<domain::LedgerEntry>& entries,
                        const std::vector<projection::AnomalyLine>& anomalies) {
  std::string out = fmt::format("Payout run {}{}  known at seq {} ({})  rulebook {}  {} entries\n\n",
                                domain::FormatMonth(run.run), existing ? " (already booked; nothing booked now)" : "",
                                k.seq, domain::FormatTimestamp(k.recorded_at), run.rulebook, entries.size());
  std::map<domain::ClinicId, std::pair<std::int64_t, std::int64_t>> by_clinic;  // this month, corrections
  for (const auto& e : entries) {
    auto& sums = by_clinic[e.clinic];
    (e.kind == domain::EntryKind::kRegular ? sums.first : sums.second) += e.amount.ore();
  }
  out += fmt::format("{:<14} {:>16} {:>14} {:>16}\n", "clinic", "this month", "corrections", "total");
  std::int64_t current = 0;
  std::int64_t corrections = 0;
  for (const auto& [clinic, sums] : by_clinic) {
    out += fmt::format("{:<14} {:>16} {:>14} {:>16}\n", clinic, M(sums.first), M(sums.second), M(sums.first + sums.second));
    current += sums.first;
    corrections += sums.second;
  }
  out += fmt::format("{:<14} {:>16} {:>14} {:>16}\n", "TOTAL", M(current), M(corrections), FormatKronor(run.total));
  bool header = false;
  for (const auto& e : entries) {
    if (e.kind != domain::EntryKind::kAdjustment) continue;
    if (!header) out += "\nadjustments of earlier months:\n";
    header = true;
    out += "  " + EntryLine(e);
  }
  if (!run.unbooked.empty()) {
    out += "\ndifferences older than the retro window (reported, not booked; per clinic in --json):\n";
  }
  std::map<std::pair<domain::Month, domain::Component>, std::pair<int, std::int64_t>> unbooked;  // clinics, sum
  for (const auto& u : run.unbooked) {
    auto& [clinics, sum] = unbooked[{u.period, u.component}];
    ++clinics;
    sum += u.amount.ore();
  }
  for (const auto& [key, value] : unbooked) {
    out += fmt::format("  {} {:<19} {:>3} clinics {:>14}\n", domain::FormatMonth(key.first), domain::Name(key.second),
                       value.first, M(value.second));
  }
  for (const auto& a : anomalies) out += fmt::format("anomaly {}: {}\n", a.code, a.detail);
  return out;
}

std::string EntriesTable(const std::vector<projection::BookedEntry>& entries) {
  std::string out;
  for (const auto& booked : entries) out += EntryLine(booked.entry);
  return out;
}

std::string RunsText(const std::vector<projection::BookedRun>& runs) {
  if (runs.empty()) return "no payout run has been booked\n";
  std::string out = fmt::format("{:<8} {:>10} {:>12}  {:<24} {:>7} {:>18}\n", "run", "seq", "known at", "rulebook",
                                "entries", "total");
  for (const auto& r : runs) {
    out += fmt::format("{:<8} {:>10} {:>12}  {:<24} {:>7} {:>18}\n", domain::FormatMonth(r.run.run), r.seq,
                       r.run.known_at_seq, r.run.rulebook, r.run.entry_count, FormatKronor(r.run.total));
  }
  return out;
}

std::string StatementText(const ledger::RunStatement& s) {
  std::string out = fmt::format("Statement of the run for {} (known at seq {})\n", domain::FormatMonth(s.run.run.run),
                                s.run.run.known_at_seq);
  for (const auto& c : s.clinics) {
    out += fmt::format("\n{}\n  {}:\n", c.clinic, domain::FormatMonth(s.run.run.run));
    for (const auto& b : c.current) {
      out += fmt::format("    {:<19} {:>14}   {}\n", domain::Name(b.entry.component), FormatKronor(b.entry.amount),
                         b.entry.entry_id);
    }
    out += fmt::format("    {:<19} {:>14}\n", "this month", FormatKronor(c.current_total));
    if (!c.corrections.empty()) out += "  corrections of earlier months:\n";
    for (const auto& b : c.corrections) {
      out += fmt::format("    {} {:<11} {:>14}   {}\n", domain::FormatMonth(b.entry.period), domain::Name(b.entry.component),
                         FormatKronor(b.entry.amount), b.entry.entry_id);
    }
    out += fmt::format("    {:<19} {:>14}\n  {:<21} {:>14}\n", "corrections", FormatKronor(c.corrections_total),
                       "paid by this run", FormatKronor(c.total));
  }
  return out + fmt::format("\nrun total {}\n", FormatKronor(s.total));
}

// The part of every mission offered on D: its count, the rulebook's amount and the part; the
// missions component is the exact sum of the parts, rounded once.
std::string MissionsText(const std::vector<domain::MissionPart>& parts) {
  std::string out = "optional missions offered on the snapshot date (the component is their exact sum, rounded once):\n";
  for (const auto& p : parts) {
    switch (p.problem) {
      case domain::MissionProblem::kNone: break;
      case domain::MissionProblem::kNotInRulebook:
        out += fmt::format("  {:<24} not listed by the rulebook: not paid (undertaken at seq {})\n", p.mission, p.seq);
        continue;
      case domain::MissionProblem::kBaseMission:
        out += fmt::format("  {:<24} a base mission, paid by capitation: not paid (undertaken at seq {})\n", p.mission, p.seq);
        continue;
      case domain::MissionProblem::kUnitsMissing:
        out += fmt::format("  {:<24} per_unit without units: not paid (undertaken at seq {})\n", p.mission, p.seq);
        continue;
    }
    const Money part = *domain::DivideRoundHalfAway(p.twelfths, 12);
    const char* exact = p.twelfths % 12 == 0 ? "=" : "≈";
    switch (p.basis) {
      case domain::MissionBasis::kFixed:
        out += fmt::format("  {:<24} fixed {:>12} a month {} {:>12}", p.mission, FormatKronor(p.amount), exact, FormatKronor(part));
        break;
      case domain::MissionBasis::kPerListed:
        out += fmt::format("  {:<24} {:>5} listed × {} / 12 {} {:>12}", p.mission, p.count, FormatKronor(p.amount), exact,
                           FormatKronor(part));
        break;
      case domain::MissionBasis::kPerUnit:
        out += fmt::format("  {:<24} {:>5} units × {} / 12 {} {:>12}", p.mission, p.count, FormatKronor(p.amount), exact,
                           FormatKronor(part));
        break;
    }
    out += fmt::format("   (undertaken at seq {})\n", p.seq);
  }
  return out;
}

std::string TraceText(const ledger::EntryTrace& t) {
  const auto& e = t.entry.entry;
  const auto& h = t.inputs.header;
  std::string out = fmt::format("Entry {} (seq {}): {} {} {} {} {}\n", e.entry_id, t.entry.seq, e.clinic,
                                domain::FormatMonth(e.period), domain::Name(e.component), domain::Name(e.kind),
                                FormatKronor(e.amount));
  out += fmt::format("recomputed as known at seq {}: rulebook {} (published at seq {}), snapshot {} ({})\n",
                     h.known_at_seq, h.rulebook_id, h.rulebook_seq, domain::FormatDate(h.snapshot),
                     domain::SnapshotRuleName(t.rulebook.snapshot));
  out += fmt::format("rulebook {} ({}) decided: {}\n", h.rulebook_id, t.rulebook.decision, domain::DescribeProvenance(t.rulebook));
  out += fmt::format("clinic open on the snapshot date: {}; listed N = {}\n", t.inputs.facts.open_on_snapshot ? "yes" : "no",
                     t.amounts.listed);
  if (!t.inputs.facts.open_on_snapshot) {
    out += t.inputs.facts.open_in_month
               ? "clinic open on a day of the month: yes; only its visits are paid, for work done (DOMAIN.md §6 step 3)\n"
               : "clinic open on no day of the month: nothing is owed\n";
  }
  out += "capitation bands (min age, amount per year, residents):\n";
  for (std::size_t b = 0; b < t.rulebook.capitation.size(); ++b) {
    out += fmt::format("  {:>3}+ {:>10}  {:>7}\n", t.rulebook.capitation[b].min_age,
                       FormatKronor(t.rulebook.capitation[b].amount_per_year),
                       b < t.amounts.band_counts.size() ? t.amounts.band_counts[b] : 0);
  }
  if (!t.missions.empty()) out += MissionsText(t.missions);
  out += "amounts of the clinic-month:\n";
  for (domain::Component c : kComponents) {
    out += fmt::format("  {:<19} {:>14}\n", domain::Name(c), FormatKronor(t.amounts.amounts[static_cast<std::size_t>(c)]));
  }
  out += fmt::format("{}: recomputed {} − booked before {} = {}; booked {}: {}\n", domain::Name(e.component),
                     FormatKronor(t.recomputed), FormatKronor(t.booked_before), FormatKronor(t.expected),
                     FormatKronor(e.amount), t.reproduces ? "REPRODUCES" : "DOES NOT REPRODUCE");
  if (t.outside_window) {
    out += fmt::format("booked outside the retro window ({} months: the run for {} corrects {} on): a late {} report, "
                       "nothing booked for {} {} {} before, is paid, not lost (DOMAIN.md §8)\n",
                       t.outside_window->window_months, domain::FormatMonth(e.run),
                       domain::FormatMonth(t.outside_window->window_start), domain::Name(e.component), e.clinic,
                       domain::FormatMonth(e.period), domain::Name(e.component));
  }
  if (t.change) {
    out += fmt::format("what changed between seq {} and seq {}:\n", t.change->before.known_at_seq,
                       t.change->after.known_at_seq);
    out += CausesText(t.change->causes, e.component);
  }
  out += fmt::format("counted residents ({}): pseudonym, age, band, placed by seq\n", t.residents.size());
  for (const auto& r : t.residents) out += fmt::format("  {} {:>3} {:>2} {:>9}\n", r.pseudonym.ToHex(), r.age, r.band, r.listed_seq);
  return out;
}

std::string DisputeText(const ledger::DisputeReport& d) {
  std::string out = fmt::format("Dispute {} {}: known at seq {} vs seq {}\n", d.clinic, domain::FormatMonth(d.month),
                                d.before.known_at_seq, d.after.known_at_seq);
  out += fmt::format("  rulebook {} / {}, snapshot {} / {}\n", d.before.computable ? d.before.rulebook_id : "none",
                     d.after.computable ? d.after.rulebook_id : "none",
                     d.before.computable ? domain::FormatDate(d.before.snapshot) : "-",
                     d.after.computable ? domain::FormatDate(d.after.snapshot) : "-");
  out += fmt::format("{:<20} {:>14} {:>14} {:>14}\n", "component", "before", "after", "difference");
  for (domain::Component c : kComponents) {
    const auto i = static_cast<std::size_t>(c);
    out += fmt::format("{:<20} {:>14} {:>14} {:>14}\n", domain::Name(c), FormatKronor(d.before.amounts.amounts[i]),
                       FormatKronor(d.after.amounts.amounts[i]), FormatKronor(d.difference[i]));
  }
  out += fmt::format("{:<20} {:>14} {:>14} {:>14}\n", "total", FormatKronor(d.before.amounts.total),
                     FormatKronor(d.after.amounts.total),
                     M(d.after.amounts.total.ore() - d.before.amounts.total.ore()));
  out += fmt::format("causes ({}), each with its part of the difference:\n", d.causes.size());
  return out + CausesText(d.causes, std::nullopt);
}

}  // namespace capledger::present
