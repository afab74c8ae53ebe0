// Bitemporal properties of the projections over random event streams (DOMAIN.md §3, §6): what
// was known at K stays what it was, however the projection got to its state.
#include <algorithm>
#include <optional>
#include <string>

#include <doctest/doctest.h>

#include "projection/agreement.h"
#include "projection/checkpoint.h"
#include "projection/random_world.h"
#include "projection/report.h"
#include "projection/world_builder.h"
#include "support/clinic_id.h"

namespace capledger::testing {
namespace {

using projection::MonthReport;
using projection::Projection;

// The first worlds of the oracle agreement test (shared through CachedWorld).
constexpr std::uint64_t kFirstSeed = 1;
constexpr int kWorlds = 40;

// A report with the clinics' display names left out.
MonthReport WithoutNames(MonthReport report) {
  for (auto& line : report.clinics) line.name.clear();
  return report;
}

// Two answers are the same: equal reports, or the same refusal. The display names are compared
// on their own, so that a name that differs is told apart from an amount that differs.
void CheckSameAnswer(const Result<MonthReport>& now, const Result<MonthReport>& then) {
  REQUIRE(now.has_value() == then.has_value());
  if (!now) {
    CHECK(now.error().code == then.error().code);
    return;
  }
  CHECK(WithoutNames(*now) == WithoutNames(*then));
  REQUIRE(now->clinics.size() == then->clinics.size());
  for (std::size_t i = 0; i < now->clinics.size(); ++i) {
    CHECK_MESSAGE(now->clinics[i].name == then->clinics[i].name,
                  "display name of " << now->clinics[i].clinic << ": \"" << now->clinics[i].name << "\" now, \""
                                     << then->clinics[i].name << "\" as first reported at K");
  }
}

TEST_CASE("a report as known at K is unchanged by anything appended after K") {
  for (std::uint64_t seed : TestSeeds(kFirstSeed, kWorlds)) {
    CAPTURE(seed);
    const RandomWorld& world = CachedWorld(seed);
    const EventFeed feed(world.events);
    Rng rng(seed * 31 + 7);
    std::vector<std::uint64_t> ks = KnowledgePoints(world, rng, 3, 3);
    std::sort(ks.begin(), ks.end());
    ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
    // Grow the projection K by K, taking each K's reports when the projection has seen exactly K
    // events; at the next K they must be unchanged, and again once everything is applied.
    Projection p;
    std::vector<std::pair<domain::Seq, std::vector<Result<MonthReport>>>> taken;
    auto check_taken = [&](std::size_t from) {
      for (std::size_t i = from; i < taken.size(); ++i) {
        const domain::Seq k = taken[i].first;
        CAPTURE(k);
        for (std::size_t m = 0; m < world.months.size(); ++m) {
          INFO("month " << domain::FormatMonth(world.months[m]) << ", applied " << p.applied_seq());
          CheckSameAnswer(projection::BuildMonthReport(p, world.months[m], k), taken[i].second[m]);
        }
      }
    };
    for (const std::uint64_t n : ks) {
      const domain::Seq k(n);
      feed.ApplyUpTo(p, k);
      REQUIRE(p.applied_seq() == k);
      if (!taken.empty()) check_taken(taken.size() - 1);
      std::vector<Result<MonthReport>> reports;
      for (domain::Month month : world.months) reports.push_back(projection::BuildMonthReport(p, month, k));
      taken.emplace_back(k, std::move(reports));
    }
    feed.ApplyUpTo(p, feed.head());
    check_taken(0);
  }
}

TEST_CASE("an incremental projection, queried along the way and sent through a checkpoint in the middle, "
          "equals one rebuilt from seq 1") {
  for (std::uint64_t seed : TestSeeds(kFirstSeed, kWorlds)) {
    CAPTURE(seed);
    const RandomWorld& world = CachedWorld(seed);
    const EventFeed feed(world.events);
    Rng rng(seed * 131 + 5);
    const domain::Seq head = feed.head();
    const domain::Seq split(static_cast<std::uint64_t>(rng.Between(0, static_cast<std::int64_t>(head.value()))));
    CAPTURE(split);

    // Incremental: applied in small steps with a report asked for after each.
    Projection incremental;
    while (incremental.applied_seq() < split) {
      feed.ApplyUpTo(incremental, std::min(split, domain::Seq(incremental.applied_seq().value() + 1 +
                                                                   static_cast<std::uint64_t>(rng.Between(0, 100)))));
      (void)projection::BuildMonthReport(incremental, rng.Pick(world.months), incremental.applied_seq());
    }
    const std::string bytes = projection::SerializeProjection(incremental);
    auto restored = projection::DeserializeProjection(bytes);
    REQUIRE_MESSAGE(restored.has_value(), (restored ? "" : restored.error().message));
    CheckSameProjection(*restored, incremental);
    CHECK(projection::SerializeProjection(*restored) == bytes);
    feed.ApplyUpTo(*restored, head);
    feed.ApplyUpTo(incremental, head);

    const Projection rebuilt = feed.Build(head);
    CheckSameProjection(*restored, rebuilt);
    CheckSameProjection(incremental, rebuilt);
    CHECK(projection::SerializeProjection(*restored) == projection::SerializeProjection(rebuilt));
    for (const std::uint64_t n : KnowledgePoints(world, rng, 2, 2)) {
      const domain::Seq k(n);
      CAPTURE(k);
      for (domain::Month month : world.months) {
        INFO("month " << domain::FormatMonth(month));
        CheckSameAnswer(projection::BuildMonthReport(*restored, month, k), projection::BuildMonthReport(rebuilt, month, k));
      }
    }
  }
}

TEST_CASE("band counts sum to the listed count and components to the total, per clinic and per report") {
  std::int64_t lines = 0;
  for (std::uint64_t seed : TestSeeds(kFirstSeed, kWorlds)) {
    CAPTURE(seed);
    const RandomWorld& world = CachedWorld(seed);
    const EventFeed feed(world.events);
    const Projection p = feed.Build(feed.head());
    Rng rng(seed * 17 + 11);
    for (const std::uint64_t n : KnowledgePoints(world, rng)) {
      const domain::Seq k(n);
      CAPTURE(k);
      for (domain::Month month : world.months) {
        INFO("month " << domain::FormatMonth(month));
        const auto report = projection::BuildMonthReport(p, month, k);
        if (!report) continue;
        CheckSums(*report);
        lines += static_cast<std::int64_t>(report->clinics.size());
        if (report->clinics.empty()) continue;
        const auto one = projection::BuildMonthReport(p, month, k, ClinicIdOf(rng.Pick(report->clinics).clinic));
        REQUIRE(one.has_value());
        CheckSums(*one);
      }
    }
  }
  CHECK(lines > 1000);
}

TEST_CASE("a checkpoint cut short or with another header is refused as corrupt") {
  for (std::uint64_t seed : TestSeeds(kFirstSeed, 10)) {
    CAPTURE(seed);
    const RandomWorld& world = CachedWorld(seed);
    const EventFeed feed(world.events);
    const std::string bytes = projection::SerializeProjection(feed.Build(feed.head()));
    Rng rng(seed);
    std::vector<std::size_t> cuts = {0, 1, 7, bytes.size() - 1};
    for (int i = 0; i < 20; ++i) cuts.push_back(static_cast<std::size_t>(rng.Between(0, static_cast<std::int64_t>(bytes.size()) - 1)));
    for (std::size_t cut : cuts) {
      CAPTURE(cut);
      auto loaded = projection::DeserializeProjection(std::string_view(bytes).substr(0, cut));
      REQUIRE_FALSE(loaded.has_value());
      CHECK(loaded.error().code == ErrorCode::kCorruption);
    }
    std::string other_header = bytes;
    other_header[0] = static_cast<char>(other_header[0] ^ 0x5a);
    auto loaded = projection::DeserializeProjection(other_header);
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().code == ErrorCode::kCorruption);
  }
}

TEST_CASE("a report as known at K names each clinic as known at K, and a retracted rename is void") {
  WorldBuilder w;
  w.Publish(Rulebook2023());
  w.Clinic("VC-A", D(2020, 1, 1));  // "Vårdcentralen VC-A"
  w.Resident(1, D(1980, 1, 1), "VC-A", D(2023, 1, 1));
  const domain::Seq before_rename = w.head();
  const domain::Seq rename =
      w.Add(domain::ClinicChanged{"VC-A", D(2023, 1, 1), "Hälsocentralen Väster", std::nullopt, std::nullopt, std::nullopt});
  CHECK(Line(w.Report(M(2023, 5)), "VC-A").name == "Hälsocentralen Väster");
  // As known before the rename was recorded, the clinic had its registered name.
  CHECK(Line(w.Report(M(2023, 5), before_rename), "VC-A").name == "Vårdcentralen VC-A");
  // The rename retracted: void from the retraction on, so the registered name again.
  w.Retract(rename);
  CHECK(Line(w.Report(M(2023, 5)), "VC-A").name == "Vårdcentralen VC-A");
}

}  // namespace
}  // namespace capledger::testing
