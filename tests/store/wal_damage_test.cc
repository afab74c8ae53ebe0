// A damaged write-ahead log never silently loses acknowledged events: the store stays closed,
// says what is lost, and opens again only through an operator's recovery.
//
// A store closed cleanly has flushed its write-ahead log into table files, so each test copies
// the store's directory while it is open, after its appends were acknowledged: the copy is the
// store as a crash at that moment leaves it.
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "store/head_record.h"
#include "store/recover.h"
#include <rocksdb/db.h>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "store/store_fixture.h"
#include "store/store_surgery.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

namespace fs = std::filesystem;

// The store's write-ahead log file that holds the appends: the largest (an open may keep the
// empty one of the open before it).
fs::path WalFile(const fs::path& dir) {
  fs::path largest;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".log" && (largest.empty() || entry.file_size() > fs::file_size(largest))) {
      largest = entry.path();
    }
  }
  REQUIRE_FALSE(largest.empty());
  return largest;
}

// A copy of `from` as a crash now would leave it.
fs::path CrashCopy(const fs::path& from, const fs::path& to) {
  fs::copy(from, to, fs::copy_options::recursive);
  return to;
}

// Appends `batches` batches of 10 listings each, ids "b<batch>-<n>".
void AppendBatches(store::EventStore& s, int first, int batches) {
  for (int b = first; b < first + batches; ++b) {
    std::vector<store::AppendRequest> requests;
    for (int n = 0; n < 10; ++n) {
      requests.push_back(Listing(fmt::format("b{}-{}", b, n), static_cast<std::uint8_t>(n + 1), "VC-A"));
    }
    REQUIRE(s.Append(requests).has_value());
  }
}

void FlipByte(const fs::path& file, std::uintmax_t at) {
  std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
  stream.seekg(static_cast<std::streamoff>(at));
  char byte = 0;
  stream.read(&byte, 1);
  stream.seekp(static_cast<std::streamoff>(at));
  byte = static_cast<char>(byte ^ 0x5a);
  stream.write(&byte, 1);
}

Result<std::unique_ptr<store::EventStore>> OpenReadOnly(const fs::path& dir, const Clock& clock) {
  store::StoreOptions options;
  options.read_only = true;
  return store::EventStore::Open(dir, nullptr, clock, options);
}

struct Fixture {
  TempDir temp;
  FakeClock clock{FromMicros(kTestNowUs)};
  RegionSecret secret = TestSecret();
  fs::path live = temp.path() / "live";
  std::unique_ptr<store::EventStore> store = OpenForTest(live, secret, clock);
};

TEST_CASE("a flipped byte in the write-ahead log keeps the store closed and names the last acknowledged seq") {
  Fixture f;
  AppendBatches(*f.store, 0, 20);  // seqs 1..200, acknowledged
  const auto dir = CrashCopy(f.live, f.temp.path() / "crashed");
  const fs::path wal = WalFile(dir);
  FlipByte(wal, fs::file_size(wal) / 3);  // in an early batch: point-in-time recovery would keep a third
  for (bool read_only : {true, false}) {
    auto opened = read_only ? OpenReadOnly(dir, f.clock) : store::EventStore::Open(dir, &f.secret, f.clock);
    REQUIRE_FALSE(opened.has_value());
    CHECK(opened.error().code == ErrorCode::kLogDamaged);
    CHECK(opened.error().message.find("the last acknowledged event is seq 200") != std::string::npos);
  }
  CHECK(fs::file_size(wal) > 0);  // nothing was changed: the damaged log is still there to recover from
}

TEST_CASE("a write-ahead log cut short is caught by the head record, though what is left looks whole") {
  Fixture f;
  AppendBatches(*f.store, 0, 20);
  const auto dir = CrashCopy(f.live, f.temp.path() / "crashed");
  const fs::path wal = WalFile(dir);
  fs::resize_file(wal, fs::file_size(wal) / 2);
  auto opened = OpenReadOnly(dir, f.clock);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().code == ErrorCode::kLogDamaged);
  CHECK(opened.error().message.find("were acknowledged but are missing") != std::string::npos);
  CHECK(opened.error().message.find("..200 ") != std::string::npos);
}

TEST_CASE("a record torn at the end of the log by a crash, never acknowledged, is dropped and the store opens") {
  // Batches 0..9 acknowledged; batch 10 was being written when the process died: half its record
  // reached the file and the head record never heard of it.
  Fixture f;
  AppendBatches(*f.store, 0, 10);
  const auto acknowledged = CrashCopy(f.live, f.temp.path() / "acknowledged");
  AppendBatches(*f.store, 10, 1);
  const auto torn = CrashCopy(f.live, f.temp.path() / "torn");
  const std::uintmax_t before = fs::file_size(WalFile(acknowledged));
  const std::uintmax_t after = fs::file_size(WalFile(torn));
  fs::resize_file(WalFile(torn), before + (after - before) / 2);
  fs::copy_file(acknowledged / std::string(store::kHeadRecordFile), torn / std::string(store::kHeadRecordFile),
                fs::copy_options::overwrite_existing);
  auto opened = store::EventStore::Open(torn, &f.secret, f.clock);
  REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().message));
  CHECK((*opened)->head().seq == 100_seq);
  auto verified = (*opened)->Verify();
  REQUIRE(verified.has_value());
  CHECK_FALSE(verified->first_bad_seq.has_value());
}

