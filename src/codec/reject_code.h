// Stable codes for rejected input (DOMAIN.md §4.1). The text names are the contract: they appear
// in `capledger rejects`, in API errors and in tests. Append only; never rename or reuse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace capledger::codec {

enum class RejectCode : std::uint16_t {
  kMalformedJson = 1,             // not one JSON object
  kUnknownType = 2,               // `type` names no event type
  kReservedType = 3,              // a ledger type (LedgerEntry, PayoutRun, FollowUpPublished): only the ledger appends those
  kMissingField = 4,              // a required field is absent
  kUnknownField = 5,              // a field the type does not have
  kWrongType = 6,                 // a field has the wrong JSON type (number for string, ...)
  kInvalidId = 7,                 // `id`/`target` not 1-128 printable ASCII; a bad rulebook or mission id
  kInvalidText = 8,               // free text too long, empty where required, or control characters
  kInvalidPersonnummer = 9,       // form, date or check digit
  kInvalidDate = 10,              // not YYYY-MM-DD or no such date; a `year` not "YYYY" in 1800-2999
  kInvalidMonth = 11,             // not YYYY-MM or no such month
  kInvalidMoney = 12,             // not a non-negative two-decimal string
  kInvalidDistance = 13,          // not ^[0-9]+\.[0-9]$
  kInvalidFulfilment = 14,        // not 0.000-1.000 with three decimals
  kInvalidCni = 15,               // not ^[0-9]+\.[0-9]{4}$
  kInvalidCount = 16,             // a count, population or `units` out of range
  kInvalidEnum = 17,              // a reason, operator or snapshot rule not in its list
  kInvalidMunicipality = 18,      // not a 4-digit kommun code
  kInvalidClinicId = 19,          // not [A-Z0-9-]{2,32}
  kInvalidPeriod = 20,            // period_from after period_to
  kCniMismatch = 21,              // the delivered cni differs from the one computed from hits
  kInvalidRulebook = 22,          // a rulebook rule beyond field shape (bands, valid dates, ...)
  kIdempotencyConflict = 23,      // the id is stored with another payload
  kRecordedAtBeforeHead = 24,     // recorded_at earlier than the log's last event
  kRecordedAtInFuture = 25,       // recorded_at later than now
  kInvalidRecordedAt = 26,        // recorded_at is not RFC 3339 UTC
  kUnknownRetractionTarget = 27,  // `target` is no stored id
  kRetractionOfRetraction = 28,   // `target` is itself a retraction
  kRetractionOfLedgerEvent = 29,  // `target` is a ledger entry or run: those are corrected by adjustments
  kLineTooLong = 30,              // longer than limits::kInputLineBytesMax
  kInvalidEncoding = 31,          // not valid UTF-8
  kInvalidEnvelope = 32,          // a FlatBuffers message that fails the Verifier or its checks
  kUnknownContentType = 33,       // a Kafka message whose content-type header names no format
  kPersonnummerInField = 34,      // a field other than `personnummer` holds a valid personnummer
  kLogFull = 35,                  // the log holds limits::kSeqMax events: it takes no more
  kTooManyClinics = 36,           // a new clinic id beyond limits::kClinicsMax distinct ones
};

// All codes, in number order (for tests and documentation).
inline constexpr RejectCode kAllRejectCodes[] = {
    RejectCode::kMalformedJson, RejectCode::kUnknownType, RejectCode::kReservedType,
    RejectCode::kMissingField, RejectCode::kUnknownField, RejectCode::kWrongType,
    RejectCode::kInvalidId, RejectCode::kInvalidText, RejectCode::kInvalidPersonnummer,
    RejectCode::kInvalidDate, RejectCode::kInvalidMonth, RejectCode::kInvalidMoney,
    RejectCode::kInvalidDistance, RejectCode::kInvalidFulfilment, RejectCode::kInvalidCni,
    RejectCode::kInvalidCount, RejectCode::kInvalidEnum, RejectCode::kInvalidMunicipality,
    RejectCode::kInvalidClinicId, RejectCode::kInvalidPeriod, RejectCode::kCniMismatch,
    RejectCode::kInvalidRulebook, RejectCode::kIdempotencyConflict, RejectCode::kRecordedAtBeforeHead,
    RejectCode::kRecordedAtInFuture, RejectCode::kInvalidRecordedAt,
    RejectCode::kUnknownRetractionTarget, RejectCode::kRetractionOfRetraction,
    RejectCode::kRetractionOfLedgerEvent, RejectCode::kLineTooLong, RejectCode::kInvalidEncoding,
    RejectCode::kInvalidEnvelope, RejectCode::kUnknownContentType, RejectCode::kPersonnummerInField,
    RejectCode::kLogFull, RejectCode::kTooManyClinics};

// "malformed_json", "idempotency_conflict", ...
std::string_view RejectCodeName(RejectCode code);
std::optional<RejectCode> RejectCodeFromName(std::string_view name);

// Why one input line (or rulebook file) was refused: the code, the field ("effective",
// "rulebook.capitation.bands[1].amount"; empty if the whole line) and a message that never repeats
// a personnummer. The caller adds the line number.
struct Rejection {
  RejectCode code;
  std::string field;
  std::string message;
};

// "line 12: field `effective`: date does not exist (invalid_date)".
std::string DescribeRejection(std::uint64_t line, const Rejection& rejection);

}  // namespace capledger::codec
