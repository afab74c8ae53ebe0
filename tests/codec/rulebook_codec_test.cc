// The rulebook's two text forms (DOMAIN.md §5): the shipped TOML files and their figures, TOML and
// JSON giving the same value, the canonical JSON round trip, and every rejection with its code and
// field.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "codec/flatbuffer_codec.h"
#include "codec/rulebook_codec.h"
#include "common/limits.h"
#include "domain/rulebook.h"

namespace capledger::codec {
namespace {

using domain::Money;
using domain::Rulebook;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

domain::Date D(int y, unsigned m, unsigned d) { return domain::Date{year(y), month(m), day(d)}; }

// The repository root: CAPLEDGER_SOURCE_DIR (set by ctest), else the nearest parent of the working
// directory that holds config/rulebooks.
std::filesystem::path SourceDir() {
  if (const char* dir = std::getenv("CAPLEDGER_SOURCE_DIR")) return dir;
  std::filesystem::path at = std::filesystem::current_path();
  for (int up = 0; up < 6 && !std::filesystem::exists(at / "config" / "rulebooks"); ++up) at = at.parent_path();
  return at;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Rulebook Shipped(std::string_view id) {
  const std::string text = ReadFile(SourceDir() / "config" / "rulebooks" / fmt::format("{}.toml", id));
  auto rulebook = ParseRulebookToml(text);
  REQUIRE_MESSAGE(rulebook.has_value(), id << ": " << rulebook.error().field << ": " << rulebook.error().message);
  return *rulebook;
}

std::vector<std::int64_t> AgeBandOre(const Rulebook& rb) {
  std::vector<std::int64_t> out;
  for (const auto& band : rb.capitation) out.push_back(band.amount_per_year.ore());
  return out;
}

std::vector<int> MinAges(const Rulebook& rb) {
  std::vector<int> out;
  for (const auto& band : rb.capitation) out.push_back(band.min_age);
  return out;
}

// The illustrative 2023 capitation of DOMAIN.md §5, typed in from the spec (not read from a file):
// 0-5 3,600.00; 6-15 1,700.00; 16-24 1,900.00; 25-44 2,300.00; 45-64 2,900.00; 65-74 4,300.00;
// 75-84 6,200.00; 85+ 8,100.00.
const std::vector<int> kMinAges = {0, 6, 16, 25, 45, 65, 75, 85};
const std::vector<std::int64_t> kCapitation2023Ore = {360000, 170000, 190000, 230000,
                                                       290000, 430000, 620000, 810000};

// x × numerator / denominator in whole öre, rounded half away from zero (x >= 0 here).
std::int64_t ScaleRoundHalfAway(std::int64_t ore, std::int64_t numerator, std::int64_t denominator) {
  return (2 * ore * numerator + denominator) / (2 * denominator);
}

TEST_CASE("the four shipped rulebooks parse and follow each other without a gap, each replacing the one before") {
  const Rulebook rbs[] = {Shipped("KoK-2023"), Shipped("KoK-2024"), Shipped("KoK-2025"), Shipped("KoK-2026")};
  for (int i = 0; i < 4; ++i) {
    CAPTURE(i);
    const Rulebook& rb = rbs[i];
    CHECK(rb.id == fmt::format("KoK-{}", 2023 + i));
    CHECK(rb.valid_from == D(2023 + i, 1, 1));
    CHECK(rb.valid_until == D(2024 + i, 1, 1));
    CHECK(rb.snapshot == domain::SnapshotRule::kLastDayOfMonth);
    CHECK(rb.retro_window_months == 12);
    CHECK(MinAges(rb) == kMinAges);
    REQUIRE(rb.provenance.has_value());
    // No decision date is in the decisions at hand: each is recorded as unknown, not guessed.
    CHECK_FALSE(rb.provenance->decided_on.has_value());
    if (i == 0) CHECK_FALSE(rb.provenance->replaces.has_value());
    if (i > 0) CHECK(rb.provenance->replaces == rbs[i - 1].id);
  }
  // DOMAIN.md §1: 23RS11979 by the regional board for 2024; 24RS2584, a proposal of 2025-01-16 for
  // the regional council, for rulebooks from 2026 only.
  CHECK(rbs[1].decision == "23RS11979");
  CHECK(rbs[1].provenance->decided_by == "regionstyrelsen");
  CHECK(rbs[2].decision != "24RS2584");
  CHECK(rbs[3].decision == "24RS2584");
  CHECK(rbs[3].provenance->decided_by == "regionfullmäktige");
}

TEST_CASE("KoK-2023 has the illustrative amounts of DOMAIN.md §5 and no optional supplements") {
  const Rulebook rb = Shipped("KoK-2023");
  CHECK(AgeBandOre(rb) == kCapitation2023Ore);
  REQUIRE(rb.performance_per_year.has_value());
  CHECK(rb.performance_per_year->ore() == 14230);  // 142.30
  REQUIRE(rb.visits.has_value());
  CHECK(rb.visits->home_visit.ore() == 110000);    // 1,100.00
  CHECK(rb.visits->other_listed.ore() == 65000);   // 650.00
  CHECK(rb.visits->unlisted.ore() == 65000);       // 650.00
  CHECK(rb.visits->out_of_region.ore() == 150000); // 1,500.00
  CHECK_FALSE(rb.start_grant.has_value());
  CHECK_FALSE(rb.cni_supplement.has_value());
  CHECK_FALSE(rb.distance_supplement.has_value());
}

TEST_CASE("KoK-2024 is KoK-2023 with the decided steps, exact to the öre") {
  const Rulebook rb = Shipped("KoK-2024");
  // Capitation × 1.035 = × 1035 / 1000: every product must be whole öre (no rounding needed).
  std::vector<std::int64_t> expected;
  for (std::int64_t ore : kCapitation2023Ore) {
    CHECK(ore * 1035 % 1000 == 0);
    expected.push_back(ore * 1035 / 1000);
  }
  CHECK(AgeBandOre(rb) == expected);
  // Spot checks against DOMAIN.md §5's own example: 3726.00 and 1759.50.
  CHECK(expected[0] == 372600);
  CHECK(expected[1] == 175950);
  REQUIRE(rb.performance_per_year.has_value());
  CHECK(rb.performance_per_year->ore() == 19200);  // 142.30 -> 192.00
  REQUIRE(rb.visits.has_value());
  CHECK(110000 * 1035 % 1000 == 0);
  CHECK(rb.visits->home_visit.ore() == 110000 * 1035 / 1000);  // home visits × 1.035 = 1138.50
  CHECK(rb.visits->other_listed.ore() == 65000 * 110 / 100);   // visits × 1.10 = 715.00
  CHECK(rb.visits->unlisted.ore() == 65000 * 110 / 100);
  CHECK(rb.visits->out_of_region.ore() == 150000 * 110 / 100);  // 1650.00
  REQUIRE(rb.start_grant.has_value());
  CHECK(rb.start_grant->amount.ore() == 120000000);  // 1,200,000.00
  CHECK(rb.start_grant->months == 12);
  CHECK_FALSE(rb.cni_supplement.has_value());
  CHECK_FALSE(rb.distance_supplement.has_value());
}

TEST_CASE("KoK-2025 raises the elderly bands 5 %, and KoK-2026 adds the CNI and distance supplements") {
  const Rulebook rb2024 = Shipped("KoK-2024");
  const Rulebook rb = Shipped("KoK-2025");
  // Bands 0-64 carried; 65, 75 and 85 × 105 / 100, half away from zero:
  // 445050 × 1.05 = 467302.5 -> 467303; 641700 × 1.05 = 673785; 838350 × 1.05 = 880267.5 -> 880268.
  std::vector<std::int64_t> expected;
  for (std::size_t i = 0; i < kCapitation2023Ore.size(); ++i) {
    const std::int64_t ore2024 = kCapitation2023Ore[i] * 1035 / 1000;
    expected.push_back(kMinAges[i] >= 65 ? ScaleRoundHalfAway(ore2024, 105, 100) : ore2024);
  }
  CHECK(expected[5] == 467303);
  CHECK(expected[6] == 673785);
  CHECK(expected[7] == 880268);
  CHECK(AgeBandOre(rb) == expected);
  CHECK(rb.performance_per_year == rb2024.performance_per_year);
  CHECK(rb.visits == rb2024.visits);
  CHECK(rb.start_grant == rb2024.start_grant);
  CHECK_FALSE(rb.cni_supplement.has_value());  // 24RS2584's supplements start in 2026
  CHECK_FALSE(rb.distance_supplement.has_value());
  const Rulebook rb2026 = Shipped("KoK-2026");
  CHECK(rb2026.capitation == rb.capitation);
  CHECK(rb2026.performance_per_year == rb.performance_per_year);
  CHECK(rb2026.visits == rb.visits);
  CHECK(rb2026.start_grant == rb.start_grant);
  REQUIRE(rb2026.cni_supplement.has_value());
  CHECK(rb2026.cni_supplement->top_n == 6);
  CHECK(rb2026.cni_supplement->amount_per_year.ore() == 45000);  // DOMAIN.md §5's example, 450.00
  REQUIRE(rb2026.distance_supplement.has_value());
  const std::vector<domain::DistanceBand> bands = {{250, Money::FromOre(20000)}, {500, Money::FromOre(40000)}};
  CHECK(*rb2026.distance_supplement == bands);
}

// A complete rulebook with every optional table, in TOML and in JSON.
constexpr std::string_view kFullToml = R"(id = "KoK-Test.1_a"
title = "Prov: Hälsoval \"test\""
decision = "24RS2584"
decided_by = "regionfullmäktige"
decided_on = 2025-06-17
replaces = "KoK-Test.0"
valid_from = 2025-01-01
valid_until = "2026-01-01"
snapshot = "last_day_of_previous_month"
retro_window_months = 0

[capitation]
bands = [
  { min_age = 0, amount = "0.00" },
  { min_age = 150, amount = "1000000.00" },
]

[performance]
amount = "0.05"

[visits]
home_visit = "1.00"
other_listed = "2.00"
unlisted = "3.00"
out_of_region = "4.00"

[start_grant]
amount = "1200000.00"
months = 120

[cni_supplement]
top_n = 100000
amount = "450.00"

[[distance_supplement.bands]]
min_km = "0.0"
amount = "1.00"

[[distance_supplement.bands]]
min_km = "100000.0"
amount = "2.00"
)";

constexpr std::string_view kFullJson =
    R"({"id":"KoK-Test.1_a","title":"Prov: Hälsoval \"test\"","decision":"24RS2584",)"
    R"("decided_by":"regionfullmäktige","decided_on":"2025-06-17","replaces":"KoK-Test.0",)"
    R"("valid_from":"2025-01-01","valid_until":"2026-01-01","snapshot":"last_day_of_previous_month",)"
    R"("retro_window_months":0,"capitation":{"bands":[{"min_age":0,"amount":"0.00"},)"
    R"({"min_age":150,"amount":"1000000.00"}]},"performance":{"amount":"0.05"},)"
    R"("visits":{"home_visit":"1.00","other_listed":"2.00","unlisted":"3.00","out_of_region":"4.00"},)"
    R"("start_grant":{"amount":"1200000.00","months":120},"cni_supplement":{"top_n":100000,"amount":"450.00"},)"
    R"("distance_supplement":{"bands":[{"min_km":"0.0","amount":"1.00"},{"min_km":"100000.0","amount":"2.00"}]}})";

TEST_CASE("the TOML and the JSON form of one rulebook give the same value") {
  auto from_toml = ParseRulebookToml(kFullToml);
  REQUIRE_MESSAGE(from_toml.has_value(), from_toml.error().field << ": " << from_toml.error().message);
  auto from_json = ParseRulebookJson(kFullJson, "rulebook", RulebookOrigin::kPublished);
  REQUIRE_MESSAGE(from_json.has_value(), from_json.error().field << ": " << from_json.error().message);
  CHECK(*from_toml == *from_json);
  const Rulebook& rb = *from_toml;
  CHECK(rb.title == "Prov: Hälsoval \"test\"");
  CHECK(rb.valid_from == D(2025, 1, 1));   // a TOML date
  CHECK(rb.valid_until == D(2026, 1, 1));  // a "YYYY-MM-DD" string in TOML
  CHECK(rb.snapshot == domain::SnapshotRule::kLastDayOfPreviousMonth);
  CHECK(rb.capitation[1].amount_per_year.ore() == domain::kRateOreMax);  // the largest a rulebook may state
  CHECK(rb.performance_per_year->ore() == 5);
  CHECK((*rb.distance_supplement)[1].min_km_tenths == 1'000'000);
}

TEST_CASE("the canonical JSON is written in the TOML key order and reads back to the same rulebook") {
  auto rb = ParseRulebookJson(kFullJson, "", RulebookOrigin::kPublished);
  REQUIRE(rb.has_value());
  CHECK(RulebookToJson(*rb) == kFullJson);
  for (std::string_view id : {"KoK-2023", "KoK-2024", "KoK-2025", "KoK-2026"}) {
    CAPTURE(id);
    const Rulebook shipped = Shipped(id);
    const std::string json = RulebookToJson(shipped);
    auto back = ParseRulebookJson(json, "", RulebookOrigin::kPublished);
    REQUIRE_MESSAGE(back.has_value(), back.error().field << ": " << back.error().message);
    CHECK(*back == shipped);
    CHECK(RulebookToJson(*back) == json);
  }
}

// A rulebook with only the required keys.
constexpr std::string_view kMinimalJson =
    R"({"id":"R","title":"T","decision":"D","decided_by":"B","decided_on":"unknown",)"
    R"("valid_from":"2024-01-01","valid_until":"2024-02-01",)"
    R"("snapshot":"first_day_of_month","retro_window_months":3,)"
    R"("capitation":{"bands":[{"min_age":0,"amount":"1.00"}]}})";

TEST_CASE("absent optional tables are not written") {
  auto rb = ParseRulebookJson(kMinimalJson, "", RulebookOrigin::kPublished);
  REQUIRE(rb.has_value());
  CHECK_FALSE(rb->performance_per_year.has_value());
  CHECK_FALSE(rb->visits.has_value());
  CHECK(RulebookToJson(*rb) == kMinimalJson);
}

// ---- Rejections -------------------------------------------------------------------------------

// A valid TOML rulebook; each rejection case edits one piece of it.
constexpr std::string_view kBaseToml = R"(id = "KoK-2024"
title = "Krav- och kvalitetsbok Hälsoval Örebro län 2024"
decision = "23RS11979"
decided_by = "regionstyrelsen"
decided_on = 2023-12-12
valid_from = 2024-01-01
valid_until = 2025-01-01
snapshot = "last_day_of_month"
retro_window_months = 12

[capitation]
bands = [
  { min_age = 0, amount = "3726.00" },
  { min_age = 6, amount = "1759.50" },
  { min_age = 16, amount = "1966.50" },
]

[visits]
home_visit = "1138.50"
other_listed = "715.00"
unlisted = "715.00"
out_of_region = "1650.00"

[start_grant]
amount = "1200000.00"
months = 12

[cni_supplement]
top_n = 6
amount = "450.00"

[distance_supplement]
bands = [ { min_km = "25.0", amount = "200.00" }, { min_km = "50.0", amount = "400.00" } ]
)";

