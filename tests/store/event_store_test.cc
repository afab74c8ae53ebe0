#include <doctest/doctest.h>

#include <fstream>

#include <fmt/format.h>
#include <rocksdb/db.h>

#include "codec/flatbuffer_codec.h"
#include "codec/rulebook_codec.h"
#include "store/hash_chain.h"
#include "store/store_fixture.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

using store::AppendOutcome;
using Kind = store::AppendOutcome::Kind;

std::vector<AppendOutcome> AppendAll(store::EventStore& s, std::vector<store::AppendRequest> requests) {
  auto outcomes = s.Append(requests);
  REQUIRE(outcomes.has_value());
  return *outcomes;
}

TEST_CASE("appending assigns gapless seqs from 1 and chains each hash to the previous one") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  auto outcomes = AppendAll(*s, {Listing("a", 1, "VC-A"), Listing("b", 2, "VC-A"), Listing("c", 3, "VC-B")});
  REQUIRE(outcomes.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(outcomes[i].kind == Kind::kStored);
    CHECK(outcomes[i].seq == domain::Seq(i + 1));
  }
  CHECK(s->head().seq == 3_seq);
  crypto::Digest previous{};  // seq 1 chains to 32 zero bytes
  for (domain::Seq seq = 1_seq; seq <= 3_seq; ++seq) {
    auto record = s->Read(seq);
    REQUIRE(record.has_value());
    CHECK(record->prev_hash == previous);
    // Recompute the hash independently of the store's own code path for the envelope.
    const std::string body = codec::EncodeBody(record->stored.event.body);
    const std::string canonical = store::CanonicalEventBytes(
        seq, kTestNowUs, static_cast<std::uint8_t>(domain::TypeOf(record->stored.event.body)),
        record->stored.event.id, record->stored.event.source, body);
    CHECK(store::ChainHash(previous, canonical) == record->hash);
    CHECK(record->stored.recorded_at == FromMicros(kTestNowUs));
    previous = record->hash;
  }
  CHECK(s->head().hash == previous);
}

TEST_CASE("the same id with the same payload is a duplicate and stores nothing new") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  AppendAll(*s, {Listing("a", 1, "VC-A")});
  const auto head = s->head();
  clock.Advance(std::chrono::seconds(5));
  auto again = Listing("a", 1, "VC-A");
  again.recorded_at = FromMicros(kTestNowUs + 1);  // recorded_at aside, the payload is the same
  auto outcomes = AppendAll(*s, {again});
  CHECK(outcomes[0].kind == Kind::kDuplicate);
  CHECK(outcomes[0].seq == 1_seq);
  CHECK(s->head().seq == head.seq);
  CHECK(s->head().hash == head.hash);
  CHECK(s->reject_count() == 0);
}

TEST_CASE("the same id with another payload is rejected as idempotency_conflict and kept as a reject") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  AppendAll(*s, {Listing("a", 1, "VC-A")});
  auto outcomes = AppendAll(*s, {Listing("a", 1, "VC-B")});
  CHECK(outcomes[0].kind == Kind::kRejected);
  REQUIRE(outcomes[0].rejection.has_value());
  CHECK(outcomes[0].rejection->code == codec::RejectCode::kIdempotencyConflict);
  CHECK(outcomes[0].rejection->field == "id");
  CHECK(s->head().seq == 1_seq);
  CHECK(s->reject_count() == 1);
  std::vector<std::string> rejects;
  REQUIRE(s->ScanRejects([&](const std::string& json) { rejects.push_back(json); }).has_value());
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].find("\"code\":\"idempotency_conflict\"") != std::string::npos);
  CHECK(rejects[0].find("\"raw\":\"{raw}\"") != std::string::npos);
}

TEST_CASE("a duplicate within one batch is recognised against the earlier line of the batch") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  auto outcomes = AppendAll(*s, {Listing("a", 1, "VC-A"), Listing("a", 1, "VC-A"), Listing("a", 1, "VC-B")});
  CHECK(outcomes[0].kind == Kind::kStored);
  CHECK(outcomes[1].kind == Kind::kDuplicate);
  CHECK(outcomes[1].seq == 1_seq);
  CHECK(outcomes[2].kind == Kind::kRejected);
  CHECK(s->head().seq == 1_seq);
}

