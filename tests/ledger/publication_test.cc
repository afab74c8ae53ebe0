// Recording a publication (ledger/publication.h) in a real store: the same K with the same
// manifest is found again; the same K with another manifest is refused before anything is written.
#include <doctest/doctest.h>

#include "ledger/publication.h"
#include "store/store_fixture.h"
#include "support/seq.h"

namespace capledger::testing {
namespace {

domain::Month M(int y, unsigned m) { return domain::Month{std::chrono::year(y), std::chrono::month(m)}; }

TEST_CASE("a publication at a K already published is free only with the same manifest") {
  TempDir dir;
  const RegionSecret secret = TestSecret();
  FakeClock clock(FromMicros(kTestNowUs));
  auto store = OpenForTest(dir.path(), secret, clock);
  const std::string first(64, 'a');
  const std::string other(64, 'b');
  const domain::Event event = ledger::FollowUpEvent(2024, M(2024, 12), 0_seq, first);
  CHECK(event.id == "F-2024-12-0");
  CHECK(ledger::CheckPublishable(*store, event).has_value());  // nothing published yet
  auto recorded = ledger::RecordPublication(*store, event);
  REQUIRE(recorded.has_value());
  CHECK(recorded->seq == 1_seq);
  CHECK_FALSE(recorded->existing);
  CHECK(ledger::CheckPublishable(*store, event).has_value());  // the same files again
  auto again = ledger::RecordPublication(*store, event);
  REQUIRE(again.has_value());
  CHECK(again->existing);
  auto differs = ledger::CheckPublishable(*store, ledger::FollowUpEvent(2024, M(2024, 12), 0_seq, other));
  REQUIRE_FALSE(differs.has_value());
  CHECK(differs.error().code == ErrorCode::kRefused);
  CHECK(differs.error().message.find("F-2024-12-0 was published at seq 1 with manifest " + first) != std::string::npos);
  CHECK(differs.error().message.find("nothing was written") != std::string::npos);
  CHECK(store->head().seq == 1_seq);
}

}  // namespace
}  // namespace capledger::testing
