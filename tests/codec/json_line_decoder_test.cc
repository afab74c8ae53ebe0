// JsonLineDecoder: every input event type decoded with its values, and one test case per
// rejection code the decoder itself can produce (the store-level codes are the store's tests).
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "codec/json_line_decoder.h"
#include "common/limits.h"
#include "domain/personnummer.h"
#include "domain/pseudonym.h"
#include "support/personnummer.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

using codec::RejectCode;

constexpr std::array<std::uint8_t, 32> kSecret = {
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
    0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00};

// Born 1980-05-17, serial 123: the sex digit 3 is odd, so male.
const std::string kMan = MakePersonnummer(1980, 5, 17, 123);
// A samordningsnummer for 1990-02-28 (day written as 88), serial 246: 6 is even, so female.
const std::string kCoordinatedWoman = MakePersonnummer(1990, 2, 28, 246, /*coordination=*/true);

domain::Date D(int y, unsigned m, unsigned d) {
  return domain::Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
}

domain::Month M(int y, unsigned m) { return domain::Month{std::chrono::year(y), std::chrono::month(m)}; }

domain::Pseudonym PseudonymOf(const std::string& pnr_text) {
  domain::Pseudonymizer pseudonymizer(kSecret);
  auto pnr = domain::ParsePersonnummer(pnr_text);
  REQUIRE(pnr.has_value());
  return pseudonymizer.Of(*pnr);
}

tl::expected<codec::DecodedLine, codec::Rejection> Decode(std::string_view line, bool ledger_types = false) {
  codec::JsonLineDecoder decoder(kSecret, codec::JsonLineDecoder::Options{ledger_types});
  return decoder.Decode(line);
}

codec::DecodedLine Accepted(std::string_view line, bool ledger_types = false) {
  auto decoded = Decode(line, ledger_types);
  INFO("line: " << line);
  if (!decoded) INFO("rejected: " << codec::DescribeRejection(1, decoded.error()));
  REQUIRE(decoded.has_value());
  return std::move(*decoded);
}

template <typename Body>
Body BodyOf(std::string_view line, bool ledger_types = false) {
  codec::DecodedLine decoded = Accepted(line, ledger_types);
  REQUIRE(std::holds_alternative<Body>(decoded.event.body));
  return std::get<Body>(decoded.event.body);
}

codec::Rejection RejectionOf(std::string_view line, bool ledger_types = false) {
  auto decoded = Decode(line, ledger_types);
  INFO("line: " << line);
  REQUIRE_FALSE(decoded.has_value());
  return decoded.error();
}

// Checks that `line` is rejected with `code`, naming `field`.
void CheckRejected(std::string_view line, RejectCode code, std::string_view field, bool ledger_types = false) {
  const codec::Rejection rejection = RejectionOf(line, ledger_types);
  INFO("line: " << line);
  INFO("message: " << rejection.message);
  CHECK(codec::RejectCodeName(rejection.code) == codec::RejectCodeName(code));
  CHECK(rejection.field == field);
  CHECK_FALSE(rejection.message.empty());
}

// A valid PatientListed line for `pnr`, with `extra` appended inside the object.
std::string Listed(const std::string& pnr, std::string_view extra = "") {
  return fmt::format(R"({{"type":"PatientListed","id":"l-1","personnummer":"{}","clinic":"VC-A",)"
                     R"("effective":"2024-03-15","reason":"choice"{}}})",
                     pnr, extra);
}

// A ClinicRegistered line with one field's raw JSON value replaced.
std::string ClinicRegistered(std::string_view name_json = R"("Vårdcentralen Väster")",
                             std::string_view municipality_json = R"("1880")",
                             std::string_view distance_json = R"("42.5")",
                             std::string_view clinic_json = R"("VC-A")") {
  return fmt::format(R"({{"type":"ClinicRegistered","id":"c-1","clinic":{},"name":{},"operator":"region",)"
                     R"("municipality":{},"distance_to_hospital_km":{},"effective":"2010-01-01"}})",
                     clinic_json, name_json, municipality_json, distance_json);
}

// A CniReported line with the given hits object, population, optional cni member and vintage.
std::string CniLine(std::string_view hits_json, std::string_view population_json, std::string_view cni_member,
                    std::string_view vintage = "SCB-2025-03") {
  return fmt::format(R"({{"type":"CniReported","id":"cni-1","clinic":"VC-A","effective":"2025-03-01",)"
                     R"("vintage":"{}","population":{},"hits":{}{}}})",
                     vintage, population_json, hits_json, cni_member);
}

// Hits with only over_65_alone = 1000. Index = 6.15 × 1000 = 6150.00.
// With population 10000: CNI = 6150 / 10000 / 2.476 = 0.24838... -> truncated 0.2483.
constexpr std::string_view kOver65Hits =
    R"({"over_65_alone":1000,"born_abroad":0,"unemployed":0,"single_parent":0,"moved_in":0,)"
    R"("low_education":0,"under_5":0})";

std::string VisitsLine(std::string_view counts_json, std::string_view month_json = R"("2024-03")") {
  return fmt::format(R"({{"type":"VisitsReported","id":"v-1","clinic":"VC-A","month":{},"counts":{}}})",
                     month_json, counts_json);
}

std::string PerformanceLine(std::string_view from, std::string_view to, std::string_view fulfilment) {
  return fmt::format(R"({{"type":"PerformanceReported","id":"p-1","clinic":"VC-A","period_from":"{}",)"
                     R"("period_to":"{}","fulfilment":"{}"}})",
                     from, to, fulfilment);
}

// A rulebook object (DOMAIN.md §5 keys) with the capitation bands given as raw JSON.
std::string RulebookJson(std::string_view bands_json) {
  return fmt::format(R"({{"id":"KoK-2024","title":"Krav- och kvalitetsbok Hälsoval Örebro län 2024",)"
                     R"("decision":"23RS11979","decided_by":"regionstyrelsen","decided_on":"unknown",)"
                     R"("replaces":"KoK-2023","valid_from":"2024-01-01","valid_until":"2025-01-01",)"
                     R"("snapshot":"last_day_of_month","retro_window_months":12,)"
                     R"("capitation":{{"bands":{}}},"performance":{{"amount":"192.00"}},)"
                     R"("visits":{{"home_visit":"1138.50","other_listed":"715.00","unlisted":"715.00",)"
                     R"("out_of_region":"1650.00"}}}})",
                     bands_json);
}

std::string RulebookLine(std::string_view rulebook_json) {
  return fmt::format(R"({{"type":"RulebookPublished","id":"rb-2024","rulebook":{}}})", rulebook_json);
}

constexpr std::string_view kTwoBands = R"([{"min_age":0,"amount":"3726.00"},{"min_age":6,"amount":"1759.50"}])";

std::string LedgerEntryLine(std::string_view amount = "-1234.50",
                            std::string_view adjusts = R"(["E-2024-01-000003"])") {
  return fmt::format(R"({{"type":"LedgerEntry","id":"E-2024-03-000017","entry_id":"E-2024-03-000017",)"
                     R"("run":"2024-03","clinic":"VC-A","month":"2024-01","component":"capitation",)"
                     R"("kind":"adjustment","amount":"{}","known_at_seq":1234,"rulebook":"KoK-2024",)"
                     R"("adjusts":{},"debit":"expense:halsoval:capitation","credit":"payable:VC-A"}})",
                     amount, adjusts);
}

// A MissionUndertaken line for `mission_json` (raw JSON), with `extra` appended inside the object.
std::string UndertakenLine(std::string_view mission_json = R"("lakarmedverkan-sabo")", std::string_view extra = "") {
  return fmt::format(R"({{"type":"MissionUndertaken","id":"mu-1","clinic":"VC-A","mission":{},)"
                     R"("effective":"2025-02-01"{}}})",
                     mission_json, extra);
}

// A BudgetFrameSet line with the year and amount given as raw JSON.
std::string FrameLine(std::string_view year_json, std::string_view amount_json) {
  return fmt::format(R"({{"type":"BudgetFrameSet","id":"bf-1","year":{},"amount":{},"decision":"24RF0123"}})",
                     year_json, amount_json);
}

