// Checkpoints with a real RocksDB store: a checkpoint plus the tail of the log gives the same
// projection, byte for byte, as a rebuild from seq 1.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "projection/agreement.h"
#include "projection/checkpoint.h"
#include "projection/oracle.h"
#include "projection/random_world.h"
#include "projection/replay.h"
#include "projection/resident_facts.h"
#include "projection/report.h"
#include "store/store_fixture.h"
#include "store/store_surgery.h"

namespace capledger::testing {
namespace {

using projection::Projection;
using projection::ReplayStats;

constexpr std::uint64_t kFirstSeed = 20'001;
constexpr int kWorlds = 5;

// A random world in a fresh store.
class StoredWorld {
 public:
  explicit StoredWorld(std::uint64_t seed)
      : world_(GenerateWorld(seed, WorldShape{10, 120, 0, 0})),
        clock_(FromMicros(kTestNowUs)),
        secret_(TestSecret()),
        store_(OpenForTest(dir_.path(), secret_, clock_)) {}

  // Appends the world's events up to `upto` in batches of random size; every one must be stored
  // under its own seq.
  void AppendUpTo(domain::Seq upto, Rng& rng) {
    while (store_->head().seq < upto) {
      const std::uint64_t from = store_->head().seq.value();
      const std::uint64_t to = std::min<std::uint64_t>(upto.value(), from + 1 + static_cast<std::uint64_t>(rng.Between(0, 400)));
      std::vector<store::AppendRequest> requests;
      for (std::uint64_t seq = from + 1; seq <= to; ++seq) {
        store::AppendRequest request;
        request.event = world_.events[seq - 1];
        request.origin = store::InputOrigin{"random-world", seq, "{}"};
        requests.push_back(std::move(request));
      }
      auto outcomes = store_->Append(requests);
      REQUIRE(outcomes.has_value());
      for (std::size_t i = 0; i < outcomes->size(); ++i) {
        INFO("seq " << from + 1 + i);
        REQUIRE((*outcomes)[i].kind == store::AppendOutcome::Kind::kStored);
        CHECK((*outcomes)[i].seq == domain::Seq(from + 1 + i));
      }
      clock_.Advance(std::chrono::seconds(1));
    }
  }

  Projection Load(bool use_checkpoint, ReplayStats& stats) const {
    auto loaded = projection::LoadProjection(*store_, use_checkpoint, &stats);
    REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error().message));
    return std::move(*loaded);
  }

  const RandomWorld& world() const { return world_; }
  store::EventStore& store() { return *store_; }
  domain::Seq head() const { return domain::Seq(world_.events.size()); }

 private:
  RandomWorld world_;
  TempDir dir_;
  FakeClock clock_;
  RegionSecret secret_;
  std::unique_ptr<store::EventStore> store_;
};

// Both projections answer every month the same at several K.
void CheckSameReports(const Projection& a, const Projection& b, const RandomWorld& world, Rng& rng) {
  for (const std::uint64_t n : KnowledgePoints(world, rng, 2, 2)) {
    const domain::Seq k(n);
    CAPTURE(k);
    for (domain::Month month : world.months) {
      INFO("month " << domain::FormatMonth(month));
      const auto ra = projection::BuildMonthReport(a, month, k);
      const auto rb = projection::BuildMonthReport(b, month, k);
      REQUIRE(ra.has_value() == rb.has_value());
      if (ra) {
        CHECK(*ra == *rb);
      } else {
        CHECK(ra.error().code == rb.error().code);
      }
    }
  }
}

TEST_CASE("a checkpoint plus the tail equals a rebuild from seq 1, byte for byte, and reports the same") {
  for (std::uint64_t seed : TestSeeds(kFirstSeed, kWorlds)) {
    CAPTURE(seed);
    StoredWorld w(seed);
    Rng rng(seed * 3 + 1);
    const domain::Seq at(static_cast<std::uint64_t>(rng.Between(1, static_cast<std::int64_t>(w.head().value()) - 1)));
    CAPTURE(at);
    w.AppendUpTo(at, rng);
    ReplayStats first;
    const Projection before = w.Load(false, first);
    REQUIRE(before.applied_seq() == at);
    REQUIRE(projection::SaveCheckpoint(before, w.store()).has_value());
    w.AppendUpTo(w.head(), rng);

    ReplayStats from_checkpoint;
    const Projection resumed = w.Load(true, from_checkpoint);
    CHECK(from_checkpoint.checkpoint_seq == at);
    CHECK(from_checkpoint.events_applied == w.head().value() - at.value());
    ReplayStats from_start;
    const Projection rebuilt = w.Load(false, from_start);
    CHECK(from_start.checkpoint_seq == domain::Seq{});
    CHECK(from_start.events_applied == w.head().value());

    REQUIRE(resumed.applied_seq() == w.head());
    CHECK(projection::SerializeProjection(resumed) == projection::SerializeProjection(rebuilt));
    CheckSameProjection(resumed, rebuilt);
    CheckSameReports(resumed, rebuilt, w.world(), rng);

    // What the store gives back is what was offered: the same projection as applying the
    // generated events directly, and the oracle's figures at the head.
    CheckSameProjection(rebuilt, EventFeed(w.world().events).Build(w.head()));
    const oracle::Oracle o(w.world().events);
    for (domain::Month month : w.world().months) {
      INFO("month " << domain::FormatMonth(month));
      CheckAgrees(projection::BuildMonthReport(resumed, month, w.head()), o.Compute(month, w.head().value()));
    }

    // CatchUp from the projection as it was at the checkpoint reaches the same state.
    Projection caught_up = before;
    REQUIRE(projection::CatchUp(caught_up, w.store()).has_value());
    CHECK(projection::SerializeProjection(caught_up) == projection::SerializeProjection(rebuilt));
  }
}

