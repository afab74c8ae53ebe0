// audit_bench --data DIR [--samples N] [--seed S]: the time to trace one booked entry (DESIGN.md
// §7: <= 50 ms) and to settle one dispute, over N entries drawn at random (seeded) from the
// ledger; a dispute is drawn for the same clinic and month, from the K of the month's own run to
// the head. Prints p50/p99 of each, and the median number of causes per dispute, for two rounds
// over the same entries.
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bench_util.h"
#include "ledger/dispute.h"
#include "ledger/trace.h"
#include "projection/replay.h"

int main(int argc, char** argv) {
  using namespace capledger;
  const bench::Args args(argc, argv, {"--data", "--samples", "--seed"}, {});
  args.Require(argv[0], "--data");
  const std::string data = args.Get("--data");
  const int samples = static_cast<int>(std::clamp(args.Number("--samples", 50), 1LL, 100000LL));
  const auto seed = static_cast<std::uint64_t>(args.Number("--seed", 1));
  SystemClock clock;
  auto store = bench::OpenReadOnly(data, clock);
  auto p = projection::LoadProjection(*store);
  if (!p) return std::fprintf(stderr, "%s\n", p.error().message.c_str()), 2;
  const auto& entries = p->ledger().entries();
  if (entries.empty()) return std::fprintf(stderr, "no entries booked\n"), 2;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, entries.size() - 1);
  std::vector<std::size_t> drawn;
  for (int i = 0; i < samples; ++i) drawn.push_back(pick(rng));
  // Round 1 is a fresh process; round 2 asks the same again, as a running `serve` would
  // (neither needs a month's snapshot index: a trace and a dispute fold the clinic's residents).
  for (const char* round : {"round 1 (a fresh process)", "round 2 (the same entries again)"}) {
    std::vector<double> traces;
    std::vector<double> disputes;
    std::vector<double> causes;
    for (std::size_t i : drawn) {
      const auto& e = entries[i].entry;
      auto start = bench::SteadyClock::now();
      auto id = domain::EventId::Parse(e.entry_id);
      if (!id) return std::fprintf(stderr, "%s\n", id.error().message.c_str()), 1;
      auto trace = ledger::TraceEntry(*p, *id);
      traces.push_back(bench::MillisSince(start));
      if (!trace || !trace->reproduces) return std::fprintf(stderr, "%s does not trace\n", e.entry_id.str().c_str()), 1;
      const auto* run = p->ledger().FindRun(e.period);
      if (!run) continue;
      start = bench::SteadyClock::now();
      auto clinic = domain::ClinicId::Parse(e.clinic);
      if (!clinic) return std::fprintf(stderr, "%s\n", clinic.error().message.c_str()), 1;
      auto dispute = ledger::Dispute(*p, *clinic, e.period, run->run.known_at_seq, p->applied_seq());
      disputes.push_back(bench::MillisSince(start));
      if (!dispute) return std::fprintf(stderr, "dispute failed: %s\n", dispute.error().message.c_str()), 1;
      causes.push_back(static_cast<double>(dispute->causes.size()));
    }
    std::printf("%s\n", round);
    std::printf("  trace: %d entries, p50 %.2f ms, p99 %.2f ms (goal 50 ms)\n", samples,
                bench::Percentile(traces, 0.5), bench::Percentile(traces, 0.99));
    std::printf("  dispute (month's run -> head): %zu, p50 %.2f ms, p99 %.2f ms, median %.0f causes\n",
                disputes.size(), bench::Percentile(disputes, 0.5), bench::Percentile(disputes, 0.99),
                bench::Percentile(causes, 0.5));
  }
  return 0;
}
