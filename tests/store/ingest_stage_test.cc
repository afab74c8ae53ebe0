// The one durable-write stage of ingest: a batch is one synced write with its events, rejects and
// meta puts, reported once durable; the hand-off is bounded; the first failure ends the stage.
#include <atomic>
#include <future>
#include <thread>

#include <doctest/doctest.h>

#include "store/ingest_stage.h"
#include "store/store_fixture.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

// A batch of `count` listings with ids `prefix`-0 ..., residents 1 ..., each on its own input line
// from `first_line` on.
store::DecodedBatch Listings(const std::string& prefix, int count, std::uint64_t first_line = 1) {
  store::DecodedBatch batch;
  for (int i = 0; i < count; ++i) {
    store::AppendRequest request = Listing(prefix + "-" + std::to_string(i), static_cast<std::uint8_t>(i + 1), "VC-A");
    request.origin = store::InputOrigin{"test.jsonl", first_line + static_cast<std::uint64_t>(i), "{raw}"};
    batch.prepared.push_back(store::PrepareBody(request.event));
    batch.requests.push_back(std::move(request));
  }
  batch.inputs = static_cast<std::uint64_t>(count);
  batch.last_input = first_line + static_cast<std::uint64_t>(count) - 1;
  return batch;
}

store::RejectRecord DecoderReject(std::uint64_t line) {
  return store::RejectRecord{store::InputOrigin{"test.jsonl", line, "{not json"},
                             codec::Rejection{codec::RejectCode::kMalformedJson, "", "not JSON"}, {}};
}

struct Fixture {
  TempDir dir;
  FakeClock clock{FromMicros(kTestNowUs)};
  RegionSecret secret = TestSecret();
  std::unique_ptr<store::EventStore> store = OpenForTest(dir.path(), secret, clock);
  std::vector<store::DurableBatch> reports;  // written by the stage's thread, read after Flush

  store::IngestStage::OnDurable Keep() {
    return [this](store::DurableBatch& batch) -> Status {
      reports.push_back(std::move(batch));
      return {};
    };
  }
};

TEST_CASE("a batch is written with its events, its decoder rejects and its meta puts, and reported once durable") {
  for (auto on : {store::AssembleOn::kCaller, store::AssembleOn::kWriter}) {
    CAPTURE(static_cast<int>(on));
    Fixture f;
    store::IngestStage stage(*f.store, store::IngestStageOptions{on, 1}, f.Keep());
    store::DecodedBatch batch = Listings("a", 3);  // lines 1-3
    batch.rejects.push_back(DecoderReject(4));
    batch.inputs = 4;
    batch.last_input = 4;
    batch.meta.push_back(store::MetaPut{"kafka_offset/t/0", "next"});
    REQUIRE(stage.Submit(batch).has_value());
    CHECK(batch.size() == 0);  // handed over
    REQUIRE(stage.Flush().has_value());
    REQUIRE(f.reports.size() == 1);
    CHECK(f.reports[0].inputs == 4);
    CHECK(f.reports[0].last_input == 4);
    CHECK(f.reports[0].stored == 3);
    CHECK(f.reports[0].rejected() == 1);
    CHECK(f.reports[0].decoder_rejects.at(0).origin.line == 4);
    CHECK(f.store->head().seq == 3_seq);
    CHECK(f.store->reject_count() == 1);
    CHECK(f.store->ReadMeta("kafka_offset/t/0").value() == std::optional<std::string>("next"));
  }
}

TEST_CASE("a repeated id is reported as a duplicate, and one with another payload as a store reject with its line") {
  Fixture f;
  store::IngestStage stage(*f.store, {}, f.Keep());
  store::DecodedBatch first = Listings("a", 2);  // a-0 (resident 1), a-1 (resident 2), lines 1-2
  REQUIRE(stage.Submit(first).has_value());
  store::DecodedBatch second = Listings("a", 1, 3);  // a-0 again, the same payload: line 3
  store::AppendRequest conflict = Listing("a-1", 9, "VC-B");  // a-1 with another payload: line 4
  conflict.origin = store::InputOrigin{"test.jsonl", 4, "{raw}"};
  second.prepared.push_back(store::PrepareBody(conflict.event));
  second.requests.push_back(std::move(conflict));
  second.inputs = 2;
  second.last_input = 4;
  REQUIRE(stage.Submit(second).has_value());
  REQUIRE(stage.Flush().has_value());
  REQUIRE(f.reports.size() == 2);
  CHECK(f.reports[0].stored == 2);
  CHECK(f.reports[1].stored == 0);
  CHECK(f.reports[1].duplicate == 1);
  REQUIRE(f.reports[1].store_rejects.size() == 1);
  CHECK(f.reports[1].store_rejects[0].origin.line == 4);
  CHECK(f.reports[1].store_rejects[0].rejection.code == codec::RejectCode::kIdempotencyConflict);
  CHECK(f.store->head().seq == 2_seq);
}

