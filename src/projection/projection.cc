// Projection::Apply: folding stored events into the compact fact tables.
#include "projection/projection.h"

#include <algorithm>
#include <limits>

#include "common/assert.h"

namespace capledger::projection {
namespace {

using domain::EventBody;

// Inserts `fact` keeping (effective, seq) order; facts mostly arrive at the end.
template <typename Fact>
void InsertByEffective(std::vector<Fact>& facts, const Fact& fact) {
  auto at = std::upper_bound(facts.begin(), facts.end(), fact, [](const Fact& a, const Fact& b) {
    return a.effective != b.effective ? a.effective < b.effective : a.seq < b.seq;
  });
  facts.insert(at, fact);
}

template <typename Fact>
void Retract(std::vector<Fact>& facts, std::uint32_t target_seq, std::uint32_t retraction_seq) {
  for (auto& fact : facts) {
    if (fact.seq == target_seq) fact.retracted_at = std::min(fact.retracted_at, retraction_seq);
  }
}

DatedFact Dated(std::int32_t effective, std::uint32_t seq, std::int64_t value = 0) {
  DatedFact fact;
  fact.effective = effective;
  fact.seq = seq;
  fact.value = value;
  return fact;
}

ResidentFact ResidentFactOf(std::int32_t effective, std::uint32_t seq, ResidentFactKind kind,
                            std::uint16_t clinic = 0, std::uint8_t reason = 0) {
  ResidentFact fact;
  fact.effective = effective;
  fact.seq = seq;
  fact.kind = kind;
  fact.clinic = clinic;
  fact.reason = reason;
  return fact;
}

// The effective day of the fact with `seq` in a resident's list.
std::int32_t EffectiveOf(std::span<const ResidentFact> facts, std::uint32_t seq) {
  for (const ResidentFact& f : facts) {
    if (f.seq == seq) return f.effective;
  }
  LEDGER_ASSERT(false);  // the retraction's target is this resident's fact
  return 0;
}

}  // namespace

bool Projection::IndexCovers(const domain::Pseudonym& pseudonym) const {
  const auto& absent = index_coverage_.absent;
  return index_coverage_.whole || std::binary_search(absent.begin(), absent.end(), pseudonym);
}

std::optional<std::uint32_t> Projection::ResidentIndex(const domain::Pseudonym& pseudonym) const {
  if (auto known = resident_index_.Find(pseudonym, residents_.pseudonym)) return known;
  if (IndexCovers(pseudonym)) return std::nullopt;
  const auto& all = residents_.pseudonym;
  const auto at = std::find(all.begin(), all.end(), pseudonym);
  if (at == all.end()) return std::nullopt;
  return static_cast<std::uint32_t>(at - all.begin());
}

std::optional<std::uint32_t> Projection::FindResident(const domain::Pseudonym& pseudonym) {
  if (auto known = resident_index_.Find(pseudonym, residents_.pseudonym)) return known;
  if (IndexCovers(pseudonym)) return std::nullopt;
  resident_index_ = PseudonymIndex::Of(residents_.pseudonym);
  index_coverage_ = IndexCoverage{};
  return resident_index_.Find(pseudonym, residents_.pseudonym);
}

Projection::ResidentResolution Projection::ResolveAmong(std::span<const domain::Pseudonym> residents,
                                                       std::vector<domain::Pseudonym> wanted) {
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  const PseudonymIndex index = PseudonymIndex::Of(wanted);
  // A bit per value of a pseudonym's top kFilterBits bits, set for the wanted ones: the pass over
  // the residents consults the index (megabytes, beyond the core's cache) only for the few
  // residents whose bit is set, about one in 50 at Sweden scale.
  constexpr int kFilterBits = 23;
  std::vector<std::uint64_t> filter(std::size_t{1} << (kFilterBits - 6));
  const auto bit_of = [](const domain::Pseudonym& p) { return PseudonymTag(p) >> (64 - kFilterBits); };
  for (const domain::Pseudonym& p : wanted) filter[bit_of(p) >> 6] |= std::uint64_t{1} << (bit_of(p) & 63);
  std::vector<std::int64_t> id(wanted.size(), -1);
  for (std::size_t r = 0; r < residents.size(); ++r) {
    const std::uint64_t bit = bit_of(residents[r]);
    if ((filter[bit >> 6] >> (bit & 63) & 1) == 0) continue;
    if (auto w = index.Find(residents[r], wanted)) id[*w] = static_cast<std::int64_t>(r);
  }
  ResidentResolution resolution;
  for (std::size_t w = 0; w < wanted.size(); ++w) {
    if (id[w] >= 0) {
      resolution.found.emplace_back(wanted[w], static_cast<std::uint32_t>(id[w]));
    } else {
      resolution.absent.push_back(wanted[w]);
    }
  }
  return resolution;
}

void Projection::AdoptResolution(ResidentResolution resolution) {
  if (index_coverage_.whole) return;
  const auto& all = residents_.pseudonym;
  for (const auto& [pseudonym, r] : resolution.found) {
    LEDGER_ASSERT(r < all.size() && all[r] == pseudonym);
    if (!resident_index_.Find(pseudonym, all)) resident_index_.Insert(pseudonym, r, all);
  }
  auto& absent = index_coverage_.absent;
  for (const domain::Pseudonym& pseudonym : resolution.absent) {
    if (!resident_index_.Find(pseudonym, all)) absent.push_back(pseudonym);
  }
  std::sort(absent.begin(), absent.end());
  absent.erase(std::unique(absent.begin(), absent.end()), absent.end());
}

std::optional<std::uint16_t> Projection::ClinicIndex(const domain::ClinicId& clinic) const {
  auto it = clinic_index_.find(clinic);
  if (it == clinic_index_.end()) return std::nullopt;
  return it->second;
}

Projection Projection::FromTables(ResidentTable residents, ClinicTable clinics, std::vector<RulebookFact> rulebooks,
                                  std::vector<BudgetFrameFact> budget_frames, LedgerTable ledger, std::vector<std::int32_t> affects_from,
                                  domain::Seq applied_seq, std::optional<PseudonymIndex> resident_index) {
  LEDGER_ASSERT(affects_from.size() == applied_seq.value());
  Projection p;
  p.ledger_ = std::move(ledger);
  p.affects_from_ = std::move(affects_from);
  p.residents_ = std::move(residents);
  p.clinics_ = std::move(clinics);
  p.rulebooks_ = std::move(rulebooks);
  p.budget_frames_ = std::move(budget_frames);
  p.applied_seq_ = applied_seq;
  if (resident_index) {
    p.resident_index_ = std::move(*resident_index);
  } else {
    p.index_coverage_.whole = false;
  }
  for (std::uint16_t c = 0; c < p.clinics_.id.size(); ++c) p.clinic_index_.emplace(p.clinics_.id[c], c);
  return p;
}

void Projection::Prefetch(const domain::EventBody& body) const {
  if (const domain::ResidentRef* resident = domain::ResidentOf(body)) resident_index_.Prefetch(resident->pseudonym);
}

std::uint32_t Projection::EnsureResident(const domain::ResidentRef& ref) {
  if (auto known = FindResident(ref.pseudonym)) return *known;
  const std::uint32_t r = residents_.facts.AddResident();
  residents_.pseudonym.push_back(ref.pseudonym);
  residents_.birth_days.push_back(domain::DaysSinceEpoch(ref.birth_date));
  residents_.birth_ymd.push_back(domain::YmdOf(ref.birth_date));
  residents_.sex.push_back(static_cast<std::uint8_t>(ref.sex));
  resident_index_.Insert(ref.pseudonym, r, residents_.pseudonym);
  return r;
}

std::uint16_t Projection::EnsureClinic(const domain::ClinicId& clinic) {
  auto [it, inserted] = clinic_index_.try_emplace(clinic, static_cast<std::uint16_t>(clinics_.id.size()));
  if (inserted) {
    // The store refuses an event naming one clinic more than limits::kClinicsMax (kTooManyClinics).
    LEDGER_ASSERT(clinics_.id.size() < limits::kClinicsMax);
    clinics_.id.emplace_back(clinic);
    clinics_.names.emplace_back();
    clinics_.registrations.emplace_back();
    clinics_.operators.emplace_back();
    clinics_.closures.emplace_back();
    clinics_.distances.emplace_back();
    clinics_.cnis.emplace_back();
    clinics_.list_caps.emplace_back();
    clinics_.performance.emplace_back();
    clinics_.visits.emplace_back();
    clinics_.missions.emplace_back();
    clinics_.listed_residents.emplace_back();
  }
  return it->second;
}

void Projection::AddResidentFact(const domain::ResidentRef& ref, ResidentFact fact) {
  const std::uint32_t r = EnsureResident(ref);
  if (fact.kind == ResidentFactKind::kListed) {
    const auto facts = residents_.facts.Of(r);
    const bool listed_here_before = std::any_of(facts.begin(), facts.end(), [&](const ResidentFact& f) {
      return f.kind == ResidentFactKind::kListed && f.clinic == fact.clinic;
    });
    if (!listed_here_before) clinics_.listed_residents[fact.clinic].push_back(r);
  }
  residents_.facts.Insert(r, fact);
  touched_resident_ = r;
  touched_effective_ = fact.effective;
}

struct Projection::Folder {
  Projection& p;
  std::uint32_t seq;
  const TargetLookup& lookup;
  Status& status;