// kBaseToml with `from` (which must occur) replaced by `to`.
std::string Edited(std::string_view from, std::string_view to) {
  std::string text(kBaseToml);
  const std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "not in the base rulebook: " << from);
  text.replace(at, from.size(), to);
  return text;
}

Rejection RejectedToml(const std::string& text) {
  auto rb = ParseRulebookToml(text);
  REQUIRE_MESSAGE(!rb.has_value(), "accepted:\n" << text);
  return rb.error();
}

void CheckTomlRejected(std::string_view from, std::string_view to, RejectCode code, std::string_view field) {
  CAPTURE(from);
  CAPTURE(to);
  const Rejection r = RejectedToml(Edited(from, to));
  CHECK_MESSAGE(r.code == code, RejectCodeName(r.code) << ": " << r.message);
  CHECK(r.field == field);
}

TEST_CASE("the base rulebook of the rejection cases is itself valid") {
  auto rb = ParseRulebookToml(kBaseToml);
  REQUIRE_MESSAGE(rb.has_value(), rb.error().field << ": " << rb.error().message);
  CHECK(rb->capitation.size() == 3);
}

TEST_CASE("who decided a rulebook and when: a date or \"unknown\", and what it replaces; an old stored one says not recorded") {
  auto dated = ParseRulebookToml(kBaseToml);
  REQUIRE(dated.has_value());
  REQUIRE(dated->provenance.has_value());
  CHECK(dated->provenance->decided_by == "regionstyrelsen");
  CHECK(dated->provenance->decided_on == D(2023, 12, 12));
  CHECK_FALSE(dated->provenance->replaces.has_value());
  CHECK(domain::DescribeProvenance(*dated) == "regionstyrelsen, 2023-12-12");
  auto unknown = ParseRulebookToml(Edited("decided_on = 2023-12-12", "decided_on = \"unknown\"\nreplaces = \"KoK-2023\""));
  REQUIRE(unknown.has_value());
  CHECK_FALSE(unknown->provenance->decided_on.has_value());
  CHECK(unknown->provenance->replaces == "KoK-2023");
  CHECK(domain::DescribeProvenance(*unknown) ==
        "regionstyrelsen, date not recorded in the decisions at hand; replaces KoK-2023");
  // A rulebook stored before provenance was kept has none, and reads as such.
  Rulebook old = *dated;
  old.provenance.reset();
  CHECK(domain::DescribeProvenance(old) == "not recorded");
  const std::string old_json = RulebookToJson(old);
  CHECK(old_json.find("decided_") == std::string::npos);
  // Its stored form reads back as it was; published now, the same text is refused, naming the key.
  auto stored = ParseRulebookJson(old_json, "", RulebookOrigin::kStored);
  REQUIRE(stored.has_value());
  CHECK(*stored == old);
  auto published = ParseRulebookJson(old_json, "rulebook", RulebookOrigin::kPublished);
  REQUIRE_FALSE(published.has_value());
  CHECK(published.error().code == RejectCode::kMissingField);
  CHECK(published.error().field == "rulebook.decided_by");
  // A stored rulebook carries both keys or neither.
  std::string half = RulebookToJson(*dated);
  half.erase(half.find(R"("decided_on":"2023-12-12",)"), std::string_view(R"("decided_on":"2023-12-12",)").size());
  auto half_stored = ParseRulebookJson(half, "", RulebookOrigin::kStored);
  REQUIRE_FALSE(half_stored.has_value());
  CHECK(half_stored.error().code == RejectCode::kMissingField);
  CHECK(half_stored.error().field == "decided_on");
  // A date that is no date, a rulebook replacing itself, an id that is no rulebook id.
  CheckTomlRejected("decided_on = 2023-12-12", "decided_on = \"soon\"", RejectCode::kInvalidDate, "decided_on");
  CheckTomlRejected("decided_on = 2023-12-12", "decided_on = 2023-12-12\nreplaces = \"KoK-2024\"",
                    RejectCode::kInvalidRulebook, "replaces");
  CheckTomlRejected("decided_on = 2023-12-12", "decided_on = 2023-12-12\nreplaces = \"KoK 2023\"",
                    RejectCode::kInvalidId, "replaces");
}

