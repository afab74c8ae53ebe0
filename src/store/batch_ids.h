// The ids one Append reads and writes (the ids column family of DESIGN.md §3), sorted once.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "store/event_store.h"
#include "store/keys.h"

namespace capledger::store {

// Every id and retraction target of a batch, in ascending byte order without repeats, with what is
// known about each: the ids entry already in the store, or the entry an earlier request of the
// batch created. Sorted keys let the store be read in one pass (MultiGet) and the new ids entries
// be written in key order. Keeps views into the requests, which must outlive it.
class BatchIds {
 public:
  explicit BatchIds(std::span<const AppendRequest> requests);

  // The distinct keys, ascending.
  std::span<const std::string_view> keys() const { return keys_; }

  // Records the ids entry the store holds for keys()[key].
  void SetStored(std::size_t key, const IdRecord& record);

  // What is known about request `request`'s id / retraction target (REQUIRES it has one).
  std::optional<IdRecord> FindId(std::size_t request) const;
  std::optional<IdRecord> FindTarget(std::size_t request) const;

  // Records that request `request`'s event was stored by this batch (REQUIRES FindId was empty).
  void SetAppended(std::size_t request, const IdRecord& record);

  // Visits the ids this batch stored, ascending: visit(id, record).
  template <typename Visit>
  void ForEachAppended(Visit&& visit) const {
    for (std::size_t key = 0; key < keys_.size(); ++key) {
      if (appended_[key]) visit(keys_[key], *records_[key]);
    }
  }

 private:
  static constexpr std::uint32_t kNone = UINT32_MAX;

  std::vector<std::string_view> keys_;
  std::vector<std::optional<IdRecord>> records_;  // per key
  std::vector<bool> appended_;                    // per key: records_ came from this batch
  std::vector<std::uint32_t> id_key_;             // per request: its id's key
  std::vector<std::uint32_t> target_key_;         // per request: its retraction target's key, or kNone
};

}  // namespace capledger::store