  using K = ResidentFactKind;
  static std::int32_t Day(domain::Date date) { return domain::DaysSinceEpoch(date); }

  void operator()(const domain::ResidentRegistered& e) const {
    p.AddResidentFact(e.resident, ResidentFactOf(Day(e.effective), seq, K::kRegistered, 0,
                                                 static_cast<std::uint8_t>(e.reason)));
  }
  void operator()(const domain::ResidentMovedOut& e) const {
    p.AddResidentFact(e.resident, ResidentFactOf(Day(e.effective), seq, K::kMovedOut));
  }
  void operator()(const domain::ResidentDied& e) const {
    p.AddResidentFact(e.resident, ResidentFactOf(Day(e.effective), seq, K::kDied));
  }
  void operator()(const domain::ResidentRelocated& e) const {
    p.AddResidentFact(e.resident, ResidentFactOf(Day(e.effective), seq, K::kRelocated));
  }
  void operator()(const domain::PatientListed& e) const {
    p.AddResidentFact(e.resident, ResidentFactOf(Day(e.effective), seq, K::kListed, p.EnsureClinic(e.clinic),
                                                 static_cast<std::uint8_t>(e.reason)));
  }
  void operator()(const domain::PatientUnlisted& e) const {
    p.AddResidentFact(e.resident, ResidentFactOf(Day(e.effective), seq, K::kUnlisted, p.EnsureClinic(e.clinic),
                                                 static_cast<std::uint8_t>(e.reason)));
  }
  void operator()(const domain::ClinicRegistered& e) const {
    const std::uint16_t c = p.EnsureClinic(e.clinic);
    InsertByEffective(p.clinics_.registrations[c], Dated(Day(e.effective), seq, e.municipality));
    InsertByEffective(p.clinics_.operators[c], Dated(Day(e.effective), seq, static_cast<std::int64_t>(e.op)));
    InsertByEffective(p.clinics_.distances[c], Dated(Day(e.effective), seq, e.distance_to_hospital_km_tenths));
    p.clinics_.names[c].push_back(NameFact{seq, kNever, e.name});
  }
  void operator()(const domain::ClinicChanged& e) const {
    const std::uint16_t c = p.EnsureClinic(e.clinic);
    if (e.distance_to_hospital_km_tenths) {
      InsertByEffective(p.clinics_.distances[c], Dated(Day(e.effective), seq, *e.distance_to_hospital_km_tenths));
    }
    if (e.name) p.clinics_.names[c].push_back(NameFact{seq, kNever, *e.name});
    if (e.op) InsertByEffective(p.clinics_.operators[c], Dated(Day(e.effective), seq, static_cast<std::int64_t>(*e.op)));
    if (e.list_cap) InsertByEffective(p.clinics_.list_caps[c], Dated(Day(e.effective), seq, *e.list_cap));
  }
  void operator()(const domain::ClinicClosed& e) const {
    InsertByEffective(p.clinics_.closures[p.EnsureClinic(e.clinic)], Dated(Day(e.effective), seq));
  }
  void operator()(const domain::RulebookPublished& e) const {
    p.rulebooks_.push_back(RulebookFact{seq, kNever, e.rulebook});
  }
  void operator()(const domain::CniReported& e) const {
    InsertByEffective(p.clinics_.cnis[p.EnsureClinic(e.clinic)],
                      Dated(Day(e.effective), seq, domain::DeliveredOrComputedCni(e)));
  }
  void operator()(const domain::PerformanceReported& e) const {
    p.clinics_.performance[p.EnsureClinic(e.clinic)].push_back(
        PerformanceFact{seq, kNever, domain::MonthOrdinal(e.period_from), domain::MonthOrdinal(e.period_to),
                        e.fulfilment_thousandths});
  }
  void operator()(const domain::VisitsReported& e) const {
    p.clinics_.visits[p.EnsureClinic(e.clinic)].push_back(
        VisitFact{seq, kNever, domain::MonthOrdinal(e.month), e.counts});
  }
  void operator()(const domain::MissionUndertaken& e) const {
    InsertByEffective(p.clinics_.missions[p.EnsureClinic(e.clinic)],
                      MissionFact{Day(e.effective), seq, kNever, true, e.units.value_or(0), e.mission});
  }
  void operator()(const domain::MissionEnded& e) const {
    InsertByEffective(p.clinics_.missions[p.EnsureClinic(e.clinic)],
                      MissionFact{Day(e.effective), seq, kNever, false, 0, e.mission});
  }
  void operator()(const domain::BudgetFrameSet& e) const {
    p.budget_frames_.push_back(BudgetFrameFact{seq, kNever, e});
  }
  void operator()(const domain::EventRetracted& e) const { status = p.ApplyRetraction(seq, e, lookup); }
  void operator()(const domain::LedgerEntry& e) const { p.ledger_.AddEntry(domain::Seq(seq), e); }
  void operator()(const domain::PayoutRun& e) const { p.ledger_.AddRun(domain::Seq(seq), e); }
  // A publication changes no fact: it records what was published from them.
  void operator()(const domain::FollowUpPublished&) const {}
};

Status Projection::Apply(domain::Seq seq, const EventBody& body, const TargetLookup& lookup) {
  LEDGER_ASSERT(seq == applied_seq_.Next());
  const std::uint64_t seq64 = seq.value();
  LEDGER_ASSERT(seq64 <= kSeqMax);
  Status status;
  std::visit(Folder{*this, static_cast<std::uint32_t>(seq64), lookup, status}, body);
  if (status) {
    applied_seq_ = seq;
    affects_from_.push_back(AffectsFrom(body));
    index_cache_.OnApplied(*this, seq64, touched_resident_, touched_effective_);
  }
  touched_resident_ = -1;
  return status;
}

std::int32_t Projection::AffectsFrom(const EventBody& body) const {
  constexpr std::int32_t kNothing = std::numeric_limits<std::int32_t>::max();
  auto first_day = [](domain::Month m) { return domain::DaysSinceEpoch(domain::FirstDay(m)); };
  return std::visit(
      [&](const auto& e) -> std::int32_t {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, domain::ClinicRegistered>) {
          // A new opening date also changes the months between the old date and the new one.
          std::int32_t day = domain::DaysSinceEpoch(e.effective);
          for (const auto& r : clinics_.registrations[*ClinicIndex(e.clinic)]) day = std::min(day, r.effective);
          return day;
        } else if constexpr (std::is_same_v<T, domain::RulebookPublished>) {
          return domain::DaysSinceEpoch(e.rulebook.valid_from);
        } else if constexpr (std::is_same_v<T, domain::PerformanceReported>) {
          return first_day(e.period_from);
        } else if constexpr (std::is_same_v<T, domain::VisitsReported>) {
          return first_day(e.month);
        } else if constexpr (std::is_same_v<T, domain::EventRetracted>) {
          return retracted_affects_from_;
        } else if constexpr (std::is_same_v<T, domain::LedgerEntry> || std::is_same_v<T, domain::PayoutRun> ||
                             std::is_same_v<T, domain::BudgetFrameSet> ||
                             std::is_same_v<T, domain::FollowUpPublished>) {
          return kNothing;  // a budget frame or a publication changes no amount
        } else {
          return domain::DaysSinceEpoch(e.effective);  // resident and clinic facts, CNI deliveries
        }
      },
      body);
}

