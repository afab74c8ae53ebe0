#include "ledger/render_log_json.h"

#include <fmt/format.h>

#include "common/crypto.h"
#include "domain/date.h"
#include "store/json_text.h"

namespace capledger::ledger {
namespace {

using store::JsonString;

std::string FactJson(const store::EventStore& store, const projection::ExplainedFact& f) {
  const FactEvent event = DescribeFactEvent(store, f.fact.seq);
  return fmt::format(R"({{"seq": {}, "id": {}, "type": "{}", "effective": "{}", "clinic": {}, "use": "{}", "decisive": {}}})",
                     f.fact.seq, JsonString(event.id), event.type,
                     domain::FormatDate(domain::DateFromDays(f.fact.effective)),
                     event.clinic ? JsonString(*event.clinic) : "null", UseName(f.use), f.decisive);
}

}  // namespace

FactEvent DescribeFactEvent(const store::EventStore& store, std::uint64_t seq) {
  auto record = store.Read(seq);
  if (!record) return FactEvent{"?", "?", std::nullopt};
  const domain::EventBody& body = record->stored.event.body;
  const std::string* clinic = domain::ClinicOf(body);
  return FactEvent{record->stored.event.id, std::string(domain::EventTypeName(domain::TypeOf(body))),
                   clinic ? std::optional<std::string>(*clinic) : std::nullopt};
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
  std::string facts;
  for (std::size_t i = 0; i < e.facts.size(); ++i) {
    if (i) facts += ", ";
    facts += FactJson(store, e.facts[i]);
  }
  return fmt::format(
      R"({{"resident": "{}", "birth_date": "{}", "sex": "{}", "month": "{}", "snapshot_date": "{}", "rulebook": {}, )"
      R"("known_at_seq": {}, "counted": {}, "clinic": {}, "age": {}, "band": {}, "why": {}, "events": [{}]}})" "\n",
      e.pseudonym.ToHex(), domain::FormatDate(e.birth_date), domain::Name(e.sex), domain::FormatMonth(e.month),
      domain::FormatDate(e.snapshot), JsonString(e.rulebook_id), e.known_at_seq, e.counted,
      e.clinic.empty() ? "null" : JsonString(e.clinic), e.age, e.band, JsonString(e.why), facts);
}

std::string VerifyJson(const store::VerifyReport& report, const store::Head& head) {
  const bool ok = !report.first_bad_seq.has_value();
  std::string out = fmt::format(R"({{"ok": {}, "events_checked": {}, "head_seq": {}, "head_hash": "{}")", ok,
                                report.events_checked, head.seq, crypto::Hex(head.hash));
  if (!ok) out += fmt::format(R"(, "first_bad_seq": {}, "problem": {})", *report.first_bad_seq, JsonString(report.problem));
  return out + "}\n";
}

}  // namespace capledger::ledger
