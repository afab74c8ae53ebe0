#include "codec/fb_decode.h"

#include <array>
#include <chrono>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "codec/fb_text_rules.h"
#include "codec/json_field_rules.h"
#include "common/limits.h"
#include "domain/ids.h"

namespace capledger::codec::fb_internal {
namespace {

constexpr std::int32_t DaysOf(int y, unsigned m, unsigned d) {
  return static_cast<std::int32_t>(
      std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d))
          .time_since_epoch()
          .count());
}

constexpr std::int32_t kDaysMin = DaysOf(domain::kYearMin, 1, 1);
constexpr std::int32_t kDaysMax = DaysOf(domain::kYearMax, 12, 31);
constexpr std::int32_t kOrdinalMin = domain::kYearMin * 12;
constexpr std::int32_t kOrdinalMax = domain::kYearMax * 12 + 11;
constexpr std::int64_t kMunicipalityMax = 9999;
constexpr std::int64_t kFulfilmentMax = 1000;
constexpr std::int64_t kInt32Max = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
// Text that came through an input line cannot be longer than the line.
constexpr std::size_t kTextBytesMax = limits::kInputLineBytesMax;

// Reads the fields of one table, remembering the first field that fails its check. Accessors
// return a harmless default after a failure, so a decoder reads on and Finish reports the first
// problem. The success path allocates nothing beyond the decoded strings.
class Checker {
 public:
  explicit Checker(const char* type) : type_(type) {}

  domain::Date Date(std::int32_t days, const char* field) {
    if (days < kDaysMin || days > kDaysMax) return Bad(field, "date out of range"), domain::Date{};
    return domain::DateFromDays(days);
  }

  domain::Month Month(std::int32_t ordinal, const char* field) {
    if (ordinal < kOrdinalMin || ordinal > kOrdinalMax) return Bad(field, "month out of range"), domain::Month{};
    return domain::MonthFromOrdinal(ordinal);
  }

  domain::ResidentRef Resident(const fb::ResidentRef* ref) {
    domain::ResidentRef out;
    if (ref == nullptr) return Bad("resident", "missing"), out;
    std::memcpy(out.pseudonym.bytes.data(), ref->pseudonym().bytes()->Data(), out.pseudonym.bytes.size());
    out.birth_date = Date(ref->birth_date(), "resident.birth_date");
    out.sex = Enum<domain::Sex>(ref->sex(), 2, "resident.sex");
    return out;
  }

  domain::ClinicId Clinic(const flatbuffers::String* s, const char* field) {
    const std::string_view text = View(s, field);
    if (s == nullptr) return {};
    auto id = domain::ClinicId::Parse(text);
    if (!id) return Bad(field, "not a clinic id"), domain::ClinicId();
    return *id;
  }

  std::string MissionId(const flatbuffers::String* s, const char* field) {
    const std::string_view text = View(s, field);
    if (s != nullptr && !domain::IsMissionId(text)) Bad(field, "not a mission id");
    return std::string(text);
  }

  domain::EventId Id(const flatbuffers::String* s, const char* field) {
    const std::string_view text = View(s, field);
    if (s == nullptr) return {};
    auto id = domain::EventId::Parse(text);
    if (!id) return Bad(field, "not 1-128 printable ASCII characters"), domain::EventId();
    return *id;
  }

  std::string Sha256Hex(const flatbuffers::String* s, const char* field) {
    const std::string_view text = View(s, field);
    if (s != nullptr && !domain::IsSha256HexText(text)) Bad(field, "not 64 lower-case hex digits");
    return std::string(text);
  }

  std::string Text(const flatbuffers::String* s, const char* field) {
    const std::string_view text = View(s, field);
    if (text.size() > kTextBytesMax) Bad(field, "text too long");
    if (!IsValidUtf8(text)) Bad(field, "text is not UTF-8");
    return std::string(text);
  }

