// Private to the store layer: a batch assembled but not yet written, and what the assembly of a
// later batch must see of it (the ids it stores, the residents and clinics it indexes).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/write_batch.h>

#include "store/event_store.h"
#include "store/index_keys.h"
#include "store/keys.h"

namespace capledger::store {

// The ids entries a batch creates, sorted, with their own copy of the id bytes.
class AppendedIds {
 public:
  // Adds an id (in ascending byte order, each once).
  void Add(std::string_view id, const IdRecord& record);
  // Calls found(i, record) for every keys[i] this batch creates; `keys` ascending (one merge pass).
  template <typename Found>
  void FindAll(std::span<const std::string_view> keys, Found&& found) const {
    std::size_t e = 0;
    for (std::size_t i = 0; i < keys.size() && e < entries_.size(); ++i) {
      while (e < entries_.size() && IdOf(entries_[e]) < keys[i]) ++e;
      if (e < entries_.size() && IdOf(entries_[e]) == keys[i]) found(i, entries_[e].record);
    }
  }

 private:
  struct Entry {
    std::uint32_t offset;
    std::uint32_t size;
    IdRecord record;
  };
  std::string_view IdOf(const Entry& e) const { return std::string_view(text_).substr(e.offset, e.size); }

  std::string text_;
  std::vector<Entry> entries_;
};

// What later assemblies see of an assembled batch until it is written.
struct PendingBatch {
  domain::Seq first_seq;  // the seqs the batch stores: first_seq .. last_seq (none if greater)
  domain::Seq last_seq;
  AppendedIds ids;
  IndexKeys index_keys;
};

// An assembled batch (EventStore::AssembleAppend), written by EventStore::WriteAssembled.
class AssembledAppend {
 public:
  AssembledAppend() = default;
  ~AssembledAppend();  // dropped unwritten: voids the batches assembled after it
  AssembledAppend(const AssembledAppend&) = delete;
  AssembledAppend& operator=(const AssembledAppend&) = delete;

  EventStore::Impl* impl = nullptr;
  std::uint64_t number = 0;      // assembly order, from 1
  std::uint64_t generation = 0;  // of the store's appends; a failed write starts a new one
  bool written = false;          // or void: nothing left to do when dropped
  rocksdb::WriteBatch batch;
  std::vector<AppendOutcome> outcomes;
  Head head;                     // the log head once it is written
  std::uint64_t reject_count = 0;
  std::shared_ptr<const PendingBatch> pending;
};

}  // namespace capledger::store
