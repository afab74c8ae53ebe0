// Submissions to a region's partition of the log topic (cluster mode, DESIGN.md §6): what a
// message there holds and how the indexer tells the kinds apart. No librdkafka types here, so
// that the rules are testable on their own (docs/cluster.md, "Submissions").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "domain/date.h"

namespace capledger::stream {

// The header naming a submission's kind, and its values. Absent: an event.
inline constexpr std::string_view kSubmissionHeader = "capledger-submission";
inline constexpr std::string_view kEventSubmission = "event";    // the value is an event, as on the events topic
inline constexpr std::string_view kPayoutSubmission = "payout";  // the value is a month, "YYYY-MM"
// The value is a publication: "YEAR THROUGH KNOWN_AT_SEQ MANIFEST_SHA256" (DOMAIN.md §11).
inline constexpr std::string_view kPublicationSubmission = "publication";
// The header of an event that came from the upstream events topic: "topic/partition/offset".
inline constexpr std::string_view kInputHeader = "capledger-input";

enum class SubmissionKind : std::uint8_t { kEvent, kPayout, kPublication, kUnknown };

// The kind named by the submission header (absent: kEvent).
SubmissionKind KindOf(std::optional<std::string_view> header);

// Where an upstream message was: the indexer applies each input offset once.
struct InputPosition {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
};

// "topic/partition/offset", and back (nullopt unless it is exactly that, offset >= 0).
std::string FormatInput(const InputPosition& input);
std::optional<InputPosition> ParseInput(std::string_view text);

// A payout submission's value, and back (kInvalidArgument naming the value if it is no month).
std::string EncodePayout(domain::Month month);
Result<domain::Month> DecodePayout(std::string_view value);

// What a publication submission asks the indexer to record (ledger::FollowUpEvent's arguments):
// the FollowUpPublished event is the ledger's own, never an input event.
struct PublicationRequest {
  int year = 0;
  domain::Month through;
  std::uint64_t known_at_seq = 0;
  std::string manifest_sha256;  // 64 lowercase hex digits
};

// A publication submission's value, and back (kInvalidArgument naming the part that is wrong).
std::string EncodePublication(const PublicationRequest& request);
Result<PublicationRequest> DecodePublication(std::string_view value);

}  // namespace capledger::stream
