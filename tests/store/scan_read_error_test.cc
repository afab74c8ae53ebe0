// A read that fails while the log is scanned is reported as an I/O error, never passed over: the
// scan either visits every event in order or fails with kIoError. Found by the fault campaign
// (docs/reliability.md): with RocksDB 7.8 a failed table open between two files of one level ended
// a payout's replay early with an OK status, and the projection's seq assertion stopped it.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include "faults/fault_fs.h"
#include "store/process_env.h"
#include "store/store_fixture.h"
#include "store/store_surgery.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

constexpr int kEvents = 2000;

// What one scan of the whole log did under a fault plan.
struct ScanOutcome {
  Status scanned;
  int visited = 0;     // events visited, each the seq after the one before
  bool in_order = true;
  std::optional<store::VerifyReport> verified;  // for a verify
  std::uint64_t reads = 0;     // reads the file system counted
};

// Opens the store read-only through a file system that injects `plan`, then scans the log from
// seq 1 (or, with `verify`, verifies it).
ScanOutcome ScanUnder(const std::filesystem::path& dir, const faults::FaultPlan& plan, const Clock& clock,
                      bool verify = false) {
  auto fs = std::make_shared<faults::FaultFileSystem>(rocksdb::FileSystem::Default(), plan);
  const std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  store::SetProcessEnv(env.get());
  ScanOutcome outcome;
  {
    store::StoreOptions options;
    options.read_only = true;
    auto opened = store::EventStore::Open(dir, nullptr, clock, options);
    if (!opened) {
      outcome.scanned = tl::unexpected(opened.error());
    } else if (verify) {
      auto report = (*opened)->Verify();
      if (report) {
        outcome.verified = *report;
      } else {
        outcome.scanned = tl::unexpected(report.error());
      }
    } else {
      outcome.scanned = (*opened)->Scan(1_seq, 0, [&](const store::StoredRecord& record) {
        if (record.stored.seq != domain::Seq(static_cast<std::uint64_t>(outcome.visited) + 1)) outcome.in_order = false;
        ++outcome.visited;
        return true;
      });
    }
  }
  store::SetProcessEnv(nullptr);
  outcome.reads = fs->counts().reads.load();
  return outcome;
}

// A store of kEvents events whose events family lies in several table files of one level.
void MakeSplitStore(const std::filesystem::path& dir, const Clock& clock) {
  auto secret = TestSecret();
  {
    auto s = OpenForTest(dir, secret, clock);
    for (int batch = 0; batch < kEvents / 100; ++batch) {
      std::vector<store::AppendRequest> requests;
      for (int n = 0; n < 100; ++n) {
        requests.push_back(Listing("e" + std::to_string(batch * 100 + n), static_cast<std::uint8_t>(n + 1), "VC-A"));
      }
      REQUIRE(s->Append(requests).has_value());
    }
  }
  // About 2000 events of some 300 bytes in files of 32 KiB: several files in one level.
  REQUIRE(SplitEventsTables(dir, 32 << 10) >= 4);
}

faults::FaultPlan ReadErrorAt(std::uint64_t at) {
  faults::FaultPlan plan;
  plan.kind = faults::FaultKind::kReadError;
  plan.at = at;
  return plan;
}

TEST_CASE("a read error at any point of a scan across table files is reported, and no event is skipped") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  MakeSplitStore(dir.path(), clock);
  const ScanOutcome clean = ScanUnder(dir.path(), faults::FaultPlan{}, clock);
  REQUIRE(clean.scanned.has_value());
  REQUIRE(clean.visited == kEvents);
  REQUIRE(clean.in_order);
  REQUIRE(clean.reads > 0);

  int failed = 0;
  for (std::uint64_t at = 1; at <= clean.reads; ++at) {
    const ScanOutcome outcome = ScanUnder(dir.path(), ReadErrorAt(at), clock);
    CAPTURE(at);
    CHECK(outcome.in_order);
    if (outcome.scanned) {
      CHECK(outcome.visited == kEvents);  // an OK scan saw the whole log
    } else {
      ++failed;
      CHECK(outcome.scanned.error().code == ErrorCode::kIoError);  // said as what it is: not damage
    }
  }
  MESSAGE(clean.reads << " reads, " << failed << " scans refused with an I/O error");
  CHECK(failed > 0);  // the faults reached the scan: the test tested something
}

TEST_CASE("a read error at any point of verify is an I/O error, never a store reported damaged") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  MakeSplitStore(dir.path(), clock);
  const ScanOutcome clean = ScanUnder(dir.path(), faults::FaultPlan{}, clock, true);
  REQUIRE(clean.verified.has_value());
  REQUIRE_FALSE(clean.verified->first_bad_seq.has_value());
  REQUIRE(clean.verified->events_checked == kEvents);

  int failed = 0;
  for (std::uint64_t at = 1; at <= clean.reads; ++at) {
    const ScanOutcome outcome = ScanUnder(dir.path(), ReadErrorAt(at), clock, true);
    CAPTURE(at);
    if (outcome.verified) {
      // Verify answered: then it found nothing wrong with the whole log.
      CHECK_MESSAGE(!outcome.verified->first_bad_seq.has_value(), outcome.verified->problem);
      CHECK(outcome.verified->events_checked == kEvents);
    } else {
      ++failed;
      CHECK(outcome.scanned.error().code == ErrorCode::kIoError);
    }
  }
  MESSAGE(clean.reads << " reads, " << failed << " verifies refused with an I/O error");
  CHECK(failed > 0);
}

}  // namespace
}  // namespace capledger::testing
