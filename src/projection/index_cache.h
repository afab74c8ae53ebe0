// The snapshot indexes a projection keeps, one per snapshot date asked for, built on first use
// and kept current as events are applied; the least recently used are dropped beyond
// kSnapshotIndexBytesMax. Part of a Projection's derived state: copies start empty, and it
// never takes part in equality.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "projection/snapshot_index.h"

namespace capledger::projection {

class Projection;

// A Sweden-size snapshot index is about 100 MB; a payout's year of months fits.
inline constexpr std::size_t kSnapshotIndexBytesMax = std::size_t{1536} << 20;

class IndexCache {
 public:
  IndexCache() = default;
  IndexCache(const IndexCache&) {}
  IndexCache& operator=(const IndexCache&) {
    Clear();
    return *this;
  }

  // The index of day `on`, current with `projection` (built now if absent). Thread-safe with
  // other const uses; not with OnApplied.
  std::shared_ptr<const SnapshotIndex> Get(const Projection& projection, std::int32_t on) const;

  // Keeps every index current after the projection applied `seq`; `resident` is the resident the
  // event changed (or -1) and `effective` the day of the fact it added or retracted.
  // The index of day `on` if it is kept (counts as a use), else null: nothing is built.
  std::shared_ptr<const SnapshotIndex> Find(std::int32_t on) const;

  void OnApplied(const Projection& projection, std::uint64_t seq, std::int64_t resident, std::int32_t effective);

  void Clear();

  friend bool operator==(const IndexCache&, const IndexCache&) { return true; }  // derived state

 private:
  struct Entry {
    std::shared_ptr<SnapshotIndex> index;
    std::uint64_t last_used = 0;
  };
  void EvictBeyondBudget() const;

  mutable std::mutex mutex_;
  mutable std::vector<Entry> entries_;
  mutable std::uint64_t tick_ = 0;
};

}  // namespace capledger::projection
