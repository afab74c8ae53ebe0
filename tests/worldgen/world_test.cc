// The generated world: personnummer, presets and options, determinism, and a small world that
// the ingest decoder reads line by line without a rejection.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "codec/json_line_decoder.h"
#include "domain/date.h"
#include "support/personnummer.h"
#include "worldgen/generate.h"
#include "worldgen/world.h"

namespace capledger::worldgen {
namespace {

constexpr std::array<std::uint8_t, 32> kSecret = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3,
                                                  2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5};

// config/rulebooks of the repository: CAPLEDGER_SOURCE_DIR (set by ctest), else the nearest parent
// of the working directory that holds it.
std::filesystem::path RulebookDir() {
  if (const char* dir = std::getenv("CAPLEDGER_SOURCE_DIR")) return std::filesystem::path(dir) / "config" / "rulebooks";
  std::filesystem::path at = std::filesystem::current_path();
  for (int up = 0; up < 6 && !std::filesystem::exists(at / "config" / "rulebooks"); ++up) at = at.parent_path();
  return at / "config" / "rulebooks";
}

// The tiny preset with `residents` people for `years`, and the shipped rulebooks.
GenerateOptions SmallWorld(std::int64_t residents, int years, std::uint64_t seed) {
  auto preset = FindPreset("tiny");
  REQUIRE(preset);
  preset->residents = residents;
  auto rulebooks = LoadRulebooks(RulebookDir());
  REQUIRE(rulebooks);
  return GenerateOptions{*preset, years, seed, 2023, std::move(*rulebooks)};
}

struct Generated {
  WorldSummary summary;
  std::string text;
};

Generated Generate(const GenerateOptions& options) {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  auto summary = GenerateWorld(options, file);
  REQUIRE(summary);
  Generated out{*summary, {}};
  std::rewind(file);
  char chunk[65536];
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof(chunk), file)) > 0;) out.text.append(chunk, n);
  std::fclose(file);
  return out;
}

Person PersonBornOn(int y, unsigned m, unsigned d, std::uint16_t serial, std::uint8_t flags) {
  const domain::Date birth{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  return Person{domain::DaysSinceEpoch(birth), serial, 0, kNoClinic, kNeverChanged, flags};
}

TEST_CASE("a personnummer has its Luhn check digit, with or without the dash, and day + 60 for a samordningsnummer") {
  // 580531123 with weights 2,1,2,...: 10→1, 8, 0, 5, 6, 1, 2, 2, 6 = 31 → check (10 - 1) % 10 = 9.
  const Person person = PersonBornOn(1958, 5, 31, 123, 0);
  CHECK(PersonnummerOf(person, true).view() == "19580531-1239");
  CHECK(PersonnummerOf(person, false).view() == "195805311239");
  // 580591123: 10→1, 8, 0, 5, 18→9, 1, 2, 2, 6 = 34 → check 6.
  const Person coordinated = PersonBornOn(1958, 5, 31, 123, kCoordinationNumber);
  CHECK(PersonnummerOf(coordinated, true).view() == "19580591-1236");
  // Serial 7 is written with three digits: 800101007 → 16→7, 0, 0, 1, 0, 1, 0, 0, 14→5 = 14 → check 6.
  CHECK(PersonnummerOf(PersonBornOn(1980, 1, 1, 7, 0), true).view() == "19800101-0076");
  CHECK(PersonnummerOf(PersonBornOn(1980, 1, 1, 7, 0), true).view() == testing::MakePersonnummer(1980, 1, 1, 7));
}

TEST_CASE("an unknown preset, a population or a number of years out of range is refused") {
  CHECK(FindPreset("mars").error().code == ErrorCode::kInvalidArgument);
  GenerateOptions options = SmallWorld(100, 1, 1);
  options.years = 11;
  CHECK(GenerateWorld(options, nullptr).error().code == ErrorCode::kInvalidArgument);
  options.years = 1;
  options.preset.residents = 0;
  CHECK(GenerateWorld(options, nullptr).error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("the same options give the same bytes, and another seed another world") {
  const GenerateOptions options = SmallWorld(300, 1, 11);
  const Generated first = Generate(options);
  CHECK(Generate(options).text == first.text);
  CHECK(Generate(SmallWorld(300, 1, 12)).text != first.text);
}

TEST_CASE("a small world of two years decodes line by line without a rejection, numbered gen-1 on") {
  const Generated world = Generate(SmallWorld(400, 2, 5));
  codec::JsonLineDecoder decoder(kSecret);
  std::istringstream lines(world.text);
  std::uint64_t count = 0;
  Timestamp last = FromMicros(INT64_MIN);
  for (std::string line; std::getline(lines, line);) {
    ++count;
    auto decoded = decoder.Decode(line);
    INFO("line " << count << ": " << line);
    REQUIRE(decoded);
    CHECK(decoded->event.id == "gen-" + std::to_string(count));
    REQUIRE(decoded->recorded_at);
    CHECK(*decoded->recorded_at >= last);
    last = *decoded->recorded_at;
  }
  CHECK(count == world.summary.lines);
  std::uint64_t per_type = 0;
  for (const auto& [type, n] : world.summary.lines_per_type) per_type += n;
  CHECK(per_type == count);
}

}  // namespace
}  // namespace capledger::worldgen
