#include <doctest/doctest.h>

#include <fstream>

#include <rocksdb/db.h>

#include "store/backup.h"
#include "store/head_record.h"
#include "store/store_fixture.h"
#include "store/store_surgery.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

namespace fs = std::filesystem;

// Appends `batches` batches of `per_batch` listings each, ids `prefix` + a number; returns how many
// events that stored, as the test counts them (every id is new, so every request is stored).
std::uint64_t AppendListings(store::EventStore& s, int batches, int per_batch, const std::string& prefix = "e") {
  std::uint64_t appended = 0;
  for (int batch = 0; batch < batches; ++batch) {
    std::vector<store::AppendRequest> requests;
    for (int n = 0; n < per_batch; ++n) {
      requests.push_back(Listing(prefix + std::to_string(batch * per_batch + n), static_cast<std::uint8_t>(n % 200 + 1),
                                 n % 2 ? "VC-A" : "VC-B"));
    }
    REQUIRE(s.Append(requests).has_value());
    appended += requests.size();
  }
  return appended;
}

// A restore's check that accepts every copy that verifies.
Status AnyCopy(const store::VerifiedCopy& /*copy*/) { return {}; }

std::unique_ptr<store::EventStore> OpenReadOnly(const fs::path& dir, const Clock& clock) {
  store::StoreOptions options;
  options.read_only = true;
  auto opened = store::EventStore::Open(dir, nullptr, clock, options);
  REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().message));
  return std::move(*opened);
}

// A closed store of `batches` x 100 events in `dir` (closing flushes it to table files), backed
// up into `backup`. Returns the number of events appended.
std::uint64_t StoreBackedUp(const fs::path& dir, const fs::path& backup, const Clock& clock, int batches) {
  auto secret = TestSecret();
  std::uint64_t appended = 0;
  {
    auto writer = OpenForTest(dir, secret, clock);
    appended = AppendListings(*writer, batches, 100);
  }
  auto source = OpenReadOnly(dir, clock);
  auto copied = store::BackupStore(*source, backup, clock);
  REQUIRE_MESSAGE(copied.has_value(), (copied ? "" : copied.error().message));
  return appended;
}

TEST_CASE("a backup taken beside an open writer holds every event, ends at the writer's head and verifies") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto writer = OpenForTest(dir.path() / "data", secret, clock);
  // 3 batches of 7, 5 and 13 events: 25.
  const std::uint64_t appended = AppendListings(*writer, 1, 7, "a") + AppendListings(*writer, 1, 5, "b") +
                                 AppendListings(*writer, 1, 13, "c");
  REQUIRE(appended == 25);
  auto source = OpenReadOnly(dir.path() / "data", clock);  // as `capledger backup` opens it beside `serve`
  auto copied = store::BackupStore(*source, dir.path() / "backup", clock);
  REQUIRE_MESSAGE(copied.has_value(), (copied ? "" : copied.error().message));
  CHECK(copied->head.seq == domain::Seq(appended));
  CHECK(copied->head.hash == writer->head().hash);
  CHECK(copied->events_checked == appended);
  CHECK_FALSE(copied->log_offset.has_value());
  // The copy on its own: every event reads back with the writer's hash, and it verifies again.
  auto copy = OpenReadOnly(dir.path() / "backup", clock);
  for (domain::Seq seq = 1_seq; seq <= domain::Seq(appended); ++seq) {
    auto theirs = copy->Read(seq);
    auto ours = writer->Read(seq);
    REQUIRE(theirs.has_value());
    REQUIRE(ours.has_value());
    CHECK(theirs->hash == ours->hash);
  }
  auto again = store::VerifyStoreCopy(dir.path() / "backup", clock);
  REQUIRE(again.has_value());
  CHECK(again->events_checked == appended);
  // Its head record is at its head, and nothing of the checkpoint's own folder is left.
  auto recorded = store::ReadHeadRecord(dir.path() / "backup");
  REQUIRE(recorded.has_value());
  REQUIRE(recorded->has_value());
  CHECK((*recorded)->seq == domain::Seq(appended));
  CHECK_FALSE(fs::exists(dir.path() / "backup.checkpoint"));
}