TEST_CASE("a missing required key is missing_field naming it") {
  for (std::string_view key : {"id", "title", "decision", "decided_by", "decided_on", "valid_from", "valid_until",
                               "snapshot", "retro_window_months"}) {
    std::string text(kBaseToml);
    const std::size_t at = text.find(std::string(key) + " = ");
    REQUIRE(at != std::string::npos);
    text.erase(at, text.find('\n', at) + 1 - at);
    const Rejection r = RejectedToml(text);
    CHECK(r.code == RejectCode::kMissingField);
    CHECK(r.field == key);
  }
  CheckTomlRejected("[capitation]\nbands = [", "[other_capitation]\nbands = [", RejectCode::kUnknownField,
                    "other_capitation");
  std::string text(kBaseToml);
  text.erase(text.find("[capitation]"), text.find("[visits]") - text.find("[capitation]"));
  const Rejection r = RejectedToml(text);
  CHECK(r.code == RejectCode::kMissingField);
  CHECK(r.field == "capitation");
  CheckTomlRejected(R"({ min_age = 6, amount = "1759.50" })", "{ min_age = 6 }", RejectCode::kMissingField,
                    "capitation.bands[1].amount");
  CheckTomlRejected("\nmonths = 12\n", "\n", RejectCode::kMissingField, "start_grant.months");
  CheckTomlRejected("unlisted = \"715.00\"\n", "", RejectCode::kMissingField, "visits.unlisted");
  CheckTomlRejected("bands = [ { min_km", "steps = [ { min_km", RejectCode::kUnknownField, "distance_supplement.steps");
}

