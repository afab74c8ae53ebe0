// Decodes and validates one JSON Lines input event (DOMAIN.md §4, §4.1).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include <tl/expected.hpp>

#include "codec/reject_code.h"
#include "common/clock.h"
#include "domain/event.h"

namespace capledger::codec {

// A line that passed every check that needs no other event.
struct DecodedLine {
  domain::Event event;
  std::optional<Timestamp> recorded_at;  // only when the line carried one (backfill)
};

// Turns one JSON object per line into a validated, pseudonymized Event, or a Rejection.
//
// Checks everything DOMAIN.md §4.1 lists that looks only at the line itself: JSON shape, known
// type, required fields present and of the right JSON type, no unknown fields, personnummer,
// dates, months, money, distances, fulfilment, cni (and that a delivered cni equals the one
// computed from hits), counts, enums, municipality and clinic id shapes, text lengths, rulebook
// rules. Checks that need the log (idempotency, recorded_at order, retraction targets) are the
// store's. Ledger types (LedgerEntry, PayoutRun) are refused as kReservedType.
//
// The personnummer is replaced by its pseudonym, birth date and sex; it is never kept.
// Not thread-safe (holds a parser and a keyed hash); use one decoder per thread.
class JsonLineDecoder {
 public:
  struct Options {
    // Also decode LedgerEntry and PayoutRun lines in the form EventToJson writes them (for
    // round-trip tests and restoring a log); input ingest leaves this false.
    bool accept_ledger_types = false;
  };

  // `secret` is the region's secret key for pseudonyms; it is copied.
  explicit JsonLineDecoder(std::span<const std::uint8_t> secret);
  JsonLineDecoder(std::span<const std::uint8_t> secret, Options options);
  ~JsonLineDecoder();
  JsonLineDecoder(const JsonLineDecoder&) = delete;
  JsonLineDecoder& operator=(const JsonLineDecoder&) = delete;

  // Decodes one line (without its trailing newline).
  tl::expected<DecodedLine, Rejection> Decode(std::string_view line);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace capledger::codec
