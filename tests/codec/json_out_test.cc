// The one JSON writer: strings escaped so that any bytes give valid JSON in valid UTF-8, and the
// object and array writers' separators in both spacings.
#include <doctest/doctest.h>

#include "codec/json_out.h"

namespace capledger::testing {
namespace {

using codec::JsonArray;
using codec::JsonObject;
using codec::JsonSpacing;
using codec::JsonString;

TEST_CASE("bytes that are not UTF-8 become U+FFFD, never the Latin-1 letter they would be") {
  // "Vårdcentral" in Latin-1: å is the single byte 0xE5, which is no UTF-8.
  CHECK(JsonString(std::string("V") + '\xE5' + "rd") == R"("V\ufffdrd")");
  // The same in UTF-8 (C3 A5) passes as it is.
  CHECK(JsonString("V\xC3\xA5rd") == "\"V\xC3\xA5rd\"");
  // A four-byte sequence (U+1F600, F0 9F 98 80) passes as it is too.
  CHECK(JsonString("\xF0\x9F\x98\x80") == "\"\xF0\x9F\x98\x80\"");
}

TEST_CASE("overlong forms, surrogates and cut-off sequences are not UTF-8: one U+FFFD per byte") {
  // An overlong '/' (C0 AF): two bytes, two replacements.
  CHECK(JsonString("\xC0\xAF") == R"("\ufffd\ufffd")");
  // The surrogate U+D800 (ED A0 80): three bytes, three replacements.
  CHECK(JsonString("\xED\xA0\x80") == R"("\ufffd\ufffd\ufffd")");
  // The first two bytes of å-in-three (E2 82) at the end of the text, then a stray continuation byte.
  CHECK(JsonString("a\xE2\x82") == R"("a\ufffd\ufffd")");
  CHECK(JsonString("\x80z") == R"("\ufffdz")");
}

TEST_CASE("control characters and DEL are escaped as \\u00XX; quote and backslash with a backslash") {
  CHECK(JsonString("a\tb") == R"("a\u0009b")");
  CHECK(JsonString("line\nnext\r") == R"("line\u000anext\u000d")");
  CHECK(JsonString(std::string("nul\0", 4)) == R"("nul\u0000")");
  CHECK(JsonString("\x1f\x7f") == R"("\u001f\u007f")");
  CHECK(JsonString(R"(say "hi" \ bye)") == R"("say \"hi\" \\ bye")");
  CHECK(JsonString("") == R"("")");
}

TEST_CASE("fixed-point decimals keep exactly their digits after the point") {
  std::string out;
  codec::AppendFixedPoint(out, 425, 1);   // 425 / 10 = 42.5
  out += ' ';
  codec::AppendFixedPoint(out, 5, 3);     // 5 / 1000 = 0.005
  out += ' ';
  codec::AppendFixedPoint(out, -15, 1);   // -15 / 10 = -1.5
  out += ' ';
  codec::AppendFixedPoint(out, 12000, 4); // 12000 / 10000 = 1.2000
  CHECK(out == "42.5 0.005 -1.5 1.2000");
}

TEST_CASE("an object and its nested array, compact and spaced") {
  for (const JsonSpacing spacing : {JsonSpacing::kCompact, JsonSpacing::kSpaced}) {
    std::string out;
    JsonObject o(out, spacing);
    o.String("id", "E-1").Integer("seq", -7).Bool("ok", true).Null("none");
    // -123450 öre = -1234.50 kronor; 425 tenths = 42.5.
    o.Kronor("amount", domain::Money::FromOre(-123450)).Decimal("km", 425, 1);
    JsonArray list = o.Array("list");
    list.Integer(1).String("two");
    list.Object().Integer("three", 3).Close();
    list.Close();
    o.KronorOrNull("maybe", std::nullopt).StringOrNull("name", std::string("x")).Raw("raw", "[]");
    o.Close();
    if (spacing == JsonSpacing::kCompact) {
      CHECK(out == R"({"id":"E-1","seq":-7,"ok":true,"none":null,"amount":"-1234.50","km":"42.5",)"
                   R"("list":[1,"two",{"three":3}],"maybe":null,"name":"x","raw":[]})");
    } else {
      CHECK(out == R"({"id": "E-1", "seq": -7, "ok": true, "none": null, "amount": "-1234.50", "km": "42.5", )"
                   R"("list": [1, "two", {"three": 3}], "maybe": null, "name": "x", "raw": []})");
    }
  }
}

TEST_CASE("an empty object and an empty array are {} and []") {
  std::string out;
  JsonObject(out, JsonSpacing::kSpaced).Close();
  JsonArray(out, JsonSpacing::kSpaced).Close();
  CHECK(out == "{}[]");
  const std::vector<int> none;
  CHECK(codec::JsonArrayOf(none, JsonSpacing::kSpaced, [](JsonArray& a, int n) { a.Integer(n); }) == "[]");
  const std::vector<int> three{1, 2, 3};
  CHECK(codec::JsonArrayOf(three, JsonSpacing::kSpaced, [](JsonArray& a, int n) { a.Integer(n); }) == "[1, 2, 3]");
}

}  // namespace
}  // namespace capledger::testing