TEST_CASE("the optional tables may be left out") {
  std::string text(kBaseToml);
  text.erase(text.find("[visits]"));
  auto rb = ParseRulebookToml(text);
  REQUIRE(rb.has_value());
  CHECK_FALSE(rb->visits.has_value());
  CHECK_FALSE(rb->start_grant.has_value());
  CHECK_FALSE(rb->cni_supplement.has_value());
  CHECK_FALSE(rb->distance_supplement.has_value());
}

TEST_CASE("an unknown key is unknown_field naming its path") {
  CheckTomlRejected("retro_window_months = 12\n", "retro_window_months = 12\nextra = 1\n",
                    RejectCode::kUnknownField, "extra");
  CheckTomlRejected("\nmonths = 12\n", "\nmonths = 12\nper_month = \"1.00\"\n", RejectCode::kUnknownField,
                    "start_grant.per_month");
  CheckTomlRejected(R"({ min_age = 6, amount = "1759.50" })", R"({ min_age = 6, amount = "1759.50", sex = "f" })",
                    RejectCode::kUnknownField, "capitation.bands[1].sex");
  CheckTomlRejected("[start_grant]", "[bonus]\namount = \"1.00\"\n\n[start_grant]", RejectCode::kUnknownField,
                    "bonus");
}

TEST_CASE("money that is not a non-negative two-decimal string is invalid_money") {
  for (std::string_view bad : {"\"1759.5\"", "\"1759.500\"", "\"-1759.50\"", "\"1,759.50\"", "\"1759\"",
                               "\" 1759.50\"", "\"\"", "\"+1759.50\"", "\"92233720368547758.08\""}) {
    CheckTomlRejected(R"(amount = "1759.50")", fmt::format("amount = {}", bad), RejectCode::kInvalidMoney,
                      "capitation.bands[1].amount");
  }
  CheckTomlRejected(R"(home_visit = "1138.50")", R"(home_visit = "1138.5")", RejectCode::kInvalidMoney,
                    "visits.home_visit");
  CheckTomlRejected(R"(amount = "1200000.00")", R"(amount = "1200000")", RejectCode::kInvalidMoney,
                    "start_grant.amount");
  CheckTomlRejected(R"(amount = "400.00")", R"(amount = "-400.00")", RejectCode::kInvalidMoney,
                    "distance_supplement.bands[1].amount");
}

TEST_CASE("capitation bands must start at 0 and rise strictly") {
  CheckTomlRejected("min_age = 0,", "min_age = -1,", RejectCode::kInvalidRulebook, "capitation.bands[0].min_age");
  CheckTomlRejected("min_age = 0,", "min_age = 1,", RejectCode::kInvalidRulebook, "capitation.bands[0].min_age");
  CheckTomlRejected("min_age = 16,", "min_age = 5,", RejectCode::kInvalidRulebook, "capitation.bands[2].min_age");
  CheckTomlRejected("min_age = 16,", "min_age = 6,", RejectCode::kInvalidRulebook, "capitation.bands[2].min_age");
  CheckTomlRejected("min_age = 16,", "min_age = 151,", RejectCode::kInvalidRulebook, "capitation.bands[2].min_age");
  CheckTomlRejected("min_age = 16,", "min_age = 9999999999,", RejectCode::kInvalidRulebook,
                    "capitation.bands[2].min_age");
  std::string text(kBaseToml);
  const std::size_t from = text.find("bands = [\n");
  text.replace(from, text.find("]\n", from) + 2 - from, "bands = []\n");
  const Rejection r = RejectedToml(text);
  CHECK(r.code == RejectCode::kInvalidRulebook);
  CHECK(r.field == "capitation.bands");
}

TEST_CASE("more than 64 bands is invalid_rulebook") {
  std::string bands;
  for (int age = 0; age <= 64; ++age) bands += fmt::format("  {{ min_age = {}, amount = \"1.00\" }},\n", age);
  CheckTomlRejected(R"(  { min_age = 0, amount = "3726.00" },
  { min_age = 6, amount = "1759.50" },
  { min_age = 16, amount = "1966.50" },
)",
                    bands, RejectCode::kInvalidRulebook, "capitation.bands");
}

TEST_CASE("distance bands must rise strictly and be one-decimal strings") {
  CheckTomlRejected(R"(min_km = "50.0")", R"(min_km = "25.0")", RejectCode::kInvalidRulebook,
                    "distance_supplement.bands[1].min_km");
  CheckTomlRejected(R"(min_km = "50.0")", R"(min_km = "50")", RejectCode::kInvalidDistance,
                    "distance_supplement.bands[1].min_km");
  CheckTomlRejected(R"(min_km = "50.0")", R"(min_km = "50.00")", RejectCode::kInvalidDistance,
                    "distance_supplement.bands[1].min_km");
  CheckTomlRejected(R"(min_km = "50.0")", R"(min_km = "-50.0")", RejectCode::kInvalidDistance,
                    "distance_supplement.bands[1].min_km");
  CheckTomlRejected(R"(min_km = "50.0")", "min_km = 50.0", RejectCode::kWrongType,
                    "distance_supplement.bands[1].min_km");
  CheckTomlRejected(R"(bands = [ { min_km = "25.0", amount = "200.00" }, { min_km = "50.0", amount = "400.00" } ])",
                    "bands = []", RejectCode::kInvalidRulebook, "distance_supplement.bands");
}

TEST_CASE("valid_from must be before valid_until") {
  CheckTomlRejected("valid_until = 2025-01-01", "valid_until = 2024-01-01", RejectCode::kInvalidRulebook,
                    "valid_until");
  CheckTomlRejected("valid_until = 2025-01-01", "valid_until = 2023-12-31", RejectCode::kInvalidRulebook,
                    "valid_until");
}

