#include "projection/resident_facts.h"

#include <algorithm>
#include <limits>

#include "common/assert.h"

namespace capledger::projection {
namespace {

bool Before(const ResidentFact& a, const ResidentFact& b) {
  return a.effective != b.effective ? a.effective < b.effective : a.seq < b.seq;
}

// Compaction starts once this many residents (plus a quarter of all) have overflow lists.
constexpr std::size_t kOverflowListsMin = 4096;

}  // namespace

std::uint32_t ResidentFacts::AddResident() {
  LEDGER_ASSERT(overflow_slot_.size() < std::numeric_limits<std::uint32_t>::max());
  overflow_slot_.push_back(-1);
  offsets_.push_back(offsets_.back());
  return size() - 1;
}

void ResidentFacts::MoveToOverflow(std::uint32_t r) {
  if (overflow_slot_[r] >= 0) return;
  const auto base = Of(r);
  overflow_slot_[r] = static_cast<std::int32_t>(overflow_.size());
  overflow_.emplace_back(base.begin(), base.end());
}

void ResidentFacts::Insert(std::uint32_t r, const ResidentFact& fact) {
  LEDGER_ASSERT(r < size());
  MoveToOverflow(r);
  auto& list = overflow_[static_cast<std::size_t>(overflow_slot_[r])];
  list.insert(std::upper_bound(list.begin(), list.end(), fact, Before), fact);
  ++fact_count_;
  if (overflow_.size() >= kOverflowListsMin + overflow_slot_.size() / 4) Compact();
}

std::span<ResidentFact> ResidentFacts::MutableOf(std::uint32_t r) {
  const std::int32_t slot = overflow_slot_[r];
  if (slot >= 0) return overflow_[static_cast<std::size_t>(slot)];
  return {base_.data() + offsets_[r], base_.data() + offsets_[r + 1]};
}

void ResidentFacts::Retract(std::uint32_t r, std::uint32_t target_seq, std::uint32_t retraction_seq) {
  LEDGER_ASSERT(r < size());
  for (ResidentFact& fact : MutableOf(r)) {
    if (fact.seq == target_seq) fact.retracted_at = std::min(fact.retracted_at, retraction_seq);
  }
}

void ResidentFacts::Compact() {
  if (overflow_.empty()) return;
  LEDGER_ASSERT(fact_count_ <= std::numeric_limits<std::uint32_t>::max());
  std::vector<std::uint32_t> offsets;
  offsets.reserve(offsets_.size());
  std::vector<ResidentFact> base;
  base.reserve(fact_count_);
  offsets.push_back(0);
  for (std::uint32_t r = 0; r < size(); ++r) {
    const auto list = Of(r);
    base.insert(base.end(), list.begin(), list.end());
    offsets.push_back(static_cast<std::uint32_t>(base.size()));
  }
  offsets_ = std::move(offsets);
  base_ = std::move(base);
  std::fill(overflow_slot_.begin(), overflow_slot_.end(), -1);
  overflow_.clear();
}

ResidentFacts ResidentFacts::FromLists(std::vector<std::uint32_t> counts, std::vector<ResidentFact> facts) {
  ResidentFacts out;
  out.offsets_.reserve(GrowthCapacity(counts.size() + 1));
  out.overflow_slot_.reserve(GrowthCapacity(counts.size()));
  std::uint64_t at = 0;
  for (std::uint32_t n : counts) {
    at += n;
    LEDGER_ASSERT(at <= facts.size());
    out.offsets_.push_back(static_cast<std::uint32_t>(at));
  }
  LEDGER_ASSERT(at == facts.size());
  out.overflow_slot_.assign(counts.size(), -1);
  out.fact_count_ = facts.size();
  out.base_ = std::move(facts);
  return out;
}

bool operator==(const ResidentFacts& a, const ResidentFacts& b) {
  if (a.size() != b.size() || a.fact_count() != b.fact_count()) return false;
  for (std::uint32_t r = 0; r < a.size(); ++r) {
    const auto x = a.Of(r);
    const auto y = b.Of(r);
    if (!std::equal(x.begin(), x.end(), y.begin(), y.end())) return false;
  }
  return true;
}

}  // namespace capledger::projection