TEST_CASE("the newest of several checkpoints is used, and one at the head leaves no tail") {
  const std::uint64_t seed = TestSeeds(kFirstSeed + 100, 1)[0];
  CAPTURE(seed);
  StoredWorld w(seed);
  Rng rng(seed);
  const domain::Seq third(w.head().value() / 3);
  ReplayStats stats;
  w.AppendUpTo(third, rng);
  REQUIRE(projection::SaveCheckpoint(w.Load(false, stats), w.store()).has_value());
  w.AppendUpTo(domain::Seq(2 * third.value()), rng);
  REQUIRE(projection::SaveCheckpoint(w.Load(true, stats), w.store()).has_value());
  w.AppendUpTo(w.head(), rng);

  ReplayStats newest;
  const Projection resumed = w.Load(true, newest);
  CHECK(newest.checkpoint_seq == domain::Seq(2 * third.value()));
  CHECK(newest.events_applied == w.head().value() - 2 * third.value());
  ReplayStats none;
  const Projection rebuilt = w.Load(false, none);
  CHECK(projection::SerializeProjection(resumed) == projection::SerializeProjection(rebuilt));

  REQUIRE(projection::SaveCheckpoint(rebuilt, w.store()).has_value());
  ReplayStats at_head;
  const Projection loaded = w.Load(true, at_head);
  CHECK(at_head.checkpoint_seq == w.head());
  CHECK(at_head.events_applied == 0);
  CHECK(projection::SerializeProjection(loaded) == projection::SerializeProjection(rebuilt));
}

TEST_CASE("a checkpoint that does not load is passed over and the projection rebuilt from seq 1") {
  const std::uint64_t seed = TestSeeds(kFirstSeed + 200, 1)[0];
  CAPTURE(seed);
  StoredWorld w(seed);
  Rng rng(seed);
  w.AppendUpTo(w.head(), rng);
  ReplayStats stats;
  const Projection rebuilt = w.Load(false, stats);
  std::string damaged = projection::SerializeProjection(rebuilt);
  damaged.resize(damaged.size() / 2);
  REQUIRE(w.store().PutCheckpoint(w.head(), damaged).has_value());
  ReplayStats after;
  const Projection loaded = w.Load(true, after);
  CHECK(after.checkpoint_seq == domain::Seq{});
  CHECK(after.events_applied == w.head().value());
  CHECK(projection::SerializeProjection(loaded) == projection::SerializeProjection(rebuilt));
}

// A whole random world (seed from `first_seed`) rebuilt from seq 1, and the bytes of it.
struct Rebuilt {
  Projection projection;
  std::string bytes;
};
Rebuilt RebuildWorld(std::uint64_t first_seed) {
  const std::uint64_t seed = TestSeeds(first_seed, 1)[0];
  CAPTURE(seed);
  StoredWorld w(seed);
  Rng rng(seed);
  w.AppendUpTo(w.head(), rng);
  ReplayStats stats;
  Projection rebuilt = w.Load(false, stats);
  std::string bytes = projection::SerializeProjection(rebuilt);
  return Rebuilt{std::move(rebuilt), std::move(bytes)};
}

// A source giving `bytes` in pieces of `size`, announcing `announced` bytes (a source that ends
// early announces more than it gives); with `fail_at`, that call fails with kIoError instead.
projection::CheckpointSource PiecesOf(std::string_view bytes, std::size_t size, std::uint64_t announced,
                                      int fail_at = 0) {
  auto at = std::make_shared<std::size_t>(0);
  auto calls = std::make_shared<int>(0);
  return projection::CheckpointSource{announced, [=]() -> Result<std::string_view> {
                                        if (++*calls == fail_at) return Fail(ErrorCode::kIoError, "disk read failed");
                                        const std::string_view piece = bytes.substr(*at, size);
                                        *at += piece.size();
                                        return piece;
                                      }};
}