TEST_CASE("dates are TOML dates or YYYY-MM-DD strings naming a real day") {
  CheckTomlRejected("valid_from = 2024-01-01", R"(valid_from = "2024-02-30")", RejectCode::kInvalidDate,
                    "valid_from");
  CheckTomlRejected("valid_from = 2024-01-01", R"(valid_from = "2024-1-1")", RejectCode::kInvalidDate,
                    "valid_from");
  CheckTomlRejected("valid_from = 2024-01-01", "valid_from = 1700-01-01", RejectCode::kInvalidDate, "valid_from");
  CheckTomlRejected("valid_from = 2024-01-01", "valid_from = 2024-01-01T00:00:00", RejectCode::kWrongType,
                    "valid_from");
  CheckTomlRejected("valid_from = 2024-01-01", "valid_from = 2024-01-01T00:00:00Z", RejectCode::kWrongType,
                    "valid_from");
  CheckTomlRejected("valid_from = 2024-01-01", "valid_from = 20240101", RejectCode::kWrongType, "valid_from");
  // TOML itself refuses 2024-02-30 as a date literal: a syntax error.
  CheckTomlRejected("valid_from = 2024-01-01", "valid_from = 2024-02-30", RejectCode::kInvalidRulebook, "");
  auto leap = ParseRulebookToml(Edited("valid_from = 2024-01-01", R"(valid_from = "2024-02-29")"));
  REQUIRE(leap.has_value());
  CHECK(leap->valid_from == D(2024, 2, 29));
}

TEST_CASE("a snapshot rule not in the list is invalid_enum") {
  CheckTomlRejected(R"(snapshot = "last_day_of_month")", R"(snapshot = "mid_month")", RejectCode::kInvalidEnum,
                    "snapshot");
  CheckTomlRejected(R"(snapshot = "last_day_of_month")", R"(snapshot = "Last_Day_Of_Month")",
                    RejectCode::kInvalidEnum, "snapshot");
  for (std::string_view rule : {"last_day_of_month", "first_day_of_month", "last_day_of_previous_month"}) {
    auto rb = ParseRulebookToml(Edited(R"(snapshot = "last_day_of_month")", fmt::format("snapshot = \"{}\"", rule)));
    REQUIRE(rb.has_value());
    CHECK(domain::SnapshotRuleName(rb->snapshot) == rule);
  }
}

TEST_CASE("a value of the wrong TOML type is wrong_type, and the message names the TOML type") {
  CheckTomlRejected("retro_window_months = 12", R"(retro_window_months = "12")", RejectCode::kWrongType,
                    "retro_window_months");
  CheckTomlRejected("retro_window_months = 12", "retro_window_months = 12.0", RejectCode::kWrongType,
                    "retro_window_months");
  CheckTomlRejected("retro_window_months = 12", "retro_window_months = true", RejectCode::kWrongType,
                    "retro_window_months");
  CheckTomlRejected(R"(decision = "23RS11979")", "decision = 23", RejectCode::kWrongType, "decision");
  CheckTomlRejected(R"(title = "Krav- och kvalitetsbok Hälsoval Örebro län 2024")", "title = 2024-01-01",
                    RejectCode::kWrongType, "title");
  CheckTomlRejected(R"(amount = "1759.50")", "amount = 1759.50", RejectCode::kWrongType,
                    "capitation.bands[1].amount");
  CheckTomlRejected(R"(amount = "1759.50")", "amount = 175950", RejectCode::kWrongType,
                    "capitation.bands[1].amount");
  CheckTomlRejected("min_age = 6,", R"(min_age = "6",)", RejectCode::kWrongType, "capitation.bands[1].min_age");
  CheckTomlRejected("top_n = 6", "top_n = inf", RejectCode::kWrongType, "cni_supplement.top_n");
  CheckTomlRejected("top_n = 6", "top_n = 06:00:00", RejectCode::kWrongType, "cni_supplement.top_n");
  CheckTomlRejected(R"({ min_age = 6, amount = "1759.50" })", "6", RejectCode::kWrongType, "capitation.bands[1]");
  CheckTomlRejected(R"(bands = [ { min_km = "25.0", amount = "200.00" }, { min_km = "50.0", amount = "400.00" } ])",
                    "bands = { min_km = \"25.0\", amount = \"200.00\" }", RejectCode::kWrongType,
                    "distance_supplement.bands");
  std::string text(kBaseToml);
  const std::size_t from = text.find("[capitation]");
  text.replace(from, text.find("[visits]") - from, "");
  text.insert(text.find("retro_window_months"), "capitation = \"0:3726.00\"\n");
  const Rejection table = RejectedToml(text);
  CHECK(table.code == RejectCode::kWrongType);
  CHECK(table.field == "capitation");
  CHECK(table.message == "must be an object, not a TOML string (TOML line 9)");

  const Rejection r = RejectedToml(Edited("retro_window_months = 12", "retro_window_months = 12.5"));
  CHECK(r.message == "must be an integer, not a TOML float (TOML line 9)");
  const Rejection date_time = RejectedToml(Edited("valid_from = 2024-01-01", "valid_from = 2024-01-01T06:00:00"));
  CHECK(date_time.message == "must be a TOML date or a \"YYYY-MM-DD\" string, not a TOML date-time (TOML line 6)");
}

TEST_CASE("a rulebook id is 1-64 of [A-Za-z0-9._-] and the texts 1-200 characters") {
  CheckTomlRejected(R"(id = "KoK-2024")", R"(id = "KoK 2024")", RejectCode::kInvalidId, "id");
  CheckTomlRejected(R"(id = "KoK-2024")", R"(id = "")", RejectCode::kInvalidId, "id");
  CheckTomlRejected(R"(id = "KoK-2024")", R"(id = "KoK/2024")", RejectCode::kInvalidId, "id");
  CheckTomlRejected(R"(id = "KoK-2024")", R"(id = "KoK-2024-Ö")", RejectCode::kInvalidId, "id");
  CheckTomlRejected(R"(id = "KoK-2024")", fmt::format("id = \"{}\"", std::string(65, 'a')), RejectCode::kInvalidId,
                    "id");
  CHECK(ParseRulebookToml(Edited(R"(id = "KoK-2024")", fmt::format("id = \"{}\"", std::string(64, 'a')))));
  const std::string title = R"(title = "Krav- och kvalitetsbok Hälsoval Örebro län 2024")";
  CheckTomlRejected(title, R"(title = "")", RejectCode::kInvalidText, "title");
  CheckTomlRejected(title, R"(title = "tab\there")", RejectCode::kInvalidText, "title");
  CheckTomlRejected(R"(decision = "23RS11979")", fmt::format("decision = \"{}\"", std::string(201, 'x')),
                    RejectCode::kInvalidText, "decision");
  // 200 characters, each 'ö' two bytes in UTF-8: counted as characters, not bytes.
  std::string two_hundred;
  for (int i = 0; i < 200; ++i) two_hundred += "ö";
  CHECK(ParseRulebookToml(Edited(title, fmt::format("title = \"{}\"", two_hundred))));
  CheckTomlRejected(title, fmt::format("title = \"{}ö\"", two_hundred), RejectCode::kInvalidText, "title");
}

