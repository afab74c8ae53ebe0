#include "present/json_ledger.h"

#include "domain/date.h"
#include "codec/rulebook_codec.h"
#include "present/json_parts.h"

namespace capledger::present {

using ledger::Balance;
using ledger::Cause;
using ledger::ClinicStatement;
using ledger::DisputeReport;
using ledger::DisputeSide;
using ledger::EntryTrace;
using ledger::KnownAt;
using ledger::RunStatement;
using ledger::TracedResident;

namespace {

using codec::JsonArray;
using codec::JsonObject;
using json_parts::Document;
using json_parts::WriteKnownAt;
using json_parts::WriteList;

void WriteAnomalies(JsonArray list, const std::vector<projection::AnomalyLine>& anomalies) {
  WriteList(list, anomalies, [](JsonArray& l, const projection::AnomalyLine& a) {
    l.Object().String("code", a.code).String("detail", a.detail).Close();
  });
}

void WriteUnbooked(JsonArray list, const std::vector<domain::UnbookedDifference>& unbooked) {
  WriteList(list, unbooked, [](JsonArray& l, const domain::UnbookedDifference& u) {
    l.Object()
        .String("clinic", u.clinic)
        .String("month", domain::FormatMonth(u.period))
        .String("component", domain::Name(u.component))
        .Kronor("amount", u.amount)
        .Close();
  });
}

void WriteEntries(JsonArray list, const std::vector<projection::BookedEntry>& entries) {
  WriteList(list, entries, [](JsonArray& l, const projection::BookedEntry& b) {
    JsonObject o = l.Object();
    WriteEntryMembers(o, b.entry);
    o.Close();
  });
}

void WriteClinicAmounts(JsonObject o, const domain::ClinicMonthAmounts& a) {
  o.Integer("listed", a.listed);
  WriteList(o.Array("band_counts"), a.band_counts, [](JsonArray& l, std::int64_t n) { l.Integer(n); });
  WriteComponentAmounts(o.Object("amounts"), a.amounts);
  o.Kronor("total", a.total).Close();
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
void WriteMissionPart(JsonArray& list, const domain::MissionPart& p) {
  JsonObject o = list.Object();
  o.String("mission", p.mission).Integer("undertaken_seq", p.seq);
  if (p.problem != domain::MissionProblem::kNone) {
    o.Bool("paid", false).String("problem", MissionProblemName(p.problem)).Close();
    return;
  }
  o.Bool("paid", true).String("basis", domain::Name(p.basis)).Integer("count", p.count).Kronor("amount", p.amount);
  o.Kronor("part", *domain::DivideRoundHalfAway(p.twelfths, 12))
      .Integer("part_twelfths_of_ore", static_cast<std::int64_t>(p.twelfths))
      .Close();
}

void WriteVisitCounts(JsonObject& o, const std::optional<domain::VisitCounts>& visits) {
  if (!visits) {
    o.Null("visits");
    return;
  }
  o.Object("visits")
      .Integer("home_visits", visits->home_visits)
      .Integer("other_listed", visits->other_listed)
      .Integer("unlisted", visits->unlisted)
      .Integer("out_of_region", visits->out_of_region)
      .Close();
}

// A fixed-point string with `decimals` digits, or null.
void WriteDecimalOrNull(JsonObject& o, std::string_view key, const std::optional<std::int32_t>& value, int decimals) {
  if (value) {
    o.Decimal(key, *value, decimals);
  } else {
    o.Null(key);
  }
}

void WriteFacts(JsonObject o, const domain::ClinicMonthFacts& f) {
  o.Bool("open_on_snapshot", f.open_on_snapshot).Bool("open_in_month", f.open_in_month);
  WriteDecimalOrNull(o, "fulfilment", f.fulfilment_thousandths, 3);
  WriteVisitCounts(o, f.visits);
  o.Bool("in_cni_top_n", f.in_cni_top_n);
  WriteDecimalOrNull(o, "distance_km", f.distance_km_tenths, 1);
  o.KronorOrNull("start_grant_part", f.start_grant_part).Close();
}

void WriteSide(JsonObject o, const DisputeSide& side, const KnownAt& k) {
  WriteKnownAt(o.Object("known_at"), k);
  o.Bool("computable", side.computable);
  if (side.computable) {
    o.String("rulebook", side.rulebook_id).String("snapshot_date", domain::FormatDate(side.snapshot));
  } else {
    o.Null("rulebook").Null("snapshot_date");
  }
  WriteComponentAmounts(o.Object("amounts"), side.amounts.amounts);
  o.Kronor("total", side.amounts.total).Close();
}

void WriteCause(JsonArray& list, const Cause& c) {
  JsonObject o = list.Object();
  o.Integer("seq", c.seq).String("kind", Name(c.kind));
  o.StringOrNull("event_type", c.event_type.empty() ? std::nullopt : std::optional<std::string>(c.event_type));
  if (!c.retracted_seq.none()) {
    o.Integer("retracted_seq", c.retracted_seq);
  } else {
    o.Null("retracted_seq");
  }
  o.StringOrNull("resident", c.resident ? std::optional<std::string>(c.resident->ToHex()) : std::nullopt);
  o.String("detail", c.detail);
  WriteComponentAmounts(o.Object("parts"), c.parts);
  o.Close();
}

// Who decided a rulebook: {"decided_by", "decided_on" ("YYYY-MM-DD" or "unknown"), "replaces"
// (an id or null)}, or null for a rulebook published before provenance was kept.
void WriteProvenance(JsonObject& o, std::string_view key, const std::optional<domain::Provenance>& provenance) {
  if (!provenance) {
    o.Null(key);
    return;
  }
  o.Object(key)
      .String("decided_by", provenance->decided_by)
      .String("decided_on", provenance->decided_on ? domain::FormatDate(*provenance->decided_on) : "unknown")
      .StringOrNull("replaces", provenance->replaces)
      .Close();
}

void WriteRulebookListing(JsonArray& list, const projection::RulebookFact* f) {
  const domain::Rulebook& r = f->rulebook;
  JsonObject o = list.Object();
  o.String("id", r.id).Integer("seq", f->seq).String("title", r.title).String("decision", r.decision);
  WriteProvenance(o, "decided", r.provenance);
  o.String("valid_from", domain::FormatDate(r.valid_from))
      .String("valid_until", domain::FormatDate(r.valid_until))
      .String("snapshot", domain::SnapshotRuleName(r.snapshot))
      .Integer("retro_window_months", r.retro_window_months)
      .Close();
}

void WriteTraceRulebook(JsonObject o, const EntryTrace& t) {
  o.String("id", t.inputs.header.rulebook_id).Integer("published_seq", t.inputs.header.rulebook_seq);
  WriteProvenance(o, "decided", t.rulebook.provenance);
  o.Raw("parameters", codec::RulebookToJson(t.rulebook));  // as stored in the log, byte for byte
  o.Close();
}

void WriteOutsideWindow(JsonObject& o, const EntryTrace& t) {
  if (!t.outside_window) {
    o.Null("outside_window");
    return;
  }
  o.Object("outside_window")
      .Integer("window_months", t.outside_window->window_months)
      .String("window_start", domain::FormatMonth(t.outside_window->window_start))
      .String("reason", "late_report")
      .Close();
}

void WriteChange(JsonObject& o, const EntryTrace& t) {
  if (!t.change) {
    o.Null("change");
    return;
  }
  JsonObject change = o.Object("change");
  change.Integer("from_seq", t.change->before.known_at_seq).Integer("to_seq", t.change->after.known_at_seq);
  WriteList(change.Array("causes"), t.change->causes, WriteCause);
  change.Close();
}

}  // namespace

void WriteComponentAmounts(codec::JsonObject o, const std::array<domain::Money, domain::kComponentCount>& amounts) {
  for (domain::Component c : domain::kComponents) o.Kronor(domain::Name(c), amounts[static_cast<std::size_t>(c)]);
  o.Close();
}

void WriteEntryMembers(codec::JsonObject& o, const domain::LedgerEntry& e) {
  o.String("id", e.entry_id)
      .String("run", domain::FormatMonth(e.run))
      .String("clinic", e.clinic)
      .String("month", domain::FormatMonth(e.period))
      .String("component", domain::Name(e.component))
      .String("kind", domain::Name(e.kind))
      .Kronor("amount", e.amount)
      .Integer("known_at_seq", e.known_at_seq)
      .String("rulebook", e.rulebook);
  WriteList(o.Array("adjusts"), e.adjusts, [](JsonArray& l, const domain::EventId& id) { l.String(id); });
  o.String("debit", e.debit).String("credit", e.credit);
}

std::string RulebooksJson(const std::vector<const projection::RulebookFact*>& rulebooks, const KnownAt& k) {
  return Document([&](JsonObject& o) {
    WriteKnownAt(o.Object("known_at"), k);
    WriteList(o.Array("rulebooks"), rulebooks, WriteRulebookListing);
  });
}

std::string ReportJson(const projection::MonthReport& r, const KnownAt& k) {
  return Document([&](JsonObject& o) {
    o.String("month", domain::FormatMonth(r.month))
        .String("snapshot_date", domain::FormatDate(r.snapshot))
        .String("rulebook", r.rulebook_id);
    WriteProvenance(o, "rulebook_decided", r.rulebook_provenance);
    WriteKnownAt(o.Object("known_at"), k);
    WriteList(o.Array("clinics"), r.clinics, [](JsonArray& l, const projection::ClinicMonthLine& line) {
      JsonObject c = l.Object();
      c.String("clinic", line.clinic).Integer("listed", line.amounts.listed);
      WriteComponentAmounts(c.Object("amounts"), line.amounts.amounts);
      c.Kronor("total", line.amounts.total).Close();
    });
    o.Kronor("total", r.total);
    WriteAnomalies(o.Array("anomalies"), r.anomalies);
  });
}

std::string EntriesJson(const std::vector<projection::BookedEntry>& entries) {
  return Document([&](JsonObject& o) { WriteEntries(o.Array("entries"), entries); });
}

std::string PayoutJson(const domain::PayoutRun& run, const KnownAt& k, bool existing,
                       const std::vector<domain::LedgerEntry>& entries,
                       const std::vector<projection::AnomalyLine>& anomalies) {
  return Document([&](JsonObject& o) {
    o.String("run", domain::FormatMonth(run.run));
    WriteKnownAt(o.Object("known_at"), k);
    o.Bool("existing", existing).String("rulebook", run.rulebook);
    WriteList(o.Array("entries"), entries, [](JsonArray& l, const domain::LedgerEntry& e) {
      JsonObject entry = l.Object();
      WriteEntryMembers(entry, e);
      entry.Close();
    });
    o.Kronor("total", run.total);
    WriteUnbooked(o.Array("unbooked"), run.unbooked);
    WriteAnomalies(o.Array("anomalies"), anomalies);
  });
}

std::string RunsJson(const std::vector<projection::BookedRun>& runs) {
  return Document([&](JsonObject& o) {
    WriteList(o.Array("runs"), runs, [](JsonArray& l, const projection::BookedRun& r) {
      l.Object()
          .String("run", domain::FormatMonth(r.run.run))
          .Integer("seq", r.seq)
          .Integer("known_at_seq", r.run.known_at_seq)
          .String("rulebook", r.run.rulebook)
          .Integer("entry_count", r.run.entry_count)
          .Kronor("total", r.run.total)
          .Integer("unbooked", static_cast<std::int64_t>(r.run.unbooked.size()))
          .Close();
    });
  });
}

std::string TraceJson(const EntryTrace& t) {
  return Document([&](JsonObject& o) {
    JsonObject entry = o.Object("entry");
    WriteEntryMembers(entry, t.entry.entry);
    entry.Close();
    o.Integer("known_at_seq", t.inputs.header.known_at_seq);
    WriteTraceRulebook(o.Object("rulebook"), t);
    o.String("snapshot_date", domain::FormatDate(t.inputs.header.snapshot));
    WriteFacts(o.Object("facts"), t.inputs.facts);
    WriteClinicAmounts(o.Object("clinic_month"), t.amounts);
    o.Kronor("recomputed", t.recomputed)
        .Kronor("booked_before", t.booked_before)
        .Kronor("expected", t.expected)
        .Kronor("booked", t.entry.entry.amount)
        .Bool("reproduces", t.reproduces);
    WriteList(o.Array("residents"), t.residents, [](JsonArray& l, const TracedResident& r) {
      l.Object()
          .String("resident", r.pseudonym.ToHex())
          .Integer("age", r.age)
          .Integer("band", r.band)
          .Integer("listed_seq", r.listed_seq)
          .Close();
    });
    WriteList(o.Array("missions"), t.missions, WriteMissionPart);
    WriteOutsideWindow(o, t);
    WriteChange(o, t);
  });
}

std::string DisputeJson(const DisputeReport& d, const KnownAt& before, const KnownAt& after) {
  return Document([&](JsonObject& o) {
    o.String("clinic", d.clinic).String("month", domain::FormatMonth(d.month));
    WriteSide(o.Object("before"), d.before, before);
    WriteSide(o.Object("after"), d.after, after);
    WriteComponentAmounts(o.Object("difference"), d.difference);
    WriteList(o.Array("causes"), d.causes, WriteCause);
  });
}

std::string BalanceJson(const Balance& b, const KnownAt& k) {
  return Document([&](JsonObject& o) {
    o.String("account", b.account);
    WriteKnownAt(o.Object("known_at"), k);
    o.Kronor("balance", b.balance).Integer("entries", b.entries);
  });
}

std::string StatementJson(const RunStatement& s) {
  return Document([&](JsonObject& o) {
    o.String("run", domain::FormatMonth(s.run.run.run)).Integer("known_at_seq", s.run.run.known_at_seq);
    WriteList(o.Array("clinics"), s.clinics, [](JsonArray& l, const ClinicStatement& c) {
      JsonObject clinic = l.Object();
      clinic.String("clinic", c.clinic);
      WriteEntries(clinic.Array("current"), c.current);
      WriteEntries(clinic.Array("corrections"), c.corrections);
      clinic.Kronor("current_total", c.current_total)
          .Kronor("corrections_total", c.corrections_total)
          .Kronor("total", c.total)
          .Close();
    });
    o.Kronor("total", s.total);
  });
}

std::string ErrorJson(const Error& error) {
  return Document([&](JsonObject& o) {
    o.Object("error").String("code", ErrorCodeName(error.code)).String("message", error.message).Close();
  });
}

}  // namespace capledger::present
