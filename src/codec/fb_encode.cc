#include "codec/fb_encode.h"

#include <string_view>
#include <vector>

namespace capledger::codec::fb_internal {
namespace {

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

// The union member numbers are the EventType numbers (schemas/events.fbs appends both in order).
static_assert(static_cast<int>(fb::Event::ResidentRegistered) ==
              static_cast<int>(domain::EventType::kResidentRegistered));
static_assert(static_cast<int>(fb::Event::PayoutRun) == static_cast<int>(domain::EventType::kPayoutRun));
static_assert(static_cast<int>(fb::Event::MissionUndertaken) ==
              static_cast<int>(domain::EventType::kMissionUndertaken));
static_assert(static_cast<int>(fb::Event::BudgetFrameSet) == static_cast<int>(domain::EventType::kBudgetFrameSet));
static_assert(static_cast<int>(fb::Event::FollowUpPublished) ==
              static_cast<int>(domain::EventType::kFollowUpPublished));
static_assert(static_cast<int>(fb::Component::MAX) + 1 == domain::kComponentCount);
static_assert(static_cast<int>(fb::Event::MAX) == domain::kEventTypeCount);

Offset<flatbuffers::String> Str(FlatBufferBuilder& fbb, std::string_view text) {
  return fbb.CreateString(text.data(), text.size());
}

std::int32_t Days(domain::Date date) { return domain::DaysSinceEpoch(date); }
std::int32_t Ordinal(domain::Month month) { return domain::MonthOrdinal(month); }

template <typename FbEnum, typename DomainEnum>
FbEnum To(DomainEnum value) {
  return static_cast<FbEnum>(static_cast<std::uint8_t>(value));
}

fb::ResidentRef Ref(const domain::ResidentRef& r) {
  return fb::ResidentRef(fb::Pseudonym(flatbuffers::make_span(r.pseudonym.bytes)), Days(r.birth_date),
                         static_cast<std::uint8_t>(r.sex));
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::ResidentRegistered& e) {
  const fb::ResidentRef ref = Ref(e.resident);
  return fb::CreateResidentRegistered(fbb, &ref, Days(e.effective), e.municipality,
                                      To<fb::RegistrationReason>(e.reason))
      .Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::ResidentMovedOut& e) {
  const fb::ResidentRef ref = Ref(e.resident);
  return fb::CreateResidentMovedOut(fbb, &ref, Days(e.effective)).Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::ResidentDied& e) {
  const fb::ResidentRef ref = Ref(e.resident);
  return fb::CreateResidentDied(fbb, &ref, Days(e.effective)).Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::ResidentRelocated& e) {
  const fb::ResidentRef ref = Ref(e.resident);
  return fb::CreateResidentRelocated(fbb, &ref, Days(e.effective), e.municipality).Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::PatientListed& e) {
  const fb::ResidentRef ref = Ref(e.resident);
  const auto clinic = Str(fbb, e.clinic);
  return fb::CreatePatientListed(fbb, &ref, clinic, Days(e.effective), To<fb::ListingReason>(e.reason))
      .Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::PatientUnlisted& e) {
  const fb::ResidentRef ref = Ref(e.resident);
  const auto clinic = Str(fbb, e.clinic);
  return fb::CreatePatientUnlisted(fbb, &ref, clinic, Days(e.effective), To<fb::UnlistingReason>(e.reason))
      .Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::ClinicRegistered& e) {
  const auto clinic = Str(fbb, e.clinic);
  const auto name = Str(fbb, e.name);
  return fb::CreateClinicRegistered(fbb, clinic, name, To<fb::Operator>(e.op), e.municipality,
                                    e.distance_to_hospital_km_tenths, Days(e.effective))
      .Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::ClinicChanged& e) {
  const auto clinic = Str(fbb, e.clinic);
  const auto name = e.name ? Str(fbb, *e.name) : Offset<flatbuffers::String>();
  flatbuffers::Optional<fb::Operator> op;
  if (e.op) op = To<fb::Operator>(*e.op);
  flatbuffers::Optional<std::int32_t> distance;
  if (e.distance_to_hospital_km_tenths) distance = *e.distance_to_hospital_km_tenths;
  flatbuffers::Optional<std::int64_t> list_cap;
  if (e.list_cap) list_cap = *e.list_cap;
  return fb::CreateClinicChanged(fbb, clinic, Days(e.effective), name, op, distance, list_cap).Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::ClinicClosed& e) {
  const auto clinic = Str(fbb, e.clinic);
  return fb::CreateClinicClosed(fbb, clinic, Days(e.effective)).Union();
}

Offset<flatbuffers::Vector<Offset<fb::AgeBand>>> AgeBands(FlatBufferBuilder& fbb,
                                                          const std::vector<domain::AgeBand>& bands) {
  std::vector<Offset<fb::AgeBand>> offsets;
  offsets.reserve(bands.size());
  for (const auto& band : bands) {
    offsets.push_back(fb::CreateAgeBand(fbb, band.min_age, band.amount_per_year.ore()));
  }
  return fbb.CreateVector(offsets);
}

Offset<flatbuffers::Vector<Offset<fb::DistanceBand>>> DistanceBands(
    FlatBufferBuilder& fbb, const std::optional<std::vector<domain::DistanceBand>>& bands) {
  if (!bands) return 0;
  std::vector<Offset<fb::DistanceBand>> offsets;
  offsets.reserve(bands->size());
  for (const auto& band : *bands) {
    offsets.push_back(fb::CreateDistanceBand(fbb, band.min_km_tenths, band.amount_per_year.ore()));
  }
  return fbb.CreateVector(offsets);
}

Offset<fb::VisitRates> Visits(FlatBufferBuilder& fbb, const std::optional<domain::VisitRates>& v) {
  if (!v) return 0;
  return fb::CreateVisitRates(fbb, v->home_visit.ore(), v->other_listed.ore(), v->unlisted.ore(),
                              v->out_of_region.ore());
}

// One mission: basis and amount only for an optional mission (null for a base one), the age
// limits only when set.
Offset<fb::Mission> MissionTable(FlatBufferBuilder& fbb, const domain::Mission& m) {
  const auto id = Str(fbb, m.id);
  const auto title = Str(fbb, m.title);
  flatbuffers::Optional<fb::MissionBasis> basis;
  flatbuffers::Optional<std::int64_t> amount;
  if (m.kind == domain::MissionKind::kOptional) {
    basis = To<fb::MissionBasis>(m.basis);
    amount = m.amount.ore();
  }
  flatbuffers::Optional<std::int32_t> min_age;
  if (m.min_age) min_age = *m.min_age;
  flatbuffers::Optional<std::int32_t> max_age;
  if (m.max_age) max_age = *m.max_age;
  return fb::CreateMission(fbb, id, title, To<fb::MissionKind>(m.kind), basis, amount, min_age, max_age);
}

// The missions, or no vector at all for a rulebook without any (so that its bytes are those it
// had before missions existed).
Offset<flatbuffers::Vector<Offset<fb::Mission>>> Missions(FlatBufferBuilder& fbb,
                                                          const std::vector<domain::Mission>& missions) {
  if (missions.empty()) return 0;
  std::vector<Offset<fb::Mission>> offsets;
  offsets.reserve(missions.size());
  for (const auto& m : missions) offsets.push_back(MissionTable(fbb, m));
  return fbb.CreateVector(offsets);
}

// The sub-tables and vectors of a rulebook, all written before the Rulebook table starts.
Offset<fb::Rulebook> RulebookTable(FlatBufferBuilder& fbb, const domain::Rulebook& rb) {
  const auto id = Str(fbb, rb.id);
  const auto title = Str(fbb, rb.title);
  const auto decision = Str(fbb, rb.decision);
  const auto capitation = AgeBands(fbb, rb.capitation);
  const auto visits = Visits(fbb, rb.visits);
  const auto start_grant =
      rb.start_grant ? fb::CreateStartGrant(fbb, rb.start_grant->amount.ore(), rb.start_grant->months)
                     : Offset<fb::StartGrant>();
  const auto cni = rb.cni_supplement ? fb::CreateCniSupplement(fbb, rb.cni_supplement->top_n,
                                                               rb.cni_supplement->amount_per_year.ore())
                                     : Offset<fb::CniSupplement>();
  const auto distance = DistanceBands(fbb, rb.distance_supplement);
  flatbuffers::Optional<std::int64_t> performance;
  if (rb.performance_per_year) performance = rb.performance_per_year->ore();
  const auto& p = rb.provenance;
  const auto decided_by = p ? Str(fbb, p->decided_by) : Offset<flatbuffers::String>();
  const auto replaces = p && p->replaces ? Str(fbb, *p->replaces) : Offset<flatbuffers::String>();
  flatbuffers::Optional<std::int32_t> decided_on;
  if (p && p->decided_on) decided_on = Days(*p->decided_on);
  const auto missions = Missions(fbb, rb.missions);
  return fb::CreateRulebook(fbb, id, title, decision, Days(rb.valid_from), Days(rb.valid_until),
                            To<fb::SnapshotRule>(rb.snapshot), rb.retro_window_months, capitation,
                            performance, visits, start_grant, cni, distance, decided_by, decided_on, replaces,
                            missions);
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::RulebookPublished& e) {
  const auto rulebook = RulebookTable(fbb, e.rulebook);
  return fb::CreateRulebookPublished(fbb, rulebook).Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::CniReported& e) {
  const auto clinic = Str(fbb, e.clinic);
  const auto vintage = Str(fbb, e.vintage);
  const domain::CniHits& h = e.hits;
  const auto hits = fb::CreateCniHits(fbb, h.over_65_alone, h.born_abroad, h.unemployed, h.single_parent,
                                      h.moved_in, h.low_education, h.under_5);
  flatbuffers::Optional<std::int64_t> cni;
  if (e.cni_ten_thousandths) cni = *e.cni_ten_thousandths;
  return fb::CreateCniReported(fbb, clinic, Days(e.effective), vintage, e.population, hits, cni).Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::PerformanceReported& e) {
  const auto clinic = Str(fbb, e.clinic);
  return fb::CreatePerformanceReported(fbb, clinic, Ordinal(e.period_from), Ordinal(e.period_to),
                                       e.fulfilment_thousandths)
      .Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::VisitsReported& e) {
  const auto clinic = Str(fbb, e.clinic);
  const domain::VisitCounts& c = e.counts;
  const auto counts = fb::CreateVisitCounts(fbb, c.home_visits, c.other_listed, c.unlisted, c.out_of_region);
  return fb::CreateVisitsReported(fbb, clinic, Ordinal(e.month), counts).Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::MissionUndertaken& e) {
  const auto clinic = Str(fbb, e.clinic);
  const auto mission = Str(fbb, e.mission);
  flatbuffers::Optional<std::int64_t> units;
  if (e.units) units = *e.units;
  return fb::CreateMissionUndertaken(fbb, clinic, mission, Days(e.effective), units).Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::MissionEnded& e) {
  const auto clinic = Str(fbb, e.clinic);
  const auto mission = Str(fbb, e.mission);
  return fb::CreateMissionEnded(fbb, clinic, mission, Days(e.effective)).Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::BudgetFrameSet& e) {
  const auto decision = Str(fbb, e.decision);
  return fb::CreateBudgetFrameSet(fbb, e.year, e.amount.ore(), decision).Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::EventRetracted& e) {
  const auto target = Str(fbb, e.target);
  const auto reason = Str(fbb, e.reason);
  return fb::CreateEventRetracted(fbb, target, reason).Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::LedgerEntry& e) {
  const auto entry_id = Str(fbb, e.entry_id);
  const auto clinic = Str(fbb, e.clinic);
  const auto rulebook = Str(fbb, e.rulebook);
  std::vector<Offset<flatbuffers::String>> adjusted;
  adjusted.reserve(e.adjusts.size());
  for (const auto& id : e.adjusts) adjusted.push_back(Str(fbb, id));
  const auto adjusts = adjusted.empty() ? 0 : fbb.CreateVector(adjusted);
  const auto debit = Str(fbb, e.debit);
  const auto credit = Str(fbb, e.credit);
  return fb::CreateLedgerEntry(fbb, entry_id, Ordinal(e.run), clinic, Ordinal(e.period),
                               To<fb::Component>(e.component), To<fb::EntryKind>(e.kind), e.amount.ore(),
                               e.known_at_seq.value(), rulebook, adjusts, debit, credit)
      .Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::PayoutRun& e) {
  const auto rulebook = Str(fbb, e.rulebook);
  std::vector<Offset<fb::UnbookedDifference>> rows;
  rows.reserve(e.unbooked.size());
  for (const auto& u : e.unbooked) {
    const auto clinic = Str(fbb, u.clinic);
    rows.push_back(fb::CreateUnbookedDifference(fbb, clinic, Ordinal(u.period), To<fb::Component>(u.component),
                                                u.amount.ore()));
  }
  const auto unbooked = rows.empty() ? 0 : fbb.CreateVector(rows);
  return fb::CreatePayoutRun(fbb, Ordinal(e.run), e.known_at_seq.value(), rulebook, e.entry_count, e.total.ore(),
                             unbooked)
      .Union();
}

Offset<void> Table(FlatBufferBuilder& fbb, const domain::FollowUpPublished& e) {
  const auto manifest = Str(fbb, e.manifest_sha256);
  return fb::CreateFollowUpPublished(fbb, e.year, Ordinal(e.through), e.known_at_seq.value(), manifest).Union();
}

}  // namespace

EncodedTable EncodeEventTable(FlatBufferBuilder& fbb, const domain::EventBody& body) {
  EncodedTable out;
  out.type = static_cast<fb::Event>(body.index() + 1);
  out.offset = std::visit([&fbb](const auto& event) { return Table(fbb, event); }, body);
  return out;
}

}  // namespace capledger::codec::fb_internal
