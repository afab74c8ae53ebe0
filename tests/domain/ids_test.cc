// The id rules of DOMAIN.md §4 at their edges, written once in domain and used by both decoders.
#include <string>

#include <doctest/doctest.h>

#include "domain/ids.h"

namespace capledger::domain {
namespace {

TEST_CASE("a clinic id is 2 to 32 characters of A-Z, 0-9 and '-'") {
  CHECK(IsClinicIdText("VC"));
  CHECK(IsClinicIdText("VC-0001"));
  CHECK(IsClinicIdText(std::string(32, 'A')));
  CHECK_FALSE(IsClinicIdText("V"));                    // 1 character
  CHECK_FALSE(IsClinicIdText(std::string(33, 'A')));  // 33 characters
  CHECK_FALSE(IsClinicIdText("vc-0001"));              // lower case
  CHECK_FALSE(IsClinicIdText("VC 0001"));              // space
  CHECK_FALSE(IsClinicIdText("VC_0001"));
  CHECK_FALSE(IsClinicIdText("V\xC3\x85"));            // Å: not ASCII
}

TEST_CASE("an event id is 1 to 128 printable ASCII characters") {
  CHECK(IsEventIdText("e"));
  CHECK(IsEventIdText(" ~"));  // 0x20 and 0x7E are the edges
  CHECK(IsEventIdText(std::string(128, 'x')));
  CHECK_FALSE(IsEventIdText(""));
  CHECK_FALSE(IsEventIdText(std::string(129, 'x')));
  CHECK_FALSE(IsEventIdText("a\tb"));          // 0x09
  CHECK_FALSE(IsEventIdText("a\x7F"));         // DEL
  CHECK_FALSE(IsEventIdText("\xC3\xA5"));      // å in UTF-8
}

TEST_CASE("a SHA-256 is 64 lower-case hex digits") {
  CHECK(IsSha256HexText(std::string(64, 'a')));
  CHECK(IsSha256HexText("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  CHECK_FALSE(IsSha256HexText(std::string(63, 'a')));
  CHECK_FALSE(IsSha256HexText(std::string(65, 'a')));
  CHECK_FALSE(IsSha256HexText(std::string(64, 'A')));  // upper case
  CHECK_FALSE(IsSha256HexText(std::string(64, 'g')));
}

TEST_CASE("a clinic id parsed from text keeps the rule, and names the field when it is not one") {
  auto id = ClinicId::Parse("VC-1880-01");
  REQUIRE(id.has_value());
  CHECK(id->view() == "VC-1880-01");
  CHECK(*id == "VC-1880-01");
  CHECK(*id == ClinicId("VC-1880-01"));  // a literal, checked when this file compiled
  CHECK(ClinicId::Parse(std::string(32, 'A')).has_value());
  for (const std::string_view bad : {"", "V", "vc-1880-01", "VC 1880", "<script>", "VC-1880-01\n"}) {
    CAPTURE(bad);
    auto refused = ClinicId::Parse(bad, "vs_clinic");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::kInvalidArgument);
    CHECK(refused.error().message.starts_with("vs_clinic: not a clinic id"));
  }
  CHECK_FALSE(ClinicId::Parse(std::string(33, 'A')).has_value());
}

TEST_CASE("clinic ids order, hash and print as their text") {
  const ClinicId a = "VC-1";
  const ClinicId b = "VC-2";
  CHECK(a < b);
  CHECK(std::hash<ClinicId>{}(a) == std::hash<std::string_view>{}("VC-1"));
  CHECK(std::string(std::string_view(b)) == "VC-2");
  CHECK(sizeof(ClinicId) <= 40);  // 32 characters and a length, inline
}

TEST_CASE("an event or entry id parsed from text keeps its rule (1-128 printable ASCII)") {
  const EventId literal = "E-2024-03-000017";
  CHECK(literal == "E-2024-03-000017");
  REQUIRE(EventId::Parse(std::string(128, 'x')).has_value());
  CHECK(EventId::Parse(std::string(128, 'x'))->view().size() == 128);
  for (const std::string& bad : {std::string(), std::string(129, 'x'), std::string("a\tb"), std::string("\xC3\xA5")}) {
    CAPTURE(bad);
    auto refused = EventId::Parse(bad, "entry id");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message == "entry id: not an id (1 to 128 printable ASCII characters)");
  }
}

}  // namespace
}  // namespace capledger::domain
