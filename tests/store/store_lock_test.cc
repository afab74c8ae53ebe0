// One writer per store, enforced by capledger's own lock, and stores created whole however many
// processes try at once.
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include <rocksdb/db.h>

#include "store/store_fixture.h"
#include "store/store_surgery.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

using Kind = store::AppendOutcome::Kind;

TEST_CASE("a second writer is refused while the first holds the store, even with RocksDB's LOCK file removed") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto first = OpenForTest(dir.path(), secret, clock);
  REQUIRE(first->Append(std::vector{Listing("a", 1, "VC-A")}).has_value());
  // What a careless operator did: RocksDB's own lock is a file, and it can be removed.
  REQUIRE(std::filesystem::remove(dir.path() / "LOCK"));
  auto second = store::EventStore::Open(dir.path(), &secret, clock);
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error().code == ErrorCode::kRefused);
  // The holder is named: this very process.
  CHECK(second.error().message.find("in use by process " + std::to_string(::getpid())) != std::string::npos);
  CHECK(second.error().message.find("Resource temporarily unavailable") == std::string::npos);
  // The first writer goes on, and what it wrote is there once.
  auto more = first->Append(std::vector{Listing("b", 2, "VC-A")});
  REQUIRE(more.has_value());
  CHECK(more->front().seq == 2_seq);
  first.reset();
  auto reopened = OpenForTest(dir.path(), secret, clock);  // the lock went with the first store
  CHECK(reopened->head().seq == 2_seq);
  auto report = reopened->Verify();
  REQUIRE(report.has_value());
  CHECK_FALSE(report->first_bad_seq.has_value());
}

TEST_CASE("readers open beside a writer: only writers take the lock") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto writer = OpenForTest(dir.path(), secret, clock);
  REQUIRE(writer->Append(std::vector{Listing("a", 1, "VC-A")}).has_value());
  store::StoreOptions read_only;
  read_only.read_only = true;
  auto reader = store::EventStore::Open(dir.path(), nullptr, clock, read_only);
  REQUIRE(reader.has_value());
  CHECK((*reader)->head().seq == 1_seq);
}

TEST_CASE("eight writers opening a new store at once: one store, each writer in turn, nothing lost") {
  // Each thread opens the same new directory for writing until it gets it, appends its own event
  // and closes. Creating and locking are per open file, so threads contend as processes would.
  TempDir parent;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  const auto dir = parent.path() / "store";
  constexpr int kWriters = 8;
  std::atomic<int> refusals{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int attempt = 0; attempt < 10'000; ++attempt) {
        auto s = store::EventStore::Open(dir, &secret, clock);
        if (!s) {
          (s.error().code == ErrorCode::kRefused ? refusals : failures)++;
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
          continue;
        }
        auto appended = (*s)->Append(std::vector{Listing("w" + std::to_string(w), static_cast<std::uint8_t>(w + 1), "VC-A")});
        if (!appended || appended->front().kind != Kind::kStored) failures++;
        return;
      }
      failures++;
    });
  }
  for (auto& writer : writers) writer.join();
  CHECK(failures == 0);
  MESSAGE("refused while another writer held the store: " << refusals.load());
  auto s = OpenForTest(dir, secret, clock);
  CHECK(s->head().seq == domain::Seq(kWriters));
  auto report = s->Verify();
  REQUIRE(report.has_value());
  CHECK_FALSE(report->first_bad_seq.has_value());
  for (const auto& entry : std::filesystem::directory_iterator(parent.path())) {
    CHECK(entry.path().filename() == "store");  // no leftover of a creation
  }
}

TEST_CASE("what an unfinished creation left beside the store is removed by the next creation") {
  TempDir parent;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  const auto dir = parent.path() / "store";
  std::filesystem::create_directories(dir.string() + ".creating-12345");
  std::ofstream(dir.string() + ".creating-12345/CURRENT") << "MANIFEST-000009\n";
  auto s = OpenForTest(dir, secret, clock);
  CHECK(s->head().seq == 0_seq);
  CHECK_FALSE(std::filesystem::exists(dir.string() + ".creating-12345"));
}

TEST_CASE("a store with events but no secret fingerprint is refused rather than adopting the next secret") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret('a');
  {
    auto s = OpenForTest(dir.path(), secret, clock);
    REQUIRE(s->Append(std::vector{Listing("a", 1, "VC-A")}).has_value());
  }
  DeleteMetaKey(dir.path(), "secret_fingerprint");
  auto other = TestSecret('b');
  auto refused = store::EventStore::Open(dir.path(), &other, clock);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kCorruption);
  CHECK(refused.error().message.find("no fingerprint") != std::string::npos);
  // Reading the log needs no secret, and still works.
  store::StoreOptions read_only;
  read_only.read_only = true;
  auto reader = store::EventStore::Open(dir.path(), nullptr, clock, read_only);
  REQUIRE(reader.has_value());
  CHECK((*reader)->head().seq == 1_seq);
}

}  // namespace
}  // namespace capledger::testing
