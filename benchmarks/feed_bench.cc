// feed_bench --data DIR [--synthetic N] [--cursor S] [--repeat R]: the finance feed's publish
// rate, from the cursor at S (default 0) to every message confirmed by librdkafka's mock cluster (3 brokers, 4 partitions,
// started in this process on 127.0.0.1; a new one for each repetition).
//
// With --data alone, DIR is an existing store (a walked world; use a copy: the feed cursor is
// reset to 0 before each repetition and left at the head). With --synthetic N, DIR must not
// exist: a store of N ledger entries is built there first (runs of 10,000 entries over 29
// clinics and 6 components, each run's entries and its PayoutRun in one atomic append, as a payout
// books them), so that the rate is the feed's own rather than the log scan's. --cursor S times
// what a running feed does after a payout: only the events after S are read. --append-run N
// times exactly that: the feed is started at the head and waits connected, then a run of N
// synthetic entries is booked (months from 2100-01, so they never collide with a real run) and
// the time from booking it to its last message confirmed is printed (booking included; a warm-up
// run of one entry before it lets the producer learn the topic's leaders). Needs
// CAPLEDGER_SECRET. Prints, per repetition, the events read, the entries and run-completed
// messages confirmed, the time and the rates, then the median rate and the peak memory.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "bench_util.h"
#include "common/region_secret.h"
#include "domain/date.h"
#include "ledger/accounts.h"
#include "stream/feed.h"
#include "stream/mock_cluster.h"

namespace {

using namespace capledger;

constexpr std::uint64_t kRunEntries = 10'000;
constexpr int kClinics = 29;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "feed_bench: %s\n", what.c_str());
  std::exit(2);
}

// Appends `n` synthetic entries as runs of kRunEntries, months from `month` on; returns the
// month after the last.
domain::Month BuildSynthetic(store::EventStore& store, std::uint64_t n, domain::Month month) {
  for (std::uint64_t done = 0; done < n; month = domain::AddMonths(month, 1)) {
    std::vector<store::AppendRequest> requests;
    domain::PayoutRun run{month, store.head().seq, "KoK-2024", 0, domain::Money::Zero(), {}};
    for (std::uint32_t i = 1; i <= kRunEntries && done < n; ++i, ++done) {
      domain::LedgerEntry e;
      e.entry_id = ledger::EntryId(month, i);
      e.run = month;
      e.clinic = domain::ClinicId::Made(fmt::format("VC-{:02d}", i % kClinics));
      e.period = month;
      e.component = static_cast<domain::Component>(i / kClinics % domain::kComponentCount);
      e.amount = domain::Money::FromOre(1'000'000 + i);
      e.known_at_seq = run.known_at_seq;
      e.rulebook = run.rulebook;
      e.debit = fmt::format("expense:halsoval:{}", domain::Name(e.component));
      e.credit = ledger::PayableAccount(e.clinic);
      run.total = *run.total.Plus(e.amount);
      ++run.entry_count;
      requests.push_back(store::AppendRequest{domain::Event{e.entry_id, std::string(ledger::kLedgerSource), e}, {}, {}});
    }
    requests.push_back(store::AppendRequest{domain::Event{ledger::RunEventId(month), std::string(ledger::kLedgerSource), run}, {}, {}});
    if (auto booked = store.AppendAtomically(requests, store.head().seq); !booked) Die(booked.error().message);
  }
  return month;
}

// One repetition: the seconds from Start to the cursor at the head.
double PublishAll(store::EventStore& store, const Clock& clock, std::uint64_t cursor, std::uint64_t& entries,
                  std::uint64_t& runs) {
  if (auto reset = store.PutFeedCursor(domain::Seq(cursor)); !reset) Die(reset.error().message);
  auto cluster = stream::MockCluster::Start(3, {"halsoval.events", "halsoval.ledger"}, 4);
  if (!cluster) Die(cluster.error().message);
  stream::KafkaConfig config;
  config.enabled = true;
  config.brokers = (*cluster)->bootstraps();
  const auto start = bench::SteadyClock::now();
  auto feed = stream::FinanceFeed::Start(config, store, clock, [] { Die("the feed asked to stop"); });
  if (!feed) Die(feed.error().message);
  const std::uint64_t head = store.head().seq.value();
  while ((*feed)->stats().cursor_seq.load() < head) std::this_thread::sleep_for(std::chrono::microseconds(500));
  const double seconds = bench::MillisSince(start) / 1000.0;
  entries = (*feed)->stats().published.load();
  runs = (*feed)->stats().runs_published.load();
  (*feed)->Stop();
  return seconds;
}

