// Checkpoints in the store: chunked values, the completion marker, and what is kept.
#include <doctest/doctest.h>

#include <set>

#include <rocksdb/db.h>

#include "store/keys.h"
#include "store/store_fixture.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

// A state of `bytes` bytes whose every byte depends on its position (a wrong chunk order or a
// lost chunk changes it).
std::string Pattern(std::size_t bytes, unsigned salt) {
  std::string s(bytes, '\0');
  for (std::size_t i = 0; i < bytes; ++i) s[i] = static_cast<char>((i * 2654435761u + salt) >> 7);
  return s;
}

std::unique_ptr<store::EventStore> StoreWithEvents(const std::filesystem::path& dir, const RegionSecret& secret,
                                                   const Clock& clock, int events) {
  auto s = OpenForTest(dir, secret, clock);
  std::vector<store::AppendRequest> requests;
  for (int i = 0; i < events; ++i) requests.push_back(Listing("l" + std::to_string(i), static_cast<std::uint8_t>(i + 1), "VC-A"));
  REQUIRE(s->Append(requests).has_value());
  return s;
}

TEST_CASE("a checkpoint larger than one chunk reads back byte for byte, and only the newest two are kept") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = StoreWithEvents(dir.path(), secret, clock, 3);
  // 16 MiB chunks: 40 MiB + 5 bytes is three chunks, the last one partial.
  const std::string big = Pattern((40u << 20) + 5, 1);
  REQUIRE(s->PutCheckpoint(1_seq, Pattern(10, 2)).has_value());
  REQUIRE(s->PutCheckpoint(2_seq, Pattern(100, 3)).has_value());
  REQUIRE(s->PutCheckpoint(3_seq, big).has_value());
  auto latest = s->LatestCheckpoint();
  REQUIRE(latest.has_value());
  REQUIRE(latest->has_value());
  CHECK((*latest)->seq == 3_seq);
  CHECK((*latest)->state.size() == big.size());
  CHECK((*latest)->state == big);
  s.reset();
  // Reopened: the same, and the checkpoint at seq 1 is gone (newest two kept: 3 and 2).
  s = OpenForTest(dir.path(), secret, clock);
  latest = s->LatestCheckpoint();
  REQUIRE(latest.has_value());
  REQUIRE(latest->has_value());
  CHECK((*latest)->state == big);
  s.reset();
  rocksdb::DB* raw = nullptr;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.path().string(), &names).ok());
  for (const auto& n : names) families.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  REQUIRE(rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir.path().string(), families, &handles, &raw).ok());
  std::set<std::uint64_t> seqs;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] != store::kCheckpointsCf) continue;
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), handles[i]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) seqs.insert(store::ReadBigEndian64(it->key().ToStringView().substr(0, 8)));
  }
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  CHECK(seqs == std::set<std::uint64_t>{2, 3});
}

TEST_CASE("chunks without their completion marker (a checkpoint cut short) are passed over") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = StoreWithEvents(dir.path(), secret, clock, 2);
  const std::string first = Pattern(1000, 4);
  REQUIRE(s->PutCheckpoint(1_seq, first).has_value());
  s.reset();
  {
    // Write a chunk of a checkpoint at seq 2 directly, as a crash before the marker leaves it.
    rocksdb::DB* raw = nullptr;
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.path().string(), &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const auto& n : names) families.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), dir.path().string(), families, &handles, &raw).ok());
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] != store::kCheckpointsCf) continue;
      std::string key = store::SeqKey(2_seq);
      key.append(4, '\0');  // chunk 0
      REQUIRE(raw->Put(rocksdb::WriteOptions(), handles[i], key, "partial").ok());
    }
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
  }
  s = OpenForTest(dir.path(), secret, clock);
  auto latest = s->LatestCheckpoint();
  REQUIRE(latest.has_value());
  REQUIRE(latest->has_value());
  CHECK((*latest)->seq == 1_seq);
  CHECK((*latest)->state == first);
  // A complete checkpoint at seq 2 replaces the partial chunk.
  const std::string second = Pattern(3000, 5);
  REQUIRE(s->PutCheckpoint(2_seq, second).has_value());
  latest = s->LatestCheckpoint();
  REQUIRE(latest.has_value());
  REQUIRE(latest->has_value());
  CHECK((*latest)->seq == 2_seq);
  CHECK((*latest)->state == second);
}

TEST_CASE("a checkpoint written in pieces of any size reads back in chunks of at most 16 MiB; one never committed is not read") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = StoreWithEvents(dir.path(), secret, clock, 3);
  // 33 MiB + 11 bytes in pieces of 3 bytes, 17 MiB, 1 byte and the rest: three chunks of
  // 16 MiB, 16 MiB and 1 MiB + 11 bytes.
  const std::string state = Pattern((33u << 20) + 11, 7);
  {
    auto writer = s->BeginCheckpoint(2_seq);
    REQUIRE(writer.has_value());
    std::size_t at = 0;
    for (const std::size_t n : {std::size_t{3}, std::size_t{17u << 20}, std::size_t{1}, state.size() - 3 - (17u << 20) - 1}) {
      REQUIRE(writer->Add(std::string_view(state).substr(at, n)).has_value());
      at += n;
    }
    REQUIRE(writer->Commit().has_value());
  }
  auto reader = s->OpenLatestCheckpoint();
  REQUIRE(reader.has_value());
  REQUIRE(reader->has_value());
  CHECK((*reader)->seq() == 2_seq);
  CHECK((*reader)->bytes() == state.size());
  std::string read;
  std::vector<std::size_t> sizes;
  for (;;) {
    auto piece = (*reader)->Next();
    REQUIRE(piece.has_value());
    if (piece->empty()) break;
    sizes.push_back(piece->size());
    read.append(*piece);
  }
  CHECK(sizes == std::vector<std::size_t>{16u << 20, 16u << 20, (1u << 20) + 11});
  CHECK(read == state);
  // A writer at seq 3 that writes a whole chunk and is dropped uncommitted: the checkpoint at
  // seq 2 is still the newest, whole.
  {
    auto writer = s->BeginCheckpoint(3_seq);
    REQUIRE(writer.has_value());
    REQUIRE(writer->Add(Pattern((16u << 20) + 5, 8)).has_value());
  }
  auto latest = s->LatestCheckpoint();
  REQUIRE(latest.has_value());
  REQUIRE(latest->has_value());
  CHECK((*latest)->seq == 2_seq);
  CHECK((*latest)->state == state);
}

}  // namespace
}  // namespace capledger::testing
