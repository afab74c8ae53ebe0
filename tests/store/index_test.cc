// The by_resident and by_clinic layout: one entry per resident and per clinic of an append.
#include <doctest/doctest.h>

#include <map>

#include <rocksdb/db.h>

#include "store/keys.h"
#include "store/store_fixture.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

using Seqs = std::vector<domain::Seq>;

// The store's RocksDB opened directly (the store itself closed), to read or plant raw entries.
class RawStore {
 public:
  explicit RawStore(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), dir.string(), families, &handles_, &raw).ok());
    db_.reset(raw);
  }
  ~RawStore() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close();
  }

  rocksdb::ColumnFamilyHandle* Family(std::string_view name) const {
    for (auto* h : handles_) {
      if (h->GetName() == name) return h;
    }
    FAIL("no column family ", std::string(name));
    return nullptr;
  }

  // Every entry of a family: key -> value.
  std::map<std::string, std::string> Entries(std::string_view family) const {
    std::map<std::string, std::string> entries;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), Family(family)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) entries.emplace(it->key().ToString(), it->value().ToString());
    return entries;
  }

  void Put(std::string_view family, const std::string& key, const std::string& value) {
    REQUIRE(db_->Put(rocksdb::WriteOptions(), Family(family), key, value).ok());
  }

 private:
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

std::string Seq8(domain::Seq seq) { return store::SeqKey(seq); }

store::AppendRequest Registered(std::string_view id, std::uint8_t resident) {
  store::AppendRequest request;
  request.event.id = EventIdOf(id);
  request.event.source = "navet";
  request.event.body = domain::ResidentRegistered{Resident(resident), Day(2024, 1, 1), 1880,
                                                  domain::RegistrationReason::kInitial};
  request.origin = store::InputOrigin{"test", 1, "{raw}"};
  return request;
}

TEST_CASE("an append writes one index entry per resident and per clinic, holding all of their seqs") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  {
    auto s = OpenForTest(dir.path(), secret, clock);
    // seq 1: resident 1 registered; 2: resident 1 at VC-A; 3: resident 2 at VC-A; 4: resident 1 at VC-B.
    std::vector<store::AppendRequest> first{Registered("r1", 1), Listing("l1", 1, "VC-A"), Listing("l2", 2, "VC-A"),
                                            Listing("l3", 1, "VC-B")};
    REQUIRE(s->Append(first).has_value());
    // A later append: seq 5, resident 1 at VC-A again.
    std::vector<store::AppendRequest> second{Listing("l4", 1, "VC-A")};
    REQUIRE(s->Append(second).has_value());
    CHECK(*s->SeqsForResident(Resident(1).pseudonym) == Seqs{1_seq, 2_seq, 4_seq, 5_seq});
    CHECK(*s->SeqsForResident(Resident(2).pseudonym) == Seqs{3_seq});
    CHECK(*s->SeqsForClinic("VC-A") == Seqs{2_seq, 3_seq, 5_seq});
    CHECK(*s->SeqsForClinic("VC-B") == Seqs{4_seq});
  }
  RawStore raw(dir.path());
  const std::string r1 = store::ResidentIndexPrefix(Resident(1).pseudonym);
  const std::string r2 = store::ResidentIndexPrefix(Resident(2).pseudonym);
  // Resident 1: seqs 1, 2 and 4 in one entry keyed by 1, then seq 5 from the second append.
  const std::map<std::string, std::string> residents{
      {r1 + Seq8(1_seq), Seq8(2_seq) + Seq8(4_seq)}, {r1 + Seq8(5_seq), ""}, {r2 + Seq8(3_seq), ""}};
  CHECK(raw.Entries(store::kByResidentCf) == residents);
  const std::map<std::string, std::string> clinics{{store::ClinicIndexPrefix("VC-A") + Seq8(2_seq), Seq8(3_seq)},
                                                   {store::ClinicIndexPrefix("VC-A") + Seq8(5_seq), ""},
                                                   {store::ClinicIndexPrefix("VC-B") + Seq8(4_seq), ""}};
  CHECK(raw.Entries(store::kByClinicCf) == clinics);
}

TEST_CASE("index entries of one event each, with empty values, read as before") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  {
    auto s = OpenForTest(dir.path(), secret, clock);
    std::vector<store::AppendRequest> requests{Listing("a", 1, "VC-A"), Listing("b", 1, "VC-A")};
    REQUIRE(s->Append(requests).has_value());  // seqs 1 and 2, one entry each
  }
  {
    RawStore raw(dir.path());  // entries as a store of the earlier layout holds them, for seqs 7 and 9
    raw.Put(store::kByResidentCf, store::ResidentIndexKey(Resident(1).pseudonym, 7_seq), "");
    raw.Put(store::kByResidentCf, store::ResidentIndexKey(Resident(1).pseudonym, 9_seq), "");
    raw.Put(store::kByClinicCf, store::ClinicIndexKey("VC-A", 9_seq), "");
  }
  auto s = OpenForTest(dir.path(), secret, clock);
  CHECK(*s->SeqsForResident(Resident(1).pseudonym) == Seqs{1_seq, 2_seq, 7_seq, 9_seq});
  CHECK(*s->SeqsForClinic("VC-A") == Seqs{1_seq, 2_seq, 9_seq});
}

TEST_CASE("a malformed or disordered index entry is corruption") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  {
    auto s = OpenForTest(dir.path(), secret, clock);
    std::vector<store::AppendRequest> requests{Listing("a", 1, "VC-A")};
    REQUIRE(s->Append(requests).has_value());
  }
  {
    RawStore raw(dir.path());
    raw.Put(store::kByResidentCf, store::ResidentIndexKey(Resident(1).pseudonym, 4_seq), "12345");  // not 8-byte seqs
    raw.Put(store::kByClinicCf, store::ClinicIndexKey("VC-A", 4_seq), Seq8(3_seq));  // 4 then 3: not ascending
  }
  auto s = OpenForTest(dir.path(), secret, clock);
  CHECK(s->SeqsForResident(Resident(1).pseudonym).error().code == ErrorCode::kCorruption);
  CHECK(s->SeqsForClinic("VC-A").error().code == ErrorCode::kCorruption);
}

}  // namespace
}  // namespace capledger::testing