TEST_CASE("a checkpoint streamed in pieces is the same bytes, and reads back from pieces of any size") {
  const Rebuilt rebuilt = RebuildWorld(kFirstSeed + 300);
  // The sink's pieces, joined, are the string form; none is empty.
  std::string joined;
  std::size_t pieces = 0;
  const projection::CheckpointSink sink = [&](std::string_view piece) -> Status {
    CHECK(!piece.empty());
    joined.append(piece);
    ++pieces;
    return {};
  };
  REQUIRE(projection::SerializeProjection(rebuilt.projection, sink).has_value());
  CHECK(joined == rebuilt.bytes);
  CHECK(pieces >= 1);
  // Read back from pieces of 1, 7 and 4,099 bytes: every field crosses a piece boundary somewhere.
  for (const std::size_t size : {std::size_t{1}, std::size_t{7}, std::size_t{4099}}) {
    CAPTURE(size);
    auto loaded = projection::DeserializeProjection(PiecesOf(rebuilt.bytes, size, rebuilt.bytes.size()));
    REQUIRE(loaded.has_value());
    CHECK(projection::SerializeProjection(*loaded) == rebuilt.bytes);
  }
}

TEST_CASE("a source that fails while a checkpoint is read gives its own error, not a damaged checkpoint") {
  const std::string whole = RebuildWorld(kFirstSeed + 400).bytes;
  auto loaded = projection::DeserializeProjection(PiecesOf(whole, 64, whole.size(), 3));
  REQUIRE_FALSE(loaded.has_value());
  CHECK(loaded.error().code == ErrorCode::kIoError);
  // A source that ends early (one byte fewer than it announced) is a damaged checkpoint.
  const std::string_view all_but_one = std::string_view(whole).substr(0, whole.size() - 1);
  loaded = projection::DeserializeProjection(PiecesOf(all_but_one, 64, whole.size()));
  REQUIRE_FALSE(loaded.has_value());
  CHECK(loaded.error().code == ErrorCode::kCorruption);
}

TEST_CASE("an event that does not decode stops a replay at its seq, whichever batch it is in") {
  // 9,000 listings: replay hands them over in batches of 4,096, so seq 6,000 is in the second
  // batch the decoding thread takes and seq 9,000 in the last, partial one.
  for (const std::uint64_t bad : {std::uint64_t{1}, std::uint64_t{6'000}, std::uint64_t{9'000}}) {
    CAPTURE(bad);
    TempDir dir;
    FakeClock clock(FromMicros(kTestNowUs));
    const auto secret = TestSecret();
    {
      auto s = OpenForTest(dir.path(), secret, clock);
      std::vector<store::AppendRequest> requests;
      for (int i = 0; i < 9'000; ++i) {
        requests.push_back(Listing("l" + std::to_string(i), static_cast<std::uint8_t>(i % 250 + 1), "VC-A"));
      }
      REQUIRE(s->Append(requests).has_value());
    }
    ChangeStoredEvent(dir.path(), domain::Seq(bad), [](std::string& v) { v.resize(v.size() / 2); });
    auto s = OpenForTest(dir.path(), secret, clock);
    auto loaded = projection::LoadProjection(*s, false);
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().code == ErrorCode::kCorruption);
    CHECK(loaded.error().message.find("seq " + std::to_string(bad) + ":") != std::string::npos);
  }
}

TEST_CASE("a projection read from a checkpoint takes the tail's residents and events without moving its columns") {
  // The columns that the replay of the log's tail appends to are read with room to grow
  // (GrowthCapacity: an eighth more, and 4,096 items), so the tail appends in place instead of
  // doubling each column into fresh memory. The room is capacity only: the content is the same.
  const std::uint64_t seed = TestSeeds(kFirstSeed + 500, 1)[0];
  CAPTURE(seed);
  const RandomWorld world = GenerateWorld(seed, WorldShape{10, 120, 0, 0});
  const EventFeed feed(world.events);
  const domain::Seq head(world.events.size());
  const domain::Seq half(head.value() / 2);
  const Projection at_half = feed.Build(half);
  auto loaded = projection::DeserializeProjection(projection::SerializeProjection(at_half));
  REQUIRE(loaded.has_value());
  const auto& residents = loaded->residents();
  const std::size_t residents_before = residents.pseudonym.size();
  const auto* pseudonyms = residents.pseudonym.data();
  const auto* birth_days = residents.birth_days.data();
  const auto* birth_ymd = residents.birth_ymd.data();
  const auto* sexes = residents.sex.data();
  const auto* affects_from = loaded->affects_from().data();
  CHECK(residents.pseudonym.capacity() >= projection::GrowthCapacity(residents_before));
  CHECK(loaded->affects_from().capacity() >= projection::GrowthCapacity(half.value()));

  feed.ApplyUpTo(*loaded, head);
  REQUIRE(residents.pseudonym.size() > residents_before);  // the second half lists new residents
  CHECK(residents.pseudonym.data() == pseudonyms);
  CHECK(residents.birth_days.data() == birth_days);
  CHECK(residents.birth_ymd.data() == birth_ymd);
  CHECK(residents.sex.data() == sexes);
  CHECK(loaded->affects_from().data() == affects_from);
  CHECK(projection::SerializeProjection(*loaded) == projection::SerializeProjection(feed.Build(head)));
}

