// EventSink: the order, ids, sources, retraction targets and cutoff of the generated lines.
#include <cstdio>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "domain/date.h"
#include "worldgen/sink.h"

namespace capledger::worldgen {
namespace {

const domain::Date kJuly{std::chrono::year(2023), std::chrono::July, std::chrono::day(1)};

// Everything written to `file` so far.
std::string Contents(std::FILE* file) {
  std::string text;
  std::rewind(file);
  char chunk[4096];
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof(chunk), file)) > 0;) text.append(chunk, n);
  return text;
}

domain::MissionEnded Ended(const domain::ClinicId& clinic) { return domain::MissionEnded{clinic, "bvc", kJuly}; }

// The line of a MissionEnded for `clinic`, recorded `micros` after the epoch (below 1 s).
std::string EndedLine(int line, int micros, std::string_view clinic) {
  char stamp[32];
  std::snprintf(stamp, sizeof(stamp), "1970-01-01T00:00:00.%06dZ", micros);
  return "{\"type\":\"MissionEnded\",\"id\":\"gen-" + std::to_string(line) +
         "\",\"source\":\"hälsovalsenheten\",\"recorded_at\":\"" + stamp + "\",\"clinic\":\"" + std::string(clinic) +
         "\",\"mission\":\"bvc\",\"effective\":\"2023-07-01\"}\n";
}

PersonnummerText Pnr(std::string_view text) {
  PersonnummerText pnr;
  text.copy(pnr.chars.data(), text.size());
  pnr.size = static_cast<std::uint8_t>(text.size());
  return pnr;
}

TEST_CASE("held events are written in recorded_at order, ties in the order held, numbered by line") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  EventSink sink(file, 1'000'000);
  sink.Write(10, Ended("VC-W"));
  sink.Hold(PendingEvent{30, Ended("VC-C")});
  sink.Hold(PendingEvent{20, Ended("VC-A")});
  sink.Hold(PendingEvent{20, Ended("VC-B")});
  sink.FlushBefore(25);  // the two at 20 µs; the one at 30 µs waits
  CHECK(sink.lines() == 3);
  REQUIRE(sink.Finish());
  CHECK(Contents(file) == EndedLine(1, 10, "VC-W") + EndedLine(2, 20, "VC-A") + EndedLine(3, 20, "VC-B") +
                              EndedLine(4, 30, "VC-C"));
  CHECK(sink.count(domain::EventType::kMissionEnded) == 4);
  CHECK(sink.dropped() == 0);
  std::fclose(file);
}

TEST_CASE("a retraction names the line its target was written on, and a listing carries its personnummer") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  EventSink sink(file, 1'000'000);
  sink.Write(1, Ended("VC-W"));
  const std::int32_t tag = sink.NewTag();
  PendingEvent listed{5, domain::PatientListed{{}, "VC-B", kJuly, domain::ListingReason::kChoice},
                      Pnr("19580531-1239")};
  listed.tag = tag;
  sink.Hold(std::move(listed));
  PendingEvent retraction{7, domain::EventRetracted{{}, "wrong clinic"}};
  retraction.target_tag = tag;
  sink.Hold(std::move(retraction));
  REQUIRE(sink.Finish());
  CHECK(Contents(file) ==
        EndedLine(1, 1, "VC-W") +
            R"({"type":"PatientListed","id":"gen-2","source":"1177-listning","recorded_at":"1970-01-01T00:00:00.000005Z",)"
            R"("personnummer":"19580531-1239","clinic":"VC-B","effective":"2023-07-01","reason":"choice"})"
            "\n"
            R"({"type":"EventRetracted","id":"gen-3","source":"1177-listning","recorded_at":"1970-01-01T00:00:00.000007Z",)"
            R"("target":"gen-2","reason":"wrong clinic"})"
            "\n");
  std::fclose(file);
}

TEST_CASE("an event recorded after the cutoff is dropped unless it is marked to be kept") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  EventSink sink(file, 100);
  sink.Hold(PendingEvent{100, Ended("VC-A")});  // at the cutoff: kept
  sink.Hold(PendingEvent{101, Ended("VC-B")});  // after it: dropped
  PendingEvent kept{102, Ended("VC-C")};
  kept.keep_after_cutoff = true;
  sink.Hold(std::move(kept));
  REQUIRE(sink.Finish());
  CHECK(Contents(file) == EndedLine(1, 100, "VC-A") + EndedLine(2, 102, "VC-C"));
  CHECK(sink.lines() == 2);
  CHECK(sink.dropped() == 1);
  std::fclose(file);
}

TEST_CASE("each generated type has its sending system") {
  CHECK(SourceOf(domain::EventType::kResidentDied) == "navet");
  CHECK(SourceOf(domain::EventType::kPatientUnlisted) == "1177-listning");
  CHECK(SourceOf(domain::EventType::kEventRetracted) == "1177-listning");
  CHECK(SourceOf(domain::EventType::kCniReported) == "scb");
  CHECK(SourceOf(domain::EventType::kBudgetFrameSet) == "hälsovalsenheten");
}

}  // namespace
}  // namespace capledger::worldgen
