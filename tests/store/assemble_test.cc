// Appending in two steps: a batch assembled while the one before it is not yet written.
#include <doctest/doctest.h>

#include "store/pending.h"
#include "store/store_fixture.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

using Kind = store::AppendOutcome::Kind;
using Seqs = std::vector<domain::Seq>;

std::unique_ptr<store::AssembledAppend> Assemble(store::EventStore& s, const std::vector<store::AppendRequest>& batch) {
  std::vector<store::PreparedBody> prepared;
  for (const auto& request : batch) prepared.push_back(store::PrepareBody(request.event));
  auto assembled = s.AssembleAppend(batch, prepared);
  REQUIRE_MESSAGE(assembled.has_value(), (assembled ? "" : assembled.error().message));
  return std::move(*assembled);
}

std::vector<store::AppendOutcome> Write(store::EventStore& s, std::unique_ptr<store::AssembledAppend> batch) {
  auto outcomes = s.WriteAssembled(std::move(batch));
  REQUIRE_MESSAGE(outcomes.has_value(), (outcomes ? "" : outcomes.error().message));
  return *outcomes;
}

TEST_CASE("a batch assembled before the previous one is written sees it, and readers see neither until written") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  auto first = Assemble(*s, {Listing("a", 1, "VC-A"), Listing("b", 2, "VC-B")});  // seqs 1, 2
  // The second batch repeats "a" (a duplicate of seq 1), retracts "b" (seq 2) and adds "c".
  auto second = Assemble(*s, {Listing("a", 1, "VC-A"), Retraction("r", "b"), Listing("c", 3, "VC-A")});
  CHECK(s->head().seq == 0_seq);
  CHECK(s->Read(1_seq).error().code == ErrorCode::kNotFound);
  CHECK_FALSE(s->LookupId("a")->has_value());

  auto first_outcomes = Write(*s, std::move(first));
  CHECK(first_outcomes[1].seq == 2_seq);
  CHECK(s->head().seq == 2_seq);
  auto outcomes = Write(*s, std::move(second));
  CHECK(outcomes[0].kind == Kind::kDuplicate);
  CHECK(outcomes[0].seq == 1_seq);
  CHECK(outcomes[1].seq == 3_seq);  // the retraction
  CHECK(outcomes[2].seq == 4_seq);
  CHECK(s->head().seq == 4_seq);
  CHECK(s->Read(3_seq)->prev_hash == s->Read(2_seq)->hash);
  // The retraction is indexed under resident 2 and VC-B, the retracted event's, read from the
  // first batch while it was not yet written.
  CHECK(*s->SeqsForResident(Resident(2).pseudonym) == Seqs{2_seq, 3_seq});
  CHECK(*s->SeqsForClinic("VC-B") == Seqs{2_seq, 3_seq});
  CHECK(*s->SeqsForClinic("VC-A") == Seqs{1_seq, 4_seq});
  auto report = s->Verify();
  REQUIRE(report.has_value());
  CHECK_FALSE(report->first_bad_seq.has_value());
  CHECK(report->events_checked == 4);
}

TEST_CASE("batches assembled after one dropped unwritten are void, and appending goes on from the written log") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  Write(*s, Assemble(*s, {Listing("a", 1, "VC-A")}));  // seq 1
  auto dropped = Assemble(*s, {Listing("b", 2, "VC-A")});
  auto after = Assemble(*s, {Listing("c", 3, "VC-A")});  // would be seq 3, built on "b"
  dropped.reset();
  auto refused = s->WriteAssembled(std::move(after));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kRefused);
  CHECK(s->head().seq == 1_seq);
  // Assembled again, "c" gets seq 2 and chains to seq 1; "b" was never stored.
  auto outcomes = Write(*s, Assemble(*s, {Listing("c", 3, "VC-A")}));
  CHECK(outcomes[0].seq == 2_seq);
  CHECK(s->Read(2_seq)->prev_hash == s->Read(1_seq)->hash);
  CHECK_FALSE(s->LookupId("b")->has_value());
  CHECK(*s->SeqsForClinic("VC-A") == Seqs{1_seq, 2_seq});
}

TEST_CASE("a batch dropped while an earlier one waits voids only what comes after it") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  auto s = OpenForTest(dir.path(), secret, clock);
  auto first = Assemble(*s, {Listing("a", 1, "VC-A")});   // seq 1
  auto second = Assemble(*s, {Listing("b", 2, "VC-A")});  // seq 2, dropped below
  auto third = Assemble(*s, {Listing("c", 3, "VC-A")});   // seq 3, void with it
  second.reset();
  CHECK(Write(*s, std::move(first))[0].seq == 1_seq);  // written: it came before the dropped one
  CHECK(s->WriteAssembled(std::move(third)).error().code == ErrorCode::kRefused);
  CHECK(Write(*s, Assemble(*s, {Listing("c", 3, "VC-A")}))[0].seq == 2_seq);
  CHECK(s->head().seq == 2_seq);
}

}  // namespace
}  // namespace capledger::testing

namespace capledger::testing {
namespace {

TEST_CASE("meta puts are written with the batch that carries them, and not before") {
  TempDir dir;
  FakeClock clock(FromMicros(kTestNowUs));
  auto secret = TestSecret();
  {
    auto s = OpenForTest(dir.path(), secret, clock);
    const std::vector<store::AppendRequest> batch = {Listing("a", 1, "VC-A")};
    const std::vector<store::PreparedBody> prepared = {store::PrepareBody(batch[0].event)};
    const std::vector<store::MetaPut> meta = {{"kafka_offset/t/0", "17"}, {"kafka_offset/t/1", "4"}};
    auto assembled = s->AssembleAppend(batch, prepared, {}, meta);
    REQUIRE(assembled.has_value());
    CHECK_FALSE(s->ReadMeta("kafka_offset/t/0")->has_value());  // assembled, not written
    REQUIRE(s->WriteAssembled(std::move(*assembled)).has_value());
    // A second batch replaces one key and leaves the other.
    const std::vector<store::AppendRequest> second = {Listing("b", 2, "VC-A")};
    const std::vector<store::PreparedBody> second_prepared = {store::PrepareBody(second[0].event)};
    const std::vector<store::MetaPut> second_meta = {{"kafka_offset/t/0", "18"}};
    auto again = s->AssembleAppend(second, second_prepared, {}, second_meta);
    REQUIRE(again.has_value());
    REQUIRE(s->WriteAssembled(std::move(*again)).has_value());
  }
  auto reopened = OpenForTest(dir.path(), secret, clock);
  CHECK(reopened->head().seq == 2_seq);
  CHECK(**reopened->ReadMeta("kafka_offset/t/0") == "18");
  CHECK(**reopened->ReadMeta("kafka_offset/t/1") == "4");
  CHECK_FALSE(reopened->ReadMeta("kafka_offset/t/2")->has_value());
}

}  // namespace
}  // namespace capledger::testing
