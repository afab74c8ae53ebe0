// Resolving --known-at: an RFC 3339 time or "seq:N" (DESIGN.md §4).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "domain/seq.h"
#include "store/event_store.h"

namespace capledger::ledger {

// A resolved knowledge point: the seq K and the recorded_at of that event.
struct KnownAt {
  domain::Seq seq;
  Timestamp recorded_at{};
};

// Empty text means the head. "seq:N" must name a stored seq (kInvalidArgument otherwise, also for
// an N beyond 64 bits). A time means the last event recorded at or before it; a time in the future
// means the head, whatever its year (up to 9999). Errors name the parameter as `name` says
// ("--known-at" on the command line, "known_at" or "vs" in the API).
Result<KnownAt> ResolveKnownAt(const store::EventStore& store, const std::string& text,
                               std::string_view name = "--known-at");

}  // namespace capledger::ledger
