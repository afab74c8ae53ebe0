// A snapshot date's counts ordered by knowledge: for one day D, every change to each clinic's
// listed residents by age (and to the anomaly counts), in seq order, with running sums every
// kStride changes. The counts on D as known at any K are then a binary search and at most
// kStride additions per clinic, instead of a fold over every resident (DESIGN.md §7).
//
// Built from the projection for one D; kept current by the projection, which calls Apply for
// every resident event it applies while the index exists. Answers exactly what folding the
// residents on D at K answers (Projection::ListedByClinicOn), for any K <= covered_seq().
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "domain/calculation.h"

namespace capledger::projection {

class Projection;

// Counts of `Slots` kinds (ages, or anomaly codes) changing over seq.
template <std::size_t Slots>
class CountSeries {
 public:
  static constexpr std::size_t kStride = 256;
  using Counts = std::array<std::int32_t, Slots>;

  // Appends a change at `seq` (REQUIRES seq >= the last one's).
  void Add(std::uint32_t seq, std::size_t slot, std::int32_t change);

  // Adds the counts as known at `known_at` into `out`.
  template <typename Out>
  void AddAt(domain::Seq known_at, Out& out) const;

  // True if any count is non-zero as known at `known_at`.
  bool AnyAt(domain::Seq known_at) const;

  std::size_t bytes() const { return deltas_.capacity() * sizeof(Delta) + checkpoints_.capacity() * sizeof(Counts); }

 private:
  struct Delta {
    std::uint32_t seq;
    std::uint16_t slot;
    std::int16_t change;
  };
  // The counts after the first `n` deltas.
  Counts At(std::size_t n) const;
  std::size_t CountKnownAt(domain::Seq known_at) const;

  std::vector<Delta> deltas_;
  std::vector<Counts> checkpoints_;  // checkpoints_[j]: the counts before delta j * kStride
  Counts running_{};
};

class SnapshotIndex {
 public:
  // Indexes day `on` over everything `projection` has applied. Folds each resident once per
  // seq at which one of their facts effective on or before `on` was recorded or retracted, on
  // two threads (each half of the residents, then each half of the clinics); the index is the
  // same whatever the split.
  static SnapshotIndex Build(const Projection& projection, std::int32_t on);

  std::int32_t day() const { return day_; }
  std::uint64_t covered_seq() const { return covered_seq_; }

  // Listed residents of each clinic by age on the day as known at K, and the residents raising
  // each anomaly. REQUIRES known_at <= covered_seq(); `clinics` sizes the result.
  void ListingAt(domain::Seq known_at, std::size_t clinics, std::vector<domain::AgeCounts>& by_clinic,
                 std::array<std::int64_t, 5>& anomalies) const;
  domain::AgeCounts CountsAt(std::uint16_t clinic, domain::Seq known_at) const;
  bool AnyAt(std::uint16_t clinic, domain::Seq known_at) const;

  // Records what the event at `seq` about `resident` changed on the day (the projection has
  // applied it; nothing later). REQUIRES seq > covered_seq().
  void Apply(const Projection& projection, std::uint32_t resident, std::uint32_t seq);
  // Records that the projection applied `seq`, which touched no resident.
  void Advance(std::uint64_t seq) { covered_seq_ = seq; }

  std::size_t bytes() const;

 private:
  // What the fold of one resident on the day contributes: the clinic counted at (or -1), the age
  // slot and the anomaly bits.
  struct Contribution {
    int clinic = -1;
    int age = 0;
    std::uint32_t anomalies = 0;
    friend bool operator==(const Contribution&, const Contribution&) = default;
  };
  Contribution ContributionAt(const Projection& p, std::uint32_t resident, domain::Seq known_at) const;
  // The changes that residents [first, last) make on the day, packed (seq, slot, sign) for
  // sorting: one list per clinic, then one for the anomaly bits.
  void Collect(const Projection& p, std::uint32_t first, std::uint32_t last,
               std::vector<std::vector<std::uint64_t>>& changes) const;
  void Record(std::uint32_t seq, const Contribution& before, const Contribution& after);
  CountSeries<domain::kAgeSlots>& Clinic(int clinic);

  std::int32_t day_ = 0;
  std::int32_t day_ymd_ = 0;
  std::uint64_t covered_seq_ = 0;
  std::vector<CountSeries<domain::kAgeSlots>> clinics_;
  CountSeries<5> anomalies_;
};

}  // namespace capledger::projection
