#include "common/error.h"

namespace capledger {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kCorruption: return "corruption";
    case ErrorCode::kIdempotencyConflict: return "idempotency_conflict";
    case ErrorCode::kNoRulebookInForce: return "no_rulebook_in_force";
    case ErrorCode::kIoError: return "io_error";
    case ErrorCode::kSecretMismatch: return "secret_mismatch";
    case ErrorCode::kRefused: return "refused";
    case ErrorCode::kLogDamaged: return "log_damaged";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

}  // namespace capledger
