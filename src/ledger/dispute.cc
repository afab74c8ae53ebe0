#include "ledger/dispute.h"

#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "common/assert.h"
#include "projection/report.h"

namespace capledger::ledger {
namespace {

using domain::Money;
using projection::Projection;
using projection::ResidentFact;
using projection::ResidentFactKind;

// What was recorded at one seq that may change the clinic-month.
struct Point {
  CauseKind kind = CauseKind::kOtherClinics;  // resident points are resolved to gained/lost later
  bool resident_point = false;
  std::uint32_t position = 0;                 // resident points: index into listed_residents
  std::string event_type = {};
  domain::Seq retracted_seq = {};  // Seq{}: not a retraction
  std::string what = {};                      // the event, for the detail sentence
};

std::string_view FactEventType(ResidentFactKind kind) {
  switch (kind) {
    case ResidentFactKind::kRegistered: return "ResidentRegistered";
    case ResidentFactKind::kMovedOut: return "ResidentMovedOut";
    case ResidentFactKind::kDied: return "ResidentDied";
    case ResidentFactKind::kRelocated: return "ResidentRelocated";
    case ResidentFactKind::kListed: return "PatientListed";
    case ResidentFactKind::kUnlisted: return "PatientUnlisted";
  }
  return "unknown";
}

bool InRange(std::uint64_t seq, std::uint64_t k1, std::uint64_t k2) { return seq > k1 && seq <= k2; }

// Collects the points in (k1, k2] for one clinic-month, keyed by seq.
class PointCollector {
 public:
  PointCollector(const Projection& p, std::uint16_t clinic, domain::Month month, domain::Seq k1, domain::Seq k2)
      : p_(p), clinic_(clinic), k1_(k1.value()), k2_(k2.value()), last_day_(domain::DaysSinceEpoch(domain::LastDay(month))) {}

  std::map<std::uint64_t, Point> Collect() {
    const auto& listed = p_.clinics().listed_residents[clinic_];
    for (std::uint32_t i = 0; i < listed.size(); ++i) AddResident(i, listed[i]);
    for (std::uint16_t k = 0; k < p_.clinics().id.size(); ++k) AddClinic(k);
    for (const auto& rulebook : p_.rulebooks()) {
      if (InRange(rulebook.seq, k1_, k2_) || InRange(rulebook.retracted_at, k1_, k2_)) {
        Add(rulebook.seq, rulebook.retracted_at, CauseKind::kRulebook, "RulebookPublished",
            fmt::format("RulebookPublished {} ({}) valid {} to {}", rulebook.rulebook.id, rulebook.rulebook.decision,
                        domain::FormatDate(rulebook.rulebook.valid_from), domain::FormatDate(rulebook.rulebook.valid_until)));
      }
    }
    return std::move(points_);
  }

 private:
  void AddResident(std::uint32_t position, std::uint32_t r) {
    for (const ResidentFact& f : p_.residents().facts.Of(r)) {
      if (f.effective > last_day_) break;  // later than any snapshot date the month can have
      const bool recorded = InRange(f.seq, k1_, k2_);
      const bool retracted = InRange(f.retracted_at, k1_, k2_);
      if (!recorded && !retracted) continue;  // most facts: described only when they are points
      const std::string what = fmt::format("{} effective {}", FactEventType(f.kind),
                                           domain::FormatDate(domain::DateFromDays(f.effective)));
      if (recorded) {
        points_[f.seq] = Point{.kind = CauseKind::kResidentGained, .resident_point = true, .position = position,
                               .event_type = std::string(FactEventType(f.kind)), .what = what};
      }
      if (retracted) {
        points_[f.retracted_at] = Point{.kind = CauseKind::kResidentGained, .resident_point = true,
                                        .position = position, .event_type = "EventRetracted", .retracted_seq = domain::Seq(f.seq),
                                        .what = fmt::format("retraction of the {} at seq {}", what, f.seq)};
      }
    }
  }

  template <typename Fact, typename Describe>
  void AddFacts(const std::vector<Fact>& facts, CauseKind kind, std::string_view type, Describe&& describe) {
    for (const Fact& f : facts) {
      if (InRange(f.seq, k1_, k2_) || InRange(f.retracted_at, k1_, k2_)) Add(f.seq, f.retracted_at, kind, type, describe(f));
    }
  }