TEST_CASE("a store whose head record went missing stays closed") {
  Fixture f;
  AppendBatches(*f.store, 0, 2);
  f.store.reset();
  fs::remove(f.live / std::string(store::kHeadRecordFile));
  auto opened = OpenReadOnly(f.live, f.clock);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().code == ErrorCode::kLogDamaged);
}

TEST_CASE("recovery opens the log at its first damage, keeps the damaged files and records what was lost") {
  Fixture f;
  AppendBatches(*f.store, 0, 5);
  REQUIRE(f.store->PutFeedCursor(50_seq).has_value());  // finance has every entry through seq 50
  AppendBatches(*f.store, 5, 15);
  const auto dir = CrashCopy(f.live, f.temp.path() / "crashed");
  const fs::path wal = WalFile(dir);
  const std::uintmax_t wal_bytes = fs::file_size(wal);
  FlipByte(wal, wal_bytes / 2);
  auto damaged = OpenReadOnly(dir, f.clock);
  REQUIRE_FALSE(damaged.has_value());
  f.clock.Advance(std::chrono::hours(1));
  auto report = store::RecoverStore(dir, damaged.error().message, f.clock);
  REQUIRE_MESSAGE(report.has_value(), (report ? "" : report.error().message));
  REQUIRE(report->acknowledged.has_value());
  CHECK(report->acknowledged->seq == 200_seq);
  // Whole batches survive: the damage is in one of them, and it and every later one are lost.
  CHECK(report->recovered.seq.value() % 10 == 0);
  CHECK(report->recovered.seq > 50_seq);
  CHECK(report->recovered.seq < 200_seq);
  CHECK(report->lost_events() == 200 - report->recovered.seq.value());
  CHECK(report->feed_cursor_before == 50_seq);  // written before the damage: kept
  CHECK(report->feed_cursor_after == 50_seq);
  CHECK(fs::file_size(report->kept / wal.filename()) == wal_bytes);  // the damaged log, as it was
  // Table files are kept too, as hard links (a later compaction may remove them from the store).
  std::size_t kept_tables = 0;
  for (const auto& entry : fs::directory_iterator(report->kept)) kept_tables += entry.path().extension() == ".sst";
  CHECK(kept_tables > 0);
  // The record: a line when the recovery started, and its report when it was done.
  std::ifstream log(dir / std::string(store::kRecoveryLogFile));
  std::string started, done;
  REQUIRE(std::getline(log, started));
  REQUIRE(std::getline(log, done));
  CHECK(started.find(R"("recovery_started_at": ")") == 1);
  CHECK(started.find(R"("acknowledged_seq": 200)") != std::string::npos);
  CHECK(done.find(fmt::format(R"("acknowledged_seq": 200, "recovered_seq": {})", report->recovered.seq)) !=
        std::string::npos);
  CHECK(done.find(R"("substituted": false)") != std::string::npos);
  // The store opens, verifies, and appends from the recovered head.
  auto reopened = OpenForTest(dir, f.secret, f.clock);
  CHECK(reopened->head().seq == report->recovered.seq);
  CHECK(*reopened->FeedCursor() == 50_seq);
  auto verified = reopened->Verify();
  REQUIRE(verified.has_value());
  CHECK_FALSE(verified->first_bad_seq.has_value());
  AppendBatches(*reopened, 0, 20);  // the input again: what survived is duplicate, the rest stored
  CHECK(reopened->head().seq == 200_seq);
}

TEST_CASE("a store made before the head record starts one at its first writable open") {
  Fixture f;
  AppendBatches(*f.store, 0, 2);
  f.store.reset();
  // An earlier version's store: no record file and no meta flag.
  fs::remove(f.live / std::string(store::kHeadRecordFile));
  DeleteMetaKey(f.live, "head_record");
  auto read = OpenReadOnly(f.live, f.clock);
  REQUIRE(read.has_value());  // read as it is
  read->reset();
  auto written = OpenForTest(f.live, f.secret, f.clock);
  auto record = store::ReadHeadRecord(f.live);
  REQUIRE(record.has_value());
  REQUIRE(record->has_value());
  CHECK((*record)->seq == 20_seq);
  CHECK((*record)->hash == written->head().hash);
}

TEST_CASE("read-only opens beside a writer that flushes all the time never take it for a loss") {
  // Small memtables make the writer flush every few batches; a read-only open that lists the
  // write-ahead logs after a flush moved their events could see a log ending before the head
  // record. Such opens are tried again, so every one of them opens.
  TempDir temp;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  store::StoreOptions small;
  small.write_buffer_bytes = 64 * 1024;
  auto writer = store::EventStore::Open(temp.path(), &secret, clock, small);
  REQUIRE(writer.has_value());
  std::atomic<bool> done{false};
  std::thread writing([&] {
    for (int b = 0; b < 400 && !done; ++b) AppendBatches(**writer, b, 1);
    done = true;
  });
  int opened = 0;
  std::vector<std::string> failures;
  while (!done) {
    auto reader = OpenReadOnly(temp.path(), clock);
    if (reader) {
      ++opened;
    } else {
      failures.push_back(reader.error().message);
    }
  }
  writing.join();
  MESSAGE("read-only opens beside the writer: " << opened);
  CHECK(opened > 0);
  CHECK_MESSAGE(failures.empty(), (failures.empty() ? "" : failures.front()));
}

}  // namespace
}  // namespace capledger::testing
