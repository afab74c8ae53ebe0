// The multi-region world (issue 11): Sweden's region table, how a region's world is scaled, how
// its rulebooks are derived from the repository's, and that a region's world is deterministic.
// Every expected figure is worked out in the comment beside it, not copied from the program.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include <doctest/doctest.h>

#include "worldgen/generate.h"
#include "worldgen/regions.h"

namespace capledger::worldgen {
namespace {

const Region& RegionNamed(std::string_view id) {
  for (const Region& region : SwedenRegions()) {
    if (region.id == id) return region;
  }
  FAIL("no region " << id);
  return SwedenRegions()[0];
}

std::vector<domain::Rulebook> RepositoryRulebooks() {
  const char* source = std::getenv("CAPLEDGER_SOURCE_DIR");
  REQUIRE_MESSAGE(source != nullptr, "ctest sets CAPLEDGER_SOURCE_DIR");
  auto rulebooks = LoadRulebooks(std::filesystem::path(source) / "config" / "rulebooks");
  REQUIRE(rulebooks);
  return *rulebooks;
}

const domain::Rulebook& RulebookWithId(const std::vector<domain::Rulebook>& rulebooks, std::string_view id) {
  for (const domain::Rulebook& rulebook : rulebooks) {
    if (rulebook.id == id) return rulebook;
  }
  FAIL("no rulebook " << id);
  return rulebooks.front();
}

// The whole world of `region` at `scale_per_million` for one year, as text.
std::string RegionWorld(const Region& region, std::int64_t scale_per_million, std::uint64_t seed) {
  auto rulebooks = RegionRulebooks(region, RepositoryRulebooks());
  REQUIRE(rulebooks);
  const GenerateOptions options{RegionPreset(region, scale_per_million), 1, seed, 2023, std::move(*rulebooks)};
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  REQUIRE(GenerateWorld(options, file));
  const long size = std::ftell(file);
  std::string text(static_cast<std::size_t>(size), '\0');
  std::rewind(file);
  CHECK(std::fread(text.data(), 1, text.size(), file) == text.size());
  std::fclose(file);
  return text;
}

TEST_CASE("the table holds Sweden's 21 regions, each id a region id, unique, in county-code order") {
  const auto regions = SwedenRegions();
  REQUIRE(regions.size() == 21);
  std::set<std::string_view> ids;
  int last_county = 0;
  for (const Region& region : regions) {
    INFO(region.id);
    CHECK(ids.insert(region.id).second);
    CHECK(region.id.size() <= 32);
    CHECK(region.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos);
    CHECK(region.county_code > last_county);  // strictly rising: unique, and the partitions' order
    last_county = region.county_code;
    CHECK(region.capitation_factor_bp >= 9'500);
    CHECK(region.capitation_factor_bp <= 10'800);
    CHECK(region.private_clinics < region.clinics);
  }
  CHECK(regions.front().id == "stockholm");  // län 01: partition 0
  CHECK(regions[13].id == "orebro");         // län 18, after 01 03 04 05 06 07 08 09 10 12 13 14 17
  CHECK(regions.back().id == "norrbotten");  // län 25: partition 20
}

TEST_CASE("the regions add up to Sweden: 10.53 million residents, 290 municipalities") {
  std::int64_t residents = 0;
  int municipalities = 0;
  for (const Region& region : SwedenRegions()) {
    residents += region.residents;
    municipalities += region.municipalities;
  }
  // 2,454,821 + 404,589 + 301,801 + 474,636 + 370,395 + 203,527 + 246,010 + 61,001 + 156,987
  // + 1,414,659 + 343,746 + 1,751,717 + 283,492 + 308,116 + 279,334 + 288,387 + 287,767
  // + 243,894 + 132,054 + 275,714 + 248,480 = 10,531,127 (summed by hand, in that order).
  CHECK(residents == 10'531'127);
  // SCB: 10,551,707 on 2023-12-31; the table is within 1 %: |10,531,127 - 10,551,707| = 20,580
  // < 105,517.
  CHECK(residents > 10'551'707 - 105'517);
  CHECK(residents < 10'551'707 + 105'517);
  // 26+8+9+13+13+8+12+1+5+33+6+49+16+12+10+15+10+7+8+15+14 = 290 kommuner.
  CHECK(municipalities == 290);
}

TEST_CASE("Örebro keeps the orebro preset's figures and the repository's rulebooks' factor") {
  const Region& orebro = RegionNamed("orebro");
  CHECK(orebro.residents == 308'116);
  CHECK(orebro.municipalities == 12);
  CHECK(orebro.clinics == 29);
  CHECK(orebro.private_clinics == 4);
  CHECK(orebro.capitation_factor_bp == 10'000);
  const WorldPreset preset = RegionPreset(orebro, kScaleOne);
  const auto named = FindPreset("orebro");
  REQUIRE(named);
  CHECK(preset.residents == named->residents);
  CHECK(preset.clinics == named->clinics);
  CHECK(preset.private_clinics == named->private_clinics);
  CHECK(preset.municipalities == 12);
  CHECK(preset.county_code == 18);
}

TEST_CASE("every region but Örebro has about one clinic per 9,000 residents") {
  for (const Region& region : SwedenRegions()) {
    if (region.id == "orebro") continue;
    INFO(region.id);
    // round(residents / 9,000): |clinics × 9,000 - residents| <= 4,500.
    CHECK(std::abs(region.clinics * std::int64_t{9'000} - region.residents) <= 4'500);
  }
  // Stockholm: 2,454,821 / 9,000 = 272.76 -> 273; Gotland: 61,001 / 9,000 = 6.78 -> 7.
  CHECK(RegionNamed("stockholm").clinics == 273);
  CHECK(RegionNamed("gotland").clinics == 7);
}

TEST_CASE("--scale is a decimal from 0.001 to 1 read as parts per million") {
  CHECK(ParseScalePerMillion("0.01").value() == 10'000);
  CHECK(ParseScalePerMillion("1").value() == 1'000'000);
  CHECK(ParseScalePerMillion("1.000000").value() == 1'000'000);
  CHECK(ParseScalePerMillion("0.5").value() == 500'000);
  CHECK(ParseScalePerMillion("0.001").value() == 1'000);
  for (const char* bad : {"0", "0.0009", "1.000001", "2", "-0.5", ".5", "1.", "0.0000001", "1e-2", "", "abc"}) {
    INFO(bad);
    CHECK(ParseScalePerMillion(bad).error().code == ErrorCode::kInvalidArgument);
  }
}

TEST_CASE("a count is scaled by rounding half up, once") {
  CHECK(ScaleCount(308'116, 10'000) == 3'081);     // 3,081.16 -> 3,081
  CHECK(ScaleCount(2'454'821, 10'000) == 24'548);  // 24,548.21 -> 24,548
  CHECK(ScaleCount(150, 10'000) == 2);             // 1.5 -> 2 (half up)
  CHECK(ScaleCount(149, 10'000) == 1);             // 1.49 -> 1
  CHECK(ScaleCount(61'001, 1'000) == 61);          // 61.001 -> 61
}

TEST_CASE("a scaled region keeps at least two clinics, one private, and a clinic in each municipality") {
  // Stockholm at 1 %: 24,548 residents; 273 × 0.01 = 2.73 -> 3 clinics; 164 × 0.01 = 1.64 -> 2
  // private (at most 3 - 1 = 2); min(26, 3 - 2) = 1 municipality.
  const WorldPreset stockholm = RegionPreset(RegionNamed("stockholm"), 10'000);
  CHECK(stockholm.name == "stockholm");
  CHECK(stockholm.residents == 24'548);
  CHECK(stockholm.clinics == 3);
  CHECK(stockholm.private_clinics == 2);
  CHECK(stockholm.municipalities == 1);
  CHECK(stockholm.county_code == 1);
  // Gotland at 1 %: 610.01 -> 610 residents; 0.07 -> 0, raised to 2 clinics; 0.01 -> 0, raised to 1
  // private; min(1, 2 - 1) = 1 municipality.
  const WorldPreset gotland = RegionPreset(RegionNamed("gotland"), 10'000);
  CHECK(gotland.residents == 610);
  CHECK(gotland.clinics == 2);
  CHECK(gotland.private_clinics == 1);
  CHECK(gotland.municipalities == 1);
  // Örebro at 10 %: 30,811.6 -> 30,812; 2.9 -> 3 clinics; 0.4 -> 0, raised to 1 private;
  // min(12, 3 - 1) = 2 municipalities.
  const WorldPreset orebro = RegionPreset(RegionNamed("orebro"), 100'000);
  CHECK(orebro.residents == 30'812);
  CHECK(orebro.clinics == 3);
  CHECK(orebro.private_clinics == 1);
  CHECK(orebro.municipalities == 2);
  // Västra Götaland at 50 %: 875,858.5 -> 875,859 (half up); 97.5 -> 98 clinics; 49 private;
  // min(49, 98 - 49) = 49 municipalities.
  const WorldPreset vgr = RegionPreset(RegionNamed("vastra-gotaland"), 500'000);
  CHECK(vgr.residents == 875'859);
  CHECK(vgr.clinics == 98);
  CHECK(vgr.private_clinics == 49);
  CHECK(vgr.municipalities == 49);
}

TEST_CASE("an amount is scaled by the factor and rounded once half away from zero") {
  using domain::Money;
  CHECK(ScaleAmount(Money::FromOre(100), 10'050).value() == Money::FromOre(101));  // 100.5 -> 101
  CHECK(ScaleAmount(Money::FromOre(3), 9'850).value() == Money::FromOre(3));       // 2.955 -> 3
  CHECK(ScaleAmount(Money::FromOre(1), 9'700).value() == Money::FromOre(1));       // 0.97 -> 1
  CHECK(ScaleAmount(Money::FromOre(10'000), 9'875).value() == Money::FromOre(9'875));
  CHECK(ScaleAmount(Money::FromOre(0), 10'800).value() == Money::Zero());
}

TEST_CASE("Örebro's rulebooks are the repository's, unchanged") {
  const auto base = RepositoryRulebooks();
  const auto derived = RegionRulebooks(RegionNamed("orebro"), base);
  REQUIRE(derived);
  CHECK(*derived == base);
}

TEST_CASE("another region's rulebook has its own id and title and its capitation scaled") {
  const auto base = RepositoryRulebooks();
  const domain::Rulebook& kok2024 = RulebookWithId(base, "KoK-2024");
  REQUIRE(kok2024.capitation.size() >= 2);
  REQUIRE(kok2024.capitation[1].min_age == 6);
  REQUIRE(kok2024.capitation[1].amount_per_year == domain::Money::FromOre(175'950));  // "1759.50"
  const auto sodermanland = RegionRulebook(RegionNamed("sodermanland"), kok2024);
  REQUIRE(sodermanland);
  CHECK(sodermanland->id == "KoK-2024-sodermanland");
  REQUIRE(sodermanland->provenance);
  CHECK(sodermanland->provenance->replaces == "KoK-2023-sodermanland");
  CHECK(sodermanland->title == "Krav- och kvalitetsbok Hälsoval Södermanlands län 2024");
  // 175,950 öre × 0.9900 = 174,190.5 -> 174,191 (half away from zero).
  CHECK(sodermanland->capitation[1].amount_per_year == domain::Money::FromOre(174'191));
  CHECK(sodermanland->capitation[1].min_age == 6);
  // Everything but capitation, the id, replaces and the title is the repository's.
  CHECK(sodermanland->visits == kok2024.visits);
  CHECK(sodermanland->performance_per_year == kok2024.performance_per_year);
  CHECK(sodermanland->valid_from == kok2024.valid_from);
  CHECK(sodermanland->missions == kok2024.missions);
  // Gävleborg: 175,950 × 0.9875 = 173,750.625 -> 173,751; Värmland: × 0.9925 = 174,630.375 -> 174,630.
  CHECK(RegionRulebook(RegionNamed("gavleborg"), kok2024)->capitation[1].amount_per_year ==
        domain::Money::FromOre(173'751));
  CHECK(RegionRulebook(RegionNamed("varmland"), kok2024)->capitation[1].amount_per_year ==
        domain::Money::FromOre(174'630));
}

TEST_CASE("a title without \"Örebro län\" gets the county in parentheses") {
  domain::Rulebook rulebook = RepositoryRulebooks().front();
  rulebook.title = "Draft";
  CHECK(RegionRulebook(RegionNamed("gotland"), rulebook)->title == "Draft (Gotlands län)");
}

TEST_CASE("the cluster tables give each region its place as partition, 0 to 20") {
  const std::string toml = ClusterRegionsToml(SwedenRegions());
  CHECK(toml.find("[regions.stockholm]\npartition = 0\nsecret_env = \"CAPLEDGER_SECRET_STOCKHOLM\"\n") !=
        std::string::npos);
  CHECK(toml.find("[regions.orebro]\npartition = 13\n") != std::string::npos);
  CHECK(toml.find("[regions.vastra-gotaland]\npartition = 11\nsecret_env = \"CAPLEDGER_SECRET_VASTRA_GOTALAND\"\n") !=
        std::string::npos);
  CHECK(toml.find("[regions.norrbotten]\npartition = 20\n") != std::string::npos);
  std::size_t tables = 0;
  for (std::size_t at = toml.find("[regions."); at != std::string::npos; at = toml.find("[regions.", at + 1)) ++tables;
  CHECK(tables == 21);
}

TEST_CASE("each region has its own seed, and a region's world is the same bytes for the same seed") {
  std::set<std::uint64_t> seeds;
  for (std::size_t i = 0; i < SwedenRegions().size(); ++i) seeds.insert(RegionSeed(7, i));
  CHECK(seeds.size() == 21);
  CHECK(RegionSeed(7, 3) == RegionSeed(7, 3));
  CHECK(RegionSeed(7, 3) != RegionSeed(8, 3));
  const Region& blekinge = RegionNamed("blekinge");
  const std::string first = RegionWorld(blekinge, 5'000, RegionSeed(7, 8));
  CHECK(RegionWorld(blekinge, 5'000, RegionSeed(7, 8)) == first);
  CHECK(RegionWorld(blekinge, 5'000, RegionSeed(8, 8)) != first);
  // Blekinge is län 10: its synthetic municipalities are 1010, 1011, ...; its rulebooks its own.
  CHECK(first.find("\"clinic\":\"VC-1010-01\"") != std::string::npos);
  CHECK(first.find("\"municipality\":\"18") == std::string::npos);
  CHECK(first.find("\"rulebook\":{\"id\":\"KoK-2023-blekinge\"") != std::string::npos);
}

TEST_CASE("a scaled Örebro has its largest real municipalities and the repository's rulebooks") {
  // 3 % of Örebro: 9,243.48 -> 9,243 residents; 0.87 -> 2 clinics; 1 private; min(12, 1) = 1
  // municipality, the largest: Örebro (1880), 159,348 of the 308,116.
  const std::string world = RegionWorld(RegionNamed("orebro"), 30'000, 1);
  CHECK(world.find("\"clinic\":\"VC-1880-01\"") != std::string::npos);
  CHECK(world.find("\"municipality\":\"1881\"") == std::string::npos);
  CHECK(world.find("\"rulebook\":{\"id\":\"KoK-2023\"") != std::string::npos);
}

}  // namespace
}  // namespace capledger::worldgen