std::int32_t Projection::EarliestDayAffected(domain::Seq after_seq, domain::Seq upto_seq) const {
  LEDGER_ASSERT(after_seq <= upto_seq && upto_seq <= applied_seq_);
  std::int32_t day = std::numeric_limits<std::int32_t>::max();
  for (std::uint64_t seq = after_seq.value() + 1; seq <= upto_seq.value(); ++seq) day = std::min(day, affects_from_[seq - 1]);
  return day;
}

Status Projection::ApplyRetraction(std::uint32_t seq, const domain::EventRetracted& retraction,
                                   const TargetLookup& lookup) {
  auto target = lookup(retraction.target);
  if (!target) return tl::unexpected(target.error());
  const std::uint64_t target_seq = target->seq.value();
  LEDGER_ASSERT(target_seq < seq);  // the store accepts only retractions of earlier events
  retracted_affects_from_ = affects_from_[target_seq - 1];
  RetractTarget(static_cast<std::uint32_t>(target_seq), target->body, seq);
  return {};
}

void Projection::RetractTarget(std::uint32_t target_seq, const domain::EventBody& target, std::uint32_t seq) {
  if (const auto* resident = domain::ResidentOf(target)) {
    if (auto r = FindResident(resident->pseudonym)) {
      residents_.facts.Retract(*r, target_seq, seq);
      touched_resident_ = *r;
      touched_effective_ = EffectiveOf(residents_.facts.Of(*r), target_seq);
    }
    return;
  }
  if (std::holds_alternative<domain::RulebookPublished>(target)) {
    Retract(rulebooks_, target_seq, seq);
    return;
  }
  if (std::holds_alternative<domain::BudgetFrameSet>(target)) {
    Retract(budget_frames_, target_seq, seq);
    return;
  }
  const domain::ClinicId* clinic_id = domain::ClinicOf(target);
  if (!clinic_id) return;  // retractions of retractions and ledger events are refused at ingest
  auto c = ClinicIndex(*clinic_id);
  if (!c) return;
  Retract(clinics_.registrations[*c], target_seq, seq);
  Retract(clinics_.operators[*c], target_seq, seq);
  Retract(clinics_.closures[*c], target_seq, seq);
  Retract(clinics_.distances[*c], target_seq, seq);
  Retract(clinics_.cnis[*c], target_seq, seq);
  Retract(clinics_.list_caps[*c], target_seq, seq);
  Retract(clinics_.performance[*c], target_seq, seq);
  Retract(clinics_.visits[*c], target_seq, seq);
  Retract(clinics_.missions[*c], target_seq, seq);
  Retract(clinics_.names[*c], target_seq, seq);
}

}  // namespace capledger::projection
