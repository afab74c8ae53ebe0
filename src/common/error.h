// Expected failures as values: a stable code and a message that names what went wrong.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace capledger {

// Stable numeric codes for failures a caller is expected to handle. Numbers are never reused;
// a retired code keeps its number and name.
enum class ErrorCode : std::uint16_t {
  kInvalidArgument = 1,      // the caller's input is malformed (message names line and field)
  kNotFound = 2,             // the thing asked for does not exist
  kCorruption = 3,           // stored or foreign bytes do not decode or do not verify
  kIdempotencyConflict = 4,  // an id is already stored with another payload
  kNoRulebookInForce = 5,    // no rulebook covers the month asked for
  kIoError = 6,              // the storage engine or the file system failed
  kSecretMismatch = 7,       // the region secret differs from the one the store was made with
  kRefused = 8,              // a well-formed request the current state does not allow
  kLogDamaged = 9,           // the log lost acknowledged events or cannot be replayed: it stays
                             // closed until an operator chooses a recovery
  kUnavailable = 10,         // a dependency (a broker, a full queue, a shutting-down service) cannot
                             // serve now; the same request may succeed later
  kInternal = 11,            // our own limit or arithmetic failed (an overflow): not the caller's
                             // fault, and not retryable as it stands
};

// The stable text name of a code, as shown to users ("invalid_argument", ...).
std::string_view ErrorCodeName(ErrorCode code);

// A failure: its stable code and a human-readable message naming the line and field if any.
struct Error {
  ErrorCode code;
  std::string message;
};

// Result<T> holds a T or the Error that prevented it. It is tl::expected<T, Error> with one
// addition: [[nodiscard]], so that a call whose failure is dropped does not compile (-Werror).
// A failure that is deliberately ignored is discarded with a (void) cast and a comment saying why.
template <typename T>
class [[nodiscard]] Result : public tl::expected<T, Error> {
 public:
  using tl::expected<T, Error>::expected;
  // From the plain tl::expected that and_then, map and or_else return.
  Result(tl::expected<T, Error> base) : tl::expected<T, Error>(std::move(base)) {}  // NOLINT: implicit on purpose
};

// Result<void> for operations that return nothing on success.
using Status = Result<void>;

// Builds an unexpected Error; `return Fail(ErrorCode::kNotFound, "no event 12");`.
inline tl::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace capledger
