// The JSON of a rejected line: the raw text escaped by the codec's writer, and its exact bytes
// beside it when they are not UTF-8.
#include <doctest/doctest.h>

#include "store/rejects.h"

namespace capledger::testing {
namespace {

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

TEST_CASE("a rejected line's JSON is compact, its members in a fixed order") {
  store::RejectRecord record;
  record.origin = store::InputOrigin{"in.jsonl", 7, "x\ty"};
  record.rejection = codec::Rejection{codec::RejectCode::kMalformedJson, "", "bad"};
  // rejected_at is the epoch: 1970-01-01T00:00:00.000000Z; the tab in the raw text is \u0009.
  CHECK(store::RejectToJson(record) ==
        R"({"line":7,"source":"in.jsonl","code":"malformed_json","field":"","message":"bad",)"
        R"("rejected_at":"1970-01-01T00:00:00.000000Z","raw":"x\u0009y"})");
}

}  // namespace
}  // namespace capledger::testing