  void AddClinic(std::uint16_t k) {
    const auto& t = p_.clinics();
    const domain::ClinicId& id = t.id[k];
    auto dated = [&](std::string_view what) {
      return [&, what](const projection::DatedFact& f) {
        return fmt::format("{} {} effective {}", what, id, domain::FormatDate(domain::DateFromDays(f.effective)));
      };
    };
    if (k != clinic_) {
      AddFacts(t.cnis[k], CauseKind::kCniRanking, "CniReported", dated("CniReported for"));
      AddFacts(t.registrations[k], CauseKind::kCniRanking, "ClinicRegistered", dated("ClinicRegistered"));
      AddFacts(t.closures[k], CauseKind::kCniRanking, "ClinicClosed", dated("ClinicClosed"));
      return;
    }
    AddFacts(t.distances[k], CauseKind::kClinicChange, "ClinicChanged", [&](const projection::DatedFact& f) {
      return fmt::format("distance of {} {}.{} km from {}", id, f.value / 10, f.value % 10,
                         domain::FormatDate(domain::DateFromDays(f.effective)));
    });
    AddFacts(t.registrations[k], CauseKind::kClinicChange, "ClinicRegistered", dated("ClinicRegistered (opening)"));
    AddFacts(t.closures[k], CauseKind::kClinicChange, "ClinicClosed", dated("ClinicClosed"));
    AddFacts(t.cnis[k], CauseKind::kCniDelivery, "CniReported", [&](const projection::DatedFact& f) {
      return fmt::format("CniReported for {} effective {}: CNI {}.{:04d}", id,
                         domain::FormatDate(domain::DateFromDays(f.effective)), f.value / 10000, f.value % 10000);
    });
    AddFacts(t.performance[k], CauseKind::kPerformanceReport, "PerformanceReported",
             [&](const projection::PerformanceFact& f) {
               return fmt::format("PerformanceReported for {} {} to {}: fulfilment {}.{:03d}", id,
                                  domain::FormatMonth(domain::MonthFromOrdinal(f.from_month)),
                                  domain::FormatMonth(domain::MonthFromOrdinal(f.to_month)),
                                  f.fulfilment_thousandths / 1000, f.fulfilment_thousandths % 1000);
             });
    for (const projection::MissionFact& f : t.missions[k]) {
      if (!InRange(f.seq, k1_, k2_) && !InRange(f.retracted_at, k1_, k2_)) continue;
      const std::string_view type = f.undertaken ? "MissionUndertaken" : "MissionEnded";
      std::string what = fmt::format("{} {} {} effective {}", type, id, f.mission,
                                     domain::FormatDate(domain::DateFromDays(f.effective)));
      if (f.units > 0) what += fmt::format(": {} units", f.units);
      Add(f.seq, f.retracted_at, CauseKind::kMission, type, what);
    }
    AddFacts(t.visits[k], CauseKind::kVisitsReport, "VisitsReported", [&](const projection::VisitFact& f) {
      return fmt::format("VisitsReported for {} {}: {} home, {} listed, {} unlisted, {} out of region", id,
                         domain::FormatMonth(domain::MonthFromOrdinal(f.month)), f.counts.home_visits,
                         f.counts.other_listed, f.counts.unlisted, f.counts.out_of_region);
    });
  }

  void Add(std::uint64_t seq, std::uint64_t retracted_at, CauseKind kind, std::string_view type, const std::string& what) {
    if (InRange(seq, k1_, k2_)) points_[seq] = Point{.kind = kind, .event_type = std::string(type), .what = what};
    if (InRange(retracted_at, k1_, k2_)) {
      points_[retracted_at] = Point{.kind = kind, .event_type = "EventRetracted", .retracted_seq = domain::Seq(seq),
                                    .what = fmt::format("retraction of the {} at seq {}", what, seq)};
    }
  }

  const Projection& p_;
  std::uint16_t clinic_;
  std::uint64_t k1_;
  std::uint64_t k2_;
  std::int32_t last_day_;
  std::map<std::uint64_t, Point> points_;
};

// The clinic-month as known at one K, with every listed resident's place in the count.
class Evaluation {
 public:
  Evaluation(const Projection& p, std::uint16_t clinic, domain::Month month) : p_(p), clinic_(clinic), month_(month) {}

  // Recomputes everything at `known_at`.
  Status Full(domain::Seq known_at) {
    known_at_ = known_at;
    auto header = projection::ReportHeader(p_, month_, known_at);
    computable_ = header.has_value();
    ages_.fill(0);
    const auto& listed = p_.clinics().listed_residents[clinic_];
    counted_age_.assign(listed.size(), -1);
    if (!computable_) {
      amounts_ = domain::ClinicMonthAmounts{};
      return {};
    }
    on_ = domain::DaysSinceEpoch(header->snapshot);
    for (std::uint32_t i = 0; i < listed.size(); ++i) Recount(i);
    return Compute(true);
  }

