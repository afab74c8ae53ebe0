// Private to the store layer: the RocksDB handles behind EventStore.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include <rocksdb/db.h>

#include "common/clock.h"
#include "common/region_secret.h"
#include "store/event_store.h"

namespace capledger::store {

struct EventStore::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // owned; destroyed before db
  rocksdb::ColumnFamilyHandle* events = nullptr;
  rocksdb::ColumnFamilyHandle* ids = nullptr;
  rocksdb::ColumnFamilyHandle* by_resident = nullptr;
  rocksdb::ColumnFamilyHandle* by_clinic = nullptr;
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  rocksdb::ColumnFamilyHandle* checkpoints = nullptr;
  rocksdb::ColumnFamilyHandle* rejects = nullptr;
  const Clock* clock = nullptr;
  crypto::Key256 rejects_key{};
  crypto::Digest fingerprint{};
  bool fingerprint_stored = false;
  bool has_secret = false;
  bool read_only = false;

  mutable std::mutex append_mutex;  // one append at a time
  mutable std::mutex head_mutex;    // guards head and reject_count for readers
  Head head;
  std::uint64_t reject_count = 0;

  ~Impl();
};

// Maps a RocksDB status to an Error (kIoError, or kCorruption for corruption).
Error StatusError(const rocksdb::Status& status, std::string_view what);

// Decodes the value of an events entry into a StoredRecord (kCorruption on any problem).
Result<StoredRecord> DecodeStoredValue(std::uint64_t seq, std::string_view value);

}  // namespace capledger::store