  std::optional<std::string> OptionalText(const flatbuffers::String* s, const char* field) {
    if (s == nullptr) return std::nullopt;
    return Text(s, field);
  }

  template <typename E, typename Raw>
  E Enum(Raw raw, unsigned count, const char* field) {
    const auto value = static_cast<unsigned>(raw);
    if (value >= count) return Bad(field, "value out of range"), static_cast<E>(0);
    return static_cast<E>(value);
  }

  // `value` if lo <= value <= hi; otherwise a failure and lo.
  std::int64_t Range(std::int64_t value, std::int64_t lo, std::int64_t hi, const char* field) {
    if (value < lo || value > hi) return Bad(field, "value out of range"), lo;
    return value;
  }

  std::int32_t Range32(std::int32_t value, std::int64_t lo, std::int64_t hi, const char* field) {
    return static_cast<std::int32_t>(Range(value, lo, hi, field));
  }

  std::int64_t Count(std::int64_t value, const char* field) { return Range(value, 0, limits::kCountMax, field); }

  domain::Money Amount(std::int64_t ore, const char* field) {
    return domain::Money::FromOre(Range(ore, 0, kInt64Max, field));
  }

  // Records a failure unless `condition` holds; returns `condition`.
  bool Require(bool condition, const char* field, const char* problem) {
    if (!condition) Bad(field, problem);
    return condition;
  }

  // Records a failure with a field name built at run time.
  void BadOwned(std::string field, std::string problem) {
    if (!failed_) {
      failed_ = true;
      field_ = std::move(field);
      problem_ = std::move(problem);
    }
  }

  bool ok() const { return !failed_; }

  // The decoded value, or kCorruption naming the first field that failed.
  template <typename T>
  Result<domain::EventBody> Finish(T&& value) {
    if (failed_) return Fail(ErrorCode::kCorruption, fmt::format("{}.{}: {}", type_, field_, problem_));
    return domain::EventBody(std::in_place_type<std::decay_t<T>>, std::forward<T>(value));
  }

 private:
  void Bad(const char* field, const char* problem) {
    if (!failed_) BadOwned(field, problem);
  }

  std::string_view View(const flatbuffers::String* s, const char* field) {
    if (s == nullptr) return Bad(field, "missing"), std::string_view();
    return std::string_view(s->c_str(), s->size());
  }

  const char* type_;
  bool failed_ = false;
  std::string field_;
  std::string problem_;
};

using domain::Component;
using domain::EntryKind;
using domain::ListingReason;
using domain::Operator;
using domain::RegistrationReason;
using domain::UnlistingReason;

constexpr unsigned kRegistrationReasons = 3;
constexpr unsigned kListingReasons = 5;
constexpr unsigned kUnlistingReasons = 4;
constexpr unsigned kOperators = 2;
constexpr unsigned kEntryKinds = 2;
constexpr unsigned kSnapshotRules = 3;
constexpr unsigned kMissionKinds = 2;
constexpr unsigned kMissionBases = 3;

Result<domain::EventBody> Decode(const fb::ResidentRegistered& t) {
  Checker c("ResidentRegistered");
  domain::ResidentRegistered e;
  e.resident = c.Resident(t.resident());
  e.effective = c.Date(t.effective(), "effective");
  e.municipality = static_cast<std::uint16_t>(c.Range(t.municipality(), 0, kMunicipalityMax, "municipality"));
  e.reason = c.Enum<RegistrationReason>(t.reason(), kRegistrationReasons, "reason");
  return c.Finish(e);
}

// ResidentMovedOut and ResidentDied: a resident and a date.
template <typename DomainT, typename FbT>
Result<domain::EventBody> DecodeResidentDate(const FbT& t, const char* type) {
  Checker c(type);
  DomainT e;
  e.resident = c.Resident(t.resident());
  e.effective = c.Date(t.effective(), "effective");
  return c.Finish(std::move(e));
}

