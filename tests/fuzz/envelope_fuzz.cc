// libFuzzer target: arbitrary bytes as a stored Envelope, and as a bare EventBody.
//
// Whatever the bytes, DecodeEnvelope and DecodeBody must return a value or kCorruption: never
// crash, assert or read out of bounds (ASan and UBSan watch). What decodes must survive its own
// round trip: decode(encode(x)) == x, and encode(decode(encode(x))) == encode(x). Every decoded
// body is also written as JSON, to run the writer over whatever the decoder lets through.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/flatbuffer_codec.h"
#include "codec/json_writer.h"

namespace {

using capledger::ErrorCode;
using namespace capledger::codec;

// Stops the run: libFuzzer reports the input that got here.
[[noreturn]] void Broken() { std::abort(); }

void CheckBody(std::string_view bytes) {
  auto body = DecodeBody(bytes);
  if (!body) {
    if (body.error().code != ErrorCode::kCorruption) Broken();
    return;
  }
  const std::string encoded = EncodeBody(*body);
  auto again = DecodeBody(encoded);
  if (!again || !(*again == *body)) Broken();
  if (EncodeBody(*again) != encoded) Broken();
  const capledger::domain::Event event{"fuzz-1", "fuzz", std::move(*body)};
  if (EventToJson(event, nullptr).empty()) Broken();
}

bool SameFields(const EnvelopeFields& a, const EnvelopeFields& b) {
  return a.seq == b.seq && a.recorded_at_us == b.recorded_at_us && a.type == b.type && a.source == b.source &&
         a.id == b.id && a.prev_hash == b.prev_hash && a.hash == b.hash && a.body == b.body;
}

void CheckEnvelope(std::string_view bytes) {
  auto envelope = DecodeEnvelope(bytes);
  if (!envelope) {
    if (envelope.error().code != ErrorCode::kCorruption) Broken();
    return;
  }
  const std::string encoded = EncodeEnvelope(*envelope);
  auto again = DecodeEnvelope(encoded);
  if (!again || !SameFields(*again, *envelope)) Broken();
  if (EncodeEnvelope(*again) != encoded) Broken();
  CheckBody(envelope->body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  CheckEnvelope(bytes);
  CheckBody(bytes);
  return 0;
}
