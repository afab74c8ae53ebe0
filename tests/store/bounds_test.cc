// The log's growth bounds (common/limits.h) are refused at the append, with a stable code, so that
// no replay ever meets a log it cannot hold. The bounds are lowered through StoreOptions: the real
// ones (4,294,967,294 seqs, 65,535 clinic ids) are far too large to reach in a test.
#include <doctest/doctest.h>

#include "store/keys.h"
#include "store/store_fixture.h"
#include "store/store_surgery.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

using Kind = store::AppendOutcome::Kind;

std::unique_ptr<store::EventStore> OpenBounded(const std::filesystem::path& dir, const RegionSecret& secret,
                                               const Clock& clock, std::uint64_t seq_max, std::size_t clinics_max) {
  store::StoreOptions options;
  options.seq_max = seq_max;
  options.clinics_max = clinics_max;
  auto opened = store::EventStore::Open(dir, &secret, clock, options);
  REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().message));
  return std::move(*opened);
}

TEST_CASE("a full log refuses every further event as log_full and keeps it as a reject") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  {
    auto s = OpenBounded(dir.path(), secret, clock, /*seq_max=*/3, limits::kClinicsMax);
    std::vector<store::AppendRequest> batch = {Listing("a", 1, "VC-A"), Listing("b", 2, "VC-A"),
                                               Listing("c", 3, "VC-A"), Listing("d", 4, "VC-A"),
                                               Listing("e", 5, "VC-A")};
    auto outcomes = s->Append(batch);
    REQUIRE(outcomes.has_value());
    // Seqs 1, 2, 3 fill the log; the 4th and 5th events would be seqs 4 and 5 > 3.
    for (std::size_t i = 0; i < 3; ++i) CHECK((*outcomes)[i].kind == Kind::kStored);
    for (std::size_t i = 3; i < 5; ++i) {
      REQUIRE((*outcomes)[i].kind == Kind::kRejected);
      CHECK((*outcomes)[i].rejection->code == codec::RejectCode::kLogFull);
    }
    CHECK(s->head().seq == 3_seq);
    CHECK(s->reject_count() == 2);
  }
  auto s = OpenBounded(dir.path(), secret, clock, 3, limits::kClinicsMax);
  std::vector<store::AppendRequest> one = {Listing("f", 6, "VC-A")};
  auto again = s->Append(one);
  REQUIRE(again.has_value());
  CHECK((*again)[0].kind == Kind::kRejected);
  // A payout run is booked whole or not at all: refused, and nothing is written.
  auto atomic = s->AppendAtomically(one, 3_seq);
  REQUIRE_FALSE(atomic.has_value());
  CHECK(atomic.error().code == ErrorCode::kRefused);
  CHECK(atomic.error().message.find("the log holds 3 events") != std::string::npos);
  CHECK(s->head().seq == 3_seq);
}

TEST_CASE("a clinic id beyond the bound is refused as too_many_clinics; known clinics and retractions still go in") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  {
    auto s = OpenBounded(dir.path(), secret, clock, limits::kSeqMax, /*clinics_max=*/2);
    std::vector<store::AppendRequest> batch = {Listing("a", 1, "VC-A"), Listing("b", 2, "VC-B"),
                                               Listing("c", 3, "VC-A"), Listing("d", 4, "VC-C")};
    auto outcomes = s->Append(batch);
    REQUIRE(outcomes.has_value());
    CHECK((*outcomes)[0].kind == Kind::kStored);
    CHECK((*outcomes)[1].kind == Kind::kStored);
    CHECK((*outcomes)[2].kind == Kind::kStored);  // VC-A again: not a new clinic
    REQUIRE((*outcomes)[3].kind == Kind::kRejected);  // VC-C would be the third of at most two
    CHECK((*outcomes)[3].rejection->code == codec::RejectCode::kTooManyClinics);
    CHECK((*outcomes)[3].rejection->field == "clinic");
  }
  // Reopened, the store reads the clinics it names back from its index: VC-A and VC-B.
  auto s = OpenBounded(dir.path(), secret, clock, limits::kSeqMax, 2);
  std::vector<store::AppendRequest> batch = {Listing("e", 5, "VC-B"), Listing("f", 6, "VC-D"),
                                             Retraction("g", "a")};
  auto outcomes = s->Append(batch);
  REQUIRE(outcomes.has_value());
  CHECK((*outcomes)[0].kind == Kind::kStored);
  CHECK((*outcomes)[1].kind == Kind::kRejected);
  CHECK((*outcomes)[1].rejection->code == codec::RejectCode::kTooManyClinics);
  CHECK((*outcomes)[2].kind == Kind::kStored);  // indexed under VC-A, which the log names
  CHECK(s->head().seq == 5_seq);                // a, b, c, then e and g
}

TEST_CASE("a damaged reject count stops the open instead of reading as zero") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  { auto s = OpenForTest(dir.path(), secret, clock); }
  PutMetaKey(dir.path(), std::string(store::kMetaRejectCount), "abc");  // 3 bytes, not 8
  auto opened = store::EventStore::Open(dir.path(), &secret, clock);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().code == ErrorCode::kCorruption);
  CHECK(opened.error().message.find("reject count") != std::string::npos);
}

}  // namespace
}  // namespace capledger::testing
