// The feed's bookkeeping on its own: the cursor moves only over seqs whose every message is
// confirmed, and a run's summary is counted only from a gapless run of its entries.
#include <doctest/doctest.h>

#include "stream/delivery_tracker.h"
#include "stream/feed_message.h"

namespace capledger::testing {
namespace {

using stream::DeliveryTracker;

TEST_CASE("the cursor moves over confirmed seqs only, and over seqs with nothing to publish") {
  DeliveryTracker t(10);
  CHECK(t.next_seq() == 11);
  t.Published(11, 1, true);   // an entry
  t.Published(12, 0, false);  // an ingested event: nothing to publish
  t.Published(13, 4, false);  // a run-completed message, one per partition of 4
  t.Published(14, 1, true);
  CHECK(t.confirmed_through() == 10);
  CHECK(t.outstanding() == 6);  // 1 + 4 + 1
  CHECK(t.entries_after_cursor() == 2);
  CHECK(t.Confirmed(14));       // confirmed out of order: the cursor waits for 11 and 13
  CHECK(t.confirmed_through() == 10);
  CHECK(t.Confirmed(11));       // 11 done, 12 had nothing: the cursor is at 12
  CHECK(t.confirmed_through() == 12);
  CHECK(t.entries_after_cursor() == 1);  // 14, confirmed but behind 13
  for (int copy = 0; copy < 3; ++copy) CHECK(t.Confirmed(13));
  CHECK(t.confirmed_through() == 12);  // one copy of 13 outstanding
  CHECK(t.Confirmed(13));
  CHECK(t.confirmed_through() == 14);
  CHECK(t.outstanding() == 0);
  CHECK(t.entries_after_cursor() == 0);
  CHECK_FALSE(t.Confirmed(13));  // nothing of 13 is outstanding any more
  CHECK_FALSE(t.Confirmed(99));
}

TEST_CASE("rewinding forgets what is after the cursor") {
  DeliveryTracker t(0);
  t.Published(1, 1, true);
  t.Published(2, 1, true);
  t.Published(3, 1, true);
  CHECK(t.Confirmed(1));
  CHECK(t.Confirmed(3));
  t.Rewind();
  CHECK(t.confirmed_through() == 1);
  CHECK(t.next_seq() == 2);  // 2 and 3 are read and published again
  CHECK(t.outstanding() == 0);
  CHECK(t.entries_after_cursor() == 0);
}

domain::LedgerEntry Entry(domain::Month run, domain::Component component, std::int64_t ore) {
  domain::LedgerEntry e;
  e.run = run;
  e.component = component;
  e.amount = domain::Money::FromOre(ore);
  return e;
}

TEST_CASE("a run summary is complete only with every entry of the run, in a row before it") {
  const domain::Month jan = std::chrono::year(2024) / std::chrono::January;
  const domain::Month feb = std::chrono::year(2024) / std::chrono::February;
  domain::PayoutRun run;
  run.run = feb;
  run.entry_count = 3;
  stream::RunSummaryBuilder b;
  REQUIRE(b.AddEntry(5, Entry(jan, domain::Component::kCapitation, 100)).has_value());  // another run
  REQUIRE(b.AddEntry(7, Entry(feb, domain::Component::kCapitation, 19167)).has_value());
  REQUIRE(b.AddEntry(8, Entry(feb, domain::Component::kVisits, 500)).has_value());
  CHECK_FALSE(b.Complete(9, run));  // two of three
  REQUIRE(b.AddEntry(9, Entry(feb, domain::Component::kCapitation, -19166)).has_value());
  CHECK_FALSE(b.Complete(11, run));  // not just before the PayoutRun
  CHECK(b.Complete(10, run));
  store::StoredRecord record;
  record.stored.seq = domain::Seq(10);
  record.stored.event = domain::Event{"RUN-2024-02", "capledger-payout", run};
  const auto s = b.Finish(record);
  CHECK(s.entries == 3);
  CHECK(s.total.ore() == 501);  // 19167 + 500 - 19166
  CHECK(s.per_component[static_cast<std::size_t>(domain::Component::kCapitation)].ore() == 1);
  CHECK(s.per_component[static_cast<std::size_t>(domain::Component::kVisits)].ore() == 500);
  CHECK(s.first_entry_seq == 7);
  CHECK(s.last_entry_seq == 9);
  CHECK(s.run_event_id == "RUN-2024-02");

  stream::RunSummaryBuilder gap;
  REQUIRE(gap.AddEntry(7, Entry(feb, domain::Component::kCapitation, 1)).has_value());
  REQUIRE(gap.AddEntry(9, Entry(feb, domain::Component::kCapitation, 1)).has_value());  // 8 missing
  CHECK_FALSE(gap.Complete(10, run));  // counting restarted at 9: one entry
}

}  // namespace
}  // namespace capledger::testing
