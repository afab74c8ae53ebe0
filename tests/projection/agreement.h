// Test helper: feeding a list of events to a Projection, and checking a month report against the
// oracle's figures and against its own sums.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "domain/event.h"
#include "projection/oracle.h"
#include "projection/projection.h"
#include "projection/report.h"
#include "support/seq.h"

namespace capledger::testing {

// Applies events (seq = position + 1) to projections, resolving retraction targets by id.
// `events` must outlive the feed.
class EventFeed {
 public:
  explicit EventFeed(const std::vector<domain::Event>& events) : events_(events) {
    for (std::size_t i = 0; i < events_.size(); ++i) seq_of_id_.emplace(events_[i].id, domain::Seq(i + 1));
  }

  // Applies the events after the projection's applied seq up to `upto`; fails the test if one
  // does not apply.
  void ApplyUpTo(projection::Projection& p, domain::Seq upto) const {
    const projection::TargetLookup lookup = [this](std::string_view id) -> Result<projection::RetractionTarget> {
      auto it = seq_of_id_.find(std::string(id));
      if (it == seq_of_id_.end()) return Fail(ErrorCode::kNotFound, "unknown target");
      return projection::RetractionTarget{it->second, events_[it->second.value() - 1].body};
    };
    for (domain::Seq seq = p.applied_seq().Next(); seq <= upto; ++seq) {
      auto applied = p.Apply(seq, events_[seq.value() - 1].body, lookup);
      REQUIRE_MESSAGE(applied.has_value(), "seq " << seq << ": " << (applied ? "" : applied.error().message));
    }
  }

  projection::Projection Build(domain::Seq upto) const {
    projection::Projection p;
    ApplyUpTo(p, upto);
    return p;
  }

  domain::Seq head() const { return domain::Seq(events_.size()); }

 private:
  const std::vector<domain::Event>& events_;
  std::map<std::string, domain::Seq> seq_of_id_;
};

inline std::string ComponentName(std::size_t c) {
  static constexpr const char* kNames[] = {"capitation", "performance", "visits", "start_grant", "cni_supplement",
                                           "distance_supplement"};
  return kNames[c];
}

// Checks that two projections hold the same state, table by table. (Projection's own
// operator== is declared defaulted but is deleted: ResidentTable and ClinicTable have no
// operator==, so it cannot be called.)
inline void CheckSameProjection(const projection::Projection& a, const projection::Projection& b) {
  CHECK(a.applied_seq() == b.applied_seq());
  const auto& ra = a.residents();
  const auto& rb = b.residents();
  CHECK(ra.pseudonym == rb.pseudonym);
  CHECK(ra.birth_days == rb.birth_days);
  CHECK(ra.sex == rb.sex);
  CHECK(ra.facts == rb.facts);
  const auto& ca = a.clinics();
  const auto& cb = b.clinics();
  CHECK(ca.id == cb.id);
  CHECK(ca.names == cb.names);
  CHECK(ca.registrations == cb.registrations);
  CHECK(ca.closures == cb.closures);
  CHECK(ca.distances == cb.distances);
  CHECK(ca.cnis == cb.cnis);
  CHECK(ca.performance == cb.performance);
  CHECK(ca.visits == cb.visits);
  CHECK(ca.listed_residents == cb.listed_residents);
  CHECK(a.rulebooks() == b.rulebooks());
}

// True if the report holds exactly the oracle's figures.
inline bool Agrees(const projection::MonthReport& report, const oracle::MonthFigures& expected) {
  if (report.rulebook_id != expected.rulebook_id || report.rulebook_seq.value() != expected.rulebook_seq ||
      report.snapshot != expected.snapshot || report.total.ore() != expected.total ||
      report.clinics.size() != expected.clinics.size()) {
    return false;
  }
  for (std::size_t i = 0; i < expected.clinics.size(); ++i) {
    const auto& got = report.clinics[i];
    const auto& want = expected.clinics[i];
    if (got.clinic != want.clinic || got.amounts.listed != want.listed || got.amounts.band_counts != want.band_counts ||
        got.amounts.total.ore() != want.total) {
      return false;
    }
    for (std::size_t c = 0; c < domain::kComponentCount; ++c) {
      if (got.amounts.amounts[c].ore() != want.ore[c]) return false;
    }
  }
  return true;
}

// Checks a report (or its refusal) against the oracle's figures, to the öre. The caller adds the
// seed, month and K with INFO/CAPTURE.
inline void CheckAgrees(const Result<projection::MonthReport>& report, const oracle::MonthFigures& expected) {
  if (!expected.computable) {
    REQUIRE_FALSE_MESSAGE(report.has_value(), "the oracle finds no rulebook in force, the report uses "
                                                  << (report ? report->rulebook_id : ""));
    CHECK(report.error().code == ErrorCode::kNoRulebookInForce);
    return;
  }
  REQUIRE_MESSAGE(report.has_value(), "refused: " << (report ? "" : report.error().message) << "; the oracle uses "
                                                  << expected.rulebook_id << " (seq " << expected.rulebook_seq << ")");
  const bool agrees = Agrees(*report, expected);
  CHECK_MESSAGE(agrees, "the report and the oracle disagree; the checks below say where");
  if (agrees) return;
  CHECK(report->rulebook_id == expected.rulebook_id);
  CHECK(report->rulebook_seq.value() == expected.rulebook_seq);
  CHECK(report->snapshot == expected.snapshot);
  std::vector<domain::ClinicId> fast_ids;
  std::vector<domain::ClinicId> oracle_ids;
  for (const auto& line : report->clinics) fast_ids.push_back(line.clinic);
  for (const auto& figures : expected.clinics) oracle_ids.push_back(figures.clinic);
  REQUIRE(fast_ids == oracle_ids);
  for (std::size_t i = 0; i < expected.clinics.size(); ++i) {
    const auto& got = report->clinics[i].amounts;
    const auto& want = expected.clinics[i];
    INFO("clinic " << want.clinic);
    CHECK(got.listed == want.listed);
    CHECK(got.band_counts == want.band_counts);
    for (std::size_t c = 0; c < domain::kComponentCount; ++c) {
      CHECK_MESSAGE(got.amounts[c].ore() == want.ore[c], ComponentName(c) << ": fast path " << got.amounts[c].ore()
                                                                          << " öre, oracle " << want.ore[c] << " öre");
    }
    CHECK(got.total.ore() == want.total);
  }
  CHECK(report->total.ore() == expected.total);
}

// The sums a report must keep: Σ band counts = listed and Σ components = total per clinic, and
// Σ clinic totals = the report's total.
inline void CheckSums(const projection::MonthReport& report) {
  std::int64_t report_total = 0;
  for (const auto& line : report.clinics) {
    std::int64_t listed = 0;
    for (std::int64_t n : line.amounts.band_counts) listed += n;
    std::int64_t total = 0;
    for (const auto& amount : line.amounts.amounts) total += amount.ore();
    if (listed != line.amounts.listed || total != line.amounts.total.ore()) {
      INFO("clinic " << line.clinic);
      CHECK(listed == line.amounts.listed);
      CHECK(total == line.amounts.total.ore());
    }
    report_total += line.amounts.total.ore();
  }
  CHECK(report_total == report.total.ore());
}

}  // namespace capledger::testing
