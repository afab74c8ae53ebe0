#include "codec/reject_code.h"

#include <array>

#include <fmt/format.h>

namespace capledger::codec {
namespace {

constexpr std::array<std::string_view, 36> kNames = {
    "malformed_json", "unknown_type", "reserved_type", "missing_field", "unknown_field",
    "wrong_type", "invalid_id", "invalid_text", "invalid_personnummer", "invalid_date",
    "invalid_month", "invalid_money", "invalid_distance", "invalid_fulfilment", "invalid_cni",
    "invalid_count", "invalid_enum", "invalid_municipality", "invalid_clinic_id", "invalid_period",
    "cni_mismatch", "invalid_rulebook", "idempotency_conflict", "recorded_at_before_head",
    "recorded_at_in_future", "invalid_recorded_at", "unknown_retraction_target",
    "retraction_of_retraction", "retraction_of_ledger_event", "line_too_long", "invalid_encoding",
    "invalid_envelope", "unknown_content_type", "personnummer_in_field", "log_full",
    "too_many_clinics"};

static_assert(kNames.size() == std::size(kAllRejectCodes));

}  // namespace

std::string_view RejectCodeName(RejectCode code) {
  const auto index = static_cast<std::size_t>(code);
  return index >= 1 && index <= kNames.size() ? kNames[index - 1] : std::string_view("unknown");
}

std::optional<RejectCode> RejectCodeFromName(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<RejectCode>(i + 1);
  }
  return std::nullopt;
}

std::string DescribeRejection(std::uint64_t line, const Rejection& r) {
  if (r.field.empty()) return fmt::format("line {}: {} ({})", line, r.message, RejectCodeName(r.code));
  return fmt::format("line {}: field `{}`: {} ({})", line, r.field, r.message, RejectCodeName(r.code));
}

}  // namespace capledger::codec