  // Recomputes at `known_at` after a point that changed no listed resident's facts (a rulebook,
  // a clinic's facts, a report): every resident counts as before unless the snapshot date moved
  // (a rulebook revision with another snapshot rule) or the month was not computable, which
  // need Full. Dispute's closing Full(k2) checks the walk.
  Status Refresh(domain::Seq known_at) {
    if (!computable_) return Full(known_at);
    auto header = projection::ReportHeader(p_, month_, known_at);
    if (!header || domain::DaysSinceEpoch(header->snapshot) != on_) return Full(known_at);
    known_at_ = known_at;
    return Compute(true);
  }

  // Applies one resident's change at `known_at`; returns the age they counted with before and
  // after (-1: not counted).
  Result<std::pair<int, int>> Resident(std::uint32_t position, domain::Seq known_at) {
    known_at_ = known_at;
    if (!computable_) return std::pair{-1, -1};
    const int before = counted_age_[position];
    const std::int64_t n_before = Listed();
    Recount(position);
    const int after = counted_age_[position];
    const bool crossed = (n_before == 0) != (Listed() == 0);  // may change the CNI ranking
    if (auto computed = Compute(crossed); !computed) return tl::unexpected(computed.error());
    return std::pair{before, after};
  }

  DisputeSide Side() const {
    DisputeSide side;
    side.known_at_seq = known_at_;
    side.computable = computable_;
    if (computable_) {
      side.rulebook_id = inputs_.header.rulebook_id;
      side.snapshot = inputs_.header.snapshot;
    }
    side.amounts = amounts_;
    return side;
  }
  const ComponentAmounts& amounts() const { return amounts_.amounts; }
  bool computable() const { return computable_; }
  domain::Date snapshot() const { return inputs_.header.snapshot; }

 private:
  std::int64_t Listed() const {
    std::int64_t n = 0;
    for (std::int64_t a : ages_) n += a;
    return n;
  }

  void Recount(std::uint32_t position) {
    const std::uint32_t r = p_.clinics().listed_residents[clinic_][position];
    if (counted_age_[position] >= 0) --ages_[static_cast<std::size_t>(counted_age_[position])];
    counted_age_[position] = -1;
    const auto state = p_.FoldResident(r, on_, known_at_);
    if (!state.resident || state.clinic != clinic_) return;
    const int age = domain::AgeFromYmd(p_.residents().birth_ymd[r],
                                           domain::YmdOf(domain::DateFromDays(on_)));
    if (age < 0) return;
    counted_age_[position] = age;
    ++ages_[static_cast<std::size_t>(age)];
  }

  // The amounts from the counts; `refresh` re-reads the clinic's facts and the CNI ranking.
  Status Compute(bool refresh) {
    if (refresh) {
      auto inputs = projection::ClinicInputsAt(p_, clinic_, month_, known_at_, ages_);
      if (!inputs) return tl::unexpected(inputs.error());
      inputs_ = std::move(*inputs);
    }
    inputs_.facts.listed_by_age = ages_;
    auto amounts = domain::ComputeClinicMonth(*inputs_.rulebook, inputs_.facts);
    if (!amounts) return tl::unexpected(amounts.error());
    amounts_ = std::move(*amounts);
    return {};
  }

