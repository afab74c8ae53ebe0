// Every resident's facts, each resident's list sorted by (effective, seq), laid out for folding
// millions of residents per query.
//
// The lists live in one flat array (a compacted base: offsets + facts, like CSR). A resident who
// gets a fact after the last compaction moves to an overflow list of their own, which replaces
// their base range until the next compaction. Compaction runs when a quarter of the residents
// have overflow lists, so that replaying a log costs a bounded number of copies per fact
// (amortized: about five), and folding reads one contiguous span per resident.
//
// The logical content (the sorted list of each resident) does not depend on when compactions
// ran: operator== and ForEachList compare and visit that content only.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "projection/facts.h"

namespace capledger::projection {

// The capacity to give a column of `n` items loaded from a checkpoint, so that the replay of the
// log's tail appends in place: n plus an eighth (a month's tail at Sweden scale adds under 1 %).
// Without it every column would double at the first append and copy itself into fresh pages
// (0.5 s at Sweden scale). Capacity never written costs address space, not memory.
constexpr std::size_t GrowthCapacity(std::size_t n) { return n + n / 8 + 4096; }

class ResidentFacts {
 public:
  ResidentFacts() { offsets_.push_back(0); }

  // Appends a resident with an empty list; returns its dense id.
  std::uint32_t AddResident();

  // The number of residents.
  std::uint32_t size() const { return static_cast<std::uint32_t>(overflow_slot_.size()); }

  // Inserts `fact` into resident r's list, after every fact with the same (effective, seq) or
  // less. REQUIRES r < size().
  void Insert(std::uint32_t r, const ResidentFact& fact);

  // Sets retracted_at = min(retracted_at, retraction_seq) on r's facts with seq == target_seq.
  void Retract(std::uint32_t r, std::uint32_t target_seq, std::uint32_t retraction_seq);

  // Resident r's facts in (effective, seq) order. The span is valid until the next Insert.
  std::span<const ResidentFact> Of(std::uint32_t r) const {
    const std::int32_t slot = overflow_slot_[r];
    if (slot >= 0) return overflow_[static_cast<std::size_t>(slot)];
    return {base_.data() + offsets_[r], base_.data() + offsets_[r + 1]};
  }

  // The total number of facts.
  std::uint64_t fact_count() const { return fact_count_; }

  // Moves every overflow list into the base. Changes no list.
  void Compact();

  // Rebuilds from complete lists (checkpoint loading): `counts[r]` facts of resident r, taken in
  // order from `facts`. REQUIRES each list sorted by (effective, seq).
  static ResidentFacts FromLists(std::vector<std::uint32_t> counts, std::vector<ResidentFact> facts);

  // Equal lists, whatever the compaction state.
  friend bool operator==(const ResidentFacts& a, const ResidentFacts& b);

 private:
  std::span<ResidentFact> MutableOf(std::uint32_t r);
  void MoveToOverflow(std::uint32_t r);

  std::vector<std::uint32_t> offsets_;   // size() + 1 entries into base_
  std::vector<ResidentFact> base_;
  std::vector<std::int32_t> overflow_slot_;  // per resident: index into overflow_, or -1
  std::vector<std::vector<ResidentFact>> overflow_;
  std::uint64_t fact_count_ = 0;
};

}  // namespace capledger::projection
