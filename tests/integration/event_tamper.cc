// event_tamper DIR SEQ: flips one bit in the middle of the stored value of event SEQ in the closed
// store (or store copy) in DIR, with RocksDB directly, as damage or a hand edit would. RocksDB's
// own checksums stay valid; only the hash chain can tell. For the integration tests.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <rocksdb/db.h>

#include "store/keys.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: event_tamper DIR SEQ\n");
    return 2;
  }
  const std::string dir = argv[1];
  const capledger::domain::Seq seq(std::strtoull(argv[2], nullptr, 10));
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok()) return 1;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(rocksdb::DBOptions(), dir, families, &handles, &raw);
  if (!s.ok()) {
    std::fprintf(stderr, "event_tamper: %s\n", s.ToString().c_str());
    return 1;
  }
  const std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* events = nullptr;
  for (auto* handle : handles) {
    if (handle->GetName() == capledger::store::kEventsCf) events = handle;
  }
  std::string value;
  s = events ? db->Get(rocksdb::ReadOptions(), events, capledger::store::SeqKey(seq), &value) : rocksdb::Status::NotFound();
  if (s.ok()) {
    value[value.size() / 2] = static_cast<char>(value[value.size() / 2] ^ 0x01);
    s = db->Put(rocksdb::WriteOptions(), events, capledger::store::SeqKey(seq), value);
  }
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  if (s.ok()) s = db->Close();
  if (!s.ok()) std::fprintf(stderr, "event_tamper: %s\n", s.ToString().c_str());
  return s.ok() ? 0 : 1;
}