TEST_CASE("counts outside the rulebook's limits are invalid_rulebook") {
  CheckTomlRejected("retro_window_months = 12", "retro_window_months = -1", RejectCode::kInvalidRulebook,
                    "retro_window_months");
  CheckTomlRejected("retro_window_months = 12", "retro_window_months = 121", RejectCode::kInvalidRulebook,
                    "retro_window_months");
  CheckTomlRejected("\nmonths = 12", "\nmonths = 0", RejectCode::kInvalidRulebook, "start_grant.months");
  CheckTomlRejected("\nmonths = 12", "\nmonths = 121", RejectCode::kInvalidRulebook, "start_grant.months");
  CheckTomlRejected("top_n = 6", "top_n = 0", RejectCode::kInvalidRulebook, "cni_supplement.top_n");
  CheckTomlRejected("top_n = 6", "top_n = 100001", RejectCode::kInvalidRulebook, "cni_supplement.top_n");
  CheckTomlRejected("top_n = 6", "top_n = 4294967296", RejectCode::kInvalidRulebook, "cni_supplement.top_n");
}

TEST_CASE("a TOML syntax error is invalid_rulebook with the line in the message") {
  CheckTomlRejected(R"(decision = "23RS11979")", "decision = ", RejectCode::kInvalidRulebook, "");
  const Rejection r = RejectedToml(Edited(R"(decision = "23RS11979")", "decision = "));
  CHECK(r.message.find("line 3") != std::string::npos);
  // A key given twice is a TOML error too.
  const Rejection twice = RejectedToml(Edited("retro_window_months = 12", "retro_window_months = 12\nid = \"X\""));
  CHECK(twice.code == RejectCode::kInvalidRulebook);
  CHECK(twice.message.find("line 10") != std::string::npos);
  CHECK(RejectedToml("[capitation\n").code == RejectCode::kInvalidRulebook);
  CHECK(RejectedToml("\xff = 1\n").code == RejectCode::kInvalidRulebook);
}

TEST_CASE("a validation rejection of a TOML file names the TOML line") {
  const Rejection money = RejectedToml(Edited(R"(amount = "1759.50")", R"(amount = "1759.5")"));
  CHECK(money.message.find("(TOML line 14)") != std::string::npos);
  const Rejection missing = RejectedToml(Edited("\nmonths = 12\n", "\n"));
  CHECK(missing.field == "start_grant.months");
  CHECK(missing.message.find("(TOML line 24)") != std::string::npos);  // the [start_grant] header
  const Rejection order = RejectedToml(Edited("valid_until = 2025-01-01", "valid_until = 2023-01-01"));
  CHECK(order.message.find("(TOML line 7)") != std::string::npos);
}

TEST_CASE("a TOML file with more than 4096 values is refused before it is read") {
  std::string many = "retro_window_months = 12\nextra = [";
  for (int i = 0; i < 4096; ++i) many += "1,";
  many += "]";
  const Rejection r = RejectedToml(Edited("retro_window_months = 12", many));
  CHECK(r.code == RejectCode::kInvalidRulebook);
  CHECK(r.field == "extra");
  CHECK(RejectedToml(std::string(limits::kInputLineBytesMax + 1, '#')).code == RejectCode::kInvalidRulebook);
}

TEST_CASE("an empty TOML file is missing its first required key") {
  const Rejection r = RejectedToml("");
  CHECK(r.code == RejectCode::kMissingField);
  CHECK(r.field == "id");
}

// ---- Missions (DOMAIN.md §9) ------------------------------------------------------------------

// A base mission and one optional mission of each basis, as [[missions]] tables of TOML.
constexpr std::string_view kMissionsToml = R"(
[[missions]]
id = "bvc"
title = "Barnhälsovård"
kind = "base"

[[missions]]
id = "lakarmedverkan-sabo"
title = "Läkarmedverkan i särskilt boende"
kind = "optional"
basis = "per_unit"
amount = "5400.00"

[[missions]]
id = "barn-0-6"
title = "Utökad barnhälsovård"
kind = "optional"
basis = "per_listed"
amount = "120.50"
min_age = 0
max_age = 6

[[missions]]
id = "asyl"
title = "Asylhälsa"
kind = "optional"
basis = "fixed"
amount = "25000.00"
)";

// The same missions as the canonical JSON writes them: basis and amount only for an optional
// mission, the age limits only where given.
constexpr std::string_view kMissionsJson =
    R"("missions":[{"id":"bvc","title":"Barnhälsovård","kind":"base"},)"
    R"({"id":"lakarmedverkan-sabo","title":"Läkarmedverkan i särskilt boende","kind":"optional",)"
    R"("basis":"per_unit","amount":"5400.00"},)"
    R"({"id":"barn-0-6","title":"Utökad barnhälsovård","kind":"optional","basis":"per_listed",)"
    R"("amount":"120.50","min_age":0,"max_age":6},)"
    R"({"id":"asyl","title":"Asylhälsa","kind":"optional","basis":"fixed","amount":"25000.00"}])";

// The same missions typed in as values: 5,400.00 = 540000 öre, 120.50 = 12050, 25,000.00 = 2500000.
std::vector<domain::Mission> ExpectedMissions() {
  using domain::MissionBasis;
  using domain::MissionKind;
  return {{"bvc", "Barnhälsovård", MissionKind::kBase, MissionBasis::kFixed, Money::Zero(), {}, {}},
          {"lakarmedverkan-sabo", "Läkarmedverkan i särskilt boende", MissionKind::kOptional, MissionBasis::kPerUnit,
           Money::FromOre(540000), {}, {}},
          {"barn-0-6", "Utökad barnhälsovård", MissionKind::kOptional, MissionBasis::kPerListed, Money::FromOre(12050),
           0, 6},
          {"asyl", "Asylhälsa", MissionKind::kOptional, MissionBasis::kFixed, Money::FromOre(2500000), {}, {}}};
}

std::string WithMissions() { return std::string(kBaseToml) + std::string(kMissionsToml); }

// WithMissions() with `from` (which must occur once) replaced by `to`.
std::string EditedMissions(std::string_view from, std::string_view to) {
  std::string text = WithMissions();
  const std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "not in the missions: " << from);
  REQUIRE_MESSAGE(text.find(from, at + 1) == std::string::npos, "more than once in the missions: " << from);
  text.replace(at, from.size(), to);
  return text;
}

void CheckMissionRejected(std::string_view from, std::string_view to, RejectCode code, std::string_view field) {
  CAPTURE(from);
  CAPTURE(to);
  const Rejection r = RejectedToml(EditedMissions(from, to));
  CHECK_MESSAGE(r.code == code, RejectCodeName(r.code) << ": " << r.message);
  CHECK(r.field == field);
}