  const Projection& p_;
  std::uint16_t clinic_;
  domain::Month month_;
  domain::Seq known_at_;
  bool computable_ = false;
  std::int32_t on_ = 0;
  domain::AgeCounts ages_{};
  std::vector<int> counted_age_;  // per listed_residents position
  projection::ClinicMonthInputs inputs_;
  domain::ClinicMonthAmounts amounts_;
};

Result<ComponentAmounts> Minus(const ComponentAmounts& a, const ComponentAmounts& b) {
  ComponentAmounts out = domain::ZeroAmounts();
  for (std::size_t c = 0; c < out.size(); ++c) {
    auto d = a[c].Minus(b[c]);
    if (!d) return tl::unexpected(d.error());
    out[c] = *d;
  }
  return out;
}

bool AllZero(const ComponentAmounts& parts) {
  for (const Money& m : parts) {
    if (m != Money::Zero()) return false;
  }
  return true;
}

std::string ResidentDetail(const Point& point, const domain::Pseudonym& who, std::pair<int, int> ages,
                           const domain::ClinicId& clinic, domain::Date snapshot) {
  const std::string on = domain::FormatDate(snapshot);
  if (ages.first < 0 && ages.second >= 0) {
    return fmt::format("{}: resident {} now counts at {} on {}, aged {}", point.what, who.ToHex(), clinic, on, ages.second);
  }
  if (ages.first >= 0 && ages.second < 0) {
    return fmt::format("{}: resident {} no longer counts at {} on {}", point.what, who.ToHex(), clinic, on);
  }
  return fmt::format("{}: resident {} counts at {} on {}", point.what, who.ToHex(), clinic, on);
}

// Applies one point and returns its cause (parts may be zero).
Result<Cause> Step(const Projection& p, Evaluation& eval, const Point& point, domain::Seq seq,
                   const domain::ClinicId& clinic, std::uint16_t clinic_index) {
  const ComponentAmounts before = eval.amounts();
  Cause cause{.seq = seq,
              .kind = point.kind,
              .event_type = point.event_type,
              .retracted_seq = point.retracted_seq,
              .resident = std::nullopt,
              .detail = point.what,
              .parts = domain::ZeroAmounts()};
  if (point.resident_point && eval.computable()) {
    const std::uint32_t r = p.clinics().listed_residents[clinic_index][point.position];
    auto ages = eval.Resident(point.position, seq);
    if (!ages) return tl::unexpected(ages.error());
    cause.resident = p.residents().pseudonym[r];
    cause.kind = ages->second >= 0 && ages->first < 0 ? CauseKind::kResidentGained : CauseKind::kResidentLost;
    cause.detail = ResidentDetail(point, *cause.resident, *ages, clinic, eval.snapshot());
  } else if (auto refreshed = eval.Refresh(seq); !refreshed) {
    return tl::unexpected(refreshed.error());
  }
  auto parts = Minus(eval.amounts(), before);
  if (!parts) return tl::unexpected(parts.error());
  cause.parts = *parts;
  return cause;
}

}  // namespace

std::string_view Name(CauseKind kind) {
  switch (kind) {
    case CauseKind::kResidentGained: return "resident_gained";
    case CauseKind::kResidentLost: return "resident_lost";
    case CauseKind::kRulebook: return "rulebook";
    case CauseKind::kCniDelivery: return "cni_delivery";
    case CauseKind::kCniRanking: return "cni_ranking";
    case CauseKind::kPerformanceReport: return "performance_report";
    case CauseKind::kVisitsReport: return "visits_report";
    case CauseKind::kClinicChange: return "clinic_change";
    case CauseKind::kMission: return "mission";
    case CauseKind::kOtherClinics: return "other_clinics";
  }
  return "unknown";
}

Result<DisputeReport> Dispute(const Projection& p, const domain::ClinicId& clinic, domain::Month month, domain::Seq k1,
                              domain::Seq k2) {
  if (k1 > k2) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("the first knowledge point (seq {}) is later than the second (seq {})", k1, k2));
  }
  LEDGER_ASSERT(k2 <= p.applied_seq());
  auto c = p.ClinicIndex(clinic);
  if (!c) return Fail(ErrorCode::kNotFound, fmt::format("no events about clinic {}", clinic));
  DisputeReport report{clinic, month, {}, {}, domain::ZeroAmounts(), {}};
  Evaluation eval(p, *c, month);
  if (auto full = eval.Full(k1); !full) return tl::unexpected(full.error());
  report.before = eval.Side();
  for (const auto& [seq, point] : PointCollector(p, *c, month, k1, k2).Collect()) {
    auto cause = Step(p, eval, point, domain::Seq(seq), report.clinic, *c);
    if (!cause) return tl::unexpected(cause.error());
    if (!AllZero(cause->parts)) report.causes.push_back(std::move(*cause));
  }
  const ComponentAmounts walked = eval.amounts();
  if (auto full = eval.Full(k2); !full) return tl::unexpected(full.error());
  report.after = eval.Side();
  auto residual = Minus(eval.amounts(), walked);
  auto difference = Minus(report.after.amounts.amounts, report.before.amounts.amounts);
  if (!residual || !difference) return Fail(ErrorCode::kInternal, "amounts overflow");
  report.difference = *difference;
  if (!AllZero(*residual)) {
    report.causes.push_back(
        Cause{.seq = k2, .kind = CauseKind::kOtherClinics,
              .detail = "changes at other clinics (a list emptied or filled) that moved the CNI ranking",
              .parts = *residual});
  }
  for (std::size_t comp = 0; comp < report.difference.size(); ++comp) {  // the parts telescope
    std::int64_t sum = 0;
    for (const Cause& cause : report.causes) sum += cause.parts[comp].ore();
    LEDGER_ASSERT(sum == report.difference[comp].ore());
  }
  return report;
}

}  // namespace capledger::ledger
