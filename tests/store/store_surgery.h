// Changes to a closed store made with RocksDB directly, as damage or a hand edit would make them:
// for the store's own tests only (no other layer sees RocksDB).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <rocksdb/db.h>

#include "domain/seq.h"
#include "store/keys.h"

namespace capledger::testing {

// Opens the store in `dir` (closed) with RocksDB directly, calls `edit(db, meta)` and closes it.
template <typename Edit>
void EditMeta(const std::filesystem::path& dir, Edit edit) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "events", "ids", "by_resident", "by_clinic", "meta", "checkpoints", "rejects"}) {
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), dir.string(), families, &handles, &db).ok());
  edit(*db, handles[5]);
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  delete db;
}

// Removes `key` from the meta column family of the store in `dir` (closed), as damage or a hand
// edit would.
inline void DeleteMetaKey(const std::filesystem::path& dir, const std::string& key) {
  EditMeta(dir, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* meta) {
    REQUIRE(db.Delete(rocksdb::WriteOptions(), meta, key).ok());
  });
}

// Replaces the value of `key` in the meta column family of the store in `dir` (closed).
inline void PutMetaKey(const std::filesystem::path& dir, const std::string& key, const std::string& value) {
  EditMeta(dir, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* meta) {
    REQUIRE(db.Put(rocksdb::WriteOptions(), meta, key, value).ok());
  });
}

// Opens the store in `dir` (closed) with RocksDB directly, the events family with
// `events_options`, calls `edit(db, events)` and closes it again.
template <typename Edit>
void EditEvents(const std::filesystem::path& dir, const rocksdb::ColumnFamilyOptions& events_options, Edit edit) {
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : names) {
    families.emplace_back(name, name == "events" ? events_options : rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), dir.string(), families, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* events = nullptr;
  for (auto* h : handles) {
    if (h->GetName() == "events") events = h;
  }
  REQUIRE(events != nullptr);
  edit(*db, events);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  REQUIRE(db->Close().ok());
}

// Opens the store in `dir` (closed) with RocksDB directly, as an attacker or a disk fault would
// see it, applies `change` to the value of one events entry and closes it again.
inline void ChangeStoredEvent(const std::filesystem::path& dir, domain::Seq seq,
                              const std::function<void(std::string&)>& change) {
  EditEvents(dir, rocksdb::ColumnFamilyOptions(), [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events) {
    std::string value;
    REQUIRE(db.Get(rocksdb::ReadOptions(), events, store::SeqKey(seq), &value).ok());
    change(value);
    REQUIRE(db.Put(rocksdb::WriteOptions(), events, store::SeqKey(seq), value).ok());
  });
}

// The largest table file of the store in `dir`: the events family's, in a store of many events.
inline std::filesystem::path LargestTableFile(const std::filesystem::path& dir) {
  std::filesystem::path largest;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".sst" &&
        (largest.empty() || entry.file_size() > std::filesystem::file_size(largest))) {
      largest = entry.path();
    }
  }
  REQUIRE_FALSE(largest.empty());
  return largest;
}

// Rewrites the events family of the store in `dir` (closed) into table files of about
// `file_bytes` each, all in one level below level 0, as RocksDB's own compaction does for a store
// that has grown; returns how many files that level holds. A scan of the log then steps from one
// file to the next within a level, which is where a failed table open must still be reported.
inline int SplitEventsTables(const std::filesystem::path& dir, std::uint64_t file_bytes) {
  rocksdb::ColumnFamilyOptions options;
  options.target_file_size_base = file_bytes;
  int files = 0;
  EditEvents(dir, options, [&](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events) {
    REQUIRE(db.Flush(rocksdb::FlushOptions(), events).ok());
    rocksdb::CompactRangeOptions compact;
    compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    REQUIRE(db.CompactRange(compact, events, nullptr, nullptr).ok());
    rocksdb::ColumnFamilyMetaData meta;
    db.GetColumnFamilyMetaData(events, &meta);
    for (const auto& level : meta.levels) {
      if (level.level == 0) {
        REQUIRE(level.files.empty());
      } else if (!level.files.empty()) {
        REQUIRE(files == 0);  // one level only
        files = static_cast<int>(level.files.size());
      }
    }
  });
  return files;
}

}  // namespace capledger::testing
