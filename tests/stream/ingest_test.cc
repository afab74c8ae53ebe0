// Kafka ingest against librdkafka's mock cluster over TCP on 127.0.0.1: offsets in the same batch
// as the events, restart without duplicates, rejects that do not block a partition, FlatBuffers
// envelopes.
#include <doctest/doctest.h>

#include <array>
#include <set>
#include <vector>

#include "codec/flatbuffer_codec.h"
#include "codec/json_line_decoder.h"
#include "stream/kafka_fixture.h"
#include "stream/message_decoder.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

// The stored next offset of a partition, or -1 if none is stored.
std::int64_t StoredOffset(store::EventStore& s, int partition) {
  auto value = s.ReadMeta(stream::OffsetKey(kTopic, partition));
  REQUIRE(value.has_value());
  if (!value->has_value()) return -1;
  auto offset = stream::DecodeOffset(**value);
  REQUIRE(offset.has_value());
  return *offset;
}

std::vector<std::string> Rejects(store::EventStore& s) {
  std::vector<std::string> rejects;
  REQUIRE(s.ScanRejects([&](const std::string& json) { rejects.push_back(json); }).has_value());
  return rejects;
}

std::vector<std::string> StoredIds(store::EventStore& s) {
  std::vector<std::string> ids;
  REQUIRE(s.Scan(1_seq, 0, [&](const store::StoredRecord& r) {
             ids.push_back(r.stored.event.id.str());
             return true;
           }).has_value());
  return ids;
}

TEST_CASE("the consumed offsets are stored with the events, and a restart resumes there without duplicates") {
  IngestFixture f;
  // Partition p gets counts[p] messages: offsets 0 .. counts[p] - 1, so its next offset is counts[p].
  const std::array<int, kPartitions> counts = {5, 3, 0, 7};
  int n = 0;
  for (int p = 0; p < kPartitions; ++p) {
    for (int i = 0; i < counts[p]; ++i) f.producer().Send(p, ClinicLine("first-" + std::to_string(n++)));
  }
  f.StartIngest(/*batch_messages=*/4);  // several batches
  f.WaitForMessages(15);                // 5 + 3 + 0 + 7
  f.ReopenStore();
  CHECK(f.store().head().seq == 15_seq);
  CHECK(StoredOffset(f.store(), 0) == 5);
  CHECK(StoredOffset(f.store(), 1) == 3);
  CHECK(StoredOffset(f.store(), 2) == -1);  // nothing consumed there: nothing stored
  CHECK(StoredOffset(f.store(), 3) == 7);

  // Two more messages on partition 2 and one on 0; a new consumer (in a new group, so Kafka's own
  // group offsets cannot be what it resumes from) takes only those three.
  f.producer().Send(2, ClinicLine("second-0"));
  f.producer().Send(2, ClinicLine("second-1"));
  f.producer().Send(0, ClinicLine("second-2"));
  f.StartIngest();
  f.WaitForMessages(3);
  CHECK(f.stats().stored.load() == 3);
  CHECK(f.stats().duplicates.load() == 0);  // the first 15 were not consumed again
  f.ReopenStore();
  CHECK(f.store().head().seq == 18_seq);
  CHECK(StoredOffset(f.store(), 0) == 6);
  CHECK(StoredOffset(f.store(), 2) == 2);
  const auto ids = StoredIds(f.store());
  CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == 18);
  CHECK(f.store().Verify()->first_bad_seq == std::nullopt);
}