Result<domain::EventBody> Decode(const fb::ResidentMovedOut& t) {
  return DecodeResidentDate<domain::ResidentMovedOut>(t, "ResidentMovedOut");
}

Result<domain::EventBody> Decode(const fb::ResidentDied& t) {
  return DecodeResidentDate<domain::ResidentDied>(t, "ResidentDied");
}

Result<domain::EventBody> Decode(const fb::ResidentRelocated& t) {
  Checker c("ResidentRelocated");
  domain::ResidentRelocated e;
  e.resident = c.Resident(t.resident());
  e.effective = c.Date(t.effective(), "effective");
  e.municipality = static_cast<std::uint16_t>(c.Range(t.municipality(), 0, kMunicipalityMax, "municipality"));
  return c.Finish(e);
}

Result<domain::EventBody> Decode(const fb::PatientListed& t) {
  Checker c("PatientListed");
  domain::PatientListed e;
  e.resident = c.Resident(t.resident());
  e.clinic = c.Clinic(t.clinic(), "clinic");
  e.effective = c.Date(t.effective(), "effective");
  e.reason = c.Enum<ListingReason>(t.reason(), kListingReasons, "reason");
  return c.Finish(e);
}

Result<domain::EventBody> Decode(const fb::PatientUnlisted& t) {
  Checker c("PatientUnlisted");
  domain::PatientUnlisted e;
  e.resident = c.Resident(t.resident());
  e.clinic = c.Clinic(t.clinic(), "clinic");
  e.effective = c.Date(t.effective(), "effective");
  e.reason = c.Enum<UnlistingReason>(t.reason(), kUnlistingReasons, "reason");
  return c.Finish(e);
}

Result<domain::EventBody> Decode(const fb::ClinicRegistered& t) {
  Checker c("ClinicRegistered");
  domain::ClinicRegistered e;
  e.clinic = c.Clinic(t.clinic(), "clinic");
  e.name = c.Text(t.name(), "name");
  e.op = c.Enum<Operator>(t.operator_(), kOperators, "operator");
  e.municipality = static_cast<std::uint16_t>(c.Range(t.municipality(), 0, kMunicipalityMax, "municipality"));
  e.distance_to_hospital_km_tenths =
      c.Range32(t.distance_to_hospital_km_tenths(), 0, kInt32Max, "distance_to_hospital_km");
  e.effective = c.Date(t.effective(), "effective");
  return c.Finish(std::move(e));
}

Result<domain::EventBody> Decode(const fb::ClinicChanged& t) {
  Checker c("ClinicChanged");
  domain::ClinicChanged e;
  e.clinic = c.Clinic(t.clinic(), "clinic");
  e.effective = c.Date(t.effective(), "effective");
  e.name = c.OptionalText(t.name(), "name");
  if (const auto op = t.operator_(); op.has_value()) e.op = c.Enum<Operator>(op.value(), kOperators, "operator");
  if (const auto d = t.distance_to_hospital_km_tenths(); d.has_value()) {
    e.distance_to_hospital_km_tenths = c.Range32(d.value(), 0, kInt32Max, "distance_to_hospital_km");
  }
  if (const auto cap = t.list_cap(); cap.has_value()) e.list_cap = c.Range(cap.value(), 0, kInt64Max, "list_cap");
  return c.Finish(std::move(e));
}

Result<domain::EventBody> Decode(const fb::ClinicClosed& t) {
  Checker c("ClinicClosed");
  domain::ClinicClosed e;
  e.clinic = c.Clinic(t.clinic(), "clinic");
  e.effective = c.Date(t.effective(), "effective");
  return c.Finish(e);
}