TEST_CASE("recorded_at may equal the head but not precede it nor pass the clock") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  auto first = Listing("a", 1, "VC-A");
  first.recorded_at = FromMicros(kTestNowUs - 1000);
  auto same = Listing("b", 2, "VC-A");
  same.recorded_at = FromMicros(kTestNowUs - 1000);
  auto earlier = Listing("c", 3, "VC-A");
  earlier.recorded_at = FromMicros(kTestNowUs - 1001);
  auto future = Listing("d", 4, "VC-A");
  future.recorded_at = FromMicros(kTestNowUs + 1);
  auto outcomes = AppendAll(*s, {first, same, earlier, future});
  CHECK(outcomes[0].kind == Kind::kStored);
  CHECK(outcomes[1].kind == Kind::kStored);
  REQUIRE(outcomes[2].kind == Kind::kRejected);
  CHECK(outcomes[2].rejection->code == codec::RejectCode::kRecordedAtBeforeHead);
  REQUIRE(outcomes[3].kind == Kind::kRejected);
  CHECK(outcomes[3].rejection->code == codec::RejectCode::kRecordedAtInFuture);
  CHECK(s->Read(2_seq)->stored.recorded_at == FromMicros(kTestNowUs - 1000));
}

TEST_CASE("a clock that steps back never makes recorded_at decrease") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  AppendAll(*s, {Listing("a", 1, "VC-A")});
  clock.Set(FromMicros(kTestNowUs - 60'000'000));
  AppendAll(*s, {Listing("b", 2, "VC-A")});
  CHECK(s->Read(2_seq)->stored.recorded_at == FromMicros(kTestNowUs));
}

TEST_CASE("retractions need a known target that is neither a retraction nor a ledger event") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  store::AppendRequest entry;
  entry.event.id = "E-2024-04-000001";
  const domain::Month april{std::chrono::year(2024), std::chrono::April};
  entry.event.body = domain::LedgerEntry{.entry_id = "E-2024-04-000001",
                                         .run = april,
                                         .clinic = "VC-A",
                                         .period = april,
                                         .component = domain::Component::kCapitation,
                                         .kind = domain::EntryKind::kRegular,
                                         .amount = domain::Money::FromOre(100),
                                         .known_at_seq = 1_seq,
                                         .rulebook = "KoK-2024",
                                         .adjusts = {},
                                         .debit = "expense:halsoval:capitation",
                                         .credit = "payable:VC-A"};
  auto outcomes = AppendAll(*s, {Listing("a", 1, "VC-A"), Retraction("r1", "a"), Retraction("r2", "r1"),
                                 Retraction("r3", "nope"), entry, Retraction("r4", "E-2024-04-000001")});
  CHECK(outcomes[0].kind == Kind::kStored);
  CHECK(outcomes[1].kind == Kind::kStored);  // the target was stored earlier in the same batch
  CHECK(outcomes[2].rejection->code == codec::RejectCode::kRetractionOfRetraction);
  CHECK(outcomes[3].rejection->code == codec::RejectCode::kUnknownRetractionTarget);
  CHECK(outcomes[4].kind == Kind::kStored);
  CHECK(outcomes[5].rejection->code == codec::RejectCode::kRetractionOfLedgerEvent);
  // The retraction (seq 2) is indexed under the retracted listing's resident and clinic.
  CHECK(*s->SeqsForResident(Resident(1).pseudonym) == std::vector<domain::Seq>{1_seq, 2_seq});
  CHECK(*s->SeqsForClinic("VC-A") == std::vector<domain::Seq>{1_seq, 2_seq, 3_seq});
}

TEST_CASE("a retraction in a later batch is indexed under the target read back from the store") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  AppendAll(*s, {Listing("a", 7, "VC-Q"), Listing("b", 8, "VC-R")});
  AppendAll(*s, {Retraction("r", "b")});
  CHECK(*s->SeqsForResident(Resident(8).pseudonym) == std::vector<domain::Seq>{2_seq, 3_seq});
  CHECK(*s->SeqsForClinic("VC-R") == std::vector<domain::Seq>{2_seq, 3_seq});
  CHECK(*s->SeqsForClinic("VC-Q") == std::vector<domain::Seq>{1_seq});
  CHECK(s->SeqsForClinic("VC")->empty());  // a clinic id that is a prefix of another matches nothing
}

