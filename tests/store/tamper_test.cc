#include <doctest/doctest.h>

#include <fstream>

#include <rocksdb/db.h>

#include "store/keys.h"
#include "store/store_fixture.h"
#include "store/store_surgery.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

std::size_t StoredEventSize(const std::filesystem::path& dir, domain::Seq seq) {
  std::size_t size = 0;
  ChangeStoredEvent(dir, seq, [&](std::string& v) { size = v.size(); });
  return size;
}

store::VerifyReport VerifyStore(const std::filesystem::path& dir, const Clock& clock) {
  store::StoreOptions options;
  options.read_only = true;
  auto s = store::EventStore::Open(dir, nullptr, clock, options);
  REQUIRE(s.has_value());
  auto report = (*s)->Verify();
  REQUIRE(report.has_value());
  return *report;
}

TEST_CASE("changing any single byte of a stored event makes verify fail at that seq") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  {
    auto s = OpenForTest(dir.path(), secret, clock);
    REQUIRE(s->Append(std::vector{Listing("a", 1, "VC-A"), Listing("b", 2, "VC-B"), Listing("c", 3, "VC-C"),
                                  Listing("d", 4, "VC-D")})
                .has_value());
  }
  CHECK_FALSE(VerifyStore(dir.path(), clock).first_bad_seq.has_value());
  const std::size_t size = StoredEventSize(dir.path(), 3_seq);
  REQUIRE(size > 100);
  // Every byte of event 3, one at a time: flip its lowest bit, verify, then restore it.
  for (std::size_t i = 0; i < size; ++i) {
    CAPTURE(i);
    ChangeStoredEvent(dir.path(), 3_seq, [&](std::string& v) { v[i] = static_cast<char>(v[i] ^ 0x01); });
    const store::VerifyReport report = VerifyStore(dir.path(), clock);
    REQUIRE(report.first_bad_seq.has_value());
    CHECK(*report.first_bad_seq == 3_seq);
    ChangeStoredEvent(dir.path(), 3_seq, [&](std::string& v) { v[i] = static_cast<char>(v[i] ^ 0x01); });
  }
  CHECK_FALSE(VerifyStore(dir.path(), clock).first_bad_seq.has_value());
}

TEST_CASE("a truncated stored event makes verify fail at that seq") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  {
    auto s = OpenForTest(dir.path(), secret, clock);
    REQUIRE(s->Append(std::vector{Listing("a", 1, "VC-A"), Listing("b", 2, "VC-B")}).has_value());
  }
  ChangeStoredEvent(dir.path(), 2_seq, [](std::string& v) { v.resize(v.size() / 2); });
  const store::VerifyReport report = VerifyStore(dir.path(), clock);
  REQUIRE(report.first_bad_seq.has_value());
  CHECK(*report.first_bad_seq == 2_seq);
}

TEST_CASE("a damaged table block makes verify fail at the first seq it cannot read, not stop with an error") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  {
    auto s = OpenForTest(dir.path(), secret, clock);
    for (int batch = 0; batch < 20; ++batch) {
      std::vector<store::AppendRequest> requests;
      for (int n = 0; n < 100; ++n) {
        requests.push_back(Listing("e" + std::to_string(batch * 100 + n), static_cast<std::uint8_t>(n + 1), "VC-A"));
      }
      REQUIRE(s->Append(requests).has_value());
    }
  }  // closed: flushed to table files
  // The events family's table is the largest; its data blocks come first, so a byte a quarter
  // of the way in lies in one of them.
  const std::filesystem::path largest = LargestTableFile(dir.path());
  {
    std::fstream file(largest, std::ios::in | std::ios::out | std::ios::binary);
    const auto at = static_cast<std::streamoff>(std::filesystem::file_size(largest) / 4);
    file.seekp(at);
    file.write("\xde\xad\xbe\xef", 4);
  }
  const store::VerifyReport report = VerifyStore(dir.path(), clock);
  REQUIRE(report.first_bad_seq.has_value());
  CHECK(report.problem.find("cannot be read") != std::string::npos);
  // Independently: every seq before it reads back, and that one does not.
  store::StoreOptions options;
  options.read_only = true;
  auto s = store::EventStore::Open(dir.path(), nullptr, clock, options);
  REQUIRE(s.has_value());
  for (domain::Seq seq = 1_seq; seq < *report.first_bad_seq; ++seq) REQUIRE((*s)->Read(seq).has_value());
  auto bad = (*s)->Read(*report.first_bad_seq);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::kCorruption);
  MESSAGE("the damaged block starts at seq " << report.first_bad_seq->value() << " of 2000");
}

}  // namespace
}  // namespace capledger::testing
