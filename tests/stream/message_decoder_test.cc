// The message decoder alone (no broker): formats by header, origins, offsets' encoding.
#include <doctest/doctest.h>

#include "codec/flatbuffer_codec.h"
#include "store/store_fixture.h"
#include "stream/kafka_fixture.h"
#include "stream/message_decoder.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

stream::MessageRef Message(std::string_view value, std::optional<std::string_view> content_type = std::nullopt) {
  stream::MessageRef m;
  m.topic = "t";
  m.partition = 2;
  m.offset = 41;
  m.content_type = content_type;
  m.value = value;
  return m;
}

TEST_CASE("the content-type header chooses the format; absent means JSON") {
  auto secret = TestSecret();
  stream::MessageDecoder decoder(secret.bytes());
  const std::string line = ClinicLine("x");
  CHECK(decoder.Decode(Message(line)).request.has_value());
  CHECK(decoder.Decode(Message(line + "\n")).request.has_value());  // one trailing newline allowed
  CHECK(decoder.Decode(Message(line, "Application/JSON; charset=utf-8")).request.has_value());
  auto csv = decoder.Decode(Message(line, "text/csv"));
  REQUIRE(csv.reject.has_value());
  CHECK(csv.reject->rejection.code == codec::RejectCode::kUnknownContentType);
  auto not_fb = decoder.Decode(Message(line, stream::kFlatBuffersContentType));
  REQUIRE(not_fb.reject.has_value());
  CHECK(not_fb.reject->rejection.code == codec::RejectCode::kInvalidEnvelope);
}

TEST_CASE("a FlatBuffers event with a personnummer outside its own field is refused with the field named") {
  auto secret = TestSecret();
  stream::MessageDecoder decoder(secret.bytes());
  // A clinic whose name holds Skatteverket's test number, encoded as an upstream system would.
  domain::Event event{"fb-1", "upstream",
                      domain::ClinicRegistered{"VC-A", "Mottagning 19121212-1212", domain::Operator::kRegion, 1880, 125,
                                               Day(2020, 1, 1)}};
  const std::string body = codec::EncodeBody(event.body);
  const auto type = static_cast<std::uint8_t>(domain::TypeOf(event.body));
  const std::string envelope =
      codec::EncodeEnvelope(codec::EnvelopeFields{0_seq, 0, type, "upstream", "fb-1", {}, {}, body});
  auto decoded = decoder.Decode(Message(envelope, stream::kFlatBuffersContentType));
  REQUIRE(decoded.reject.has_value());
  CHECK(decoded.reject->rejection.code == codec::RejectCode::kPersonnummerInField);
  CHECK(decoded.reject->rejection.field == "name");
  // The same event with its id carrying the number, the name clean: the id is named.
  std::get<domain::ClinicRegistered>(event.body).name = "Mottagning";
  const std::string clean_body = codec::EncodeBody(event.body);
  const std::string in_id =
      codec::EncodeEnvelope(codec::EnvelopeFields{0_seq, 0, type, "upstream", "191212121212", {}, {}, clean_body});
  auto by_id = decoder.Decode(Message(in_id, stream::kFlatBuffersContentType));
  REQUIRE(by_id.reject.has_value());
  CHECK(by_id.reject->rejection.field == "id");
  const std::string clean =
      codec::EncodeEnvelope(codec::EnvelopeFields{0_seq, 0, type, "upstream", "fb-1", {}, {}, clean_body});
  CHECK(decoder.Decode(Message(clean, stream::kFlatBuffersContentType)).request.has_value());
}

TEST_CASE("a resident's pseudonym whose hex holds twelve digits that form a personnummer is no personnummer") {
  auto secret = TestSecret();
  stream::MessageDecoder decoder(secret.bytes());
  // Bytes aa 19 12 12 12 12 12 bb ...: the hex "aa191212121212bb..." holds 191212121212 on its own.
  domain::ResidentRef resident{};
  resident.pseudonym.bytes = {0xaa, 0x19, 0x12, 0x12, 0x12, 0x12, 0x12, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb};
  REQUIRE(resident.pseudonym.ToHex().starts_with("aa191212121212bb"));
  resident.birth_date = Day(1980, 1, 1);
  domain::Event event{"fb-2", "upstream", domain::PatientListed{resident, "VC-A", Day(2024, 1, 1), domain::ListingReason::kChoice}};
  const std::string body = codec::EncodeBody(event.body);
  const auto type = static_cast<std::uint8_t>(domain::TypeOf(event.body));
  const std::string envelope =
      codec::EncodeEnvelope(codec::EnvelopeFields{0_seq, 0, type, "upstream", "fb-2", {}, {}, body});
  auto decoded = decoder.Decode(Message(envelope, stream::kFlatBuffersContentType));
  CHECK_MESSAGE(decoded.request.has_value(), (decoded.reject ? decoded.reject->rejection.field : ""));
}

TEST_CASE("a FlatBuffers rulebook published without who decided it is refused naming decided_by") {
  auto secret = TestSecret();
  stream::MessageDecoder decoder(secret.bytes());
  domain::Rulebook rb;
  rb.id = "KoK-T";
  rb.title = "T";
  rb.decision = "D";
  rb.valid_from = Day(2024, 1, 1);
  rb.valid_until = Day(2025, 1, 1);
  rb.capitation = {{0, domain::Money::FromOre(100)}};
  auto envelope_of = [](const domain::Rulebook& r) {
    const domain::EventBody body = domain::RulebookPublished{r};
    return codec::EncodeEnvelope(codec::EnvelopeFields{0_seq, 0, static_cast<std::uint8_t>(domain::TypeOf(body)),
                                                       "upstream", "rb-1", {}, {}, codec::EncodeBody(body)});
  };
  auto without = decoder.Decode(Message(envelope_of(rb), stream::kFlatBuffersContentType));
  REQUIRE(without.reject.has_value());
  CHECK(without.reject->rejection.code == codec::RejectCode::kMissingField);
  CHECK(without.reject->rejection.field == "rulebook.decided_by");
  rb.provenance = domain::Provenance{"regionstyrelsen", std::nullopt, std::nullopt};
  CHECK(decoder.Decode(Message(envelope_of(rb), stream::kFlatBuffersContentType)).request.has_value());
}

TEST_CASE("a message's origin names topic, partition and offset; its line is offset + 1") {
  const auto origin = stream::MessageOrigin(Message("raw"));
  CHECK(origin.source == "kafka:t/2/41");
  CHECK(origin.line == 42);
  CHECK(origin.raw == "raw");
}

TEST_CASE("offsets are stored as 8 bytes big-endian") {
  // 0x0102 = 258: bytes 00 00 00 00 00 00 01 02.
  CHECK(stream::EncodeOffset(258) == std::string("\0\0\0\0\0\0\x01\x02", 8));
  CHECK(stream::DecodeOffset(stream::EncodeOffset(258)) == 258);
  CHECK_FALSE(stream::DecodeOffset("short").has_value());
  CHECK(stream::OffsetKey("halsoval.events", 3) == "kafka_offset/halsoval.events/3");
}

}  // namespace
}  // namespace capledger::testing