// One repetition of --append-run: the feed is started at the head and connected; then a run of
// `n` entries is booked and the seconds to its last message confirmed are returned.
double PublishAppended(store::EventStore& store, const Clock& clock, std::uint64_t n, domain::Month& month,
                       std::uint64_t& entries, double& book_ms) {
  if (auto reset = store.PutFeedCursor(store.head().seq); !reset) Die(reset.error().message);
  auto cluster = stream::MockCluster::Start(3, {"halsoval.events", "halsoval.ledger"}, 4);
  if (!cluster) Die(cluster.error().message);
  stream::KafkaConfig config;
  config.enabled = true;
  config.brokers = (*cluster)->bootstraps();
  auto feed = stream::FinanceFeed::Start(config, store, clock, [] { Die("the feed asked to stop"); });
  if (!feed) Die(feed.error().message);
  // Warm up: a run of one entry, so that the producer knows the topic's leaders and partitions.
  month = BuildSynthetic(store, 1, month);
  (*feed)->Notify();
  while ((*feed)->stats().cursor_seq.load() < store.head().seq.value()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::uint64_t warm = (*feed)->stats().published.load();
  const auto start = bench::SteadyClock::now();
  month = BuildSynthetic(store, n, month);
  book_ms = bench::MillisSince(start);
  (*feed)->Notify();
  const std::uint64_t head = store.head().seq.value();
  while ((*feed)->stats().cursor_seq.load() < head) std::this_thread::sleep_for(std::chrono::microseconds(200));
  const double seconds = bench::MillisSince(start) / 1000.0;
  entries = (*feed)->stats().published.load() - warm;
  (*feed)->Stop();
  return seconds;
}

// The first month from 2100-01 on that no run of this program has used in `store`.
domain::Month FreeMonth(const store::EventStore& store) {
  domain::Month month = std::chrono::year(2100) / std::chrono::January;
  for (;;) {
    auto found = store.LookupId(ledger::RunEventId(month));
    if (!found) Die(found.error().message);
    if (!*found) return month;
    month = domain::AddMonths(month, 1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  bench::Args args(argc, argv, {"--data", "--synthetic", "--cursor", "--append-run", "--repeat"}, {});
  args.Require(argv[0], "--data");
  const std::string data = args.Get("--data");
  const char* hex = std::getenv("CAPLEDGER_SECRET");
  auto secret = RegionSecret::FromHex(hex ? hex : "");
  if (!secret) Die("needs CAPLEDGER_SECRET");
  const auto synthetic = static_cast<std::uint64_t>(args.Number("--synthetic", 0));
  if (synthetic > 0 && std::filesystem::exists(data)) Die("--synthetic needs a --data directory that does not exist");
  SystemClock clock;
  auto store = store::EventStore::Open(data, &*secret, clock);
  if (!store) Die(store.error().message);
  if (synthetic > 0) {
    const auto start = bench::SteadyClock::now();
    BuildSynthetic(**store, synthetic, std::chrono::year(2024) / std::chrono::January);
    std::printf("built %llu synthetic entries in %.1f s\n", static_cast<unsigned long long>(synthetic),
                bench::MillisSince(start) / 1000.0);
  }
  std::vector<double> rates;
  const auto append = static_cast<std::uint64_t>(args.Number("--append-run", 0));
  domain::Month month = FreeMonth(**store);
  for (long long r = 0; append > 0 && r < args.Number("--repeat", 3); ++r) {
    std::uint64_t entries = 0;
    double book_ms = 0;
    const double seconds = PublishAppended(**store, clock, append, month, entries, book_ms);
    rates.push_back(static_cast<double>(entries) / seconds);
    std::printf("a run of %llu entries booked (%.1f ms) and all of it confirmed in %.1f ms: %.0f entries/s\n",
                static_cast<unsigned long long>(entries), book_ms, seconds * 1000.0, rates.back());
  }
  for (long long r = 0; append == 0 && r < args.Number("--repeat", 3); ++r) {
    std::uint64_t entries = 0;
    std::uint64_t runs = 0;
    const auto cursor = static_cast<std::uint64_t>(args.Number("--cursor", 0));
    const double seconds = PublishAll(**store, clock, cursor, entries, runs);
    const double events = static_cast<double>((*store)->head().seq.value() - cursor);
    rates.push_back(static_cast<double>(entries) / seconds);
    std::printf("%llu events read, %llu entries and %llu run-completed messages confirmed in %.3f s: "
                "%.0f entries/s, %.0f events read/s\n",
                static_cast<unsigned long long>(events), static_cast<unsigned long long>(entries),
                static_cast<unsigned long long>(runs), seconds, rates.back(), events / seconds);
  }
  std::printf("median %.0f entries/s; peak memory %.0f MiB\n", bench::Percentile(rates, 0.5), bench::PeakRssMib());
  return 0;
}
