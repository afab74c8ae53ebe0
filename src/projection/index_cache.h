// The snapshot indexes a projection keeps, one per snapshot date asked for more than once, kept
// current as events are applied; the least recently used are dropped beyond
// kSnapshotIndexBytesMax. A date's first question is answered by folding the residents (a
// fraction of an index's build); a date asked again is likely asked many times (serve, a payout's
// months, a dispute), and its index is built then. So a command that asks one question never
// pays for an index. Part of a Projection's derived state: copies start empty, and it never takes
// part in equality.
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

  // The index of day `on`, current with `projection`: the kept one, or built now if `on` was
  // asked of this cache before; null on the day's first question, which the caller answers by a
  // fold (and which is remembered). Thread-safe with other const uses; not with OnApplied.
  std::shared_ptr<const SnapshotIndex> GetIfAskedBefore(const Projection& projection, std::int32_t on) const;

  // Keeps every index current after the projection applied `seq`; `resident` is the resident the
  // event changed (or -1) and `effective` the day of the fact it added or retracted.
  // The index of day `on` if it is kept (counts as a use), else null: nothing is built.
  std::shared_ptr<const SnapshotIndex> Find(std::int32_t on) const;

  void OnApplied(const Projection& projection, std::uint64_t seq, std::int64_t resident, std::int32_t effective);

  void Clear();

  // Builds the index of every day asked once and not kept, as the day's second question would:
  // for a server's idle time, so that the second question finds it built. Builds outside the
  // cache's lock (questions about other days go on meanwhile). REQUIRES that `projection` not
  // change until it returns (the caller holds a lock against writers).
  void BuildAskedOnce(const Projection& projection) const;

  // True if the index of `on` is kept (does not count as a use).
  bool Has(std::int32_t on) const;

  friend bool operator==(const IndexCache&, const IndexCache&) { return true; }  // derived state

 private:
  struct Entry {
    std::shared_ptr<SnapshotIndex> index;
    std::uint64_t last_used = 0;
  };
  void EvictBeyondBudget() const;
  // Finds the kept index of `on` and marks it used; null if none (the mutex held).
  std::shared_ptr<const SnapshotIndex> FindLocked(std::int32_t on) const;

  // The days asked without an index, the most recent last (at most kAskedKept).
  static constexpr std::size_t kAskedKept = 64;
  mutable std::vector<std::int32_t> asked_;

  mutable std::mutex mutex_;
  mutable std::vector<Entry> entries_;
  mutable std::uint64_t tick_ = 0;
};

}  // namespace capledger::projection
