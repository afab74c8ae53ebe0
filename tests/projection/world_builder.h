// Test helper: a small world built from domain events, applied to a Projection in seq order.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "domain/date.h"
#include "domain/event.h"
#include "projection/projection.h"
#include "support/clinic_id.h"
#include "support/seq.h"
#include "projection/report.h"

namespace capledger::testing {

// A calendar date; fails the test if it does not exist (2018-02-29, say).
inline domain::Date D(int y, unsigned m, unsigned d) {
  const domain::Date date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  REQUIRE_MESSAGE(date.ok(), "no such date: " << y << "-" << m << "-" << d);
  return date;
}
inline domain::Month M(int y, unsigned m) { return domain::Month{std::chrono::year(y), std::chrono::month(m)}; }
inline domain::Money Kr(std::int64_t kronor) { return domain::Money::FromOre(kronor * 100); }

// The illustrative KoK-2023 amounts of DOMAIN.md §5, with the given snapshot rule and validity.
inline domain::Rulebook Rulebook2023(domain::SnapshotRule snapshot = domain::SnapshotRule::kLastDayOfMonth,
                                     domain::Date from = D(2023, 1, 1), domain::Date until = D(2024, 1, 1)) {
  domain::Rulebook rb;
  rb.id = "KoK-2023";
  rb.title = "Krav- och kvalitetsbok 2023";
  rb.decision = "TEST";
  rb.valid_from = from;
  rb.valid_until = until;
  rb.snapshot = snapshot;
  rb.retro_window_months = 12;
  rb.capitation = {{0, Kr(3600)}, {6, Kr(1700)}, {16, Kr(1900)}, {25, Kr(2300)},
                   {45, Kr(2900)}, {65, Kr(4300)}, {75, Kr(6200)}, {85, Kr(8100)}};
  rb.performance_per_year = domain::Money::FromOre(14230);
  rb.visits = domain::VisitRates{Kr(1100), Kr(650), Kr(650), Kr(1500)};
  return rb;
}

// Builds events with ids "e1", "e2", ... and seqs 1, 2, ... and applies them as they are added.
class WorldBuilder {
 public:
  // A resident is named by a one-byte tag; birth date and sex are fixed per tag by `Born`.
  WorldBuilder& Born(std::uint8_t tag, domain::Date birth) {
    domain::ResidentRef ref;
    ref.pseudonym.bytes.fill(tag);
    ref.birth_date = birth;
    residents_[tag] = ref;
    return *this;
  }
  domain::Seq Add(domain::EventBody body) {
    const domain::Seq seq(events_.size() + 1);
    const std::string id = "e" + std::to_string(seq.value());
    events_.push_back(domain::Event{EventIdOf(id), "test", body});
    ids_[id] = seq;
    auto applied = projection_.Apply(seq, body, [this](std::string_view target) -> Result<projection::RetractionTarget> {
      auto it = ids_.find(std::string(target));
      if (it == ids_.end()) return Fail(ErrorCode::kNotFound, "unknown target");
      return projection::RetractionTarget{it->second, events_[it->second.value() - 1].body};
    });
    REQUIRE(applied.has_value());
    return seq;
  }
  domain::Seq Clinic(std::string_view id, domain::Date opening, std::int32_t distance_tenths = 125) {
    return Add(domain::ClinicRegistered{ClinicIdOf(id), "Vårdcentralen " + std::string(id), domain::Operator::kRegion, 1880, distance_tenths,
                                        opening});
  }
  domain::Seq Register(std::uint8_t tag, domain::Date effective) {
    return Add(domain::ResidentRegistered{residents_.at(tag), effective, 1880, domain::RegistrationReason::kInitial});
  }
  domain::Seq List(std::uint8_t tag, std::string_view clinic, domain::Date effective) {
    return Add(domain::PatientListed{residents_.at(tag), ClinicIdOf(clinic), effective, domain::ListingReason::kChoice});
  }
  // Registered and listed at `clinic` from `effective`.
  void Resident(std::uint8_t tag, domain::Date birth, std::string_view clinic, domain::Date effective) {
    Born(tag, birth);
    Register(tag, effective);
    List(tag, clinic, effective);
  }
  domain::Seq Unlist(std::uint8_t tag, std::string_view clinic, domain::Date effective) {
    return Add(domain::PatientUnlisted{residents_.at(tag), ClinicIdOf(clinic), effective, domain::UnlistingReason::kOther});
  }
  domain::Seq Died(std::uint8_t tag, domain::Date effective) {
    return Add(domain::ResidentDied{residents_.at(tag), effective});
  }
  domain::Seq MovedOut(std::uint8_t tag, domain::Date effective) {
    return Add(domain::ResidentMovedOut{residents_.at(tag), effective});
  }
  domain::Seq Retract(domain::Seq seq) { return Add(domain::EventRetracted{EventIdOf("e" + std::to_string(seq.value())), "wrong"}); }
  domain::Seq Publish(const domain::Rulebook& rulebook) { return Add(domain::RulebookPublished{rulebook}); }

  domain::Seq head() const { return domain::Seq(events_.size()); }
  // The events added so far, seq = position + 1.
  const std::vector<domain::Event>& events() const { return events_; }
  const projection::Projection& projection() const { return projection_; }

  // The report at K (the head when 0); fails the test if there is none.
  projection::MonthReport Report(domain::Month month, domain::Seq known_at = {}) const {
    auto report = projection::BuildMonthReport(projection_, month, known_at.none() ? head() : known_at);
    REQUIRE_MESSAGE(report.has_value(), (report ? "" : report.error().message));
    return *report;
  }

 private:
  std::vector<domain::Event> events_;
  std::map<std::string, domain::Seq> ids_;
  std::map<std::uint8_t, domain::ResidentRef> residents_;
  projection::Projection projection_;
};

// A copy of the line of `clinic` in a report (a copy, so that it may outlive a temporary
// report); fails the test if it is absent.
inline projection::ClinicMonthLine Line(const projection::MonthReport& report, const std::string& clinic) {
  for (const auto& line : report.clinics) {
    if (line.clinic == clinic) return line;
  }
  FAIL("clinic " << clinic << " is not in the report");
  return {};
}

inline std::int64_t Ore(const projection::ClinicMonthLine& line, domain::Component component) {
  return line.amounts.amounts[static_cast<std::size_t>(component)].ore();
}

}  // namespace capledger::testing
