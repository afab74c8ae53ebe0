// The snapshot index answers exactly what folding every resident answers, at every K, whether it
// was built before the events arrived (kept current by Apply) or after (DESIGN.md §7).
#include <doctest/doctest.h>

#include "projection/agreement.h"
#include "projection/random_world.h"

namespace capledger::testing {
namespace {

using projection::Projection;
using world_detail::Days;
using world_detail::First;
using world_detail::Last;

constexpr std::uint64_t kFirstSeed = 30'001;
constexpr int kWorlds = 60;

void CheckSameListing(const Projection::Listing& index, const Projection::Listing& fold) {
  CHECK(index.by_clinic == fold.by_clinic);
  CHECK(index.anomaly_residents == fold.anomaly_residents);
}

// The snapshot dates a month can have under the three rules.
std::vector<std::int32_t> SnapshotDays(const RandomWorld& world) {
  std::vector<std::int32_t> days;
  for (domain::Month m : world.months) {
    days.push_back(Days(First(m)));
    days.push_back(Days(Last(m)));
    days.push_back(Days(First(m)) - 1);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

TEST_CASE("an index built on a finished projection equals the fold on every snapshot date at every K") {
  for (std::uint64_t seed : TestSeeds(kFirstSeed, kWorlds)) {
    CAPTURE(seed);
    const RandomWorld world = GenerateWorld(seed);
    const EventFeed feed(world.events);
    const Projection p = feed.Build(feed.head());
    for (std::int32_t day : SnapshotDays(world)) {
      CAPTURE(day);
      const std::int32_t days[] = {day};
      for (std::uint64_t k = 0; k <= p.applied_seq().value(); k += 1 + k / 16) {
        CAPTURE(k);
        CheckSameListing(p.ListedByClinic(day, domain::Seq(k)), p.ListedByClinicOn(days, domain::Seq(k)).front());
      }
    }
  }
}

TEST_CASE("an index built early and kept current by Apply equals the fold at every K") {
  for (std::uint64_t seed : TestSeeds(kFirstSeed + 1000, kWorlds)) {
    CAPTURE(seed);
    const RandomWorld world = GenerateWorld(seed);
    const EventFeed feed(world.events);
    Rng rng(seed);
    Projection p;
    const std::vector<std::int32_t> days = SnapshotDays(world);
    feed.ApplyUpTo(p, domain::Seq(static_cast<std::uint64_t>(rng.Between(0, static_cast<std::int64_t>(feed.head().value()) / 2))));
    for (std::int32_t day : days) {
      (void)p.ListedByClinic(day, p.applied_seq());  // the day's first question: a fold
      (void)p.ListedByClinic(day, p.applied_seq());  // its second: builds the day's index now
      REQUIRE(p.HasSnapshotIndex(day));
    }
    feed.ApplyUpTo(p, feed.head());
    for (std::int32_t day : days) {
      CAPTURE(day);
      const std::int32_t one[] = {day};
      for (std::uint64_t k = 0; k <= p.applied_seq().value(); k += 1 + k / 16) {
        CAPTURE(k);
        CheckSameListing(p.ListedByClinic(day, domain::Seq(k)), p.ListedByClinicOn(one, domain::Seq(k)).front());
      }
    }
  }
}

TEST_CASE("a date's first question folds and builds no index; its second builds the index; both agree") {
  for (std::uint64_t seed : TestSeeds(kFirstSeed + 2000, kWorlds / 4)) {
    CAPTURE(seed);
    const RandomWorld world = GenerateWorld(seed);
    const EventFeed feed(world.events);
    const Projection p = feed.Build(feed.head());
    const domain::Seq head = p.applied_seq();
    for (std::int32_t day : SnapshotDays(world)) {
      CAPTURE(day);
      const std::int32_t one[] = {day};
      const Projection::Listing fold = p.ListedByClinicOn(one, head).front();
      // One clinic's counts, first asked of a date without an index (a fold of those ever listed
      // there), are that clinic's row of the fold of every resident.
      for (std::uint16_t c = 0; c < p.clinics().id.size(); ++c) {
        CHECK(p.ListedAtClinic(c, day, head) == fold.by_clinic[c]);
        if (c == 0) CHECK_FALSE(p.HasSnapshotIndex(day));
      }
      // The listing's first question for a fresh date is answered the same way; no index yet.
      const std::int32_t next_day = day + 100'000;  // a date no one asked about
      CHECK_FALSE(p.HasSnapshotIndex(next_day));
      CheckSameListing(p.ListedByClinic(next_day, head), p.ListedByClinicOn(std::span(&next_day, 1), head).front());
      CHECK_FALSE(p.HasSnapshotIndex(next_day));
      CheckSameListing(p.ListedByClinic(next_day, head), p.ListedByClinicOn(std::span(&next_day, 1), head).front());
      CHECK(p.HasSnapshotIndex(next_day));
    }
  }
}

TEST_CASE("indexes built for the dates asked once (a server's idle time) answer as the fold; others are not built") {
  for (std::uint64_t seed : TestSeeds(kFirstSeed + 3000, kWorlds / 4)) {
    CAPTURE(seed);
    const RandomWorld world = GenerateWorld(seed);
    const EventFeed feed(world.events);
    const Projection p = feed.Build(feed.head());
    const std::vector<std::int32_t> days = SnapshotDays(world);
    REQUIRE(days.size() >= 2);
    const std::int32_t asked = days.front();
    const std::int32_t unasked = days.back();
    (void)p.ListedByClinic(asked, p.applied_seq());  // a fold; remembered as asked once
    p.BuildAskedSnapshotIndexes();
    CHECK(p.HasSnapshotIndex(asked));
    CHECK_FALSE(p.HasSnapshotIndex(unasked));
    const std::int32_t one[] = {asked};
    for (std::uint64_t k = 0; k <= p.applied_seq().value(); k += 1 + k / 8) {
      CAPTURE(k);
      CheckSameListing(p.ListedByClinic(asked, domain::Seq(k)), p.ListedByClinicOn(one, domain::Seq(k)).front());
    }
    p.BuildAskedSnapshotIndexes();  // nothing asked once is left: builds nothing more
    CHECK_FALSE(p.HasSnapshotIndex(unasked));
  }
}

}  // namespace
}  // namespace capledger::testing
