#include "projection/snapshot_index.h"

#include <algorithm>

#include "common/assert.h"
#include "projection/projection.h"

namespace capledger::projection {

static_assert(kAnomalyKinds == 5, "SnapshotIndex keeps five anomaly counts");

template <std::size_t Slots>
void CountSeries<Slots>::Add(std::uint32_t seq, std::size_t slot, std::int32_t change) {
  LEDGER_ASSERT(slot < Slots && (change == 1 || change == -1));
  LEDGER_ASSERT(deltas_.empty() || deltas_.back().seq <= seq);
  if (deltas_.size() % kStride == 0) checkpoints_.push_back(running_);
  deltas_.push_back(Delta{seq, static_cast<std::uint16_t>(slot), static_cast<std::int16_t>(change)});
  running_[slot] += change;
  LEDGER_ASSERT(running_[slot] >= 0);  // a resident leaves only what they entered
}

template <std::size_t Slots>
std::size_t CountSeries<Slots>::CountKnownAt(domain::Seq known_at) const {
  return static_cast<std::size_t>(
      std::upper_bound(deltas_.begin(), deltas_.end(), known_at.value(),
                       [](std::uint64_t k, const Delta& d) { return k < d.seq; }) -
      deltas_.begin());
}

template <std::size_t Slots>
typename CountSeries<Slots>::Counts CountSeries<Slots>::At(std::size_t n) const {
  if (n == deltas_.size()) return running_;
  const std::size_t j = n / kStride;
  Counts counts = checkpoints_[j];
  for (std::size_t i = j * kStride; i < n; ++i) counts[deltas_[i].slot] += deltas_[i].change;
  return counts;
}

template <std::size_t Slots>
template <typename Out>
void CountSeries<Slots>::AddAt(domain::Seq known_at, Out& out) const {
  const Counts counts = At(CountKnownAt(known_at));
  for (std::size_t s = 0; s < Slots; ++s) out[s] += counts[s];
}

template <std::size_t Slots>
bool CountSeries<Slots>::AnyAt(domain::Seq known_at) const {
  const Counts counts = At(CountKnownAt(known_at));
  return std::any_of(counts.begin(), counts.end(), [](std::int32_t n) { return n != 0; });
}

template class CountSeries<domain::kAgeSlots>;
template class CountSeries<5>;

namespace {

// One change found while building: a clinic's age slot, or (clinic < 0) an anomaly bit.
struct Change {
  std::uint32_t seq;
  std::int32_t clinic;  // -1: an anomaly change, `slot` is the bit
  std::uint16_t slot;
  std::int16_t change;
};

}  // namespace

SnapshotIndex::Contribution SnapshotIndex::ContributionAt(const Projection& p, std::uint32_t r,
                                                          domain::Seq known_at) const {
  const ResidentState state = p.FoldResident(r, day_, known_at);
  Contribution c;
  c.anomalies = state.anomalies;
  if (!state.resident || state.clinic < 0) return c;
  const int age = domain::AgeFromYmd(p.residents().birth_ymd[r], day_ymd_);
  if (age < 0) return c;  // not yet born on the day
  c.clinic = state.clinic;
  c.age = age;
  return c;
}

CountSeries<domain::kAgeSlots>& SnapshotIndex::Clinic(int clinic) {
  if (static_cast<std::size_t>(clinic) >= clinics_.size()) clinics_.resize(static_cast<std::size_t>(clinic) + 1);
  return clinics_[static_cast<std::size_t>(clinic)];
}

void SnapshotIndex::Record(std::uint32_t seq, const Contribution& before, const Contribution& after) {
  if (before.clinic != after.clinic || before.age != after.age) {
    if (before.clinic >= 0) Clinic(before.clinic).Add(seq, static_cast<std::size_t>(before.age), -1);
    if (after.clinic >= 0) Clinic(after.clinic).Add(seq, static_cast<std::size_t>(after.age), +1);
  }
  for (int bit = 0; bit < kAnomalyKinds; ++bit) {
    const bool was = (before.anomalies >> bit) & 1u;
    const bool is = (after.anomalies >> bit) & 1u;
    if (was != is) anomalies_.Add(seq, static_cast<std::size_t>(bit), is ? +1 : -1);
  }
}

SnapshotIndex SnapshotIndex::Build(const Projection& p, std::int32_t on) {
  SnapshotIndex index;
  index.day_ = on;
  index.day_ymd_ = domain::YmdOf(domain::DateFromDays(on));
  index.covered_seq_ = p.applied_seq().value();
  std::vector<Change> changes;
  std::vector<std::uint32_t> points;
  for (std::uint32_t r = 0; r < p.residents().facts.size(); ++r) {
    points.clear();
    for (const ResidentFact& f : p.residents().facts.Of(r)) {
      if (f.effective > on) break;
      points.push_back(f.seq);
      if (f.retracted_at != kNever) points.push_back(f.retracted_at);
    }
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    Contribution before;
    for (std::uint32_t k : points) {
      const Contribution after = index.ContributionAt(p, r, domain::Seq(k));
      if (after == before) continue;
      if (before.clinic != after.clinic || before.age != after.age) {
        if (before.clinic >= 0) changes.push_back(Change{k, before.clinic, static_cast<std::uint16_t>(before.age), -1});
        if (after.clinic >= 0) changes.push_back(Change{k, after.clinic, static_cast<std::uint16_t>(after.age), +1});
      }
      for (int bit = 0; bit < kAnomalyKinds; ++bit) {
        const bool was = (before.anomalies >> bit) & 1u;
        const bool is = (after.anomalies >> bit) & 1u;
        if (was != is) changes.push_back(Change{k, -1, static_cast<std::uint16_t>(bit), static_cast<std::int16_t>(is ? 1 : -1)});
      }
      before = after;
    }
  }
  // Per clinic in seq order; a seq is one event about one resident, so (clinic, seq, slot) is unique.
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    if (a.clinic != b.clinic) return a.clinic < b.clinic;
    if (a.seq != b.seq) return a.seq < b.seq;
    return a.slot < b.slot;
  });
  index.clinics_.resize(p.clinics().id.size());
  for (const Change& c : changes) {
    if (c.clinic < 0) {
      index.anomalies_.Add(c.seq, c.slot, c.change);
    } else {
      index.Clinic(c.clinic).Add(c.seq, c.slot, c.change);
    }
  }
  return index;
}

