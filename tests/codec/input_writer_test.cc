// AppendInputJson: the input form of an event. A line in that form, decoded and written again
// with its recorded_at and personnummer, gives the same bytes; the timestamp is written as the
// log writes it, before 1970 included.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "codec/json_line_decoder.h"
#include "codec/json_writer.h"
#include "domain/date.h"
#include "support/personnummer.h"

namespace capledger::codec {
namespace {

constexpr std::array<std::uint8_t, 32> kSecret = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6,
                                                  7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2};

// Born 1958-05-31, serial 123 (male).
const std::string kPnr = testing::MakePersonnummer(1958, 5, 31, 123);

// `line` decoded and written again in the input form with what the decoder took out of it.
std::string Rewritten(std::string_view line, std::string_view personnummer) {
  JsonLineDecoder decoder(kSecret);
  auto decoded = decoder.Decode(line);
  INFO("line: " << line);
  if (!decoded) FAIL("rejected: " << decoded.error().field << ": " << decoded.error().message);
  std::string out;
  AppendInputJson(out, decoded->event, InputLineExtras{decoded->recorded_at, personnummer});
  return out;
}

TEST_CASE("a resident's events are written back with the personnummer in the form given") {
  const std::string with_dash = kPnr;
  const std::string without_dash = testing::WithoutHyphen(kPnr);
  const std::string registered =
      R"({"type":"ResidentRegistered","id":"gen-7","source":"navet","recorded_at":"2023-01-01T00:00:00.000012Z",)"
      R"("personnummer":")" + without_dash + R"(","effective":"2023-01-01","municipality":"0114","reason":"initial"})";
  CHECK(Rewritten(registered, without_dash) == registered);
  const std::string listed =
      R"({"type":"PatientListed","id":"gen-8","source":"1177-listning","recorded_at":"2023-02-03T11:22:33.456789Z",)"
      R"("personnummer":")" + with_dash + R"(","clinic":"VC-1880-01","effective":"2023-01-17","reason":"newborn"})";
  CHECK(Rewritten(listed, with_dash) == listed);
  const std::string relocated =
      R"({"type":"ResidentRelocated","id":"r","personnummer":")" + without_dash +
      R"(","effective":"2024-02-29","municipality":"1880"})";
  CHECK(Rewritten(relocated, without_dash) == relocated);  // no source, no recorded_at: none written
}

TEST_CASE("the other generated types are written back byte for byte") {
  for (const std::string_view line : {
           std::string_view(R"({"type":"ClinicRegistered","id":"c","source":"hälsovalsenheten","recorded_at":"2023-01-01T00:00:00.000000Z","clinic":"VC-1880-02","name":"Läkarhuset Örebro 2","operator":"private","municipality":"1880","distance_to_hospital_km":"0.5","effective":"2015-06-30"})"),
           std::string_view(R"({"type":"VisitsReported","id":"v","source":"hälsovalsenheten","recorded_at":"2023-02-05T06:00:00.000001Z","clinic":"VC-A","month":"2023-01","counts":{"home_visits":3,"other_listed":0,"unlisted":12,"out_of_region":1}})"),
           std::string_view(R"({"type":"CniReported","id":"n","source":"scb","recorded_at":"2023-03-10T07:00:00.000000Z","clinic":"VC-A","effective":"2023-03-01","vintage":"SCB-2023-03","population":1000,"hits":{"over_65_alone":0,"born_abroad":0,"unemployed":0,"single_parent":0,"moved_in":0,"low_education":0,"under_5":0},"cni":"0.0000"})"),
           std::string_view(R"({"type":"PerformanceReported","id":"p","source":"hälsovalsenheten","recorded_at":"2024-04-08T09:00:00.000000Z","clinic":"VC-A","period_from":"2023-06","period_to":"2023-12","fulfilment":"0.805"})"),
           std::string_view(R"({"type":"EventRetracted","id":"gen-12","source":"1177-listning","recorded_at":"2023-03-01T10:00:00.000000Z","target":"gen-9","reason":"listing sent to the wrong clinic"})"),
           std::string_view(R"({"type":"MissionUndertaken","id":"m","source":"hälsovalsenheten","recorded_at":"2022-12-20T10:00:00.000000Z","clinic":"VC-A","mission":"sabo","effective":"2023-01-01","units":4})"),
           std::string_view(R"({"type":"MissionUndertaken","id":"m2","clinic":"VC-A","mission":"bvc","effective":"2023-01-01"})"),
           std::string_view(R"({"type":"MissionEnded","id":"e","clinic":"VC-A","mission":"bvc","effective":"2023-07-01"})"),
           std::string_view(R"({"type":"BudgetFrameSet","id":"b","source":"hälsovalsenheten","recorded_at":"2022-11-14T08:00:00.000000Z","year":"2023","amount":"1209100000.00","decision":"22RF123"})"),
       }) {
    CHECK(Rewritten(line, "") == line);
  }
}

TEST_CASE("recorded_at is written as the log writes it, before the epoch and at a day's last microsecond") {
  // -1 µs is 1969-12-31T23:59:59.999999Z; 19,782 days + 86,399.999999 s is 2024-02-29T23:59:59.999999Z
  // (19,782 days after 1970-01-01 is 2024-02-29).
  for (const std::int64_t micros : {std::int64_t{-1}, std::int64_t{-86'400'000'000}, std::int64_t{0},
                                    std::int64_t{19'782} * 86'400'000'000 + 86'399'999'999}) {
    std::string out;
    AppendInputJson(out, domain::Event{"x", "", domain::ClinicClosed{"VC-A", domain::DateFromDays(0)}},
                    InputLineExtras{FromMicros(micros), ""});
    CHECK(out == R"({"type":"ClinicClosed","id":"x","recorded_at":")" + domain::FormatTimestamp(FromMicros(micros)) +
                     R"(","clinic":"VC-A","effective":"1970-01-01"})");
  }
  CHECK(domain::FormatTimestamp(FromMicros(-1)) == "1969-12-31T23:59:59.999999Z");
  CHECK(domain::FormatTimestamp(FromMicros(std::int64_t{19'782} * 86'400'000'000 + 86'399'999'999)) ==
        "2024-02-29T23:59:59.999999Z");
}

TEST_CASE("a date that is not a calendar date is written as the log writer always wrote it") {
  std::string out;
  AppendInputJson(out, domain::Event{"x", "", domain::ClinicClosed{"VC-A", domain::Date{}}}, {});
  CHECK(out == R"({"type":"ClinicClosed","id":"x","clinic":"VC-A","effective":")" + domain::FormatDate(domain::Date{}) +
                   R"("})");
  CHECK(domain::FormatDate(domain::Date{}) == "0000-00-00");
}

TEST_CASE("the input form appends to what the buffer holds and writes no newline") {
  std::string out = "before\n";
  AppendInputJson(out, domain::Event{"x", "scb", domain::ClinicClosed{"VC-A", domain::DateFromDays(1)}}, {});
  CHECK(out == "before\n" R"({"type":"ClinicClosed","id":"x","source":"scb","clinic":"VC-A","effective":"1970-01-02"})");
}

}  // namespace
}  // namespace capledger::codec
