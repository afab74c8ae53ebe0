// Changes to a closed store made with RocksDB directly, as damage or a hand edit would make them:
// for the store's own tests only (no other layer sees RocksDB).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <rocksdb/db.h>

namespace capledger::testing {

// Removes `key` from the meta column family of the store in `dir` (closed), as damage or a hand
// edit would, opening RocksDB directly.
inline void DeleteMetaKey(const std::filesystem::path& dir, const std::string& key) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "events", "ids", "by_resident", "by_clinic", "meta", "checkpoints", "rejects"}) {
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), dir.string(), families, &handles, &db).ok());
  REQUIRE(db->Delete(rocksdb::WriteOptions(), handles[5], key).ok());
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  delete db;
}

}  // namespace capledger::testing
