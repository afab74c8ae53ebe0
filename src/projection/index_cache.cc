#include "projection/index_cache.h"

#include <algorithm>

#include "projection/projection.h"

namespace capledger::projection {

std::shared_ptr<const SnapshotIndex> IndexCache::GetIfAskedBefore(const Projection& projection, std::int32_t on) const {
  std::lock_guard lock(mutex_);
  if (auto kept = FindLocked(on)) return kept;
  const auto asked = std::find(asked_.begin(), asked_.end(), on);
  if (asked == asked_.end()) {
    if (asked_.size() == kAskedKept) asked_.erase(asked_.begin());
    asked_.push_back(on);
    return nullptr;
  }
  asked_.erase(asked);
  entries_.push_back(Entry{std::make_shared<SnapshotIndex>(SnapshotIndex::Build(projection, on)), ++tick_});
  auto index = entries_.back().index;
  EvictBeyondBudget();
  return index;
}

std::shared_ptr<const SnapshotIndex> IndexCache::Find(std::int32_t on) const {
  std::lock_guard lock(mutex_);
  return FindLocked(on);
}

void IndexCache::BuildAskedOnce(const Projection& projection) const {
  std::vector<std::int32_t> days;
  {
    std::lock_guard lock(mutex_);
    days = asked_;
  }
  for (std::int32_t on : days) {
    auto index = std::make_shared<SnapshotIndex>(SnapshotIndex::Build(projection, on));
    std::lock_guard lock(mutex_);
    if (FindLocked(on)) continue;  // built meanwhile by the day's second question
    std::erase(asked_, on);
    entries_.push_back(Entry{std::move(index), ++tick_});
    EvictBeyondBudget();
  }
}

bool IndexCache::Has(std::int32_t on) const {
  std::lock_guard lock(mutex_);
  return std::any_of(entries_.begin(), entries_.end(), [on](const Entry& entry) { return entry.index->day() == on; });
}

std::shared_ptr<const SnapshotIndex> IndexCache::FindLocked(std::int32_t on) const {
  for (Entry& entry : entries_) {
    if (entry.index->day() == on) {
      entry.last_used = ++tick_;
      return entry.index;
    }
  }
  return nullptr;
}

void IndexCache::EvictBeyondBudget() const {
  std::size_t total = 0;
  for (const Entry& entry : entries_) total += entry.index->bytes();
  while (total > kSnapshotIndexBytesMax && entries_.size() > 1) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                   [](const Entry& a, const Entry& b) { return a.last_used < b.last_used; });
    total -= oldest->index->bytes();
    entries_.erase(oldest);
  }
}

void IndexCache::OnApplied(const Projection& projection, std::uint64_t seq, std::int64_t resident,
                           std::int32_t effective) {
  std::lock_guard lock(mutex_);
  for (Entry& entry : entries_) {
    if (resident >= 0 && effective <= entry.index->day()) {
      entry.index->Apply(projection, static_cast<std::uint32_t>(resident), static_cast<std::uint32_t>(seq));
    } else {
      entry.index->Advance(seq);
    }
  }
}

void IndexCache::Clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
  asked_.clear();
}

}  // namespace capledger::projection
