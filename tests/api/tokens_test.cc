// Bearer tokens: the file format, the refusals, and that no message repeats a token.
#include <doctest/doctest.h>

#include "api/tokens.h"

namespace capledger::api {
namespace {

TEST_CASE("a tokens file gives each token its role; blank lines and comments are skipped") {
  auto table = TokenTable::Parse("# the region's tokens\n\nauditor  aaaaaaaaaaaaaaaa1\r\n\toperator\tbbbbbbbbbbbbbbbb2\n");
  REQUIRE(table.has_value());
  CHECK(table->size() == 2);
  CHECK(table->Find("aaaaaaaaaaaaaaaa1") == Role::kAuditor);
  CHECK(table->Find("bbbbbbbbbbbbbbbb2") == Role::kOperator);
  CHECK_FALSE(table->Find("aaaaaaaaaaaaaaaa").has_value());   // a prefix is not the token
  CHECK_FALSE(table->Find("aaaaaaaaaaaaaaaa12").has_value());  // nor is a longer one
  CHECK_FALSE(table->Find("").has_value());
}

TEST_CASE("an operator may do what an auditor may, not the other way round") {
  CHECK(Allows(Role::kOperator, Role::kAuditor));
  CHECK(Allows(Role::kOperator, Role::kOperator));
  CHECK(Allows(Role::kAuditor, Role::kAuditor));
  CHECK_FALSE(Allows(Role::kAuditor, Role::kOperator));
}

TEST_CASE("a bad line is refused with its number, and the message never holds the token") {
  struct Case {
    const char* text;
    const char* problem;
  };
  const Case cases[] = {
      {"auditor\n", "line 1: expected ROLE TOKEN"},
      {"admin cccccccccccccccc3\n", "line 1: unknown role"},
      {"auditor cccccccccccccccc3 extra\n", "line 1: expected ROLE TOKEN"},
      {"# ok\nauditor short-token\n", "line 2: the token is shorter than 16"},
      {"auditor cccccccccccccccc3\noperator cccccccccccccccc3\n", "line 2: the token is given twice"},
  };
  for (const auto& c : cases) {
    auto table = TokenTable::Parse(c.text);
    REQUIRE_FALSE(table.has_value());
    CHECK(table.error().code == ErrorCode::kInvalidArgument);
    CHECK_MESSAGE(table.error().message.starts_with(c.problem), table.error().message);
    CHECK(table.error().message.find("cccccccccccccccc3") == std::string::npos);
    CHECK(table.error().message.find("short-token") == std::string::npos);
  }
}

TEST_CASE("a tokens file that cannot be read is not found") {
  auto table = TokenTable::Load("/nonexistent/tokens");
  REQUIRE_FALSE(table.has_value());
  CHECK(table.error().code == ErrorCode::kNotFound);
}

}  // namespace
}  // namespace capledger::api
