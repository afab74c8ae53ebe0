// The values and headers of submissions to the log topic (cluster mode): what the indexer reads
// back is what the submitter wrote, and anything else is refused naming what is wrong.
#include "stream/submission.h"

#include <string>

#include <doctest/doctest.h>

namespace capledger::stream {
namespace {

const std::string kSha(64, 'a');

TEST_CASE("the submission header names the kind; absent is an event") {
  CHECK(KindOf(std::nullopt) == SubmissionKind::kEvent);
  CHECK(KindOf("event") == SubmissionKind::kEvent);
  CHECK(KindOf("payout") == SubmissionKind::kPayout);
  CHECK(KindOf("publication") == SubmissionKind::kPublication);
  CHECK(KindOf("Payout") == SubmissionKind::kUnknown);
  CHECK(KindOf("") == SubmissionKind::kUnknown);
}

TEST_CASE("a payout's value is its month") {
  const auto month = std::chrono::year(2024) / std::chrono::March;
  CHECK(EncodePayout(month) == "2024-03");
  auto back = DecodePayout("2024-03");
  REQUIRE(back.has_value());
  CHECK(*back == month);
  CHECK_FALSE(DecodePayout("2024-13").has_value());
  CHECK_FALSE(DecodePayout("March").has_value());
}

TEST_CASE("a publication's value: year, through, K and the manifest's SHA-256, and back") {
  const PublicationRequest request{2024, std::chrono::year(2024) / std::chrono::November, 857068, kSha};
  const std::string value = EncodePublication(request);
  CHECK(value == "2024 2024-11 857068 " + kSha);
  auto back = DecodePublication(value);
  REQUIRE(back.has_value());
  CHECK(back->year == 2024);
  CHECK(back->through == std::chrono::year(2024) / std::chrono::November);
  CHECK(back->known_at_seq == 857068);
  CHECK(back->manifest_sha256 == kSha);
}

TEST_CASE("a publication's value that is not exactly that is refused, naming the part") {
  auto refused = [](const std::string& value, const std::string& part) {
    auto decoded = DecodePublication(value);
    REQUIRE_FALSE(decoded.has_value());
    CHECK(decoded.error().code == ErrorCode::kInvalidArgument);
    CHECK_MESSAGE(decoded.error().message.find(part) != std::string::npos, decoded.error().message);
  };
  refused("2024 2024-11 857068", "not four parts");
  refused("2024 2024-11 857068 " + kSha + " extra", "not four parts");
  refused("24 2024-11 857068 " + kSha, "no year");
  refused("2024 2023-11 857068 " + kSha, "no month of that year");  // through in another year
  refused("2024 2024-11 0 " + kSha, "no seq");
  refused("2024 2024-11 -5 " + kSha, "no seq");
  refused("2024 2024-11 857068 " + std::string(64, 'A'), "no SHA-256");  // upper case
  refused("2024 2024-11 857068 " + std::string(63, 'a'), "no SHA-256");
}

TEST_CASE("an upstream position is topic/partition/offset") {
  const InputPosition input{"halsoval.events", 3, 1234};
  CHECK(FormatInput(input) == "halsoval.events/3/1234");
  auto back = ParseInput("halsoval.events/3/1234");
  REQUIRE(back.has_value());
  CHECK(back->topic == "halsoval.events");
  CHECK(back->partition == 3);
  CHECK(back->offset == 1234);
  CHECK_FALSE(ParseInput("halsoval.events/3").has_value());
  CHECK_FALSE(ParseInput("a/b/3/4").has_value());
  CHECK_FALSE(ParseInput("halsoval.events/3/-1").has_value());
}

}  // namespace
}  // namespace capledger::stream
