#include "present/json_log.h"

#include "common/crypto.h"
#include "domain/date.h"
#include "present/json_parts.h"

namespace capledger::present {
namespace {

void WriteFact(codec::JsonArray& list, const store::EventStore& store, const projection::ExplainedFact& f) {
  const FactEvent event = DescribeFactEvent(store, domain::Seq(f.fact.seq));
  list.Object()
      .Integer("seq", domain::Seq(f.fact.seq))
      .String("id", event.id)
      .String("type", event.type)
      .String("effective", domain::FormatDate(domain::DateFromDays(f.fact.effective)))
      .StringOrNull("clinic", event.clinic)
      .String("use", UseName(f.use))
      .Bool("decisive", f.decisive)
      .Close();
}

}  // namespace

FactEvent DescribeFactEvent(const store::EventStore& store, domain::Seq seq) {
  auto record = store.Read(seq);
  if (!record) return FactEvent{"?", "?", std::nullopt};
  const domain::EventBody& body = record->stored.event.body;
  const domain::ClinicId* clinic = domain::ClinicOf(body);
  return FactEvent{record->stored.event.id.str(), std::string(domain::EventTypeName(domain::TypeOf(body))),
                   clinic ? std::optional<std::string>(clinic->str()) : std::nullopt};
}

std::string_view UseName(projection::ExplainedFact::Use use) {
  switch (use) {
    case projection::ExplainedFact::Use::kApplied: return "applied";
    case projection::ExplainedFact::Use::kAfterSnapshot: return "after_snapshot";
    case projection::ExplainedFact::Use::kNotYetKnown: return "not_yet_known";
    case projection::ExplainedFact::Use::kRetracted: return "retracted";
  }
  return "unknown";
}

std::string ExplainJson(const store::EventStore& store, const projection::ResidentExplanation& e) {
  return json_parts::Document([&](codec::JsonObject& o) {
    o.String("resident", e.pseudonym.ToHex())
        .String("birth_date", domain::FormatDate(e.birth_date))
        .String("sex", domain::Name(e.sex))
        .String("month", domain::FormatMonth(e.month))
        .String("snapshot_date", domain::FormatDate(e.snapshot))
        .String("rulebook", e.rulebook_id)
        .Integer("known_at_seq", e.known_at_seq)
        .Bool("counted", e.counted)
        .StringOrNull("clinic", e.clinic.empty() ? std::nullopt : std::optional<std::string>(e.clinic))
        .Integer("age", e.age)
        .Integer("band", e.band)
        .String("why", e.why);
    json_parts::WriteList(o.Array("events"), e.facts,
                          [&](codec::JsonArray& l, const projection::ExplainedFact& f) { WriteFact(l, store, f); });
  });
}

std::string VerifyJson(const store::VerifyReport& report, const store::Head& head) {
  return json_parts::Document([&](codec::JsonObject& o) {
    const bool ok = !report.first_bad_seq.has_value();
    o.Bool("ok", ok)
        .Integer("events_checked", report.events_checked)
        .Integer("head_seq", head.seq)
        .String("head_hash", crypto::Hex(head.hash));
    if (!ok) o.Integer("first_bad_seq", *report.first_bad_seq).String("problem", report.problem);
  });
}

}  // namespace capledger::present
