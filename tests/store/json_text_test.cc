// JSON text for arbitrary bytes: what `rejects`, the API and the logs print of input that may not
// be UTF-8.
#include <doctest/doctest.h>

#include "store/json_text.h"
#include "store/rejects.h"

namespace capledger::testing {
namespace {

TEST_CASE("bytes that are not UTF-8 become U+FFFD, never the Latin-1 letter they would be") {
  // "Vårdcentral" in Latin-1: å is the single byte 0xE5, which is no UTF-8.
  CHECK(store::JsonString(std::string("V") + '\xE5' + "rd") == R"("V\ufffdrd")");
  // The same in UTF-8 passes as it is.
  CHECK(store::JsonString("V\xC3\xA5rd") == "\"V\xC3\xA5rd\"");
  // An overlong '/' (C0 AF) and a surrogate (ED A0 80) are not well-formed UTF-8 either.
  CHECK(store::JsonString("\xC0\xAF") == R"("\ufffd\ufffd")");
  CHECK(store::JsonString("\xED\xA0\x80") == R"("\ufffd\ufffd\ufffd")");
  // Control characters are escaped as themselves.
  CHECK(store::JsonString("a\tb") == R"("a\u0009b")");
}

TEST_CASE("a rejected line that is not UTF-8 keeps its exact bytes in raw_hex") {
  store::RejectRecord record;
  record.origin = store::InputOrigin{"in.jsonl", 3, std::string("{\"name\":\"V") + '\xE5' + "rd\"}"};
  record.rejection = codec::Rejection{codec::RejectCode::kInvalidEncoding, "", "not UTF-8"};
  const std::string json = store::RejectToJson(record);
  CHECK(json.find(R"("raw":"{\"name\":\"V\ufffdrd\"}")") != std::string::npos);
  // {"name":"V<E5>rd"} byte by byte: 7b 22 6e 61 6d 65 22 3a 22 56 e5 72 64 22 7d.
  CHECK(json.find(R"("raw_hex":"7b226e616d65223a2256e57264227d")") != std::string::npos);
  record.origin.raw = R"({"name":"Vård"})";
  CHECK(store::RejectToJson(record).find("raw_hex") == std::string::npos);
}

}  // namespace
}  // namespace capledger::testing
