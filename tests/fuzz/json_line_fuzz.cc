// libFuzzer target: arbitrary text as one JSON Lines input line, under both decoder options.
//
// JsonLineDecoder must accept or reject every line without crashing. An accepted event must
// survive the stored form (DecodeBody(EncodeBody(x)) == x), and the JSON the writer makes of it
// must decode back to the same event under accept_ledger_types (the writer's resident form).
#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/flatbuffer_codec.h"
#include "codec/json_line_decoder.h"
#include "codec/json_writer.h"

namespace {

using namespace capledger::codec;

// A fixed region secret: pseudonyms must be reproducible between runs.
constexpr std::array<std::uint8_t, 32> kSecret = {0x63, 0x61, 0x70, 0x6c, 0x65, 0x64, 0x67, 0x65, 0x72, 0x2d, 0x66,
                                                  0x75, 0x7a, 0x7a, 0x2d, 0x6b, 0x65, 0x79, 0x2d, 0x30, 0x31, 0x32,
                                                  0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63};

[[noreturn]] void Broken() { std::abort(); }

void CheckAccepted(const capledger::domain::Event& event, JsonLineDecoder& restoring) {
  auto body = DecodeBody(EncodeBody(event.body));
  if (!body || !(*body == event.body)) Broken();
  const std::string json = EventToJson(event, nullptr);
  auto again = restoring.Decode(json);
  if (!again || !(again->event == event)) Broken();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static JsonLineDecoder input_decoder(kSecret);
  static JsonLineDecoder restoring_decoder(kSecret, JsonLineDecoder::Options{.accept_ledger_types = true});
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  if (auto decoded = input_decoder.Decode(line)) CheckAccepted(decoded->event, restoring_decoder);
  if (auto decoded = restoring_decoder.Decode(line)) CheckAccepted(decoded->event, restoring_decoder);
  return 0;
}
