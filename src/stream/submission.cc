#include "stream/submission.h"

#include <charconv>

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

}  // namespace capledger::stream