std::vector<domain::AgeBand> AgeBands(Checker& c, const flatbuffers::Vector<flatbuffers::Offset<fb::AgeBand>>* v) {
  std::vector<domain::AgeBand> bands;
  if (!c.Require(v != nullptr, "rulebook.capitation", "missing") ||
      !c.Require(v->size() <= limits::kRulebookBandsMax, "rulebook.capitation", "too many bands")) {
    return bands;
  }
  bands.reserve(v->size());
  for (const fb::AgeBand* band : *v) {
    bands.push_back(domain::AgeBand{
        c.Range32(band->min_age(), 0, domain::kMinAgeMax, "rulebook.capitation.min_age"),
        c.Amount(band->amount_per_year(), "rulebook.capitation.amount")});
  }
  return bands;
}

std::optional<std::vector<domain::DistanceBand>> DistanceBands(
    Checker& c, const flatbuffers::Vector<flatbuffers::Offset<fb::DistanceBand>>* v) {
  if (v == nullptr) return std::nullopt;
  std::vector<domain::DistanceBand> bands;
  if (!c.Require(v->size() <= limits::kRulebookBandsMax, "rulebook.distance_supplement", "too many bands")) {
    return bands;
  }
  bands.reserve(v->size());
  for (const fb::DistanceBand* band : *v) {
    bands.push_back(domain::DistanceBand{
        c.Range32(band->min_km_tenths(), 0, kInt32Max, "rulebook.distance_supplement.min_km"),
        c.Amount(band->amount_per_year(), "rulebook.distance_supplement.amount")});
  }
  return bands;
}

std::optional<domain::VisitRates> Visits(Checker& c, const fb::VisitRates* v) {
  if (v == nullptr) return std::nullopt;
  return domain::VisitRates{c.Amount(v->home_visit(), "rulebook.visits.home_visit"),
                            c.Amount(v->other_listed(), "rulebook.visits.other_listed"),
                            c.Amount(v->unlisted(), "rulebook.visits.unlisted"),
                            c.Amount(v->out_of_region(), "rulebook.visits.out_of_region")};
}

// An optional mission's basis and amount (both required) and its age limits; the limits' ranges
// are domain::CheckRulebook's.
void OptionalMission(Checker& c, const fb::Mission& t, domain::Mission& m) {
  const auto basis = t.basis();
  const auto amount = t.amount();
  if (!c.Require(basis.has_value(), "rulebook.missions.basis", "missing") ||
      !c.Require(amount.has_value(), "rulebook.missions.amount", "missing")) {
    return;
  }
  m.basis = c.Enum<domain::MissionBasis>(basis.value(), kMissionBases, "rulebook.missions.basis");
  m.amount = c.Amount(amount.value(), "rulebook.missions.amount");
  if (const auto age = t.min_age(); age.has_value()) m.min_age = age.value();
  if (const auto age = t.max_age(); age.has_value()) m.max_age = age.value();
}

domain::Mission DecodeMission(Checker& c, const fb::Mission& t) {
  domain::Mission m;
  m.id = c.MissionId(t.id(), "rulebook.missions.id");
  m.title = c.Text(t.title(), "rulebook.missions.title");
  m.kind = c.Enum<domain::MissionKind>(t.kind(), kMissionKinds, "rulebook.missions.kind");
  if (m.kind == domain::MissionKind::kOptional) {
    OptionalMission(c, t, m);
  } else {
    c.Require(!t.basis() && !t.amount() && !t.min_age() && !t.max_age(), "rulebook.missions",
              "a base mission with a basis, amount or age limit");
  }
  return m;
}

// The missions in their order; none if the vector is absent.
std::vector<domain::Mission> Missions(Checker& c, const flatbuffers::Vector<flatbuffers::Offset<fb::Mission>>* v) {
  std::vector<domain::Mission> missions;
  if (v == nullptr || !c.Require(v->size() <= domain::kMissionsMax, "rulebook.missions", "too many missions")) {
    return missions;
  }
  missions.reserve(v->size());
  for (const fb::Mission* m : *v) missions.push_back(DecodeMission(c, *m));
  return missions;
}

