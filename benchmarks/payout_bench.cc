// payout_bench --data DIR --month M [--runs R] [--book]: the payout run for month M at the head
// of a store whose earlier months have been run (DESIGN.md §7: <= 50 ms at Örebro scale and
// <= 2 s at Sweden scale, with 12 months of corrections).
//
// Loads the projection once (timed on its own), then plans the run R times (PlanPayout: every
// month already run is recomputed in one pass over the residents, the adjustments and the
// differences outside the window found) and prints the median and the peak memory. With --book
// it then books the run once (AppendAtomically: one synced WriteBatch; needs CAPLEDGER_SECRET)
// and prints the whole run's time, plan + book + apply. --book changes the store: use a copy.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_util.h"
#include "common/region_secret.h"
#include "ledger/payout.h"
#include "ledger/service.h"
#include "projection/replay.h"

namespace {

using namespace capledger;

int Book(const std::string& data, domain::Month month) {
  const char* hex = std::getenv("CAPLEDGER_SECRET");
  auto secret = RegionSecret::FromHex(hex ? hex : "");
  if (!secret) return std::fprintf(stderr, "--book needs CAPLEDGER_SECRET\n"), 2;
  SystemClock clock;
  auto store = store::EventStore::Open(data, &*secret, clock);
  if (!store) return std::fprintf(stderr, "%s\n", store.error().message.c_str()), 2;
  auto service = ledger::LedgerService::Open(**store);
  if (!service) return std::fprintf(stderr, "%s\n", service.error().message.c_str()), 2;
  const auto start = bench::SteadyClock::now();
  auto result = (*service)->Payout(month, std::nullopt);
  const double ms = bench::MillisSince(start);
  if (!result) return std::fprintf(stderr, "refused: %s\n", result.error().message.c_str()), 2;
  std::printf("booked %s: %zu entries in %.1f ms (plan, one synced write, apply)\n", domain::FormatMonth(month).c_str(),
              result->entries.size(), ms);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, {"--data", "--month", "--runs"}, {"--book"});
  args.Require(argv[0], "--data");
  args.Require(argv[0], "--month");
  const std::string data = args.Get("--data");
  const std::string month_text = args.Get("--month");
  const int runs = static_cast<int>(std::clamp(args.Number("--runs", 5), 1LL, 1000LL));
  const bool book = args.Has("--book");
  auto month = domain::ParseMonth(month_text);
  if (!month) return std::fprintf(stderr, "bad --month\n"), 2;
  {
    SystemClock clock;
    auto store = bench::OpenReadOnly(data, clock);
    const auto load_start = bench::SteadyClock::now();
    auto p = projection::LoadProjection(*store);
    if (!p) return std::fprintf(stderr, "%s\n", p.error().message.c_str()), 2;
    std::printf("projection at seq %llu loaded in %.0f ms; %zu runs booked\n",
                static_cast<unsigned long long>(p->applied_seq().value()), bench::MillisSince(load_start),
                p->ledger().runs().size());
    std::vector<double> samples;
    std::size_t entries = 0;
    std::size_t adjustments = 0;
    for (int i = 0; i < runs; ++i) {
      const auto start = bench::SteadyClock::now();
      auto plan = ledger::PlanPayout(*p, *month, p->applied_seq());
      samples.push_back(bench::MillisSince(start));
      if (!plan) return std::fprintf(stderr, "refused: %s\n", plan.error().message.c_str()), 2;
      entries = plan->entries.size();
      adjustments = 0;
      for (const auto& e : plan->entries) adjustments += e.kind == domain::EntryKind::kAdjustment ? 1 : 0;
    }
    std::printf("plan %s: %zu entries (%zu adjustments) over %zu earlier months: median %.1f ms, p99 %.1f ms (%d runs)\n",
                month_text.c_str(), entries, adjustments, p->ledger().runs().size(), bench::Percentile(samples, 0.5),
                bench::Percentile(samples, 0.99), runs);
    std::printf("peak memory: %.0f MiB\n", bench::PeakRssMib());
  }
  return book ? Book(data, *month) : 0;
}