TEST_CASE("the store reopens where it was and continues the chain") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  store::Head head;
  {
    auto s = OpenForTest(dir.path(), secret, clock);
    AppendAll(*s, {Listing("a", 1, "VC-A"), Listing("b", 2, "VC-A")});
    head = s->head();
  }
  auto s = OpenForTest(dir.path(), secret, clock);
  CHECK(s->head().seq == head.seq);
  CHECK(s->head().hash == head.hash);
  auto outcomes = AppendAll(*s, {Listing("c", 3, "VC-A"), Listing("a", 1, "VC-A")});
  CHECK(outcomes[0].seq == 3_seq);
  CHECK(outcomes[1].kind == Kind::kDuplicate);
  CHECK(s->Read(3_seq)->prev_hash == head.hash);
  auto report = s->Verify();
  REQUIRE(report.has_value());
  CHECK_FALSE(report->first_bad_seq.has_value());
  CHECK(report->events_checked == 3);
}

// The bytes of write-ahead log a later open would have to replay.
std::uintmax_t WalBytes(const std::filesystem::path& dir) {
  std::uintmax_t bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".log") bytes += entry.file_size();
  }
  return bytes;
}

TEST_CASE("closing a store opened for writing leaves no log to replay, and a read-only open sees it all") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  {
    auto s = OpenForTest(dir.path(), secret, clock);
    AppendAll(*s, {Listing("a", 1, "VC-A"), Listing("b", 2, "VC-B")});
    CHECK(WalBytes(dir.path()) > 0);  // the synced batch is in the WAL while the store is open
  }
  CHECK(WalBytes(dir.path()) == 0);
  store::StoreOptions options;
  options.read_only = true;
  auto s = store::EventStore::Open(dir.path(), nullptr, clock, options);
  REQUIRE(s.has_value());
  CHECK((*s)->head().seq == 2_seq);
  CHECK((*s)->Read(2_seq)->stored.event.id == "b");
  CHECK(*(*s)->SeqsForClinic("VC-B") == std::vector<domain::Seq>{2_seq});
  CHECK((*s)->LookupId("a")->value().seq == 1_seq);
}

TEST_CASE("a store is created whole: what a crash left half-made is replaced, a foreign directory refused") {
  TempDir parent;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  const auto dir = parent.path() / "store";
  // A crash while creating left this (as a run killed inside RocksDB's creation would).
  std::filesystem::create_directories(dir.string() + ".creating");
  std::ofstream(dir.string() + ".creating/MANIFEST-000001") << "half";
  {
    auto s = OpenForTest(dir, secret, clock);
    AppendAll(*s, {Listing("a", 1, "VC-A")});
  }
  CHECK_FALSE(std::filesystem::exists(dir.string() + ".creating"));
  store::StoreOptions read_only;
  read_only.read_only = true;
  auto reopened = store::EventStore::Open(dir, nullptr, clock, read_only);
  REQUIRE(reopened.has_value());
  CHECK((*reopened)->head().seq == 1_seq);

  const auto foreign = parent.path() / "foreign";
  std::filesystem::create_directories(foreign);
  std::ofstream(foreign / "notes.txt") << "not a store";
  auto refused = store::EventStore::Open(foreign, &secret, clock);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kIoError);
  CHECK(std::filesystem::exists(foreign / "notes.txt"));
  CHECK_FALSE(std::filesystem::exists(parent.path() / "foreign.creating"));
}

TEST_CASE("a store refuses a different region secret") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret('a');
  {
    auto s = OpenForTest(dir.path(), secret, clock);
    AppendAll(*s, {Listing("a", 1, "VC-A")});
  }
  auto other = TestSecret('b');
  auto reopened = store::EventStore::Open(dir.path(), &other, clock);
  REQUIRE_FALSE(reopened.has_value());
  CHECK(reopened.error().code == ErrorCode::kSecretMismatch);
}

TEST_CASE("scan visits events in seq order from a given seq, up to a limit") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  AppendAll(*s, {Listing("a", 1, "VC-A"), Listing("b", 2, "VC-A"), Listing("c", 3, "VC-A"), Listing("d", 4, "VC-A")});
  std::vector<std::string> ids;
  REQUIRE(s->Scan(2_seq, 2, [&](const store::StoredRecord& r) {
               ids.push_back(r.stored.event.id.str());
               return true;
             }).has_value());
  CHECK(ids == std::vector<std::string>{"b", "c"});
  CHECK(s->Read(5_seq).error().code == ErrorCode::kNotFound);
}