// The optional components of a rulebook: absent tables stay nullopt.
void OptionalComponents(Checker& c, const fb::Rulebook& t, domain::Rulebook& rb) {
  if (const auto p = t.performance_per_year(); p.has_value()) {
    rb.performance_per_year = c.Amount(p.value(), "rulebook.performance.amount");
  }
  rb.visits = Visits(c, t.visits());
  if (const fb::StartGrant* g = t.start_grant()) {
    rb.start_grant = domain::StartGrant{c.Amount(g->amount(), "rulebook.start_grant.amount"),
                                        c.Range32(g->months(), 0, kInt32Max, "rulebook.start_grant.months")};
  }
  if (const fb::CniSupplement* s = t.cni_supplement()) {
    rb.cni_supplement =
        domain::CniSupplement{c.Range32(s->top_n(), 0, kInt32Max, "rulebook.cni_supplement.top_n"),
                              c.Amount(s->amount_per_year(), "rulebook.cni_supplement.amount")};
  }
  rb.distance_supplement = DistanceBands(c, t.distance_supplement());
  rb.missions = Missions(c, t.missions());
}

Result<domain::EventBody> Decode(const fb::RulebookPublished& t) {
  Checker c("RulebookPublished");
  domain::RulebookPublished e;
  const fb::Rulebook* r = t.rulebook();
  if (!c.Require(r != nullptr, "rulebook", "missing")) return c.Finish(std::move(e));
  domain::Rulebook& rb = e.rulebook;
  rb.id = c.Text(r->id(), "rulebook.id");
  rb.title = c.Text(r->title(), "rulebook.title");
  rb.decision = c.Text(r->decision(), "rulebook.decision");
  if (r->decided_by() != nullptr) {
    domain::Provenance provenance;
    provenance.decided_by = c.Text(r->decided_by(), "rulebook.decided_by");
    if (r->decided_on()) provenance.decided_on = c.Date(*r->decided_on(), "rulebook.decided_on");
    if (r->replaces() != nullptr) provenance.replaces = c.Text(r->replaces(), "rulebook.replaces");
    rb.provenance = std::move(provenance);
  }
  rb.valid_from = c.Date(r->valid_from(), "rulebook.valid_from");
  rb.valid_until = c.Date(r->valid_until(), "rulebook.valid_until");
  rb.snapshot = c.Enum<domain::SnapshotRule>(r->snapshot(), kSnapshotRules, "rulebook.snapshot");
  rb.retro_window_months = c.Range32(r->retro_window_months(), 0, kInt32Max, "rulebook.retro_window_months");
  rb.capitation = AgeBands(c, r->capitation());
  OptionalComponents(c, *r, rb);
  if (c.ok()) {
    if (auto violation = domain::CheckRulebook(rb)) {
      c.BadOwned("rulebook." + violation->field, violation->message);
    }
  }
  return c.Finish(std::move(e));
}

Result<domain::EventBody> Decode(const fb::CniReported& t) {
  Checker c("CniReported");
  domain::CniReported e;
  e.clinic = c.Clinic(t.clinic(), "clinic");
  e.effective = c.Date(t.effective(), "effective");
  e.vintage = c.Text(t.vintage(), "vintage");
  e.population = c.Range(t.population(), 1, limits::kCountMax, "population");
  if (const fb::CniHits* h = t.hits(); c.Require(h != nullptr, "hits", "missing")) {
    e.hits = domain::CniHits{c.Count(h->over_65_alone(), "hits.over_65_alone"),
                             c.Count(h->born_abroad(), "hits.born_abroad"),
                             c.Count(h->unemployed(), "hits.unemployed"),
                             c.Count(h->single_parent(), "hits.single_parent"),
                             c.Count(h->moved_in(), "hits.moved_in"),
                             c.Count(h->low_education(), "hits.low_education"),
                             c.Count(h->under_5(), "hits.under_5")};
  }
  if (const auto cni = t.cni_ten_thousandths(); cni.has_value()) {
    e.cni_ten_thousandths = c.Range(cni.value(), 0, kInt64Max, "cni");
  }
  return c.Finish(std::move(e));
}

