// Changes to a closed store made with RocksDB directly, as damage or a hand edit would make them:
// for the store's own tests only (no other layer sees RocksDB).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <rocksdb/db.h>

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

}  // namespace capledger::testing
