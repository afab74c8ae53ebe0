// The random worlds hold only what the store would accept, and the same seed gives the same world.
#include <map>
#include <set>

#include <doctest/doctest.h>

#include "domain/rulebook.h"
#include "projection/oracle.h"
#include "projection/random_world.h"

namespace capledger::testing {
namespace {

TEST_CASE("random worlds hold only events the store accepts") {
  for (std::uint64_t seed : TestSeeds(1, 200)) {
    CAPTURE(seed);
    const RandomWorld world = GenerateWorld(seed);
    std::map<std::string, std::uint64_t> seq_of_id;
    std::map<domain::Pseudonym, domain::Date> birth;
    for (std::size_t i = 0; i < world.events.size(); ++i) {
      const domain::Event& e = world.events[i];
      CAPTURE(e.id);
      REQUIRE(seq_of_id.emplace(e.id, i + 1).second);  // ids are unique
      if (const auto* rb = std::get_if<domain::RulebookPublished>(&e.body)) {
        const auto violation = domain::CheckRulebook(rb->rulebook);
        CHECK_MESSAGE(!violation, (violation ? violation->field + ": " + violation->message : ""));
      } else if (const auto* r = std::get_if<domain::EventRetracted>(&e.body)) {
        auto target = seq_of_id.find(r->target);
        REQUIRE(target != seq_of_id.end());  // an earlier event
        CHECK_FALSE(std::holds_alternative<domain::EventRetracted>(world.events[target->second - 1].body));
      } else if (const auto* cni = std::get_if<domain::CniReported>(&e.body)) {
        CHECK(cni->population > 0);
        if (cni->cni_ten_thousandths) CHECK(*cni->cni_ten_thousandths == oracle::CniFromHits(cni->hits, cni->population));
      } else if (const auto* p = std::get_if<domain::PerformanceReported>(&e.body)) {
        CHECK(oracle::MonthNumber(p->period_from) <= oracle::MonthNumber(p->period_to));
        CHECK(p->fulfilment_thousandths >= 0);
        CHECK(p->fulfilment_thousandths <= 1000);
      } else if (const domain::ResidentRef* ref = domain::ResidentOf(e.body)) {
        // A pseudonym stands for one personnummer, so for one birth date.
        auto [it, inserted] = birth.emplace(ref->pseudonym, ref->birth_date);
        CHECK(it->second == ref->birth_date);
      }
    }
  }
}

TEST_CASE("the same seed gives the same world") {
  for (std::uint64_t seed : {1ULL, 77ULL, 123456789ULL}) {
    CAPTURE(seed);
    CHECK(GenerateWorld(seed).events == GenerateWorld(seed).events);
    CHECK(GenerateWorld(seed).events != GenerateWorld(seed + 1).events);
  }
}

}  // namespace
}  // namespace capledger::testing