void SnapshotIndex::Apply(const Projection& p, std::uint32_t resident, std::uint32_t seq) {
  LEDGER_ASSERT(seq > covered_seq_);
  covered_seq_ = seq;
  const Contribution before = ContributionAt(p, resident, domain::Seq(seq - 1));
  const Contribution after = ContributionAt(p, resident, domain::Seq(seq));
  if (before != after) Record(seq, before, after);
}

void SnapshotIndex::ListingAt(domain::Seq known_at, std::size_t clinics, std::vector<domain::AgeCounts>& by_clinic,
                              std::array<std::int64_t, 5>& anomalies) const {
  LEDGER_ASSERT(known_at.value() <= covered_seq_);
  by_clinic.assign(clinics, domain::AgeCounts{});
  for (std::size_t c = 0; c < clinics && c < clinics_.size(); ++c) clinics_[c].AddAt(known_at, by_clinic[c]);
  anomalies.fill(0);
  anomalies_.AddAt(known_at, anomalies);
}

domain::AgeCounts SnapshotIndex::CountsAt(std::uint16_t clinic, domain::Seq known_at) const {
  LEDGER_ASSERT(known_at.value() <= covered_seq_);
  domain::AgeCounts counts{};
  if (clinic < clinics_.size()) clinics_[clinic].AddAt(known_at, counts);
  return counts;
}

bool SnapshotIndex::AnyAt(std::uint16_t clinic, domain::Seq known_at) const {
  LEDGER_ASSERT(known_at.value() <= covered_seq_);
  return clinic < clinics_.size() && clinics_[clinic].AnyAt(known_at);
}

std::size_t SnapshotIndex::bytes() const {
  std::size_t total = anomalies_.bytes() + sizeof(*this);
  for (const auto& series : clinics_) total += series.bytes() + sizeof(series);
  return total;
}

}  // namespace capledger::projection