TEST_CASE("[[missions]] tables of TOML read as the rulebook's missions, in the order of the file") {
  auto rb = ParseRulebookToml(WithMissions());
  REQUIRE_MESSAGE(rb.has_value(), rb.error().field << ": " << rb.error().message);
  CHECK(rb->missions == ExpectedMissions());
  // The rest of the rulebook is what it is without them.
  auto without = ParseRulebookToml(kBaseToml);
  REQUIRE(without.has_value());
  CHECK(without->missions.empty());
  Rulebook same = *rb;
  same.missions.clear();
  CHECK(same == *without);
}

TEST_CASE("a rulebook with missions round-trips through the canonical JSON and through FlatBuffers") {
  auto rb = ParseRulebookToml(WithMissions());
  REQUIRE(rb.has_value());
  const std::string json = RulebookToJson(*rb);
  // The missions come last, after distance_supplement; before them is the rulebook without them.
  const std::string suffix = "," + std::string(kMissionsJson) + "}";
  REQUIRE(json.size() > suffix.size());
  CHECK(json.substr(json.size() - suffix.size()) == suffix);
  Rulebook without = *rb;
  without.missions.clear();
  CHECK(json.substr(0, json.size() - suffix.size()) + "}" == RulebookToJson(without));
  auto back = ParseRulebookJson(json, "rulebook", RulebookOrigin::kPublished);
  REQUIRE_MESSAGE(back.has_value(), back.error().field << ": " << back.error().message);
  CHECK(*back == *rb);
  auto decoded = DecodeBody(EncodeBody(domain::RulebookPublished{*rb}));
  REQUIRE_MESSAGE(decoded.has_value(), decoded.error().message);
  CHECK(std::get<domain::RulebookPublished>(*decoded).rulebook == *rb);
}

TEST_CASE("a rulebook without missions is written and encoded exactly as before missions existed") {
  auto rb = ParseRulebookJson(kFullJson, "", RulebookOrigin::kPublished);
  REQUIRE(rb.has_value());
  CHECK(RulebookToJson(*rb).find("missions") == std::string::npos);
  // An explicitly empty list is the same rulebook as none.
  std::string empty(kFullJson);
  empty.insert(empty.size() - 1, R"(,"missions":[])");
  auto none = ParseRulebookJson(empty, "", RulebookOrigin::kPublished);
  REQUIRE(none.has_value());
  CHECK(*none == *rb);
  CHECK(EncodeBody(domain::RulebookPublished{*none}) == EncodeBody(domain::RulebookPublished{*rb}));
}

TEST_CASE("a mission id is [a-z0-9-]{2,32} and unique within the rulebook") {
  CheckMissionRejected(R"(id = "bvc")", R"(id = "BVC")", RejectCode::kInvalidId, "missions[0].id");
  CheckMissionRejected(R"(id = "bvc")", R"(id = "b")", RejectCode::kInvalidId, "missions[0].id");
  CheckMissionRejected(R"(id = "bvc")", R"(id = "barn_hälsa")", RejectCode::kInvalidId, "missions[0].id");
  CheckMissionRejected(R"(id = "asyl")", R"(id = "bvc")", RejectCode::kInvalidRulebook, "missions[3].id");
  CheckMissionRejected(R"(id = "asyl")", R"(id = "barn-0-6")", RejectCode::kInvalidRulebook, "missions[3].id");
}

TEST_CASE("a base mission has only an id, a title and its kind") {
  CheckMissionRejected(R"(kind = "base")", "kind = \"base\"\namount = \"1.00\"", RejectCode::kUnknownField,
                       "missions[0].amount");
  CheckMissionRejected(R"(kind = "base")", "kind = \"base\"\nbasis = \"fixed\"", RejectCode::kUnknownField,
                       "missions[0].basis");
  CheckMissionRejected(R"(kind = "base")", "kind = \"base\"\nmin_age = 0", RejectCode::kUnknownField,
                       "missions[0].min_age");
  CheckMissionRejected(R"(kind = "base")", "kind = \"base\"\ncolour = \"blå\"", RejectCode::kUnknownField,
                       "missions[0].colour");
  CheckMissionRejected(R"(kind = "base")", R"(kind = "basic")", RejectCode::kInvalidEnum, "missions[0].kind");
  CheckMissionRejected("title = \"Barnhälsovård\"\n", "", RejectCode::kMissingField, "missions[0].title");
}

TEST_CASE("an optional mission needs a basis and an amount, and age limits only on a per_listed basis") {
  CheckMissionRejected("basis = \"per_unit\"\n", "", RejectCode::kMissingField, "missions[1].basis");
  CheckMissionRejected("amount = \"5400.00\"\n", "", RejectCode::kMissingField, "missions[1].amount");
  CheckMissionRejected(R"(basis = "per_unit")", R"(basis = "per_visit")", RejectCode::kInvalidEnum,
                       "missions[1].basis");
  CheckMissionRejected(R"(amount = "5400.00")", R"(amount = "5400")", RejectCode::kInvalidMoney,
                       "missions[1].amount");
  CheckMissionRejected(R"(amount = "5400.00")", R"(amount = "-5400.00")", RejectCode::kInvalidMoney,
                       "missions[1].amount");
  // Above kRateOreMax (1,000,000.00).
  CheckMissionRejected(R"(amount = "5400.00")", R"(amount = "1000000.01")", RejectCode::kInvalidRulebook,
                       "missions[1].amount");
  CheckMissionRejected(R"(basis = "fixed")", "basis = \"fixed\"\nmin_age = 65", RejectCode::kInvalidRulebook,
                       "missions[3].min_age");
  CheckMissionRejected(R"(basis = "per_unit")", "basis = \"per_unit\"\nmax_age = 6", RejectCode::kInvalidRulebook,
                       "missions[1].max_age");
  CheckMissionRejected("max_age = 6", "max_age = 0", RejectCode::kInvalidRulebook, "missions[2].max_age");
  CheckMissionRejected("min_age = 0\n", "min_age = -1\n", RejectCode::kInvalidRulebook, "missions[2].min_age");
  CheckMissionRejected("min_age = 0\n", "min_age = \"0\"\n", RejectCode::kWrongType, "missions[2].min_age");
  // Only one limit is fine: all listed residents from 65 up.
  auto from_65 = ParseRulebookToml(EditedMissions("min_age = 0\nmax_age = 6", "min_age = 65"));
  REQUIRE_MESSAGE(from_65.has_value(), from_65.error().field << ": " << from_65.error().message);
  CHECK(from_65->missions[2].min_age == 65);
  CHECK_FALSE(from_65->missions[2].max_age.has_value());
}

