// Where the generator's events go: lines written at once, or held until their recorded_at comes
// up, then written in recorded_at order with ids gen-1, gen-2, ... in line order. Each line is a
// domain event in the input form codec writes (codec::AppendInputJson).
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/event.h"

namespace capledger::worldgen {

// The event types the generator writes, in the order of WorldSummary::lines_per_type.
inline constexpr std::array<domain::EventType, 15> kGeneratedTypes = {
    domain::EventType::kRulebookPublished,   domain::EventType::kClinicRegistered,
    domain::EventType::kResidentRegistered,  domain::EventType::kResidentMovedOut,
    domain::EventType::kResidentDied,        domain::EventType::kResidentRelocated,
    domain::EventType::kPatientListed,       domain::EventType::kPatientUnlisted,
    domain::EventType::kVisitsReported,      domain::EventType::kCniReported,
    domain::EventType::kPerformanceReported, domain::EventType::kEventRetracted,
    domain::EventType::kMissionUndertaken,   domain::EventType::kMissionEnded,
    domain::EventType::kBudgetFrameSet,
};

// The sending system of a generated event's type (DOMAIN.md §4): navet, 1177-listning, scb or
// hälsovalsenheten. REQUIRES: `type` is one of kGeneratedTypes.
std::string_view SourceOf(domain::EventType type);

// Microseconds since the Unix epoch (UTC), the unit of every recorded_at here.
using Micros = std::int64_t;
inline constexpr Micros kMicrosPerDay = 86'400'000'000;

// A personnummer as a line carries it: "YYYYMMDDNNNC" or "YYYYMMDD-NNNC". Empty for an event
// about no resident.
struct PersonnummerText {
  std::array<char, 13> chars{};
  std::uint8_t size = 0;
  std::string_view view() const { return {chars.data(), size}; }
};

// An event held back until the writer reaches its recorded_at.
struct PendingEvent {
  Micros recorded = 0;
  domain::EventBody body{};         // the resident's ResidentRef is not written (see PersonnummerText)
  PersonnummerText personnummer{};  // for an event about a resident
  bool keep_after_cutoff = false;   // a rulebook: written even if recorded after the cutoff
  std::int32_t tag = -1;            // >= 0: remember this event's line number under the tag
  std::int32_t target_tag = -1;     // >= 0: `body` is an EventRetracted of the event remembered there
};

// Writes JSON Lines `{"type":..,"id":"gen-N","source":..,"recorded_at":..,<fields>}` through a
// 4 MiB buffer. recorded_at never decreases along the output: a line written at once may not
// be earlier than the last one (asserted), and pending events are written by FlushBefore in
// (recorded, order of Hold) order. Events recorded after `cutoff` are dropped, except those
// marked keep_after_cutoff. Keeps `out`, which must outlive the sink.
class EventSink {
 public:
  EventSink(std::FILE* out, Micros cutoff);

  // Writes one line now, recorded at `recorded` (REQUIRES >= the last line's).
  void Write(Micros recorded, domain::EventBody body, PersonnummerText personnummer = {});
  // Holds an event until FlushBefore passes its recorded time.
  void Hold(PendingEvent event);
  // A fresh tag for PendingEvent::tag.
  std::int32_t NewTag();
  // Writes every held event recorded before `limit`, in order.
  void FlushBefore(Micros limit);
  // Writes every held event, dropping those after the cutoff; then flushes the file. kIoError if
  // any write failed.
  Status Finish();

  std::uint64_t lines() const { return lines_; }
  std::uint64_t dropped() const { return dropped_; }
  // How many lines of `type` were written.
  std::uint64_t count(domain::EventType type) const { return counts_[static_cast<std::size_t>(type)]; }

 private:
  void AppendLine(Micros recorded, domain::EventBody&& body, std::string_view personnummer, std::int32_t target_tag);
  void Drain();

  std::FILE* out_;
  Micros cutoff_;
  Micros last_ = INT64_MIN;
  std::uint64_t lines_ = 0;
  std::uint64_t dropped_ = 0;
  std::string buffer_;
  bool write_failed_ = false;
  domain::Event event_;                      // the line being written, its strings' storage reused
  // In order of Hold; each on the heap, so that the vector's spare capacity stays small (a
  // domain::EventBody is sized by its largest alternative, the rulebook).
  std::vector<std::unique_ptr<PendingEvent>> pending_;
  std::vector<std::uint64_t> tag_lines_;     // tag -> line number, 0 unset
  std::array<std::uint64_t, domain::kEventTypeCount + 1> counts_{};  // by EventType number
};

}  // namespace capledger::worldgen
