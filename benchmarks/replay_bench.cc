// replay_bench --data DIR [--runs R]: rebuilds every projection from seq 1 (no checkpoint) R
// times and prints events/s for each and the median (DESIGN.md §7: >= 2,000,000 events/s), then
// the time to load the newest checkpoint and replay the tail, and the peak memory.
#include <cstdio>
#include <string>
#include <vector>

#include "bench_util.h"
#include "projection/replay.h"

int main(int argc, char** argv) {
  using namespace capledger;
  const bench::Args args(argc, argv, {"--data", "--runs"}, {});
  args.Require(argv[0], "--data");
  const std::string data = args.Get("--data");
  const int runs = static_cast<int>(std::clamp(args.Number("--runs", 3), 1LL, 100LL));
  SystemClock clock;
  auto store = bench::OpenReadOnly(data, clock);
  std::vector<double> rates;
  std::uint64_t events = 0;
  for (int run = 1; run <= runs; ++run) {
    const auto start = bench::SteadyClock::now();
    projection::ReplayStats stats;
    auto p = projection::LoadProjection(*store, false, &stats);
    const double ms = bench::MillisSince(start);
    if (!p) return std::fprintf(stderr, "replay failed: %s\n", p.error().message.c_str()), 2;
    events = stats.events_applied;
    rates.push_back(static_cast<double>(events) / (ms / 1000.0));
    std::printf("rebuild %d: %llu events in %.0f ms: %.0f events/s\n", run, static_cast<unsigned long long>(events), ms,
                rates.back());
  }
  std::printf("median rebuild: %.0f events/s over %llu events (goal 2000000)\n", bench::Percentile(rates, 0.5),
              static_cast<unsigned long long>(events));
  const auto start = bench::SteadyClock::now();
  projection::ReplayStats stats;
  auto p = projection::LoadProjection(*store, true, &stats);
  if (!p) return 2;
  std::printf("load from checkpoint seq %llu + %llu tail events: %.0f ms\n",
              static_cast<unsigned long long>(stats.checkpoint_seq.value()), static_cast<unsigned long long>(stats.events_applied),
              bench::MillisSince(start));
  std::printf("peak memory: %.0f MiB\n", bench::PeakRssMib());
  return 0;
}