std::string PayoutRunLine(std::string_view unbooked_json) {
  return fmt::format(R"({{"type":"PayoutRun","id":"run-2024-03","run":"2024-03","known_at_seq":1234,)"
                     R"("rulebook":"KoK-2024","entry_count":2,"total":"123456.78","unbooked":{}}})",
                     unbooked_json);
}

// ================================ Accepted lines, one per type ================================

TEST_CASE("a ResidentRegistered line yields the resident's pseudonym, birth date and sex, and its fields") {
  const codec::DecodedLine line = Accepted(
      fmt::format(R"({{"type":"ResidentRegistered","id":"r-1","source":"navet","personnummer":"{}",)"
                  R"("effective":"2024-01-01","municipality":"0114","reason":"moved_in"}})",
                  kMan));
  CHECK(line.event.id == "r-1");
  CHECK(line.event.source == "navet");
  CHECK_FALSE(line.recorded_at.has_value());
  const auto& e = std::get<domain::ResidentRegistered>(line.event.body);
  CHECK(e.resident.pseudonym == PseudonymOf(kMan));
  CHECK(e.resident.birth_date == D(1980, 5, 17));
  CHECK(e.resident.sex == domain::Sex::kMale);
  CHECK(e.effective == D(2024, 1, 1));
  CHECK(e.municipality == 114);  // "0114" (Upplands Väsby): the leading zero is only how it is written
  CHECK(e.reason == domain::RegistrationReason::kMovedIn);
}

TEST_CASE("both written forms of a personnummer give the same resident") {
  const std::string with_hyphen = fmt::format(
      R"({{"type":"ResidentMovedOut","id":"m-1","personnummer":"{}","effective":"2024-06-30"}})", kMan);
  const std::string without_hyphen = fmt::format(
      R"({{"type":"ResidentMovedOut","id":"m-1","personnummer":"{}","effective":"2024-06-30"}})",
      WithoutHyphen(kMan));
  const auto a = BodyOf<domain::ResidentMovedOut>(with_hyphen);
  const auto b = BodyOf<domain::ResidentMovedOut>(without_hyphen);
  CHECK(a.resident.pseudonym == PseudonymOf(kMan));
  CHECK(a.resident == b.resident);
  CHECK(a.effective == D(2024, 6, 30));
}

TEST_CASE("a samordningsnummer gives the birth date with 60 taken off the day and an even sex digit means female") {
  const auto e = BodyOf<domain::ResidentDied>(fmt::format(
      R"({{"type":"ResidentDied","id":"d-1","personnummer":"{}","effective":"2024-02-29"}})", kCoordinatedWoman));
  CHECK(kCoordinatedWoman.substr(0, 8) == "19900288");  // the written day is 28 + 60
  CHECK(e.resident.birth_date == D(1990, 2, 28));
  CHECK(e.resident.sex == domain::Sex::kFemale);
  CHECK(e.resident.pseudonym == PseudonymOf(kCoordinatedWoman));
  CHECK(e.effective == D(2024, 2, 29));  // 2024 is a leap year
}

TEST_CASE("a ResidentRelocated line carries the new kommun code") {
  const auto e = BodyOf<domain::ResidentRelocated>(fmt::format(
      R"({{"type":"ResidentRelocated","id":"rel-1","personnummer":"{}","effective":"2024-09-01",)"
      R"("municipality":"1880"}})",
      kMan));
  CHECK(e.resident.pseudonym == PseudonymOf(kMan));
  CHECK(e.effective == D(2024, 9, 1));
  CHECK(e.municipality == 1880);
}