Result<domain::EventBody> Decode(const fb::PerformanceReported& t) {
  Checker c("PerformanceReported");
  domain::PerformanceReported e;
  e.clinic = c.Clinic(t.clinic(), "clinic");
  e.period_from = c.Month(t.period_from(), "period_from");
  e.period_to = c.Month(t.period_to(), "period_to");
  c.Require(t.period_from() <= t.period_to(), "period_to", "before period_from");
  e.fulfilment_thousandths = c.Range32(t.fulfilment_thousandths(), 0, kFulfilmentMax, "fulfilment");
  return c.Finish(e);
}

Result<domain::EventBody> Decode(const fb::VisitsReported& t) {
  Checker c("VisitsReported");
  domain::VisitsReported e;
  e.clinic = c.Clinic(t.clinic(), "clinic");
  e.month = c.Month(t.month(), "month");
  if (const fb::VisitCounts* v = t.counts(); c.Require(v != nullptr, "counts", "missing")) {
    e.counts = domain::VisitCounts{c.Count(v->home_visits(), "counts.home_visits"),
                                   c.Count(v->other_listed(), "counts.other_listed"),
                                   c.Count(v->unlisted(), "counts.unlisted"),
                                   c.Count(v->out_of_region(), "counts.out_of_region")};
  }
  return c.Finish(e);
}

Result<domain::EventBody> Decode(const fb::MissionUndertaken& t) {
  Checker c("MissionUndertaken");
  domain::MissionUndertaken e;
  e.clinic = c.Clinic(t.clinic(), "clinic");
  e.mission = c.MissionId(t.mission(), "mission");
  e.effective = c.Date(t.effective(), "effective");
  if (const auto units = t.units(); units.has_value()) e.units = c.Range(units.value(), 1, limits::kCountMax, "units");
  return c.Finish(std::move(e));
}

Result<domain::EventBody> Decode(const fb::MissionEnded& t) {
  Checker c("MissionEnded");
  domain::MissionEnded e;
  e.clinic = c.Clinic(t.clinic(), "clinic");
  e.mission = c.MissionId(t.mission(), "mission");
  e.effective = c.Date(t.effective(), "effective");
  return c.Finish(std::move(e));
}

Result<domain::EventBody> Decode(const fb::BudgetFrameSet& t) {
  Checker c("BudgetFrameSet");
  domain::BudgetFrameSet e;
  e.year = c.Range32(t.year(), domain::kYearMin, domain::kYearMax, "year");
  e.amount = domain::Money::FromOre(c.Range(t.amount(), 0, json::kBudgetFrameOreMax, "amount"));
  e.decision = c.Text(t.decision(), "decision");
  return c.Finish(std::move(e));
}

Result<domain::EventBody> Decode(const fb::EventRetracted& t) {
  Checker c("EventRetracted");
  domain::EventRetracted e;
  e.target = c.Id(t.target(), "target");
  e.reason = c.Text(t.reason(), "reason");
  return c.Finish(std::move(e));
}

Result<domain::EventBody> Decode(const fb::LedgerEntry& t) {
  Checker c("LedgerEntry");
  domain::LedgerEntry e;
  e.entry_id = c.Id(t.entry_id(), "entry_id");
  e.run = c.Month(t.run(), "run");
  e.clinic = c.Clinic(t.clinic(), "clinic");
  e.period = c.Month(t.period(), "month");
  e.component = c.Enum<Component>(t.component(), domain::kComponentCount, "component");
  e.kind = c.Enum<EntryKind>(t.kind(), kEntryKinds, "kind");
  e.amount = domain::Money::FromOre(t.amount());
  e.known_at_seq = domain::Seq(t.known_at_seq());
  e.rulebook = c.Text(t.rulebook(), "rulebook");
  if (const auto* adjusts = t.adjusts()) {
    e.adjusts.reserve(adjusts->size());
    for (const flatbuffers::String* id : *adjusts) e.adjusts.push_back(c.Id(id, "adjusts"));
  }
  e.debit = c.Text(t.debit(), "debit");
  e.credit = c.Text(t.credit(), "credit");
  return c.Finish(std::move(e));
}

