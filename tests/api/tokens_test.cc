// Bearer tokens: the file format, the refusals, and that no message repeats a token.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "api/tokens.h"
#include "common/crypto.h"

namespace capledger::api {
namespace {

TEST_CASE("a tokens file gives each token its role; blank lines and comments are skipped") {
  auto table = TokenTable::Parse("# the region's tokens\n\nauditor  aaaaaaaaaaaaaaaa1\r\n\toperator\tbbbbbbbbbbbbbbbb2\n");
  REQUIRE(table.has_value());
  CHECK(table->size() == 2);
  CHECK(table->Find("aaaaaaaaaaaaaaaa1")->role == Role::kAuditor);
  CHECK(table->Find("bbbbbbbbbbbbbbbb2")->role == Role::kOperator);
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

TEST_CASE("a resident lookup reads as an auditor, looks residents up, and runs no payout; no one else looks up") {
  CHECK(Allows(Role::kResidentLookup, Role::kAuditor));
  CHECK(Allows(Role::kResidentLookup, Role::kResidentLookup));
  CHECK_FALSE(Allows(Role::kResidentLookup, Role::kOperator));
  CHECK_FALSE(Allows(Role::kOperator, Role::kResidentLookup));
  CHECK_FALSE(Allows(Role::kAuditor, Role::kResidentLookup));
}

TEST_CASE("a token's holder is its line's name, or the token's digest prefix when the line names none") {
  auto table = TokenTable::Parse("resident_lookup dddddddddddddddd4 anna.svensson@regionorebrolan.se\n"
                                 "auditor eeeeeeeeeeeeeeee5\n");
  REQUIRE(table.has_value());
  auto anna = table->Find("dddddddddddddddd4");
  REQUIRE(anna.has_value());
  CHECK(anna->role == Role::kResidentLookup);
  CHECK(anna->who == "anna.svensson@regionorebrolan.se");
  // The first 4 bytes of SHA-256("eeeeeeeeeeeeeeee5"), as hex: computed here, not copied.
  const crypto::Digest digest = crypto::Sha256Of("eeeeeeeeeeeeeeee5");
  CHECK(table->Find("eeeeeeeeeeeeeeee5")->who == "token " + crypto::Hex(std::span(digest.data(), 4)));
  CHECK(table->Find("eeeeeeeeeeeeeeee5")->who.size() == 6 + 8);
}

TEST_CASE("a bad line is refused with its number, and the message never holds the token") {
  struct Case {
    const char* text;
    const char* problem;
  };
  const Case cases[] = {
      {"auditor\n", "line 1: expected ROLE TOKEN [NAME]"},
      {"admin cccccccccccccccc3\n", "line 1: unknown role"},
      {"auditor cccccccccccccccc3 name extra\n", "line 1: expected ROLE TOKEN [NAME]"},
      {"auditor cccccccccccccccc3 anna/svensson\n", "line 1: the name must be"},
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

TEST_CASE("a tokens file with no token in it is refused: nobody could use the service") {
  const std::string path = "/tmp/capledger-tokens-test-" + std::to_string(::getpid());
  std::ofstream(path) << "# no tokens yet\n\n";
  auto table = TokenTable::Load(path);
  std::remove(path.c_str());
  REQUIRE_FALSE(table.has_value());
  CHECK(table.error().code == ErrorCode::kInvalidArgument);
  CHECK(table.error().message.find("holds no token") != std::string::npos);
}

TEST_CASE("a tokens file that cannot be read is not found") {
  auto table = TokenTable::Load("/nonexistent/tokens");
  REQUIRE_FALSE(table.has_value());
  CHECK(table.error().code == ErrorCode::kNotFound);
}

}  // namespace
}  // namespace capledger::api
