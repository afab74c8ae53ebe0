#include "projection/snapshot_index.h"

#include <algorithm>
#include <array>
#include <thread>

#include "common/assert.h"
#include "common/thread.h"
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

// A change packed so that sorting the numbers sorts by seq, then slot (an age, or an anomaly
// bit), then sign: seq in bits 17-48, slot in 1-16, bit 0 set for +1.
std::uint64_t Pack(std::uint32_t seq, std::uint16_t slot, int change) {
  return (std::uint64_t{seq} << 17) | (std::uint64_t{slot} << 1) | (change > 0 ? 1u : 0u);
}
std::uint32_t SeqOf(std::uint64_t packed) { return static_cast<std::uint32_t>(packed >> 17); }
std::uint16_t SlotOf(std::uint64_t packed) { return static_cast<std::uint16_t>((packed >> 1) & 0xFFFF); }
std::int32_t ChangeOf(std::uint64_t packed) { return (packed & 1u) != 0 ? 1 : -1; }

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

void SnapshotIndex::Collect(const Projection& p, std::uint32_t first, std::uint32_t last,
                            std::vector<std::vector<std::uint64_t>>& changes) const {
  std::vector<std::uint64_t>& anomalies = changes.back();
  std::vector<std::uint32_t> points;
  for (std::uint32_t r = first; r < last; ++r) {
    points.clear();
    for (const ResidentFact& f : p.residents().facts.Of(r)) {
      if (f.effective > day_) break;
      points.push_back(f.seq);
      if (f.retracted_at != kNever) points.push_back(f.retracted_at);
    }
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    Contribution before;
    for (std::uint32_t k : points) {
      const Contribution after = ContributionAt(p, r, domain::Seq(k));
      if (after == before) continue;
      if (before.clinic != after.clinic || before.age != after.age) {
        const auto age = [](const Contribution& c) { return static_cast<std::uint16_t>(c.age); };
        if (before.clinic >= 0) changes[static_cast<std::size_t>(before.clinic)].push_back(Pack(k, age(before), -1));
        if (after.clinic >= 0) changes[static_cast<std::size_t>(after.clinic)].push_back(Pack(k, age(after), +1));
      }
      for (int bit = 0; bit < kAnomalyKinds; ++bit) {
        const bool was = (before.anomalies >> bit) & 1u;
        const bool is = (after.anomalies >> bit) & 1u;
        if (was != is) anomalies.push_back(Pack(k, static_cast<std::uint16_t>(bit), is ? 1 : -1));
      }
      before = after;
    }
  }
}

SnapshotIndex SnapshotIndex::Build(const Projection& p, std::int32_t on) {
  SnapshotIndex index;
  index.day_ = on;
  index.day_ymd_ = domain::YmdOf(domain::DateFromDays(on));
  index.covered_seq_ = p.applied_seq().value();
  const std::size_t clinics = p.clinics().id.size();
  index.clinics_.resize(clinics);
  // Each half of the residents on a thread of its own; a list per clinic and one for anomalies.
  const std::uint32_t residents = p.residents().facts.size();
  std::array<std::vector<std::vector<std::uint64_t>>, 2> found;
  for (auto& lists : found) lists.resize(clinics + 1);
  std::thread helper =
      StartThread("index-build", [&] { index.Collect(p, residents / 2, residents, found[1]); });
  index.Collect(p, 0, residents / 2, found[0]);
  helper.join();
  // Then each half of the lists: both halves' changes joined and put in seq order (a seq is one
  // event about one resident, so (seq, slot) is unique within a list), and added in that order.
  const auto finish = [&](std::size_t from, std::size_t to) {
    std::vector<std::uint64_t> joined;
    for (std::size_t c = from; c < to; ++c) {
      joined.assign(found[0][c].begin(), found[0][c].end());
      joined.insert(joined.end(), found[1][c].begin(), found[1][c].end());
      std::sort(joined.begin(), joined.end());
      const auto add_to = [&joined](auto& series) {
        for (const std::uint64_t change : joined) series.Add(SeqOf(change), SlotOf(change), ChangeOf(change));
      };
      if (c < clinics) {
        add_to(index.clinics_[c]);
      } else {
        add_to(index.anomalies_);
      }
    }
  };
  std::thread second = StartThread("index-build", [&] { finish((clinics + 1) / 2, clinics + 1); });
  finish(0, (clinics + 1) / 2);
  second.join();
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