// The residents named by events (seq, body) of `events` from `from` to `to`, retractions' targets
// included: what a tail's Apply looks up.
std::set<domain::Pseudonym> NamedBetween(const std::vector<domain::Event>& events, domain::Seq from, domain::Seq to) {
  std::set<domain::Pseudonym> named;
  for (std::uint64_t seq = from.value(); seq <= to.value(); ++seq) {
    const domain::EventBody& body = events[seq - 1].body;
    if (const auto* resident = domain::ResidentOf(body)) named.insert(resident->pseudonym);
    if (const auto* retraction = std::get_if<domain::EventRetracted>(&body)) {
      for (const domain::Event& target : events) {
        if (target.id != retraction->target) continue;
        if (const auto* resident = domain::ResidentOf(target.body)) named.insert(resident->pseudonym);
      }
    }
  }
  return named;
}

TEST_CASE("a short tail is applied with the resident index resolved for the residents it names only") {
  // LoadProjection reads the tail's pseudonyms while the checkpoint loads and indexes only those
  // (Projection::ResolveAmong). Every lookup must still answer as with the whole index, and an
  // event naming a resident the tail did not name must build the whole index first.
  for (std::uint64_t seed : TestSeeds(kFirstSeed + 700, kWorlds)) {
    CAPTURE(seed);
    StoredWorld w(seed);
    Rng rng(seed);
    const domain::Seq at(w.head().value() / 3);
    const domain::Seq mid(2 * w.head().value() / 3);
    w.AppendUpTo(at, rng);
    ReplayStats stats;
    REQUIRE(projection::SaveCheckpoint(w.Load(false, stats), w.store()).has_value());
    w.AppendUpTo(mid, rng);
    ReplayStats resumed_stats;
    Projection resumed = w.Load(true, resumed_stats);
    REQUIRE(resumed_stats.checkpoint_seq == at);
    const EventFeed feed(w.world().events);
    const Projection direct = feed.Build(mid);
    CHECK(projection::SerializeProjection(resumed) == projection::SerializeProjection(direct));
    // The tail named fewer residents than there are, so the index stayed partial: no event of
    // the tail (a retraction's target included) named a resident it was not resolved for.
    const std::set<domain::Pseudonym> named = NamedBetween(w.world().events, at.Next(), mid);
    REQUIRE(named.size() < direct.residents().pseudonym.size());
    CHECK_FALSE(resumed.ResidentIndexWhole());
    // Every resident is found under its own id, whether the tail named it (the index) or not
    // (the pass over every pseudonym); a pseudonym no resident has is found nowhere.
    const auto& pseudonyms = direct.residents().pseudonym;
    for (std::uint32_t r = 0; r < pseudonyms.size(); ++r) CHECK(resumed.ResidentIndex(pseudonyms[r]) == r);
    domain::Pseudonym stranger;
    stranger.bytes.fill(0xEE);
    CHECK_FALSE(resumed.ResidentIndex(stranger).has_value());
    CHECK_FALSE(resumed.ResidentIndexWhole());  // lookups change nothing

    // The rest of the log, applied directly: as soon as an event names a pseudonym the tail did
    // not (a resident from before, or a new one), the whole index is built, and the projection
    // ends as a rebuild does.
    bool names_unresolved = false;
    for (const auto& p : NamedBetween(w.world().events, mid.Next(), w.head())) names_unresolved |= !named.contains(p);
    feed.ApplyUpTo(resumed, w.head());
    CHECK(resumed.ResidentIndexWhole() == names_unresolved);
    CHECK(projection::SerializeProjection(resumed) == projection::SerializeProjection(feed.Build(w.head())));
    for (std::uint32_t r = 0; r < resumed.residents().pseudonym.size(); ++r) {
      CHECK(resumed.ResidentIndex(resumed.residents().pseudonym[r]) == r);
    }
  }
}

}  // namespace
}  // namespace capledger::testing