TEST_CASE("a PatientListed line with recorded_at gives that instant in UTC, whatever offset it is written with") {
  // 2024-04-05: 19723 days from 1970 to 2024 (54 × 365 + 13 leap days) + 31 + 29 + 31 + 4 = 19818 days.
  // 19818 × 86400 s + 6 h = 1,712,275,200 + 21,600 = 1,712,296,800 s.
  const Timestamp expected = FromMicros(1'712'296'800LL * 1'000'000);
  const codec::DecodedLine utc = Accepted(
      fmt::format(R"({{"type":"PatientListed","id":"l-9","personnummer":"{}","clinic":"VC-A",)"
                  R"("effective":"2024-03-15","reason":"queue_opening","recorded_at":"2024-04-05T06:00:00Z"}})",
                  kMan));
  REQUIRE(utc.recorded_at.has_value());
  CHECK(*utc.recorded_at == expected);
  const auto& e = std::get<domain::PatientListed>(utc.event.body);
  CHECK(e.resident.pseudonym == PseudonymOf(kMan));
  CHECK(e.clinic == "VC-A");
  CHECK(e.effective == D(2024, 3, 15));
  CHECK(e.reason == domain::ListingReason::kQueueOpening);

  const codec::DecodedLine offset = Accepted(Listed(kMan, R"(,"recorded_at":"2024-04-05T08:00:00.000000+02:00")"));
  REQUIRE(offset.recorded_at.has_value());
  CHECK(*offset.recorded_at == expected);
}

TEST_CASE("a PatientUnlisted line names the clinic and the reason") {
  const auto e = BodyOf<domain::PatientUnlisted>(fmt::format(
      R"({{"type":"PatientUnlisted","id":"u-1","personnummer":"{}","clinic":"VC-0012","effective":"2024-05-01",)"
      R"("reason":"clinic_closed"}})",
      kMan));
  CHECK(e.resident.pseudonym == PseudonymOf(kMan));
  CHECK(e.clinic == "VC-0012");
  CHECK(e.effective == D(2024, 5, 1));
  CHECK(e.reason == domain::UnlistingReason::kClinicClosed);
}

TEST_CASE("a ClinicRegistered line keeps a name with Swedish letters and the distance in tenths of a km") {
  const auto e = BodyOf<domain::ClinicRegistered>(
      R"({"type":"ClinicRegistered","id":"c-1","clinic":"VC-A","name":"Vårdcentralen Örebro Väster",)"
      R"("operator":"private","municipality":"1880","distance_to_hospital_km":"42.5","effective":"2010-01-01"})");
  CHECK(e.clinic == "VC-A");
  CHECK(e.name == "Vårdcentralen Örebro Väster");
  CHECK(e.op == domain::Operator::kPrivate);
  CHECK(e.municipality == 1880);
  CHECK(e.distance_to_hospital_km_tenths == 425);
  CHECK(e.effective == D(2010, 1, 1));
}

TEST_CASE("a ClinicChanged line carries only the attributes it names, and a list cap of 0 lifts the cap") {
  const auto cap = BodyOf<domain::ClinicChanged>(
      R"({"type":"ClinicChanged","id":"cc-1","clinic":"VC-A","effective":"2024-07-01","list_cap":0})");
  CHECK(cap.clinic == "VC-A");
  CHECK(cap.effective == D(2024, 7, 1));
  CHECK(cap.list_cap == std::optional<std::int64_t>(0));
  CHECK_FALSE(cap.name.has_value());
  CHECK_FALSE(cap.op.has_value());
  CHECK_FALSE(cap.distance_to_hospital_km_tenths.has_value());

  const auto moved = BodyOf<domain::ClinicChanged>(
      R"({"type":"ClinicChanged","id":"cc-2","clinic":"VC-A","effective":"2024-07-01","name":"VC Norr",)"
      R"("operator":"region","distance_to_hospital_km":"0.0"})");
  CHECK(moved.name == std::optional<std::string>("VC Norr"));
  CHECK(moved.op == std::optional<domain::Operator>(domain::Operator::kRegion));
  CHECK(moved.distance_to_hospital_km_tenths == std::optional<std::int32_t>(0));
  CHECK_FALSE(moved.list_cap.has_value());
}

TEST_CASE("a ClinicClosed line names the clinic and the day it closes") {
  const auto e = BodyOf<domain::ClinicClosed>(
      R"({"type":"ClinicClosed","id":"cl-1","clinic":"VC-A","effective":"2030-01-01"})");
  CHECK(e.clinic == "VC-A");
  CHECK(e.effective == D(2030, 1, 1));
}

TEST_CASE("a RulebookPublished line carries the whole rulebook, amounts in öre") {
  const auto e = BodyOf<domain::RulebookPublished>(RulebookLine(RulebookJson(kTwoBands)));
  const domain::Rulebook& rb = e.rulebook;
  CHECK(rb.id == "KoK-2024");
  CHECK(rb.title == "Krav- och kvalitetsbok Hälsoval Örebro län 2024");
  CHECK(rb.decision == "23RS11979");
  CHECK(rb.valid_from == D(2024, 1, 1));
  CHECK(rb.valid_until == D(2025, 1, 1));
  CHECK(rb.snapshot == domain::SnapshotRule::kLastDayOfMonth);
  CHECK(rb.retro_window_months == 12);
  REQUIRE(rb.capitation.size() == 2);
  CHECK(rb.capitation[0] == domain::AgeBand{0, domain::Money::FromOre(372600)});
  CHECK(rb.capitation[1] == domain::AgeBand{6, domain::Money::FromOre(175950)});
  CHECK(rb.performance_per_year == std::optional<domain::Money>(domain::Money::FromOre(19200)));
  REQUIRE(rb.visits.has_value());
  CHECK(rb.visits->home_visit == domain::Money::FromOre(113850));
  CHECK(rb.visits->out_of_region == domain::Money::FromOre(165000));
  CHECK_FALSE(rb.start_grant.has_value());
  CHECK_FALSE(rb.cni_supplement.has_value());
  CHECK_FALSE(rb.distance_supplement.has_value());
}

TEST_CASE("a CniReported line keeps each of the seven hits and a delivered cni that matches them") {
  // Index (hundredths) = 615×10 + 572×20 + 513×30 + 419×40 + 419×50 + 397×60 + 323×70
  //                    = 6150 + 11440 + 15390 + 16760 + 20950 + 23820 + 22610 = 117120 -> 1171.20.
  // CNI = 1171.20 / 1000 / 2.476 = 0.47302... -> 0.4730.
  const auto e = BodyOf<domain::CniReported>(
      CniLine(R"({"over_65_alone":10,"born_abroad":20,"unemployed":30,"single_parent":40,"moved_in":50,)"
              R"("low_education":60,"under_5":70})",
              "1000", R"(,"cni":"0.4730")"));
  CHECK(e.clinic == "VC-A");
  CHECK(e.effective == D(2025, 3, 1));
  CHECK(e.vintage == "SCB-2025-03");
  CHECK(e.population == 1000);
  CHECK(e.hits == domain::CniHits{10, 20, 30, 40, 50, 60, 70});
  CHECK(e.cni_ten_thousandths == std::optional<std::int64_t>(4730));
}

TEST_CASE("a CniReported line without cni is accepted and keeps none") {
  const auto e = BodyOf<domain::CniReported>(CniLine(kOver65Hits, "10000", ""));
  CHECK(e.hits.over_65_alone == 1000);
  CHECK(e.population == 10000);
  CHECK_FALSE(e.cni_ten_thousandths.has_value());
}

TEST_CASE("a PerformanceReported line gives fulfilment in thousandths, and a one-month period is allowed") {
  const auto year = BodyOf<domain::PerformanceReported>(PerformanceLine("2024-01", "2024-12", "0.875"));
  CHECK(year.clinic == "VC-A");
  CHECK(year.period_from == M(2024, 1));
  CHECK(year.period_to == M(2024, 12));
  CHECK(year.fulfilment_thousandths == 875);
  const auto month = BodyOf<domain::PerformanceReported>(PerformanceLine("2024-06", "2024-06", "1.000"));
  CHECK(month.fulfilment_thousandths == 1000);
  CHECK(BodyOf<domain::PerformanceReported>(PerformanceLine("2024-06", "2024-06", "0.000")).fulfilment_thousandths ==
        0);
}

TEST_CASE("a VisitsReported line keeps the four visit counts") {
  const auto e = BodyOf<domain::VisitsReported>(
      VisitsLine(R"({"home_visits":12,"other_listed":340,"unlisted":56,"out_of_region":7})"));
  CHECK(e.clinic == "VC-A");
  CHECK(e.month == M(2024, 3));
  CHECK(e.counts == domain::VisitCounts{12, 340, 56, 7});
}

TEST_CASE("an EventRetracted line names its target and reason") {
  const auto e = BodyOf<domain::EventRetracted>(
      R"({"type":"EventRetracted","id":"x-1","target":"gen-42","reason":"listing sent to the wrong clinic"})");
  CHECK(e.target == "gen-42");
  CHECK(e.reason == "listing sent to the wrong clinic");
}

TEST_CASE("a MissionUndertaken line names the clinic, the mission and the day, with units when given") {
  const auto e = BodyOf<domain::MissionUndertaken>(UndertakenLine(R"("lakarmedverkan-sabo")", R"(,"units":14)"));
  CHECK(e.clinic == "VC-A");
  CHECK(e.mission == "lakarmedverkan-sabo");
  CHECK(e.effective == D(2025, 2, 1));
  CHECK(e.units == std::optional<std::int64_t>(14));
  // Units are for per_unit missions only; which basis a mission has is the rulebook's to say.
  CHECK_FALSE(BodyOf<domain::MissionUndertaken>(UndertakenLine()).units.has_value());
  CHECK(BodyOf<domain::MissionUndertaken>(UndertakenLine(R"("ab")", R"(,"units":1)")).units ==
        std::optional<std::int64_t>(1));
  CHECK(BodyOf<domain::MissionUndertaken>(UndertakenLine(R"("ab")", R"(,"units":1000000000)")).units ==
        std::optional<std::int64_t>(1'000'000'000));
}

TEST_CASE("a MissionEnded line names the clinic, the mission and the first day it is no longer offered") {
  const auto e = BodyOf<domain::MissionEnded>(
      R"({"type":"MissionEnded","id":"me-1","clinic":"VC-0012","mission":"barn-0-6","effective":"2025-07-01"})");
  CHECK(e.clinic == "VC-0012");
  CHECK(e.mission == "barn-0-6");
  CHECK(e.effective == D(2025, 7, 1));
}

TEST_CASE("a BudgetFrameSet line gives the year, the frame in öre and the decision") {
  // 1,100,000,000.00 SEK (about Örebro's Hälsoval frame) = 110,000,000,000 öre.
  const auto e = BodyOf<domain::BudgetFrameSet>(
      R"({"type":"BudgetFrameSet","id":"bf-2025","year":"2025","amount":"1100000000.00","decision":"24RF0123"})");
  CHECK(e.year == 2025);
  CHECK(e.amount == domain::Money::FromOre(110'000'000'000));
  CHECK(e.decision == "24RF0123");
  // The bound: 1,000,000,000,000.00 SEK = 100,000,000,000,000 öre is the largest frame taken.
  CHECK(BodyOf<domain::BudgetFrameSet>(FrameLine(R"("2999")", R"("1000000000000.00")")).amount ==
        domain::Money::FromOre(100'000'000'000'000));
  CHECK(BodyOf<domain::BudgetFrameSet>(FrameLine(R"("1800")", R"("0.00")")).year == 1800);
}

// ================================ Shape of a line ================================

TEST_CASE("keys may come in any order, with whitespace, and escapes are decoded before checks") {
  const auto e = BodyOf<domain::PatientListed>(
      fmt::format(" {{ \"reason\" : \"choice\", \"clinic\":\"VC\\u002DA\", \"effective\":\"2024-03-15\",\n"
                  "\"personnummer\":\"{}\", \"id\":\"l-1\", \"type\":\"PatientListed\" }}\t",
                  kMan));
  CHECK(e.clinic == "VC-A");
  CHECK(e.resident.pseudonym == PseudonymOf(kMan));
}

TEST_CASE("one decoder decodes many lines in a row, rejected and accepted alike") {
  codec::JsonLineDecoder decoder(kSecret);
  for (int i = 0; i < 50; ++i) {
    const std::string pnr = MakePersonnummer(1950 + i, 1 + i % 12, 1 + i % 28, i);
    auto good = decoder.Decode(Listed(pnr));
    REQUIRE(good.has_value());
    CHECK(std::get<domain::PatientListed>(good->event.body).resident.pseudonym == PseudonymOf(pnr));
    auto bad = decoder.Decode(i % 2 == 0 ? "{oops" : R"({"type":"Nope","id":"x"})");
    REQUIRE_FALSE(bad.has_value());
  }
}

TEST_CASE("a free text of 200 characters is accepted even when each takes two bytes") {
  std::string name;
  for (int i = 0; i < 200; ++i) name += "å";  // 200 code points, 400 bytes
  const auto e = BodyOf<domain::ClinicRegistered>(ClinicRegistered(fmt::format(R"("{}")", name)));
  CHECK(e.name == name);
}

TEST_CASE("a line of exactly the maximum length is accepted") {
  std::string line = R"({"type":"ClinicClosed","id":"cl-1","clinic":"VC-A","effective":"2030-01-01"})";
  line.insert(line.size() - 1, limits::kInputLineBytesMax - line.size(), ' ');
  REQUIRE(line.size() == limits::kInputLineBytesMax);
  CHECK(BodyOf<domain::ClinicClosed>(line).clinic == "VC-A");
}

// ================================ Ledger types (restore and round trip) ================================

TEST_CASE("with ledger types enabled, a LedgerEntry line in the writer's form decodes with a signed amount") {
  const auto e = BodyOf<domain::LedgerEntry>(LedgerEntryLine(), /*ledger_types=*/true);
  CHECK(e.entry_id == "E-2024-03-000017");
  CHECK(e.run == M(2024, 3));
  CHECK(e.clinic == "VC-A");
  CHECK(e.period == M(2024, 1));
  CHECK(e.component == domain::Component::kCapitation);
  CHECK(e.kind == domain::EntryKind::kAdjustment);
  CHECK(e.amount == domain::Money::FromOre(-123450));
  CHECK(e.known_at_seq == 1234_seq);
  CHECK(e.rulebook == "KoK-2024");
  CHECK(e.adjusts == std::vector<domain::EventId>{"E-2024-01-000003"});
  CHECK(e.debit == "expense:halsoval:capitation");
  CHECK(e.credit == "payable:VC-A");
  CHECK(BodyOf<domain::LedgerEntry>(LedgerEntryLine("0.00", "[]"), true).adjusts.empty());
}

TEST_CASE("with ledger types enabled, a PayoutRun line decodes with its unbooked differences") {
  const auto e = BodyOf<domain::PayoutRun>(
      PayoutRunLine(R"([{"clinic":"VC-B","month":"2022-12","component":"visits","amount":"-715.00"},)"
                    R"({"clinic":"VC-C","month":"2023-01","component":"distance_supplement","amount":"33.33"}])"),
      /*ledger_types=*/true);
  CHECK(e.run == M(2024, 3));
  CHECK(e.known_at_seq == 1234_seq);
  CHECK(e.rulebook == "KoK-2024");
  CHECK(e.entry_count == 2);
  CHECK(e.total == domain::Money::FromOre(12345678));
  REQUIRE(e.unbooked.size() == 2);
  CHECK(e.unbooked[0] == domain::UnbookedDifference{"VC-B", M(2022, 12), domain::Component::kVisits,
                                                    domain::Money::FromOre(-71500)});
  CHECK(e.unbooked[1] == domain::UnbookedDifference{"VC-C", M(2023, 1), domain::Component::kDistanceSupplement,
                                                    domain::Money::FromOre(3333)});
}

TEST_CASE("with ledger types enabled, a resident may be given as the writer writes it: pseudonym, birth date, sex") {
  const auto e = BodyOf<domain::PatientListed>(
      R"({"type":"PatientListed","id":"l-1","resident":"00112233445566778899aabbccddeeff",)"
      R"("birth_date":"1980-05-17","sex":"male","clinic":"VC-A","effective":"2024-03-15","reason":"choice"})",
      /*ledger_types=*/true);
  CHECK(e.resident.pseudonym.ToHex() == "00112233445566778899aabbccddeeff");
  CHECK(e.resident.birth_date == D(1980, 5, 17));
  CHECK(e.resident.sex == domain::Sex::kMale);
  // The input form still works in that mode.
  CHECK(BodyOf<domain::PatientListed>(Listed(kMan), true).resident.pseudonym == PseudonymOf(kMan));
  CheckRejected(R"({"type":"PatientListed","id":"l-1","resident":"00112233445566778899aabbccddeeff",)"
                R"("sex":"male","clinic":"VC-A","effective":"2024-03-15","reason":"choice"})",
                RejectCode::kMissingField, "birth_date", true);
  CheckRejected(R"({"type":"PatientListed","id":"l-1","resident":"0011",)"
                R"("birth_date":"1980-05-17","sex":"male","clinic":"VC-A","effective":"2024-03-15","reason":"choice"})",
                RejectCode::kInvalidPersonnummer, "resident", true);
  CheckRejected(Listed(kMan, R"(,"sex":"male")"), RejectCode::kUnknownField, "sex", true);
  // A pseudonym whose hex holds twelve digits that form a personnummer (191212121212) is still a
  // pseudonym: the resident field is not searched for numbers.
  CHECK(BodyOf<domain::PatientListed>(
            R"({"type":"PatientListed","id":"l-1","resident":"aa191212121212bbbbbbbbbbbbbbbbbb",)"
            R"("birth_date":"1980-05-17","sex":"male","clinic":"VC-A","effective":"2024-03-15","reason":"choice"})",
            /*ledger_types=*/true)
            .resident.pseudonym.ToHex() == "aa191212121212bbbbbbbbbbbbbbbbbb");
}

// ================================ One test case per rejection code ================================

TEST_CASE("malformed_json: a line that is not one JSON object, or repeats a key") {
  CheckRejected("{not json", RejectCode::kMalformedJson, "");
  CheckRejected("", RejectCode::kMalformedJson, "");
  CheckRejected(R"([{"type":"ClinicClosed"}])", RejectCode::kMalformedJson, "");
  CheckRejected(R"("ClinicClosed")", RejectCode::kMalformedJson, "");
  CheckRejected(R"({"type":"ClinicClosed","id":"cl-1","clinic":"VC-A","effective":"2030-01-01"} {})",
                RejectCode::kMalformedJson, "");
  CheckRejected(R"({"type":"ClinicClosed","id":"cl-1","clinic":"VC-A","clinic":"VC-B","effective":"2030-01-01"})",
                RejectCode::kMalformedJson, "clinic");
  CheckRejected(R"({"type":"ClinicClosed","type":"ClinicClosed","id":"c","clinic":"VC-A","effective":"2030-01-01"})",
                RejectCode::kMalformedJson, "type");
  CheckRejected(VisitsLine(R"({"home_visits":1,"other_listed":2,"unlisted":3,"out_of_region":4,"unlisted":5})"),
                RejectCode::kMalformedJson, "counts.unlisted");
  CheckRejected(RulebookLine(R"({"id":"KoK-2024","id":"KoK-2025"})"), RejectCode::kMalformedJson, "rulebook.id");
  // Nesting beyond 32 levels is refused by the parser.
  CheckRejected(Listed(kMan, R"(,"x":)" + std::string(40, '[') + std::string(40, ']')), RejectCode::kMalformedJson,
                "");
  CheckRejected(RulebookLine(RulebookJson(
                    R"([{"min_age":0,"amount":"3726.00"},{"min_age":6,"amount":"1.00","amount":"2.00"}])")),
                RejectCode::kMalformedJson, "rulebook.capitation.bands[1].amount");
}

TEST_CASE("unknown_type: a type that names no event") {
  CheckRejected(R"({"type":"PatientMoved","id":"x-1"})", RejectCode::kUnknownType, "type");
  CheckRejected(R"({"type":"patientlisted","id":"x-1"})", RejectCode::kUnknownType, "type");
  CHECK(RejectionOf(R"({"type":"PatientMoved","id":"x-1"})").message.find("PatientMoved") != std::string::npos);
}

TEST_CASE("reserved_type: ledger entries and payout runs are refused at ingest") {
  CheckRejected(LedgerEntryLine(), RejectCode::kReservedType, "type");
  CheckRejected(PayoutRunLine("[]"), RejectCode::kReservedType, "type");
}

TEST_CASE("missing_field: a required field is absent") {
  CheckRejected(R"({"id":"x-1","clinic":"VC-A","effective":"2030-01-01"})", RejectCode::kMissingField, "type");
  CheckRejected(R"({"type":"ClinicClosed","clinic":"VC-A","effective":"2030-01-01"})", RejectCode::kMissingField,
                "id");
  CheckRejected(fmt::format(R"({{"type":"PatientListed","id":"l-1","personnummer":"{}","effective":"2024-03-15",)"
                            R"("reason":"choice"}})",
                            kMan),
                RejectCode::kMissingField, "clinic");
  CheckRejected(R"({"type":"PatientListed","id":"l-1","clinic":"VC-A","effective":"2024-03-15","reason":"choice"})",
                RejectCode::kMissingField, "personnummer");
  CheckRejected(VisitsLine(R"({"home_visits":1,"other_listed":2,"out_of_region":4})"), RejectCode::kMissingField,
                "counts.unlisted");
  CheckRejected(CniLine(R"({"over_65_alone":1,"born_abroad":0,"unemployed":0,"single_parent":0,"moved_in":0,)"
                        R"("low_education":0})",
                        "100", ""),
                RejectCode::kMissingField, "hits.under_5");
  // ClinicChanged needs at least one attribute; the rejection names the whole line.
  const codec::Rejection nothing_changed =
      RejectionOf(R"({"type":"ClinicChanged","id":"cc-1","clinic":"VC-A","effective":"2024-07-01"})");
  CHECK(nothing_changed.code == RejectCode::kMissingField);
  CHECK(nothing_changed.field == "");
  CHECK(nothing_changed.message.find("distance_to_hospital_km") != std::string::npos);
  CheckRejected(R"({"type":"LedgerEntry","id":"E-1","entry_id":"E-1","run":"2024-03","clinic":"VC-A",)"
                R"("month":"2024-03","component":"visits","kind":"regular","amount":"1.00","known_at_seq":1,)"
                R"("rulebook":"KoK-2024","adjusts":[],"credit":"payable:VC-A"})",
                RejectCode::kMissingField, "debit", /*ledger_types=*/true);
  CheckRejected(R"({"type":"MissionEnded","id":"me-1","clinic":"VC-A","effective":"2025-07-01"})",
                RejectCode::kMissingField, "mission");
  CheckRejected(R"({"type":"BudgetFrameSet","id":"bf-1","year":"2025","amount":"1.00"})", RejectCode::kMissingField,
                "decision");
}

TEST_CASE("unknown_field: a key the type does not have") {
  CheckRejected(Listed(kMan, R"(,"colour":"blue")"), RejectCode::kUnknownField, "colour");
  CheckRejected(Listed(kMan, R"(,"municipality":"1880")"), RejectCode::kUnknownField, "municipality");
  CheckRejected(CniLine(R"({"over_65_alone":1,"born_abroad":0,"unemployed":0,"single_parent":0,"moved_in":0,)"
                        R"("low_education":0,"under_5":0,"over_80":3})",
                        "100", ""),
                RejectCode::kUnknownField, "hits.over_80");
  // The writer's resident form is only accepted with ledger types enabled.
  CheckRejected(Listed(kMan, R"(,"resident":"00112233445566778899aabbccddeeff")"), RejectCode::kUnknownField,
                "resident");
  CheckRejected(PayoutRunLine(R"([{"clinic":"VC-B","month":"2022-12","component":"visits","amount":"1.00","x":1}])"),
                RejectCode::kUnknownField, "unbooked[0].x", true);
  // Units belong to an undertaking; an ending has none.
  CheckRejected(R"({"type":"MissionEnded","id":"me-1","clinic":"VC-A","mission":"barn-0-6","effective":"2025-07-01",)"
                R"("units":3})",
                RejectCode::kUnknownField, "units");
}

TEST_CASE("wrong_type: a field has another JSON type than its own") {
  CheckRejected(R"({"type":7,"id":"x"})", RejectCode::kWrongType, "type");
  CheckRejected(R"({"type":"ClinicClosed","id":12,"clinic":"VC-A","effective":"2030-01-01"})", RejectCode::kWrongType,
                "id");
  CheckRejected(R"({"type":"ClinicClosed","id":"c","clinic":"VC-A","effective":20300101})", RejectCode::kWrongType,
                "effective");
  CheckRejected(Listed(kMan, R"(,"source":null)"), RejectCode::kWrongType, "source");
  CheckRejected(ClinicRegistered(R"("VC")", "1880"), RejectCode::kWrongType, "municipality");
  CheckRejected(CniLine(kOver65Hits, R"("10000")", ""), RejectCode::kWrongType, "population");
  CheckRejected(CniLine(kOver65Hits, "10000.0", ""), RejectCode::kWrongType, "population");
  CheckRejected(CniLine(kOver65Hits, "1e4", ""), RejectCode::kWrongType, "population");
  CheckRejected(CniLine("[1,2,3,4,5,6,7]", "10000", ""), RejectCode::kWrongType, "hits");
  CheckRejected(CniLine(kOver65Hits, "10000", R"(,"cni":0.2483)"), RejectCode::kWrongType, "cni");
  CheckRejected(VisitsLine(R"({"home_visits":true,"other_listed":2,"unlisted":3,"out_of_region":4})"),
                RejectCode::kWrongType, "counts.home_visits");
  CheckRejected(RulebookLine(R"("KoK-2024")"), RejectCode::kWrongType, "rulebook");
  CheckRejected(LedgerEntryLine("1.00", R"(["E-1",2])"), RejectCode::kWrongType, "adjusts[1]", true);
  CheckRejected(PayoutRunLine(R"(["VC-B"])"), RejectCode::kWrongType, "unbooked[0]", true);
  CheckRejected(UndertakenLine(R"("ab")", R"(,"units":"3")"), RejectCode::kWrongType, "units");
  CheckRejected(UndertakenLine(R"("ab")", R"(,"units":3.0)"), RejectCode::kWrongType, "units");
  CheckRejected(FrameLine("2025", R"("1.00")"), RejectCode::kWrongType, "year");
  CheckRejected(FrameLine(R"("2025")", "1100000000"), RejectCode::kWrongType, "amount");
}

TEST_CASE("invalid_id: an id or target that is not 1-128 printable ASCII characters") {
  CheckRejected(R"({"type":"ClinicClosed","id":"","clinic":"VC-A","effective":"2030-01-01"})",
                RejectCode::kInvalidId, "id");
  const std::string id129(129, 'x');
  CheckRejected(fmt::format(R"({{"type":"ClinicClosed","id":"{}","clinic":"VC-A","effective":"2030-01-01"}})", id129),
                RejectCode::kInvalidId, "id");
  const std::string id128(128, 'x');
  CHECK(Accepted(fmt::format(R"({{"type":"ClinicClosed","id":"{}","clinic":"VC-A","effective":"2030-01-01"}})",
                             id128))
            .event.id == id128);
  CheckRejected(R"({"type":"ClinicClosed","id":"händelse-1","clinic":"VC-A","effective":"2030-01-01"})",
                RejectCode::kInvalidId, "id");
  CheckRejected(R"({"type":"EventRetracted","id":"x-1","target":"l-1\t","reason":"wrong"})", RejectCode::kInvalidId,
                "target");
  CheckRejected(LedgerEntryLine("1.00", R"(["E-1","E\u00002"])"), RejectCode::kInvalidId, "adjusts[1]", true);
  // A mission id is [a-z0-9-]{2,32} (DOMAIN.md §9).
  CheckRejected(UndertakenLine(R"("Lakarmedverkan")"), RejectCode::kInvalidId, "mission");
  CheckRejected(UndertakenLine(R"("bvc_2")"), RejectCode::kInvalidId, "mission");
  CheckRejected(UndertakenLine(R"("b")"), RejectCode::kInvalidId, "mission");
  CheckRejected(UndertakenLine(fmt::format(R"("{}")", std::string(33, 'a'))), RejectCode::kInvalidId, "mission");
  CHECK(BodyOf<domain::MissionUndertaken>(UndertakenLine(fmt::format(R"("{}")", std::string(32, 'a')))).mission ==
        std::string(32, 'a'));
  CheckRejected(R"({"type":"MissionEnded","id":"me-1","clinic":"VC-A","mission":"BVC","effective":"2025-07-01"})",
                RejectCode::kInvalidId, "mission");
}

TEST_CASE("personnummer_in_field: a personnummer anywhere but its own field, which would be stored in clear") {
  const std::string bare = domain::ParsePersonnummer(kMan)->twelve_digits;  // the form without a hyphen
  CheckRejected(fmt::format(R"({{"type":"ClinicClosed","id":"1177-{}","clinic":"VC-A","effective":"2030-01-01"}})",
                            kMan),
                RejectCode::kPersonnummerInField, "id");
  CheckRejected(fmt::format(R"({{"type":"ClinicClosed","id":"c-1","source":"{}","clinic":"VC-A",)"
                            R"("effective":"2030-01-01"}})",
                            bare),
                RejectCode::kPersonnummerInField, "source");
  CheckRejected(fmt::format(R"({{"type":"EventRetracted","id":"x-1","target":"l-1","reason":"wrong person {}"}})",
                            kCoordinatedWoman),
                RejectCode::kPersonnummerInField, "reason");
  CheckRejected(ClinicRegistered("\"VC for " + bare + "\""), RejectCode::kPersonnummerInField, "name");
  // The number's own field takes it (and replaces it by its pseudonym).
  CHECK(Accepted(Listed(kMan, "")).event.id == "l-1");
  // A rejection never repeats the number.
  const codec::Rejection r = RejectionOf(fmt::format(
      R"({{"type":"ClinicClosed","id":"1177-{}","clinic":"VC-A","effective":"2030-01-01"}})", kMan));
  CHECK(r.message.find(kMan.substr(0, 8)) == std::string::npos);
}

TEST_CASE("invalid_text: free text that is empty, over 200 characters or holds control characters") {
  CheckRejected(ClinicRegistered(R"("")"), RejectCode::kInvalidText, "name");
  CheckRejected(ClinicRegistered(fmt::format(R"("{}")", std::string(201, 'a'))), RejectCode::kInvalidText, "name");
  std::string long_swedish;
  for (int i = 0; i < 201; ++i) long_swedish += "ö";
  CheckRejected(ClinicRegistered(fmt::format(R"("{}")", long_swedish)), RejectCode::kInvalidText, "name");
  CheckRejected(ClinicRegistered(R"("VC\nNorr")"), RejectCode::kInvalidText, "name");
  CheckRejected(Listed(kMan, R"(,"source":"navet\u0007")"), RejectCode::kInvalidText, "source");
  CheckRejected(Listed(kMan, R"(,"source":"")"), RejectCode::kInvalidText, "source");
  CheckRejected(R"({"type":"EventRetracted","id":"x-1","target":"l-1","reason":"next\u0085line"})",
                RejectCode::kInvalidText, "reason");
  CheckRejected(R"({"type":"EventRetracted","id":"x-1","target":"l-1","reason":"del\u007f"})",
                RejectCode::kInvalidText, "reason");
  CheckRejected(CniLine(kOver65Hits, "10000", "", std::string(65, 'V')), RejectCode::kInvalidText, "vintage");
  CHECK(BodyOf<domain::CniReported>(CniLine(kOver65Hits, "10000", "", std::string(64, 'V'))).vintage ==
        std::string(64, 'V'));
  CheckRejected(CniLine(kOver65Hits, "10000", "", R"(SCB 2025\u000103)"), RejectCode::kInvalidText, "vintage");
  CheckRejected(R"({"type":"BudgetFrameSet","id":"bf-1","year":"2025","amount":"1.00","decision":""})",
                RejectCode::kInvalidText, "decision");
}

TEST_CASE("invalid_personnummer: wrong form, impossible date or wrong check digit") {
  std::string wrong_check = kMan;
  wrong_check.back() = static_cast<char>('0' + (wrong_check.back() - '0' + 1) % 10);
  CheckRejected(Listed(wrong_check), RejectCode::kInvalidPersonnummer, "personnummer");
  CheckRejected(Listed(kMan.substr(2)), RejectCode::kInvalidPersonnummer, "personnummer");  // 10-digit form
  CheckRejected(Listed("19800231-1234"), RejectCode::kInvalidPersonnummer, "personnummer");  // 31 February
  CheckRejected(Listed("1980O517-1234"), RejectCode::kInvalidPersonnummer, "personnummer");
  CheckRejected(Listed(""), RejectCode::kInvalidPersonnummer, "personnummer");
}

TEST_CASE("invalid_date: not YYYY-MM-DD, or no such day") {
  CheckRejected(R"({"type":"ClinicClosed","id":"c","clinic":"VC-A","effective":"2023-02-29"})",
                RejectCode::kInvalidDate, "effective");
  CheckRejected(R"({"type":"ClinicClosed","id":"c","clinic":"VC-A","effective":"2024-3-1"})", RejectCode::kInvalidDate,
                "effective");
  CheckRejected(R"({"type":"ClinicClosed","id":"c","clinic":"VC-A","effective":"2024-03-15T00:00:00Z"})",
                RejectCode::kInvalidDate, "effective");
  CheckRejected(R"({"type":"PatientListed","id":"l-1","resident":"00112233445566778899aabbccddeeff",)"
                R"("birth_date":"1980-13-01","sex":"male","clinic":"VC-A","effective":"2024-03-15","reason":"choice"})",
                RejectCode::kInvalidDate, "birth_date", true);
  CheckRejected(UndertakenLine().replace(UndertakenLine().find("2025-02-01"), 10, "2025-02-30"),
                RejectCode::kInvalidDate, "effective");
  // A budget frame's year: "YYYY", in the years of dates (1800-2999).
  CheckRejected(FrameLine(R"("25")", R"("1.00")"), RejectCode::kInvalidDate, "year");
  CheckRejected(FrameLine(R"("2025-01")", R"("1.00")"), RejectCode::kInvalidDate, "year");
  CheckRejected(FrameLine(R"("20x5")", R"("1.00")"), RejectCode::kInvalidDate, "year");
  CheckRejected(FrameLine(R"("1799")", R"("1.00")"), RejectCode::kInvalidDate, "year");
  CheckRejected(FrameLine(R"("3000")", R"("1.00")"), RejectCode::kInvalidDate, "year");
}

TEST_CASE("invalid_month: not YYYY-MM, or no such month") {
  CheckRejected(VisitsLine(R"({"home_visits":1,"other_listed":2,"unlisted":3,"out_of_region":4})", R"("2024-13")"),
                RejectCode::kInvalidMonth, "month");
  CheckRejected(PerformanceLine("2024-01", "2024-00", "0.500"), RejectCode::kInvalidMonth, "period_to");
  CheckRejected(PerformanceLine("2024-01-01", "2024-12", "0.500"), RejectCode::kInvalidMonth, "period_from");
  CheckRejected(PayoutRunLine(R"([{"clinic":"VC-B","month":"22-12","component":"visits","amount":"1.00"}])"),
                RejectCode::kInvalidMonth, "unbooked[0].month", true);
}

TEST_CASE("invalid_money: an amount not in the non-negative two-decimal form") {
  CheckRejected(LedgerEntryLine("1234.5"), RejectCode::kInvalidMoney, "amount", true);
  CheckRejected(LedgerEntryLine("-0.00"), RejectCode::kInvalidMoney, "amount", true);
  CheckRejected(LedgerEntryLine("+1.00"), RejectCode::kInvalidMoney, "amount", true);
  CheckRejected(PayoutRunLine(R"([{"clinic":"VC-B","month":"2022-12","component":"visits","amount":"1,00"}])"),
                RejectCode::kInvalidMoney, "unbooked[0].amount", true);
  CheckRejected(RulebookLine(RulebookJson(R"([{"min_age":0,"amount":"3726.00"},{"min_age":6,"amount":"1759.5"}])")),
                RejectCode::kInvalidMoney, "rulebook.capitation.bands[1].amount");
  CheckRejected(RulebookLine(RulebookJson(R"([{"min_age":0,"amount":"3726.00"},{"min_age":6,"amount":"-1.00"}])")),
                RejectCode::kInvalidMoney, "rulebook.capitation.bands[1].amount");
  CheckRejected(FrameLine(R"("2025")", R"("-1100000000.00")"), RejectCode::kInvalidMoney, "amount");
  CheckRejected(FrameLine(R"("2025")", R"("1100000000")"), RejectCode::kInvalidMoney, "amount");
  // One öre above the sanity bound of 1,000,000,000,000.00 SEK.
  CheckRejected(FrameLine(R"("2025")", R"("1000000000000.01")"), RejectCode::kInvalidMoney, "amount");
}

TEST_CASE("invalid_distance: not km with exactly one decimal, or beyond 100000 km") {
  CheckRejected(ClinicRegistered(R"("VC")", R"("1880")", R"("42")"), RejectCode::kInvalidDistance,
                "distance_to_hospital_km");
  CheckRejected(ClinicRegistered(R"("VC")", R"("1880")", R"("42.50")"), RejectCode::kInvalidDistance,
                "distance_to_hospital_km");
  CheckRejected(ClinicRegistered(R"("VC")", R"("1880")", R"("-1.0")"), RejectCode::kInvalidDistance,
                "distance_to_hospital_km");
  CheckRejected(ClinicRegistered(R"("VC")", R"("1880")", R"(".5")"), RejectCode::kInvalidDistance,
                "distance_to_hospital_km");
  CheckRejected(ClinicRegistered(R"("VC")", R"("1880")", R"("100000.1")"), RejectCode::kInvalidDistance,
                "distance_to_hospital_km");
  CHECK(BodyOf<domain::ClinicRegistered>(ClinicRegistered(R"("VC")", R"("1880")", R"("100000.0")"))
            .distance_to_hospital_km_tenths == 1'000'000);
  CheckRejected(R"({"type":"ClinicChanged","id":"cc-1","clinic":"VC-A","effective":"2024-07-01",)"
                R"("distance_to_hospital_km":"4,5"})",
                RejectCode::kInvalidDistance, "distance_to_hospital_km");
}

TEST_CASE("invalid_fulfilment: outside 0.000-1.000 or not three decimals") {
  CheckRejected(PerformanceLine("2024-01", "2024-12", "1.001"), RejectCode::kInvalidFulfilment, "fulfilment");
  CheckRejected(PerformanceLine("2024-01", "2024-12", "1.500"), RejectCode::kInvalidFulfilment, "fulfilment");
  CheckRejected(PerformanceLine("2024-01", "2024-12", "0.87"), RejectCode::kInvalidFulfilment, "fulfilment");
  CheckRejected(PerformanceLine("2024-01", "2024-12", ".875"), RejectCode::kInvalidFulfilment, "fulfilment");
  CheckRejected(PerformanceLine("2024-01", "2024-12", "-0.100"), RejectCode::kInvalidFulfilment, "fulfilment");
}

TEST_CASE("invalid_cni: a cni without exactly four decimals") {
  CheckRejected(CniLine(kOver65Hits, "10000", R"(,"cni":"0.248")"), RejectCode::kInvalidCni, "cni");
  CheckRejected(CniLine(kOver65Hits, "10000", R"(,"cni":"0,2483")"), RejectCode::kInvalidCni, "cni");
  CheckRejected(CniLine(kOver65Hits, "10000", R"(,"cni":"")"), RejectCode::kInvalidCni, "cni");
}

TEST_CASE("invalid_count: a count or population out of range") {
  CheckRejected(CniLine(kOver65Hits, "0", ""), RejectCode::kInvalidCount, "population");
  CheckRejected(CniLine(kOver65Hits, "9223372036854775808", ""), RejectCode::kInvalidCount, "population");
  CheckRejected(CniLine(R"({"over_65_alone":1,"born_abroad":0,"unemployed":0,"single_parent":0,"moved_in":0,)"
                        R"("low_education":0,"under_5":-1})",
                        "100", ""),
                RejectCode::kInvalidCount, "hits.under_5");
  CheckRejected(VisitsLine(R"({"home_visits":1000000001,"other_listed":2,"unlisted":3,"out_of_region":4})"),
                RejectCode::kInvalidCount, "counts.home_visits");
  CHECK(BodyOf<domain::VisitsReported>(
            VisitsLine(R"({"home_visits":1000000000,"other_listed":0,"unlisted":0,"out_of_region":0})"))
            .counts.home_visits == 1'000'000'000);
  CheckRejected(R"({"type":"ClinicChanged","id":"cc-1","clinic":"VC-A","effective":"2024-07-01","list_cap":-1})",
                RejectCode::kInvalidCount, "list_cap");
  // Units of a mission are 1 to 1,000,000,000: an undertaking of no units is none.
  CheckRejected(UndertakenLine(R"("ab")", R"(,"units":0)"), RejectCode::kInvalidCount, "units");
  CheckRejected(UndertakenLine(R"("ab")", R"(,"units":-2)"), RejectCode::kInvalidCount, "units");
  CheckRejected(UndertakenLine(R"("ab")", R"(,"units":1000000001)"), RejectCode::kInvalidCount, "units");
}

TEST_CASE("invalid_enum: a reason, operator or component not in its list") {
  CheckRejected(fmt::format(R"({{"type":"ResidentRegistered","id":"r-1","personnummer":"{}","effective":"2024-01-01",)"
                            R"("municipality":"1880","reason":"birthday"}})",
                            kMan),
                RejectCode::kInvalidEnum, "reason");
  CheckRejected(Listed(kMan).replace(Listed(kMan).find("choice"), 6, "Choice"), RejectCode::kInvalidEnum, "reason");
  CheckRejected(R"({"type":"ClinicChanged","id":"cc-1","clinic":"VC-A","effective":"2024-07-01","operator":"county"})",
                RejectCode::kInvalidEnum, "operator");
  CheckRejected(PayoutRunLine(R"([{"clinic":"VC-B","month":"2022-12","component":"bonus","amount":"1.00"}])"),
                RejectCode::kInvalidEnum, "unbooked[0].component", true);
  // "missions" is the seventh component (DOMAIN.md §9).
  CHECK(BodyOf<domain::PayoutRun>(
            PayoutRunLine(R"([{"clinic":"VC-B","month":"2022-12","component":"missions","amount":"1.00"}])"), true)
            .unbooked[0]
            .component == domain::Component::kMissions);
  const codec::Rejection r = RejectionOf(
      R"({"type":"ClinicChanged","id":"cc-1","clinic":"VC-A","effective":"2024-07-01","operator":"county"})");
  CHECK(r.message.find("region, private") != std::string::npos);
}

TEST_CASE("invalid_municipality: a kommun code that is not exactly four digits") {
  CheckRejected(ClinicRegistered(R"("VC")", R"("188")"), RejectCode::kInvalidMunicipality, "municipality");
  CheckRejected(ClinicRegistered(R"("VC")", R"("18800")"), RejectCode::kInvalidMunicipality, "municipality");
  CheckRejected(ClinicRegistered(R"("VC")", R"("18a0")"), RejectCode::kInvalidMunicipality, "municipality");
  CheckRejected(fmt::format(R"({{"type":"ResidentRelocated","id":"rel-1","personnummer":"{}","effective":"2024-09-01",)"
                            R"("municipality":" 880"}})",
                            kMan),
                RejectCode::kInvalidMunicipality, "municipality");
}

TEST_CASE("invalid_clinic_id: a clinic id outside [A-Z0-9-]{2,32}") {
  const auto line = [](std::string_view clinic) {
    return fmt::format(R"({{"type":"ClinicClosed","id":"c","clinic":"{}","effective":"2030-01-01"}})", clinic);
  };
  CheckRejected(line("vc-a"), RejectCode::kInvalidClinicId, "clinic");
  CheckRejected(line("V"), RejectCode::kInvalidClinicId, "clinic");
  CheckRejected(line(std::string(33, 'A')), RejectCode::kInvalidClinicId, "clinic");
  CheckRejected(line("VC_A"), RejectCode::kInvalidClinicId, "clinic");
  CheckRejected(line("VC Å"), RejectCode::kInvalidClinicId, "clinic");
  CHECK(BodyOf<domain::ClinicClosed>(line(std::string(32, 'A'))).clinic == std::string(32, 'A'));
  CheckRejected(ClinicRegistered(R"("VC")", R"("1880")", R"("1.0")", R"("VC A")"), RejectCode::kInvalidClinicId,
                "clinic");
  CheckRejected(R"({"type":"MissionUndertaken","id":"mu-1","clinic":"vc-a","mission":"ab","effective":"2025-02-01"})",
                RejectCode::kInvalidClinicId, "clinic");
}

TEST_CASE("invalid_period: a performance period that ends before it starts") {
  CheckRejected(PerformanceLine("2024-07", "2024-06", "0.500"), RejectCode::kInvalidPeriod, "period_from");
  CheckRejected(PerformanceLine("2025-01", "2024-12", "0.500"), RejectCode::kInvalidPeriod, "period_from");
}

TEST_CASE("cni_mismatch: a delivered cni that differs from the one computed from hits") {
  // Computed: 6150.00 / 10000 / 2.476 = 0.24838... -> 0.2483 (truncated, so 0.2484 is wrong).
  CHECK(BodyOf<domain::CniReported>(CniLine(kOver65Hits, "10000", R"(,"cni":"0.2483")")).cni_ten_thousandths ==
        std::optional<std::int64_t>(2483));
  CheckRejected(CniLine(kOver65Hits, "10000", R"(,"cni":"0.2484")"), RejectCode::kCniMismatch, "cni");
  const codec::Rejection r = RejectionOf(CniLine(kOver65Hits, "10000", R"(,"cni":"0.2484")"));
  CHECK(r.message.find("0.2483") != std::string::npos);
}

TEST_CASE("invalid_rulebook: a rulebook that breaks a rule beyond the shape of its fields") {
  CheckRejected(RulebookLine(RulebookJson(R"([{"min_age":5,"amount":"3726.00"},{"min_age":6,"amount":"1759.50"}])")),
                RejectCode::kInvalidRulebook, "rulebook.capitation.bands[0].min_age");
  CheckRejected(RulebookLine(RulebookJson(R"([{"min_age":0,"amount":"3726.00"},{"min_age":0,"amount":"1759.50"}])")),
                RejectCode::kInvalidRulebook, "rulebook.capitation.bands[1].min_age");
}

TEST_CASE("invalid_recorded_at: a recorded_at that is not RFC 3339") {
  CheckRejected(Listed(kMan, R"(,"recorded_at":"2024-04-05 06:00")"), RejectCode::kInvalidRecordedAt, "recorded_at");
  CheckRejected(Listed(kMan, R"(,"recorded_at":"2024-04-05T06:00:00")"), RejectCode::kInvalidRecordedAt,
                "recorded_at");
  CheckRejected(Listed(kMan, R"(,"recorded_at":"yesterday")"), RejectCode::kInvalidRecordedAt, "recorded_at");
  CheckRejected(Listed(kMan, R"(,"recorded_at":"2024-02-30T06:00:00Z")"), RejectCode::kInvalidRecordedAt,
                "recorded_at");
}

TEST_CASE("line_too_long: a line over the byte limit is refused before it is parsed") {
  std::string line = R"({"type":"ClinicClosed","id":"cl-1","clinic":"VC-A","effective":"2030-01-01"})";
  line.insert(line.size() - 1, limits::kInputLineBytesMax + 1 - line.size(), ' ');
  REQUIRE(line.size() == limits::kInputLineBytesMax + 1);
  CheckRejected(line, RejectCode::kLineTooLong, "");
}

TEST_CASE("invalid_encoding: bytes that are not UTF-8") {
  // "Vårdcentral" in Latin-1: å is the single byte 0xE5.
  CheckRejected(ClinicRegistered(std::string("\"V") + '\xE5' + "rdcentral\""), RejectCode::kInvalidEncoding, "");
  // A two-byte sequence cut short.
  CheckRejected(ClinicRegistered(std::string("\"VC") + '\xC3' + "\""), RejectCode::kInvalidEncoding, "");
  // An invalid byte in a key.
  CheckRejected(Listed(kMan, std::string(",\"x") + '\xFF' + "\":1"), RejectCode::kInvalidEncoding, "");
}

// ================================ The documentation ================================

// The lines of the ```jsonl blocks of docs/events.md.
std::vector<std::string> DocumentedExamples() {
  const char* env = std::getenv("CAPLEDGER_SOURCE_DIR");
  std::string root = env != nullptr ? env : "";
  if (root.empty()) {
    const std::string here = __FILE__;  // <root>/tests/codec/json_line_decoder_test.cc
    root = here.substr(0, here.rfind("/tests/"));
  }
  std::ifstream in(root + "/docs/events.md");
  REQUIRE_MESSAGE(in.good(), "cannot read " << root << "/docs/events.md");
  std::vector<std::string> lines;
  bool in_block = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("```", 0) == 0) {
      in_block = !in_block && line == "```jsonl";
    } else if (in_block && !line.empty()) {
      lines.push_back(line);
    }
  }
  return lines;
}

TEST_CASE("every example line in docs/events.md is accepted, and every input type has one") {
  const std::vector<std::string> examples = DocumentedExamples();
  std::set<std::string_view> types;
  for (const std::string& line : examples) {
    const codec::DecodedLine decoded = Accepted(line);
    types.insert(domain::EventTypeName(domain::TypeOf(decoded.event.body)));
  }
  CHECK(types.size() == 17);  // the 19 types less LedgerEntry and PayoutRun
}

// ================================ Privacy ================================

TEST_CASE("no rejection message or field repeats a personnummer, wherever in the line it appears") {
  std::string wrong_check = kMan;
  wrong_check.back() = static_cast<char>('0' + (wrong_check.back() - '0' + 1) % 10);
  const std::string twelve = WithoutHyphen(kMan);
  const std::vector<std::string> lines = {
      Listed(wrong_check),
      Listed(WithoutHyphen(wrong_check)),
      Listed(kMan.substr(2)),
      Listed("19800231-1234"),
      Listed(kMan + "0"),
      fmt::format(R"({{"type":"PatientListed","id":"l-1","personnummer":{},"clinic":"VC-A","effective":"2024-03-15",)"
                  R"("reason":"choice"}})",
                  twelve),
      fmt::format(R"({{"type":"ClinicClosed","id":"c","clinic":"{}_","effective":"2030-01-01"}})", kMan),
      fmt::format(R"({{"type":"{}","id":"c"}})", kMan),
      fmt::format(R"({{"type":"{}","id":"c"}})", twelve),
      Listed(kMan, fmt::format(R"(,"{}":1)", kMan)),
      Listed(kMan, fmt::format(R"(,"{}":1)", twelve)),
      Listed(kMan).replace(Listed(kMan).find("choice"), 6, twelve),
      Listed(kMan, fmt::format(R"(,"recorded_at":"{}")", kMan)),
      Listed(kMan, R"(,"recorded_at":"x)" + std::string(1, '\x01') + "\""),
      fmt::format(R"({{"type":"ClinicClosed","id":"c","clinic":"VC-A","effective":"{}"}})", kMan),
      fmt::format(R"({{"type":"EventRetracted","id":"x","target":"{}\t","reason":"r"}})", kMan),
  };
  const std::vector<std::string> forms = {kMan, twelve, twelve.substr(2), kMan.substr(2), kMan.substr(0, 8)};
  for (const std::string& line : lines) {
    const codec::Rejection r = RejectionOf(line);
    const std::string described = codec::DescribeRejection(1, r);
    for (const std::string& form : forms) {
      INFO("line: " << line << "\nrejection: " << described);
      CHECK(described.find(form) == std::string::npos);
    }
  }
}

}  // namespace
}  // namespace capledger::testing
