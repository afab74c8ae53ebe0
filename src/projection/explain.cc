#include "projection/explain.h"

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "domain/calculation.h"

namespace capledger::projection {
namespace {

std::vector<ExplainedFact> ClassifyFacts(std::span<const ResidentFact> facts, std::int32_t on,
                                         domain::Seq known_at, std::uint32_t decisive_seq) {
  std::vector<ExplainedFact> out;
  for (const ResidentFact& f : facts) {
    ExplainedFact e{f};
    if (f.seq > known_at.value()) {
      e.use = ExplainedFact::Use::kNotYetKnown;
    } else if (f.retracted_at <= known_at.value()) {
      e.use = ExplainedFact::Use::kRetracted;
    } else if (f.effective > on) {
      e.use = ExplainedFact::Use::kAfterSnapshot;
    }
    e.decisive = e.use == ExplainedFact::Use::kApplied && f.kind == ResidentFactKind::kListed && f.seq == decisive_seq;
    out.push_back(e);
  }
  return out;
}

std::string Why(const ResidentExplanation& e) {
  const std::string date = domain::FormatDate(e.snapshot);
  if (e.age < 0) return fmt::format("not born on {}", date);
  if (!e.state.resident) return fmt::format("not a resident of the region on {}", date);
  if (e.state.clinic < 0) return fmt::format("not listed at any clinic on {}", date);
  if (!e.clinic_open) return fmt::format("listed at {}, which is not open on {}", e.clinic, date);
  return fmt::format("listed at {} on {}, aged {}", e.clinic, date, e.age);
}

}  // namespace

Result<ResidentExplanation> ExplainResident(const Projection& p, const domain::Pseudonym& pseudonym,
                                            domain::Month month, domain::Seq known_at) {
  auto r = p.ResidentIndex(pseudonym);
  if (!r) return Fail(ErrorCode::kNotFound, fmt::format("no events about resident {}", pseudonym.ToHex()));
  const RulebookFact* rulebook = p.RulebookInForce(month, known_at);
  if (!rulebook) {
    return Fail(ErrorCode::kNoRulebookInForce, fmt::format("no rulebook is in force for {} as known at seq {}",
                                                           domain::FormatMonth(month), known_at));
  }
  ResidentExplanation e;
  e.pseudonym = pseudonym;
  e.birth_date = domain::DateFromDays(p.residents().birth_days[*r]);
  e.sex = static_cast<domain::Sex>(p.residents().sex[*r]);
  e.month = month;
  e.snapshot = domain::SnapshotDate(rulebook->rulebook.snapshot, month);
  e.rulebook_id = rulebook->rulebook.id;
  e.known_at_seq = known_at;
  const std::int32_t on = domain::DaysSinceEpoch(e.snapshot);
  e.state = p.FoldResident(*r, on, known_at);
  e.age = domain::AgeOn(e.birth_date, e.snapshot);
  if (e.state.clinic >= 0) {
    const auto c = static_cast<std::uint16_t>(e.state.clinic);
    e.clinic = p.clinics().id[c];
    e.clinic_open = p.OpenOn(c, on, known_at);
  }
  e.counted = e.state.resident && e.state.clinic >= 0 && e.clinic_open && e.age >= 0;
  if (e.counted) e.band = domain::CapitationBandOf(rulebook->rulebook, e.age);
  e.why = Why(e);
  e.facts = ClassifyFacts(p.residents().facts.Of(*r), on, known_at, e.state.listed_seq);
  return e;
}

}  // namespace capledger::projection
