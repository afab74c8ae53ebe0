// The random worlds hold only what the store would accept, and the same seed gives the same world.
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "domain/rulebook.h"
#include "projection/oracle.h"
#include "projection/random_world.h"

namespace capledger::testing {
namespace {

// What in a world the store would refuse, or that no personnummer could produce; empty if nothing.
std::vector<std::string> Problems(const RandomWorld& world) {
  std::vector<std::string> problems;
  std::map<domain::EventId, std::uint64_t> seq_of_id;
  std::map<domain::Pseudonym, domain::Date> birth;
  for (std::size_t i = 0; i < world.events.size(); ++i) {
    const domain::Event& e = world.events[i];
    auto problem = [&](const std::string& what) { problems.push_back(e.id.str() + ": " + what); };
    if (!seq_of_id.emplace(e.id, i + 1).second) problem("the id is used twice");
    if (const auto* rb = std::get_if<domain::RulebookPublished>(&e.body)) {
      if (const auto violation = domain::CheckRulebook(rb->rulebook)) problem(violation->field + ": " + violation->message);
    } else if (const auto* r = std::get_if<domain::EventRetracted>(&e.body)) {
      auto target = seq_of_id.find(r->target);
      if (target == seq_of_id.end()) {
        problem("retracts an id not stored before it");
      } else if (std::holds_alternative<domain::EventRetracted>(world.events[target->second - 1].body)) {
        problem("retracts a retraction");
      }
    } else if (const auto* cni = std::get_if<domain::CniReported>(&e.body)) {
      if (cni->population <= 0) problem("population is not > 0");
      if (cni->cni_ten_thousandths && *cni->cni_ten_thousandths != oracle::CniFromHits(cni->hits, cni->population)) {
        problem("the delivered cni differs from the one computed from the hits");
      }
    } else if (const auto* p = std::get_if<domain::PerformanceReported>(&e.body)) {
      if (oracle::MonthNumber(p->period_from) > oracle::MonthNumber(p->period_to)) problem("period_to before period_from");
      if (p->fulfilment_thousandths < 0 || p->fulfilment_thousandths > 1000) problem("fulfilment outside 0-1");
    } else if (const domain::ResidentRef* ref = domain::ResidentOf(e.body)) {
      // A pseudonym stands for one personnummer, so for one birth date.
      auto [it, inserted] = birth.emplace(ref->pseudonym, ref->birth_date);
      if (it->second != ref->birth_date) problem("another birth date for the same pseudonym");
    }
  }
  return problems;
}

TEST_CASE("random worlds hold only events the store accepts") {
  for (std::uint64_t seed : TestSeeds(1, 200)) {
    CAPTURE(seed);
    const std::vector<std::string> problems = Problems(CachedWorld(seed));
    CHECK_MESSAGE(problems.empty(), (problems.empty() ? "" : problems.front()) << " (and " << problems.size()
                                                                               << " problems in all)");
  }
}

TEST_CASE("a world with a wrong event is caught by that check") {
  RandomWorld world = CachedWorld(1);
  world.events.push_back(domain::Event{"ev-x", "test", domain::EventRetracted{"no-such-id", "wrong"}});
  world.events.push_back(world.events.front());  // the same id again
  CHECK(Problems(world).size() == 2);
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