TEST_CASE("a mission rejection names its TOML line, and missions must be an array of tables") {
  // kBaseToml has 33 lines; then a blank line (34), [[missions]] (35), id (36), title (37), kind (38).
  const Rejection r = RejectedToml(EditedMissions(R"(kind = "base")", R"(kind = "basic")"));
  CHECK(r.message.find("(TOML line 38)") != std::string::npos);
  CheckTomlRejected("retro_window_months = 12", "retro_window_months = 12\nmissions = \"bvc\"",
                    RejectCode::kWrongType, "missions");
  CheckTomlRejected("retro_window_months = 12", "retro_window_months = 12\nmissions = [\"bvc\"]",
                    RejectCode::kWrongType, "missions[0]");
}

// ---- The JSON form ------------------------------------------------------------------------------

void CheckJsonRejected(std::string_view json, RejectCode code, std::string_view field) {
  CAPTURE(json);
  auto rb = ParseRulebookJson(json, "rulebook", RulebookOrigin::kPublished);
  REQUIRE(!rb.has_value());
  CHECK_MESSAGE(rb.error().code == code, RejectCodeName(rb.error().code) << ": " << rb.error().message);
  CHECK(rb.error().field == field);
}

// kFullJson with `from` replaced by `to`.
std::string EditedJson(std::string_view from, std::string_view to) {
  std::string text(kFullJson);
  const std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "not in the JSON rulebook: " << from);
  text.replace(at, from.size(), to);
  return text;
}

TEST_CASE("JSON rejections name the field under the given prefix") {
  CheckJsonRejected(EditedJson(R"("amount":"1000000.00")", R"("amount":"1.5")"),
                    RejectCode::kInvalidMoney, "rulebook.capitation.bands[1].amount");
  CheckJsonRejected(EditedJson(R"("amount":"1000000.00")", R"("amount":1.50)"), RejectCode::kWrongType,
                    "rulebook.capitation.bands[1].amount");
  CheckJsonRejected(EditedJson(R"("min_age":150)", R"("min_age":150.0)"), RejectCode::kWrongType,
                    "rulebook.capitation.bands[1].min_age");
  CheckJsonRejected(EditedJson(R"("min_age":150)", R"("min_age":0)"), RejectCode::kInvalidRulebook,
                    "rulebook.capitation.bands[1].min_age");
  CheckJsonRejected(EditedJson(R"("valid_from":"2025-01-01")", R"("valid_from":"2026-01-01")"),
                    RejectCode::kInvalidRulebook, "rulebook.valid_until");
  CheckJsonRejected(EditedJson(R"("top_n":100000,)", R"("top_n":100000,"rank":1,)"), RejectCode::kUnknownField,
                    "rulebook.cni_supplement.rank");
  CheckJsonRejected(EditedJson(R"("decision":"24RS2584",)", ""), RejectCode::kMissingField, "rulebook.decision");
  CheckJsonRejected(EditedJson(R"("min_km":"0.0")", R"("min_km":"0.0","min_km":"1.0")"), RejectCode::kMalformedJson,
                    "rulebook.distance_supplement.bands[0].min_km");
  CheckJsonRejected(EditedJson(R"("valid_from":"2025-01-01")", R"("valid_from":null)"), RejectCode::kWrongType,
                    "rulebook.valid_from");
  CheckJsonRejected(EditedJson(R"("capitation":{"bands":[)", R"("capitation":{"bands":[[],)"),
                    RejectCode::kWrongType, "rulebook.capitation.bands[0]");
  CheckJsonRejected(R"(["KoK-2024"])", RejectCode::kWrongType, "rulebook");
  CheckJsonRejected(R"({"id":"KoK-2024",)", RejectCode::kMalformedJson, "rulebook");
  CheckJsonRejected("", RejectCode::kMalformedJson, "rulebook");
}

TEST_CASE("JSON rejections of a mission name its index under the prefix") {
  const std::string with = std::string(kFullJson).insert(kFullJson.size() - 1, "," + std::string(kMissionsJson));
  auto rb = ParseRulebookJson(with, "rulebook", RulebookOrigin::kPublished);
  REQUIRE_MESSAGE(rb.has_value(), rb.error().field << ": " << rb.error().message);
  CHECK(rb->missions == ExpectedMissions());
  auto edited = [&with](std::string_view from, std::string_view to) {
    std::string text = with;
    const std::size_t at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, "not in the JSON: " << from);
    return text.replace(at, from.size(), to);
  };
  CheckJsonRejected(edited(R"("basis":"per_unit",)", ""), RejectCode::kMissingField, "rulebook.missions[1].basis");
  CheckJsonRejected(edited(R"("kind":"base")", R"("kind":"base","amount":"1.00")"), RejectCode::kUnknownField,
                    "rulebook.missions[0].amount");
  CheckJsonRejected(edited(R"("id":"asyl")", R"("id":"bvc")"), RejectCode::kInvalidRulebook,
                    "rulebook.missions[3].id");
  CheckJsonRejected(edited(R"("basis":"fixed",)", R"("basis":"fixed","min_age":0,)"), RejectCode::kInvalidRulebook,
                    "rulebook.missions[3].min_age");
  CheckJsonRejected(edited(R"({"id":"bvc")", R"({"id":"bvc","id":"bvd")"), RejectCode::kMalformedJson,
                    "rulebook.missions[0].id");
  CheckJsonRejected(edited(R"("missions":[)", R"("missions":[7,)"), RejectCode::kWrongType, "rulebook.missions[0]");
  CheckJsonRejected(edited(R"("min_age":0,"max_age")", R"("min_age":0.0,"max_age")"), RejectCode::kWrongType,
                    "rulebook.missions[2].min_age");
}

TEST_CASE("more than 100 missions is invalid_rulebook") {
  std::string many = std::string(kMinimalJson.substr(0, kMinimalJson.size() - 1)) + R"(,"missions":[)";
  for (int i = 0; i <= 100; ++i) {
    many += fmt::format(R"({}{{"id":"m-{}","title":"M","kind":"base"}})", i == 0 ? "" : ",", i);
  }
  many += "]}";
  CheckJsonRejected(many, RejectCode::kInvalidRulebook, "rulebook.missions");
  // 100 are fine.
  many.erase(many.rfind(R"(,{"id":"m-100")"), std::string_view(R"(,{"id":"m-100","title":"M","kind":"base"})").size());
  auto rb = ParseRulebookJson(many, "rulebook", RulebookOrigin::kPublished);
  REQUIRE_MESSAGE(rb.has_value(), rb.error().field << ": " << rb.error().message);
  CHECK(rb->missions.size() == 100);
}

TEST_CASE("without a prefix the JSON fields are the bare TOML paths") {
  auto rb = ParseRulebookJson(EditedJson(R"("min_km":"100000.0")", R"("min_km":"0.0")"), "", RulebookOrigin::kPublished);
  REQUIRE_FALSE(rb.has_value());
  CHECK(rb.error().code == RejectCode::kInvalidRulebook);
  CHECK(rb.error().field == "distance_supplement.bands[1].min_km");
}

}  // namespace
}  // namespace capledger::codec
