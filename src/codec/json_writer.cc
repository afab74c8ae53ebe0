#include "codec/json_writer.h"

#include <fmt/format.h>

#include "codec/json_digits.h"
#include "codec/json_out.h"
#include "codec/rulebook_codec.h"
#include "common/assert.h"

namespace capledger::codec {
namespace {

constexpr JsonSpacing kSpacing = JsonSpacing::kCompact;  // event lines are compact

constexpr int kDistanceDecimals = 1;
constexpr int kFulfilmentDecimals = 3;
constexpr int kCniDecimals = 4;

using json_digits::AppendDate;
using json_digits::AppendDigits;
using json_digits::AppendTimestamp;

// The resident as the log writes it (pseudonym, birth date, sex), or, given the personnummer it
// came from, as the input carries it.
void Resident(JsonObject& w, const domain::ResidentRef& r, std::string_view personnummer) {
  if (!personnummer.empty()) {
    w.String("personnummer", personnummer);
    return;
  }
  w.String("resident", r.pseudonym.ToHex())
      .String("birth_date", domain::FormatDate(r.birth_date))
      .String("sex", domain::Name(r.sex));
}

void Date(JsonObject& w, std::string_view key, domain::Date date) {
  std::string& out = w.Key(key);
  out += '"';
  AppendDate(out, date);
  out += '"';
}
void Month(JsonObject& w, std::string_view key, domain::Month m) { w.String(key, domain::FormatMonth(m)); }

// Four digits, zero-padded ("0114"); a code above 9999 (refused on input) in full.
void Municipality(JsonObject& w, std::uint16_t code) {
  std::string& out = w.Key("municipality");
  out += '"';
  AppendDigits(out, code, code > 9999 ? 5 : 4);
  out += '"';
}

void Fields(JsonObject& w, const domain::ResidentRegistered& e, std::string_view personnummer) {
  Resident(w, e.resident, personnummer);
  Date(w, "effective", e.effective);
  Municipality(w, e.municipality);
  w.String("reason", domain::Name(e.reason));
}

void Fields(JsonObject& w, const domain::ResidentMovedOut& e, std::string_view personnummer) {
  Resident(w, e.resident, personnummer);
  Date(w, "effective", e.effective);
}

void Fields(JsonObject& w, const domain::ResidentDied& e, std::string_view personnummer) {
  Resident(w, e.resident, personnummer);
  Date(w, "effective", e.effective);
}

void Fields(JsonObject& w, const domain::ResidentRelocated& e, std::string_view personnummer) {
  Resident(w, e.resident, personnummer);
  Date(w, "effective", e.effective);
  Municipality(w, e.municipality);
}

void Fields(JsonObject& w, const domain::PatientListed& e, std::string_view personnummer) {
  Resident(w, e.resident, personnummer);
  w.String("clinic", e.clinic);
  Date(w, "effective", e.effective);
  w.String("reason", domain::Name(e.reason));
}

void Fields(JsonObject& w, const domain::PatientUnlisted& e, std::string_view personnummer) {
  Resident(w, e.resident, personnummer);
  w.String("clinic", e.clinic);
  Date(w, "effective", e.effective);
  w.String("reason", domain::Name(e.reason));
}

void Fields(JsonObject& w, const domain::ClinicRegistered& e) {
  w.String("clinic", e.clinic).String("name", e.name).String("operator", domain::Name(e.op));
  Municipality(w, e.municipality);
  w.Decimal("distance_to_hospital_km", e.distance_to_hospital_km_tenths, kDistanceDecimals);
  Date(w, "effective", e.effective);
}

void Fields(JsonObject& w, const domain::ClinicChanged& e) {
  w.String("clinic", e.clinic);
  Date(w, "effective", e.effective);
  if (e.name) w.String("name", *e.name);
  if (e.op) w.String("operator", domain::Name(*e.op));
  if (e.distance_to_hospital_km_tenths) {
    w.Decimal("distance_to_hospital_km", *e.distance_to_hospital_km_tenths, kDistanceDecimals);
  }
  if (e.list_cap) w.Integer("list_cap", *e.list_cap);
}

void Fields(JsonObject& w, const domain::ClinicClosed& e) {
  w.String("clinic", e.clinic);
  Date(w, "effective", e.effective);
}

void Fields(JsonObject& w, const domain::RulebookPublished& e) {
  w.Key("rulebook") += RulebookToJson(e.rulebook);
}

// The seven CNI variables in DOMAIN.md §6.2 order.
void Hits(JsonObject hits, const domain::CniHits& h) {
  hits.Integer("over_65_alone", h.over_65_alone)
      .Integer("born_abroad", h.born_abroad)
      .Integer("unemployed", h.unemployed)
      .Integer("single_parent", h.single_parent)
      .Integer("moved_in", h.moved_in)
      .Integer("low_education", h.low_education)
      .Integer("under_5", h.under_5)
      .Close();
}

void Fields(JsonObject& w, const domain::CniReported& e) {
  w.String("clinic", e.clinic);
  Date(w, "effective", e.effective);
  w.String("vintage", e.vintage).Integer("population", e.population);
  Hits(w.Object("hits"), e.hits);
  if (e.cni_ten_thousandths) w.Decimal("cni", *e.cni_ten_thousandths, kCniDecimals);
}

void Fields(JsonObject& w, const domain::PerformanceReported& e) {
  w.String("clinic", e.clinic);
  Month(w, "period_from", e.period_from);
  Month(w, "period_to", e.period_to);
  w.Decimal("fulfilment", e.fulfilment_thousandths, kFulfilmentDecimals);
}

void Fields(JsonObject& w, const domain::VisitsReported& e) {
  w.String("clinic", e.clinic);
  Month(w, "month", e.month);
  w.Object("counts")
      .Integer("home_visits", e.counts.home_visits)
      .Integer("other_listed", e.counts.other_listed)
      .Integer("unlisted", e.counts.unlisted)
      .Integer("out_of_region", e.counts.out_of_region)
      .Close();
}

void Fields(JsonObject& w, const domain::MissionUndertaken& e) {
  w.String("clinic", e.clinic).String("mission", e.mission);
  Date(w, "effective", e.effective);
  if (e.units) w.Integer("units", *e.units);
}

void Fields(JsonObject& w, const domain::MissionEnded& e) {
  w.String("clinic", e.clinic).String("mission", e.mission);
  Date(w, "effective", e.effective);
}

// The year as the string "YYYY", as it is read.
void Fields(JsonObject& w, const domain::BudgetFrameSet& e) {
  fmt::format_to(std::back_inserter(w.Key("year")), "\"{:04d}\"", e.year);
  w.Kronor("amount", e.amount);
  w.String("decision", e.decision);
}

void Fields(JsonObject& w, const domain::EventRetracted& e) {
  w.String("target", e.target).String("reason", e.reason);
}

void Fields(JsonObject& w, const domain::LedgerEntry& e) {
  w.String("entry_id", e.entry_id);
  Month(w, "run", e.run);
  w.String("clinic", e.clinic);
  Month(w, "month", e.period);
  w.String("component", domain::Name(e.component)).String("kind", domain::Name(e.kind));
  w.Kronor("amount", e.amount);
  w.Integer("known_at_seq", e.known_at_seq).String("rulebook", e.rulebook);
  JsonArray adjusts = w.Array("adjusts");
  for (const domain::EventId& id : e.adjusts) adjusts.String(id);
  adjusts.Close();
  w.String("debit", e.debit).String("credit", e.credit);
}

void Unbooked(JsonArray& list, const domain::UnbookedDifference& u) {
  JsonObject row = list.Object();
  row.String("clinic", u.clinic);
  Month(row, "month", u.period);
  row.String("component", domain::Name(u.component));
  row.Kronor("amount", u.amount);
  row.Close();
}

void Fields(JsonObject& w, const domain::PayoutRun& e) {
  Month(w, "run", e.run);
  w.Integer("known_at_seq", e.known_at_seq).String("rulebook", e.rulebook).Integer("entry_count", e.entry_count);
  w.Kronor("total", e.total);
  JsonArray unbooked = w.Array("unbooked");
  for (const domain::UnbookedDifference& u : e.unbooked) Unbooked(unbooked, u);
  unbooked.Close();
}

// The year as the string "YYYY", as BudgetFrameSet's.
void Fields(JsonObject& w, const domain::FollowUpPublished& e) {
  fmt::format_to(std::back_inserter(w.Key("year")), "\"{:04d}\"", e.year);
  Month(w, "through", e.through);
  w.Integer("known_at_seq", e.known_at_seq).String("manifest_sha256", e.manifest_sha256);
}

// The body's fields; a resident as Resident writes it with `personnummer`.
void Body(JsonObject& w, const domain::EventBody& body, std::string_view personnummer) {
  std::visit(
      [&](const auto& fields) {
        if constexpr (requires { fields.resident; }) {
          Fields(w, fields, personnummer);
        } else {
          Fields(w, fields);
        }
      },
      body);
}

}  // namespace

std::string EventToJson(const domain::Event& event, const LogPosition* position) {
  std::string out;
  out.reserve(320);
  JsonObject w(out, kSpacing);
  w.String("type", domain::EventTypeName(domain::TypeOf(event.body))).String("id", event.id);
  if (!event.source.empty()) w.String("source", event.source);
  if (position != nullptr) {
    w.Integer("seq", position->seq).String("recorded_at", domain::FormatTimestamp(position->recorded_at));
  }
  Body(w, event.body, "");
  if (position != nullptr) {
    w.String("prev_hash", crypto::Hex(position->prev_hash)).String("hash", crypto::Hex(position->hash));
  }
  w.Close();
  return out;
}

void AppendInputJson(std::string& out, const domain::Event& event, const InputLineExtras& extras) {
  LEDGER_ASSERT(extras.personnummer.empty() == (domain::ResidentOf(event.body) == nullptr));
  JsonObject w(out, kSpacing);
  w.String("type", domain::EventTypeName(domain::TypeOf(event.body))).String("id", event.id);
  if (!event.source.empty()) w.String("source", event.source);
  if (extras.recorded_at) {
    std::string& text = w.Key("recorded_at");
    text += '"';
    AppendTimestamp(text, *extras.recorded_at);
    text += '"';
  }
  Body(w, event.body, extras.personnummer);
  w.Close();
}

}  // namespace capledger::codec
