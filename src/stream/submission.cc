#include "stream/submission.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include <fmt/format.h>

namespace capledger::stream {
namespace {

// A decimal number that is all of `text`, or nullopt.
template <typename Int>
std::optional<Int> ParseWhole(std::string_view text) {
  Int value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

SubmissionKind KindOf(std::optional<std::string_view> header) {
  if (!header || *header == kEventSubmission) return SubmissionKind::kEvent;
  if (*header == kPayoutSubmission) return SubmissionKind::kPayout;
  if (*header == kPublicationSubmission) return SubmissionKind::kPublication;
  return SubmissionKind::kUnknown;
}

std::string FormatInput(const InputPosition& input) {
  return fmt::format("{}/{}/{}", input.topic, input.partition, input.offset);
}

// The topic may itself hold no '/' (Kafka topic names never do); the last two fields are numbers.
std::optional<InputPosition> ParseInput(std::string_view text) {
  const auto last = text.rfind('/');
  if (last == std::string_view::npos || last == 0) return std::nullopt;
  const auto middle = text.rfind('/', last - 1);
  if (middle == std::string_view::npos || middle == 0) return std::nullopt;
  const std::string_view topic = text.substr(0, middle);
  if (topic.find('/') != std::string_view::npos) return std::nullopt;
  const auto partition = ParseWhole<std::int32_t>(text.substr(middle + 1, last - middle - 1));
  const auto offset = ParseWhole<std::int64_t>(text.substr(last + 1));
  if (!partition || !offset || *partition < 0 || *offset < 0) return std::nullopt;
  return InputPosition{std::string(topic), *partition, *offset};
}

std::string EncodePayout(domain::Month month) { return domain::FormatMonth(month); }

Result<domain::Month> DecodePayout(std::string_view value) {
  auto month = domain::ParseMonth(value);
  if (!month) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("a payout submission holds a month YYYY-MM, not `{}`", value.substr(0, 32)));
  }
  return *month;
}

std::string EncodePublication(const PublicationRequest& request) {
  return fmt::format("{} {} {} {}", request.year, domain::FormatMonth(request.through), request.known_at_seq,
                     request.manifest_sha256);
}

Result<PublicationRequest> DecodePublication(std::string_view value) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0; start <= value.size();) {
    const std::size_t end = std::min(value.find(' ', start), value.size());
    parts.push_back(value.substr(start, end - start));
    start = end + 1;
  }
  auto bad = [&](std::string_view what) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("a publication is \"YEAR THROUGH KNOWN_AT_SEQ MANIFEST_SHA256\"; {} in `{}`", what,
                            value.substr(0, 120)));
  };
  if (parts.size() != 4) return bad("not four parts");
  const auto year = ParseWhole<int>(parts[0]);
  if (!year || *year < 1900 || *year > 9999) return bad("no year");
  auto through = domain::ParseMonth(parts[1]);
  if (!through || static_cast<int>(through->year()) != *year) return bad("no month of that year");
  const auto known_at = ParseWhole<std::uint64_t>(parts[2]);
  if (!known_at || *known_at == 0) return bad("no seq");
  const bool hex = parts[3].size() == 64 && parts[3].find_first_not_of("0123456789abcdef") == std::string_view::npos;
  if (!hex) return bad("no SHA-256 in hex");
  return PublicationRequest{*year, *through, *known_at, std::string(parts[3])};
}

}  // namespace capledger::stream