TEST_CASE("malformed, conflicting and unknown-format messages are kept as rejects and do not block the partition") {
  IngestFixture f;
  f.producer().Send(1, "this is not JSON");                              // offset 0: malformed
  f.producer().Send(1, ClinicLine("a"));                                 // offset 1: stored
  f.producer().Send(1, ClinicLine("a"));                                 // offset 2: a duplicate
  f.producer().Send(1, ClinicLine("a", "VC-1882-02"));                   // offset 3: idempotency conflict
  f.producer().Send(1, ClinicLine("b"), std::string("text/csv"));         // offset 4: unknown content-type
  f.producer().Send(1, ClinicLine("c"), std::string("application/json"));  // offset 5: stored
  f.StartIngest();
  f.WaitForMessages(6);
  CHECK(f.stats().stored.load() == 2);
  CHECK(f.stats().duplicates.load() == 1);
  CHECK(f.stats().rejected.load() == 3);
  f.ReopenStore();
  CHECK(StoredIds(f.store()) == std::vector<std::string>{"a", "c"});
  CHECK(StoredOffset(f.store(), 1) == 6);
  const auto rejects = Rejects(f.store());
  REQUIRE(rejects.size() == 3);
  std::string all;
  for (const auto& r : rejects) all += r + "\n";
  CHECK(all.find(R"("source":"kafka:halsoval.events/1/0","code":"malformed_json")") != std::string::npos);
  CHECK(all.find(R"("source":"kafka:halsoval.events/1/3","code":"idempotency_conflict")") != std::string::npos);
  CHECK(all.find(R"("source":"kafka:halsoval.events/1/4","code":"unknown_content_type")") != std::string::npos);
  CHECK(all.find("this is not JSON") != std::string::npos);  // the raw message is kept
}

TEST_CASE("a FlatBuffers envelope is ingested as the event it holds") {
  IngestFixture f;
  // The event, decoded from JSON by the codec and encoded as the store's envelope would be.
  auto secret = TestSecret();
  codec::JsonLineDecoder decoder(secret.bytes());
  auto decoded = decoder.Decode(ClinicLine("fb-1", "VC-1880-07", "Vårdcentralen Envelope"));
  REQUIRE(decoded.has_value());
  const std::string body = codec::EncodeBody(decoded->event.body);
  const auto type = static_cast<std::uint8_t>(domain::TypeOf(decoded->event.body));
  const std::string envelope = codec::EncodeEnvelope(
      codec::EnvelopeFields{0_seq, 0, type, decoded->event.source, decoded->event.id, {}, {}, body});
  f.producer().Send(3, envelope, std::string(stream::kFlatBuffersContentType));
  f.producer().Send(3, "garbage, not a flatbuffer", std::string(stream::kFlatBuffersContentType));
  f.StartIngest();
  f.WaitForMessages(2);
  CHECK(f.stats().stored.load() == 1);
  CHECK(f.stats().rejected.load() == 1);
  f.ReopenStore();
  auto stored = f.store().Read(1_seq);
  REQUIRE(stored.has_value());
  CHECK(stored->stored.event == decoded->event);
  const auto rejects = Rejects(f.store());
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].find(R"("source":"kafka:halsoval.events/3/1","code":"invalid_envelope")") != std::string::npos);
  CHECK(StoredOffset(f.store(), 3) == 2);
}

}  // namespace
}  // namespace capledger::testing

namespace capledger::testing {
namespace {

TEST_CASE("a broker going down and failing fetches lose nothing, duplicate nothing and are reported") {
  IngestFixture f;
  f.producer().Send(0, ClinicLine("before-0"));
  f.producer().Send(1, ClinicLine("before-1"));
  f.StartIngest();
  f.WaitForMessages(2);
  CHECK(f.stats().brokers_up.load());

  // The fixture's cluster has one broker, id 1: down, every connection to it fails.
  REQUIRE(rd_kafka_mock_broker_set_down(f.cluster().handle(), 1) == RD_KAFKA_RESP_ERR_NO_ERROR);
  CHECK(IngestFixture::WaitUntil([&] { return !f.stats().brokers_up.load(); }));
  CHECK(f.stats().broker_errors.load() > 0);
  REQUIRE(rd_kafka_mock_broker_set_up(f.cluster().handle(), 1) == RD_KAFKA_RESP_ERR_NO_ERROR);

  // Then the next three Fetch requests (API key 1) fail with a retriable error.
  rd_kafka_mock_push_request_errors(f.cluster().handle(), 1, 3, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  f.producer().Send(0, ClinicLine("after-0"));
  f.producer().Send(2, ClinicLine("after-1"));
  f.producer().Send(0, ClinicLine("after-2"));
  f.WaitForMessages(5);
  CHECK(IngestFixture::WaitUntil([&] { return f.stats().brokers_up.load(); }));
  CHECK(f.stats().stored.load() == 5);
  CHECK(f.stats().duplicates.load() == 0);
  f.ReopenStore();
  CHECK(f.store().head().seq == 5_seq);
  CHECK(f.store().reject_count() == 0);
}

}  // namespace
}  // namespace capledger::testing