TEST_CASE("a backup from an open that a writer's flush overtook is thrown away, and succeeds opened again") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto writer = OpenForTest(dir.path() / "data", secret, clock);
  const std::uint64_t appended = AppendListings(*writer, 2, 10);
  auto stale = OpenReadOnly(dir.path() / "data", clock);
  writer.reset();  // closing flushes the memtables to table files: the manifest moves on
  auto copied = store::BackupStore(*stale, dir.path() / "backup", clock);
  REQUIRE_FALSE(copied.has_value());
  CHECK(copied.error().code == ErrorCode::kUnavailable);
  CHECK_FALSE(fs::exists(dir.path() / "backup"));
  CHECK_FALSE(fs::exists(dir.path() / "backup.checkpoint"));
  auto fresh = OpenReadOnly(dir.path() / "data", clock);
  auto again = store::BackupStore(*fresh, dir.path() / "backup", clock);
  REQUIRE_MESSAGE(again.has_value(), (again ? "" : again.error().message));
  CHECK(again->events_checked == appended);
}

TEST_CASE("a backup records the store's log offset when the store holds one") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  {
    auto writer = OpenForTest(dir.path() / "data", secret, clock);
    std::string offset;
    store::PutBigEndian64(offset, 4242);
    const store::MetaPut put{std::string(store::kMetaLogOffset), offset};
    const std::vector<store::AppendRequest> requests{Listing("a", 1, "VC-A")};
    const std::vector<store::PreparedBody> prepared{store::PrepareBody(requests[0].event)};
    REQUIRE(writer->AppendPrepared(requests, prepared, {}, {&put, 1}).has_value());
  }
  auto source = OpenReadOnly(dir.path() / "data", clock);
  auto copied = store::BackupStore(*source, dir.path() / "backup", clock);
  REQUIRE(copied.has_value());
  CHECK(copied->log_offset == std::optional<std::uint64_t>(4242));
}

TEST_CASE("a backup into a directory that exists is refused and leaves it as it was") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  { AppendListings(*OpenForTest(dir.path() / "data", secret, clock), 1, 3); }
  fs::create_directory(dir.path() / "backup");
  std::ofstream(dir.path() / "backup" / "keep.txt") << "mine";
  auto source = OpenReadOnly(dir.path() / "data", clock);
  auto copied = store::BackupStore(*source, dir.path() / "backup", clock);
  REQUIRE_FALSE(copied.has_value());
  CHECK(copied.error().code == ErrorCode::kRefused);
  CHECK(fs::exists(dir.path() / "backup" / "keep.txt"));
  CHECK(std::distance(fs::directory_iterator(dir.path() / "backup"), fs::directory_iterator()) == 1);
}

TEST_CASE("a backup whose event at seq 5 was changed does not verify, names seq 5, and is not restored") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  const fs::path backup = dir.path() / "backup";
  StoreBackedUp(dir.path() / "data", backup, clock, 1);
  // One byte in the middle of the stored envelope of seq 5 (of 100).
  ChangeStoredEvent(backup, 5_seq, [](std::string& v) { v[v.size() / 2] = static_cast<char>(v[v.size() / 2] ^ 0x01); });
  auto verified = store::VerifyStoreCopy(backup, clock);
  REQUIRE_FALSE(verified.has_value());
  CHECK(verified.error().code == ErrorCode::kCorruption);
  CHECK(verified.error().message.find("FAILED at seq 5:") != std::string::npos);
  auto restored = store::RestoreStore(backup, AnyCopy, dir.path() / "restored", clock);
  REQUIRE_FALSE(restored.has_value());
  CHECK(restored.error().message.find("FAILED at seq 5:") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "restored"));
}