TEST_CASE("with the writer busy and one batch waiting, Submit waits: the hand-off holds queued_max batches") {
  Fixture f;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> durable{0};
  store::IngestStage stage(*f.store, store::IngestStageOptions{store::AssembleOn::kCaller, 1},
                           [&](store::DurableBatch&) -> Status {
                             released.wait();  // the writer stays busy with the first batch
                             ++durable;
                             return {};
                           });
  store::DecodedBatch b1 = Listings("b1", 1), b2 = Listings("b2", 1), b3 = Listings("b3", 1);
  REQUIRE(stage.Submit(b1).has_value());  // the writer takes it and stays in on_durable
  REQUIRE(stage.Submit(b2).has_value());  // in the hand-off (capacity 1) once the writer holds b1
  std::atomic<bool> third_in{false};
  std::thread producer([&] {
    REQUIRE(stage.Submit(b3).has_value());
    third_in = true;
  });
  // b1 in the writer's hands and b2 in the hand-off: b3 has no room until b1 is reported.
  CHECK_FALSE(third_in.load());
  CHECK(durable.load() == 0);
  release.set_value();
  producer.join();
  REQUIRE(stage.Flush().has_value());
  CHECK(durable.load() == 3);
  CHECK(f.store->head().seq == 3_seq);
}

TEST_CASE("an error from on_durable ends the stage: reported once, returned by every later call, nothing more written") {
  Fixture f;
  std::vector<Error> failures;
  store::IngestStage stage(
      *f.store, {}, [](store::DurableBatch&) -> Status { return Fail(ErrorCode::kIoError, "the projection failed"); },
      [&](const Error& error) { failures.push_back(error); });
  store::DecodedBatch b1 = Listings("c1", 2);
  REQUIRE(stage.Submit(b1).has_value());
  const Status flushed = stage.Flush();
  REQUIRE_FALSE(flushed.has_value());
  CHECK(flushed.error().message == "the projection failed");
  CHECK(f.store->head().seq == 2_seq);  // the batch itself was durable before its report failed
  store::DecodedBatch b2 = Listings("c2", 2);
  CHECK_FALSE(stage.Submit(b2).has_value());
  CHECK_FALSE(stage.Flush().has_value());
  CHECK(f.store->head().seq == 2_seq);
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].code == ErrorCode::kIoError);
}

TEST_CASE("a store that refuses the batch ends the stage with its error and writes nothing") {
  Fixture f;
  f.store.reset();
  auto reader = store::EventStore::Open(f.dir.path(), nullptr, f.clock);  // no secret: no appends
  REQUIRE(reader.has_value());
  int failures = 0;
  store::IngestStage stage(**reader, {}, f.Keep(), [&](const Error&) { ++failures; });
  store::DecodedBatch batch = Listings("d", 2);
  const Status submitted = stage.Submit(batch);
  REQUIRE_FALSE(submitted.has_value());
  CHECK(submitted.error().code == ErrorCode::kRefused);
  CHECK(stage.Flush().error().code == ErrorCode::kRefused);
  CHECK(failures == 1);
  CHECK(f.reports.empty());
  CHECK((*reader)->head().seq == 0_seq);
}

TEST_CASE("a batch without input is not written") {
  Fixture f;
  store::IngestStage stage(*f.store, {}, f.Keep());
  store::DecodedBatch empty;
  REQUIRE(stage.Submit(empty).has_value());
  REQUIRE(stage.Flush().has_value());
  CHECK(f.reports.empty());
  CHECK(f.store->head().seq == 0_seq);
}

}  // namespace
}  // namespace capledger::testing
