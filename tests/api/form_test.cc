// Form bodies as browsers post them: decoding, and the refusals.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "api/form.h"

namespace capledger::api {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("a form's fields are decoded in order: '+' is a space, %XX a byte") {
  auto fields = ParseForm("month=2024-03&confirm=yes&note=a+b%2Bc%26d%3D");
  REQUIRE(fields.has_value());
  CHECK(*fields == Fields{{"month", "2024-03"}, {"confirm", "yes"}, {"note", "a b+c&d="}});
}

TEST_CASE("UTF-8 arrives percent-encoded and is kept; empty names and values are fields too") {
  // "Örebro" is C3 96 in UTF-8 for the Ö.
  auto fields = ParseForm("name=%C3%96rebro&=&empty=");
  REQUIRE(fields.has_value());
  CHECK(*fields == Fields{{"name", "\xC3\x96rebro"}, {"", ""}, {"empty", ""}});
  CHECK(ParseForm("")->empty());
}

TEST_CASE("malformed forms are refused with the field's number") {
  auto no_eq = ParseForm("a=1&b");
  REQUIRE_FALSE(no_eq.has_value());
  CHECK(no_eq.error().code == ErrorCode::kInvalidArgument);
  CHECK(no_eq.error().message == "form: field 2 has no '='");
  CHECK(ParseForm("a=%4").error().message == "form: field 1's value has a '%' not followed by two hex digits");
  CHECK(ParseForm("a=%zz").error().message == "form: field 1's value has a '%' not followed by two hex digits");
  CHECK(ParseForm("%C3=1").error().message == "form: field 1's name is not text (UTF-8 without control characters)");
  CHECK(ParseForm("a=%0A").error().message == "form: field 1's value is not text (UTF-8 without control characters)");
  CHECK(ParseForm("a=%00").has_value() == false);
}

TEST_CASE("more than kFormFieldsMax fields are refused") {
  std::string body = "f=1";
  for (std::size_t i = 1; i < kFormFieldsMax; ++i) body += "&f=1";
  CHECK(ParseForm(body)->size() == kFormFieldsMax);  // 16 fields: accepted
  CHECK(ParseForm(body + "&f=1").error().message == "form: more than 16 fields");
}

}  // namespace
}  // namespace capledger::api
