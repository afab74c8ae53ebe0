// Writes events as JSON: the `log` command's lines, the round-trip form of every event type, and
// the input form that `ingest` reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/crypto.h"
#include "domain/event.h"

namespace capledger::codec {

// Where an event sits in the log; printed by `log`.
struct LogPosition {
  domain::Seq seq;
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

// What an input line carries besides its event (DOMAIN.md §4).
struct InputLineExtras {
  std::optional<Timestamp> recorded_at;  // a backfill's knowledge time; absent: none is written
  std::string_view personnummer;         // the resident's number, for an event about a resident
};

// Appends the input form of `event` to `out`, the JSON Lines `ingest` reads (no newline):
// "type", "id", "source" (only when non-empty), "recorded_at" (only when given), then the body's
// fields as EventToJson writes them, except that a resident is written as "personnummer" (exactly
// `extras.personnummer`) in place of "resident", "birth_date" and "sex": the event's ResidentRef is
// not written, since the decoder derives it from the number. JsonLineDecoder gives back `event`
// with the resident of that number. Keeps no reference.
// REQUIRES: extras.personnummer is non-empty exactly when the event is about a resident.
void AppendInputJson(std::string& out, const domain::Event& event, const InputLineExtras& extras);

}  // namespace capledger::codec
