#include "ledger/render_json.h"

#include <fmt/format.h>

#include "domain/date.h"
#include "ledger/render_json_parts.h"
#include "store/json_text.h"

namespace capledger::ledger {
namespace {

using domain::Component;
using domain::FormatKronor;
using store::JsonString;

using domain::kComponents;

using json_parts::JoinJson;
using json_parts::KnownAtJson;
using json_parts::Quoted;

std::string AnomaliesJson(const std::vector<projection::AnomalyLine>& anomalies) {
  return JoinJson(anomalies, [](const projection::AnomalyLine& a) {
    return fmt::format(R"({{"code": {}, "detail": {}}})", JsonString(a.code), JsonString(a.detail));
  });
}

std::string UnbookedJson(const std::vector<domain::UnbookedDifference>& unbooked) {
  return JoinJson(unbooked, [](const domain::UnbookedDifference& u) {
    return fmt::format(R"({{"clinic": {}, "month": "{}", "component": "{}", "amount": {}}})", JsonString(u.clinic),
                       domain::FormatMonth(u.period), domain::Name(u.component), Quoted(u.amount));
  });
}

std::string ClinicAmountsJson(const domain::ClinicMonthAmounts& a) {
  return fmt::format(R"({{"listed": {}, "band_counts": {}, "amounts": {}, "total": {}}})", a.listed,
                     JoinJson(a.band_counts, [](std::int64_t n) { return std::to_string(n); }),
                     ComponentAmountsJson(a.amounts), Quoted(a.total));
}

std::string RulebookParametersJson(const domain::Rulebook& r) {
  std::string out = fmt::format(R"({{"snapshot": "{}", "retro_window_months": {}, "capitation": {})",
                                domain::SnapshotRuleName(r.snapshot), r.retro_window_months,
                                JoinJson(r.capitation, [](const domain::AgeBand& b) {
                                  return fmt::format(R"({{"min_age": {}, "amount": {}}})", b.min_age,
                                                     Quoted(b.amount_per_year));
                                }));
  if (r.performance_per_year) out += fmt::format(R"(, "performance": {})", Quoted(*r.performance_per_year));
  if (r.visits) {
    out += fmt::format(R"(, "visits": {{"home_visit": {}, "other_listed": {}, "unlisted": {}, "out_of_region": {}}})",
                       Quoted(r.visits->home_visit), Quoted(r.visits->other_listed), Quoted(r.visits->unlisted),
                       Quoted(r.visits->out_of_region));
  }
  if (r.start_grant) {
    out += fmt::format(R"(, "start_grant": {{"amount": {}, "months": {}}})", Quoted(r.start_grant->amount),
                       r.start_grant->months);
  }
  if (r.cni_supplement) {
    out += fmt::format(R"(, "cni_supplement": {{"top_n": {}, "amount": {}}})", r.cni_supplement->top_n,
                       Quoted(r.cni_supplement->amount_per_year));
  }
  if (r.distance_supplement) {
    out += fmt::format(R"(, "distance_supplement": {})", JoinJson(*r.distance_supplement, [](const domain::DistanceBand& b) {
                         return fmt::format(R"({{"min_km": "{}.{}", "amount": {}}})", b.min_km_tenths / 10,
                                            b.min_km_tenths % 10, Quoted(b.amount_per_year));
                       }));
  }
  if (!r.missions.empty()) {
    out += fmt::format(R"(, "missions": {})", JoinJson(r.missions, [](const domain::Mission& m) {
                         if (m.kind == domain::MissionKind::kBase) {
                           return fmt::format(R"({{"id": {}, "kind": "base"}})", JsonString(m.id));
                         }
                         return fmt::format(R"({{"id": {}, "kind": "optional", "basis": "{}", "amount": {}, "min_age": {}, "max_age": {}}})",
                                            JsonString(m.id), domain::Name(m.basis), Quoted(m.amount),
                                            m.min_age ? std::to_string(*m.min_age) : "null",
                                            m.max_age ? std::to_string(*m.max_age) : "null");
                       }));
  }
  return out + "}";
}

std::string_view MissionProblemName(domain::MissionProblem problem) {
  switch (problem) {
    case domain::MissionProblem::kNone: return "";
    case domain::MissionProblem::kNotInRulebook: return "mission_not_in_rulebook";
    case domain::MissionProblem::kBaseMission: return "mission_is_base";
    case domain::MissionProblem::kUnitsMissing: return "mission_units_missing";
  }
  return "unknown";
}

// A mission's part: its basis and count, the rulebook's amount, the part rounded to öre for
// reading, and exactly as twelfths of an öre (the component is the exact sum, rounded once).
std::string MissionPartJson(const domain::MissionPart& p) {
  if (p.problem != domain::MissionProblem::kNone) {
    return fmt::format(R"({{"mission": {}, "undertaken_seq": {}, "paid": false, "problem": "{}"}})",
                       JsonString(p.mission), p.seq, MissionProblemName(p.problem));
  }
  return fmt::format(R"({{"mission": {}, "undertaken_seq": {}, "paid": true, "basis": "{}", "count": {}, "amount": {}, )"
                     R"("part": {}, "part_twelfths_of_ore": {}}})",
                     JsonString(p.mission), p.seq, domain::Name(p.basis), p.count, Quoted(p.amount),
                     Quoted(*domain::DivideRoundHalfAway(p.twelfths, 12)), static_cast<std::int64_t>(p.twelfths));
}

std::string FactsJson(const domain::ClinicMonthFacts& f) {
  return fmt::format(
      R"({{"open_on_snapshot": {}, "open_in_month": {}, "fulfilment": {}, "visits": {}, "in_cni_top_n": {}, "distance_km": {}, )"
      R"("start_grant_part": {}}})",
      f.open_on_snapshot, f.open_in_month,
      f.fulfilment_thousandths ? fmt::format("\"{}.{:03d}\"", *f.fulfilment_thousandths / 1000, *f.fulfilment_thousandths % 1000)
                               : "null",
      f.visits ? fmt::format(R"({{"home_visits": {}, "other_listed": {}, "unlisted": {}, "out_of_region": {}}})",
                             f.visits->home_visits, f.visits->other_listed, f.visits->unlisted, f.visits->out_of_region)
               : "null",
      f.in_cni_top_n,
      f.distance_km_tenths ? fmt::format("\"{}.{}\"", *f.distance_km_tenths / 10, *f.distance_km_tenths % 10) : "null",
      f.start_grant_part ? Quoted(*f.start_grant_part) : "null");
}

std::string SideJson(const DisputeSide& side, const KnownAt& k) {
  return fmt::format(R"({{"known_at": {}, "computable": {}, "rulebook": {}, "snapshot_date": {}, "amounts": {}, "total": {}}})",
                     KnownAtJson(k), side.computable, side.computable ? JsonString(side.rulebook_id) : "null",
                     side.computable ? "\"" + domain::FormatDate(side.snapshot) + "\"" : "null",
                     ComponentAmountsJson(side.amounts.amounts), Quoted(side.amounts.total));
}

std::string CauseJson(const Cause& c) {
  return fmt::format(R"({{"seq": {}, "kind": "{}", "event_type": {}, "retracted_seq": {}, "resident": {}, "detail": {}, "parts": {}}})",
                     c.seq, Name(c.kind), c.event_type.empty() ? "null" : JsonString(c.event_type),
                     c.retracted_seq ? std::to_string(c.retracted_seq) : "null",
                     c.resident ? "\"" + c.resident->ToHex() + "\"" : "null", JsonString(c.detail),
                     ComponentAmountsJson(c.parts));
}

}  // namespace

std::string ComponentAmountsJson(const std::array<domain::Money, domain::kComponentCount>& amounts) {
  std::string out = "{";
  for (Component c : kComponents) {
    if (out.size() > 1) out += ", ";
    out += fmt::format("\"{}\": {}", domain::Name(c), Quoted(amounts[static_cast<std::size_t>(c)]));
  }
  return out + "}";
}

std::string ProvenanceJson(const std::optional<domain::Provenance>& provenance) {
  if (!provenance) return "null";
  return fmt::format(R"({{"decided_by": {}, "decided_on": "{}", "replaces": {}}})", JsonString(provenance->decided_by),
                     provenance->decided_on ? domain::FormatDate(*provenance->decided_on) : "unknown",
                     provenance->replaces ? JsonString(*provenance->replaces) : "null");
}

std::string RulebooksJson(const std::vector<const projection::RulebookFact*>& rulebooks, const KnownAt& k) {
  return fmt::format(R"({{"known_at": {}, "rulebooks": )", KnownAtJson(k)) +
         JoinJson(rulebooks,
                  [](const projection::RulebookFact* f) {
                    const domain::Rulebook& r = f->rulebook;
                    return fmt::format(
                        R"({{"id": {}, "seq": {}, "title": {}, "decision": {}, "decided": {}, "valid_from": "{}", )"
                        R"("valid_until": "{}", "snapshot": "{}", "retro_window_months": {}}})",
                        JsonString(r.id), f->seq, JsonString(r.title), JsonString(r.decision), ProvenanceJson(r.provenance),
                        domain::FormatDate(r.valid_from), domain::FormatDate(r.valid_until),
                        domain::SnapshotRuleName(r.snapshot), r.retro_window_months);
                  }) +
         "}\n";
}

std::string ReportJson(const projection::MonthReport& r, const KnownAt& k) {
  std::string out = fmt::format(
      R"({{"month": "{}", "snapshot_date": "{}", "rulebook": {}, "rulebook_decided": {}, "known_at": {}, "clinics": )",
      domain::FormatMonth(r.month), domain::FormatDate(r.snapshot), JsonString(r.rulebook_id),
      ProvenanceJson(r.rulebook_provenance), KnownAtJson(k));
  out += JoinJson(r.clinics, [](const projection::ClinicMonthLine& line) {
    return fmt::format(R"({{"clinic": {}, "listed": {}, "amounts": {}, "total": {}}})", JsonString(line.clinic),
                       line.amounts.listed, ComponentAmountsJson(line.amounts.amounts), Quoted(line.amounts.total));
  });
  return out + fmt::format(R"(, "total": {}, "anomalies": {}}})", Quoted(r.total), AnomaliesJson(r.anomalies)) + "\n";
}

std::string EntryJsonObject(const domain::LedgerEntry& e) {
  return fmt::format(
      R"({{"id": {}, "run": "{}", "clinic": {}, "month": "{}", "component": "{}", "kind": "{}", "amount": {}, )"
      R"("known_at_seq": {}, "rulebook": {}, "adjusts": {}, "debit": {}, "credit": {}}})",
      JsonString(e.entry_id), domain::FormatMonth(e.run), JsonString(e.clinic), domain::FormatMonth(e.period),
      domain::Name(e.component), domain::Name(e.kind), Quoted(e.amount), e.known_at_seq, JsonString(e.rulebook),
      JoinJson(e.adjusts, [](const std::string& id) { return JsonString(id); }), JsonString(e.debit),
      JsonString(e.credit));
}

std::string EntriesJson(const std::vector<projection::BookedEntry>& entries) {
  return R"({"entries": )" +
         JoinJson(entries, [](const projection::BookedEntry& b) { return EntryJsonObject(b.entry); }) + "}\n";
}

std::string PayoutJson(const domain::PayoutRun& run, const KnownAt& k, bool existing,
                       const std::vector<domain::LedgerEntry>& entries,
                       const std::vector<projection::AnomalyLine>& anomalies) {
  return fmt::format(R"({{"run": "{}", "known_at": {}, "existing": {}, "rulebook": {}, "entries": {}, "total": {}, )"
                     R"("unbooked": {}, "anomalies": {}}})" "\n",
                     domain::FormatMonth(run.run), KnownAtJson(k), existing, JsonString(run.rulebook),
                     JoinJson(entries, [](const domain::LedgerEntry& e) { return EntryJsonObject(e); }),
                     Quoted(run.total), UnbookedJson(run.unbooked), AnomaliesJson(anomalies));
}

std::string TraceJson(const EntryTrace& t) {
  const auto& header = t.inputs.header;
  std::string out = fmt::format(
      R"({{"entry": {}, "known_at_seq": {}, "rulebook": {{"id": {}, "published_seq": {}, "decided": {}, "parameters": {}}}, )"
      R"("snapshot_date": "{}", "facts": {}, "clinic_month": {}, "recomputed": {}, "booked_before": {}, )"
      R"("expected": {}, "booked": {}, "reproduces": {}, "residents": )",
      EntryJsonObject(t.entry.entry), header.known_at_seq, JsonString(header.rulebook_id), header.rulebook_seq,
      ProvenanceJson(t.rulebook.provenance), RulebookParametersJson(t.rulebook), domain::FormatDate(header.snapshot), FactsJson(t.inputs.facts),
      ClinicAmountsJson(t.amounts), Quoted(t.recomputed), Quoted(t.booked_before), Quoted(t.expected),
      Quoted(t.entry.entry.amount), t.reproduces);
  out += JoinJson(t.residents, [](const TracedResident& r) {
    return fmt::format(R"({{"resident": "{}", "age": {}, "band": {}, "listed_seq": {}}})", r.pseudonym.ToHex(), r.age,
                       r.band, r.listed_seq);
  });
  out += ", \"missions\": " + JoinJson(t.missions, MissionPartJson);
  out += ", \"outside_window\": ";
  out += t.outside_window ? fmt::format(R"({{"window_months": {}, "window_start": "{}", "reason": "late_report"}})",
                                        t.outside_window->window_months,
                                        domain::FormatMonth(t.outside_window->window_start))
                          : "null";
  out += ", \"change\": ";
  if (t.change) {
    out += fmt::format(R"({{"from_seq": {}, "to_seq": {}, "causes": {}}})", t.change->before.known_at_seq,
                       t.change->after.known_at_seq, JoinJson(t.change->causes, CauseJson));
  } else {
    out += "null";
  }
  return out + "}\n";
}

std::string DisputeJson(const DisputeReport& d, const KnownAt& before, const KnownAt& after) {
  return fmt::format(R"({{"clinic": {}, "month": "{}", "before": {}, "after": {}, "difference": {}, "causes": {}}})" "\n",
                     JsonString(d.clinic), domain::FormatMonth(d.month), SideJson(d.before, before),
                     SideJson(d.after, after), ComponentAmountsJson(d.difference), JoinJson(d.causes, CauseJson));
}

std::string BalanceJson(const Balance& b, const KnownAt& k) {
  return fmt::format(R"({{"account": {}, "known_at": {}, "balance": {}, "entries": {}}})" "\n", JsonString(b.account),
                     KnownAtJson(k), Quoted(b.balance), b.entries);
}

std::string StatementJson(const RunStatement& s) {
  auto entries = [](const std::vector<projection::BookedEntry>& list) {
    return JoinJson(list, [](const projection::BookedEntry& b) { return EntryJsonObject(b.entry); });
  };
  return fmt::format(R"({{"run": "{}", "known_at_seq": {}, "clinics": {}, "total": {}}})" "\n",
                     domain::FormatMonth(s.run.run.run), s.run.run.known_at_seq,
                     JoinJson(s.clinics, [&](const ClinicStatement& c) {
                       return fmt::format(R"({{"clinic": {}, "current": {}, "corrections": {}, "current_total": {}, )"
                                          R"("corrections_total": {}, "total": {}}})",
                                          JsonString(c.clinic), entries(c.current), entries(c.corrections),
                                          Quoted(c.current_total), Quoted(c.corrections_total), Quoted(c.total));
                     }),
                     Quoted(s.total));
}

std::string ErrorJson(const Error& error) {
  return fmt::format(R"({{"error": {{"code": "{}", "message": {}}}}})" "\n", ErrorCodeName(error.code),
                     JsonString(error.message));
}

}  // namespace capledger::ledger