TEST_CASE("a rulebook that breaks DOMAIN.md §5 is rejected by the store, not stored unreadable") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  const char* source_dir = std::getenv("CAPLEDGER_SOURCE_DIR");
  REQUIRE(source_dir != nullptr);
  std::ifstream in(std::filesystem::path(source_dir) / "config/rulebooks/KoK-2024.toml");
  const std::string toml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto rulebook = codec::ParseRulebookToml(toml);
  REQUIRE(rulebook.has_value());
  // Built in code (as a FlatBuffers message would arrive), not through the JSON decoder that
  // would refuse it: top_n 0 is outside §5's 1..100000.
  store::AppendRequest bad;
  bad.event.id = "rb-bad";
  bad.event.body = domain::RulebookPublished{*rulebook};
  std::get<domain::RulebookPublished>(bad.event.body).rulebook.cni_supplement =
      domain::CniSupplement{0, domain::Money::FromOre(45'000)};
  bad.origin = store::InputOrigin{"test", 1, "{raw}"};
  store::AppendRequest good;
  good.event.id = "rb-good";
  good.event.body = domain::RulebookPublished{*rulebook};
  good.origin = store::InputOrigin{"test", 2, "{raw}"};
  auto outcomes = AppendAll(*s, {bad, good});
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].kind == Kind::kRejected);
  REQUIRE(outcomes[0].rejection.has_value());
  CHECK(outcomes[0].rejection->code == codec::RejectCode::kInvalidRulebook);
  CHECK(outcomes[0].rejection->field == "rulebook.cni_supplement.top_n");
  CHECK(outcomes[1].kind == Kind::kStored);
  CHECK(s->head().seq == 1_seq);
  auto stored = s->Read(1_seq);
  REQUIRE(stored.has_value());
  CHECK(stored->stored.event.id == "rb-good");
}

TEST_CASE("a store with more table files than it keeps open reads every event, id and index entry") {
  // RocksDB keeps at most open_files_max - 10 table files open and opens the others when read; 20
  // is its least bound. Memtables of 64 KiB make every few batches a flush of four families, so
  // the store ends with more table files than the 10 kept open, and the reads below open and
  // close them as they go.
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  store::StoreOptions options;
  options.write_buffer_bytes = 64 * 1024;
  options.open_files_max = 20;
  constexpr int kBatches = 120;
  constexpr int kPerBatch = 25;
  {
    auto s = store::EventStore::Open(dir.path(), &secret, clock, options);
    REQUIRE(s.has_value());
    for (int b = 0; b < kBatches; ++b) {
      std::vector<store::AppendRequest> requests;
      for (int n = 0; n < kPerBatch; ++n) {
        requests.push_back(Listing(fmt::format("b{}-{}", b, n), static_cast<std::uint8_t>(n + 1), n % 2 ? "VC-A" : "VC-B"));
      }
      REQUIRE((*s)->Append(requests).has_value());
    }
  }
  std::size_t tables = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) tables += entry.path().extension() == ".sst";
  MESSAGE("table files: " << tables);
  REQUIRE(tables > 15);
  for (bool read_only : {true, false}) {
    store::StoreOptions reopen = options;
    reopen.read_only = read_only;
    auto s = store::EventStore::Open(dir.path(), read_only ? nullptr : &secret, clock, reopen);
    REQUIRE(s.has_value());
    // Every event in seq order: 120 x 25 = 3,000.
    std::uint64_t seen = 0;
    REQUIRE((*s)->Scan(1_seq, 0, [&](const store::StoredRecord& r) {
      ++seen;
      return r.stored.seq == domain::Seq(seen);
    }).has_value());
    CHECK(seen == std::uint64_t{kBatches} * kPerBatch);
    // Each id at its seq: batch b's n-th event is seq b * 25 + n + 1.
    for (int b = 0; b < kBatches; b += 7) {
      auto found = (*s)->LookupId(fmt::format("b{}-{}", b, 3));
      REQUIRE(found.has_value());
      REQUIRE(found->has_value());
      CHECK((*found)->seq == domain::Seq(static_cast<std::uint64_t>(b) * kPerBatch + 4));
    }
    // Resident 1 is the first listing of every batch: seqs 1, 26, 51, ...; VC-B has the even n,
    // 13 of every 25.
    auto resident = (*s)->SeqsForResident(Resident(1).pseudonym);
    REQUIRE(resident.has_value());
    REQUIRE(resident->size() == kBatches);
    CHECK(resident->back() == domain::Seq((kBatches - 1) * kPerBatch + 1));
    auto clinic = (*s)->SeqsForClinic("VC-B");
    REQUIRE(clinic.has_value());
    CHECK(clinic->size() == std::size_t{kBatches} * 13);
    auto verified = (*s)->Verify();
    REQUIRE(verified.has_value());
    CHECK_FALSE(verified->first_bad_seq.has_value());
  }
}

}  // namespace
}  // namespace capledger::testing