// Damage to a table file of a backup, made by `damage`, is refused by restore with RocksDB's own
// reason; nothing is restored.
void CheckTableDamageRefused(const std::function<void(const fs::path& table)>& damage, std::string_view expected) {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  const fs::path backup = dir.path() / "backup";
  StoreBackedUp(dir.path() / "data", backup, clock, 20);
  damage(LargestTableFile(backup));
  auto restored = store::RestoreStore(backup, AnyCopy, dir.path() / "restored", clock);
  REQUIRE_FALSE(restored.has_value());
  CHECK(restored.error().code == ErrorCode::kCorruption);
  MESSAGE(restored.error().message);
  CHECK(restored.error().message.find(expected) != std::string::npos);
  CHECK_FALSE(fs::exists(dir.path() / "restored"));
  // The source store was not touched by damage to its backup.
  auto source = store::VerifyStoreCopy(dir.path() / "data", clock);
  CHECK(source.has_value());
}

TEST_CASE("a backup with a damaged, truncated or missing table file is refused with RocksDB's reason") {
  SUBCASE("bytes changed in a data block: RocksDB's checksum") {
    CheckTableDamageRefused(
        [](const fs::path& table) {
          std::fstream file(table, std::ios::in | std::ios::out | std::ios::binary);
          file.seekp(static_cast<std::streamoff>(fs::file_size(table) / 4));
          file.write("\xde\xad\xbe\xef", 4);
        },
        "checksum");
  }
  SUBCASE("truncated to half") {
    CheckTableDamageRefused([](const fs::path& table) { fs::resize_file(table, fs::file_size(table) / 2); },
                            "does not open");
  }
  SUBCASE("removed") {
    CheckTableDamageRefused([](const fs::path& table) { fs::remove(table); }, "does not open");
  }
}

TEST_CASE("a restore copies a verified backup into an empty data directory and refuses one that holds a store") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  const fs::path backup = dir.path() / "backup";
  const std::uint64_t appended = StoreBackedUp(dir.path() / "data", backup, clock, 3);
  // A copy its restorer does not accept (another head than its manifest names) is not restored.
  const auto refuse = [](const store::VerifiedCopy&) -> Status { return Fail(ErrorCode::kCorruption, "not this one"); };
  auto refused = store::RestoreStore(backup, refuse, dir.path() / "restored", clock);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message == "not this one");
  CHECK_FALSE(fs::exists(dir.path() / "restored"));
  // A restore that died earlier left this beside the target; it is removed.
  fs::create_directories(dir.path() / "restored.restoring-1" / "junk");
  auto restored = store::RestoreStore(backup, AnyCopy, dir.path() / "restored", clock);
  REQUIRE_MESSAGE(restored.has_value(), (restored ? "" : restored.error().message));
  CHECK(restored->head.seq == domain::Seq(appended));
  CHECK(restored->events_checked == appended);
  CHECK_FALSE(fs::exists(dir.path() / "restored.restoring-1"));
  // The restored store opens for writing and goes on from the backup's head.
  {
    auto secret = TestSecret();
    auto s = OpenForTest(dir.path() / "restored", secret, clock);
    CHECK(s->head().hash == restored->head.hash);
    AppendListings(*s, 1, 1, "after");
    CHECK(s->head().seq == domain::Seq(appended + 1));
  }
  auto again = store::RestoreStore(backup, AnyCopy, dir.path() / "restored", clock);
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == ErrorCode::kRefused);
  CHECK(again.error().message.find("holds a store") != std::string::npos);
  fs::create_directory(dir.path() / "other");
  std::ofstream(dir.path() / "other" / "notes.txt") << "x";
  auto into_other = store::RestoreStore(backup, AnyCopy, dir.path() / "other", clock);
  REQUIRE_FALSE(into_other.has_value());
  CHECK(into_other.error().code == ErrorCode::kRefused);
}

}  // namespace
}  // namespace capledger::testing