Result<domain::EventBody> Decode(const fb::PayoutRun& t) {
  Checker c("PayoutRun");
  domain::PayoutRun e;
  e.run = c.Month(t.run(), "run");
  e.known_at_seq = domain::Seq(t.known_at_seq());
  e.rulebook = c.Text(t.rulebook(), "rulebook");
  e.entry_count = c.Range(t.entry_count(), 0, kInt64Max, "entry_count");
  e.total = domain::Money::FromOre(t.total());
  if (const auto* rows = t.unbooked()) {
    e.unbooked.reserve(rows->size());
    for (const fb::UnbookedDifference* row : *rows) {
      e.unbooked.push_back(domain::UnbookedDifference{
          c.Clinic(row->clinic(), "unbooked.clinic"), c.Month(row->period(), "unbooked.month"),
          c.Enum<Component>(row->component(), domain::kComponentCount, "unbooked.component"),
          domain::Money::FromOre(row->amount())});
      if (!c.ok()) break;
    }
  }
  return c.Finish(std::move(e));
}

Result<domain::EventBody> Decode(const fb::FollowUpPublished& t) {
  Checker c("FollowUpPublished");
  domain::FollowUpPublished e;
  e.year = c.Range32(t.year(), domain::kYearMin, domain::kYearMax, "year");
  e.through = c.Month(t.through(), "through");
  e.known_at_seq = domain::Seq(t.known_at_seq());
  e.manifest_sha256 = c.Sha256Hex(t.manifest_sha256(), "manifest_sha256");
  return c.Finish(std::move(e));
}

// One decoder per union member, indexed by the member number - 1.
using TableDecoder = Result<domain::EventBody> (*)(const void* table);

template <typename FbT>
Result<domain::EventBody> DecodeAs(const void* table) {
  return Decode(*static_cast<const FbT*>(table));
}

constexpr std::array<TableDecoder, domain::kEventTypeCount> kDecoders = {
    &DecodeAs<fb::ResidentRegistered>, &DecodeAs<fb::ResidentMovedOut>,  &DecodeAs<fb::ResidentDied>,
    &DecodeAs<fb::ResidentRelocated>,  &DecodeAs<fb::PatientListed>,     &DecodeAs<fb::PatientUnlisted>,
    &DecodeAs<fb::ClinicRegistered>,   &DecodeAs<fb::ClinicChanged>,     &DecodeAs<fb::ClinicClosed>,
    &DecodeAs<fb::RulebookPublished>,  &DecodeAs<fb::CniReported>,       &DecodeAs<fb::PerformanceReported>,
    &DecodeAs<fb::VisitsReported>,     &DecodeAs<fb::EventRetracted>,    &DecodeAs<fb::LedgerEntry>,
    &DecodeAs<fb::PayoutRun>,          &DecodeAs<fb::MissionUndertaken>, &DecodeAs<fb::MissionEnded>,
    &DecodeAs<fb::BudgetFrameSet>,     &DecodeAs<fb::FollowUpPublished>};
static_assert(static_cast<std::size_t>(fb::Event::MAX) == kDecoders.size());

}  // namespace

Result<domain::EventBody> DecodeEventTable(const fb::EventBody& body) {
  const auto type = static_cast<unsigned>(body.event_type());
  if (type == 0 || type > kDecoders.size()) {
    return Fail(ErrorCode::kCorruption, fmt::format("EventBody: unknown event type {}", type));
  }
  const void* table = body.event();
  if (table == nullptr) return Fail(ErrorCode::kCorruption, "EventBody: the event table is missing");
  return kDecoders[type - 1](table);
}

}  // namespace capledger::codec::fb_internal
