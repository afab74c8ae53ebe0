// Where the generator's events go: lines written at once, or held until their recorded_at comes
// up, then written in recorded_at order with ids gen-1, gen-2, ... in line order.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace capledger::app::gen {

// The event types the generator writes.
enum class Kind : std::uint8_t {
  kRulebookPublished,
  kClinicRegistered,
  kResidentRegistered,
  kResidentMovedOut,
  kResidentDied,
  kResidentRelocated,
  kPatientListed,
  kPatientUnlisted,
  kVisitsReported,
  kCniReported,
  kPerformanceReported,
  kEventRetracted,
  kMissionUndertaken,
  kMissionEnded,
  kBudgetFrameSet,
};
inline constexpr std::size_t kKindCount = 15;

// The JSON `type` of a kind.
std::string_view KindName(Kind kind);

// Microseconds since the Unix epoch (UTC), the unit of every recorded_at here.
using Micros = std::int64_t;
inline constexpr Micros kMicrosPerDay = 86'400'000'000;

// An event held back until the writer reaches its recorded_at.
struct PendingEvent {
  Micros recorded = 0;
  Kind kind = Kind::kRulebookPublished;
  bool keep_after_cutoff = false;  // a rulebook: written even if recorded after the cutoff
  std::int32_t tag = -1;           // >= 0: remember this event's line number under the tag
  std::int32_t target_tag = -1;    // >= 0: an EventRetracted of the event remembered there
  std::string body;                // the fields after recorded_at, without braces
};

// Writes JSON Lines `{"type":..,"id":"gen-N","source":..,"recorded_at":..,<body>}` through a
// 4 MiB buffer. recorded_at never decreases along the output: a line written at once may not
// be earlier than the last one (asserted), and pending events are written by FlushBefore in
// (recorded, order of Hold) order. Events recorded after `cutoff` are dropped, except those
// marked keep_after_cutoff.
class EventSink {
 public:
  EventSink(std::FILE* out, Micros cutoff);

  // Writes one line now, recorded at `recorded` (REQUIRES >= the last line's).
  void Write(Kind kind, Micros recorded, std::string_view body);
  // Holds an event until FlushBefore passes its recorded time.
  void Hold(PendingEvent event);
  // A fresh tag for PendingEvent::tag.
  std::int32_t NewTag();
  // Writes every held event recorded before `limit`, in order.
  void FlushBefore(Micros limit);
  // Writes every held event, dropping those after the cutoff; then flushes the file.
  Status Finish();

  std::uint64_t lines() const { return lines_; }
  std::uint64_t dropped() const { return dropped_; }
  // How many lines of each kind were written.
  const std::array<std::uint64_t, kKindCount>& counts() const { return counts_; }

 private:
  void AppendLine(Kind kind, Micros recorded, std::int32_t target_tag, std::string_view body);
  void AppendTimestamp(Micros recorded);
  void Drain();

  std::FILE* out_;
  Micros cutoff_;
  Micros last_ = INT64_MIN;
  std::uint64_t lines_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t next_order_ = 0;
  std::string buffer_;
  bool write_failed_ = false;
  std::int64_t cached_second_ = INT64_MIN;
  std::string cached_prefix_;  // "YYYY-MM-DDTHH:MM:SS" of cached_second_
  std::vector<std::pair<std::uint64_t, PendingEvent>> pending_;  // (order, event)
  std::vector<std::uint64_t> tag_lines_;                          // tag -> line number, 0 unset
  std::array<std::uint64_t, kKindCount> counts_{};
};

}  // namespace capledger::app::gen
