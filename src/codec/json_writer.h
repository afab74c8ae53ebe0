// Writes events as JSON: the `log` command's lines and the round-trip form of every event type.
#pragma once

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/crypto.h"
#include "domain/event.h"

namespace capledger::codec {

// Where an event sits in the log; printed by `log`.
struct LogPosition {
  std::uint64_t seq = 0;
  Timestamp recorded_at;
  crypto::Digest prev_hash{};
  crypto::Digest hash{};
};

// One JSON object on one line (no trailing newline), keys in a fixed order:
// "type", "id", "source" (only when non-empty), then — with a position — "seq", "recorded_at";
// then the body's fields in DOMAIN.md §4 order; then — with a position — "prev_hash", "hash".
// A resident is written as "resident" (32 hex pseudonym), "birth_date", "sex" ("female"/"male").
// Money is a string with two decimals (signed for ledger amounts), dates "YYYY-MM-DD", months
// "YYYY-MM", distances "42.5", fulfilment "0.875", cni "1.2345", municipality "0114".
// Deterministic: the same event always gives the same bytes.
std::string EventToJson(const domain::Event& event, const LogPosition* position);

}  // namespace capledger::codec
