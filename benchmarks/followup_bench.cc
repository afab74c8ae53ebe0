// followup_bench: times the board's follow-up on a loaded projection, in process (DESIGN.md §7:
// period report and annual report for a whole year ≤ 100 ms each, simulate ≤ 1 s, at Örebro
// scale).
//
//   followup_bench --data DIR --year YYYY --through YYYY-MM --draft FILE.toml [--runs R]
//
// Loads the projection once (timed on its own as load_ms), runs each question once to warm the
// snapshot indexes of the year's dates (first_ms), then R more times, and prints one JSON line per
// question: {"question":…,"year":Y,"runs":R,"median_ms":…,"p99_ms":…,"load_ms":…,"first_ms":…,
// "total":"…"}.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "bench_util.h"
#include <fmt/format.h>

#include "codec/rulebook_codec.h"
#include "common/clock.h"
#include "domain/date.h"
#include "domain/money.h"
#include "ledger/annual.h"
#include "ledger/period.h"
#include "projection/replay.h"
#include "store/event_store.h"

namespace {

using namespace capledger;
using bench::MillisSince;
using bench::Percentile;
using Steady = bench::SteadyClock;

// Runs `question` once to warm up and `runs` more times; prints its line.
void Time(const std::string& name, int year, int runs, double load_ms, const std::function<std::string()>& question) {
  auto start = Steady::now();
  std::string total = question();
  const double first_ms = MillisSince(start);
  std::vector<double> samples;
  for (int i = 0; i < runs; ++i) {
    start = Steady::now();
    total = question();
    samples.push_back(MillisSince(start));
  }
  std::printf("%s\n", fmt::format(R"({{"question":"{}","year":{},"runs":{},"median_ms":{:.3f},"p99_ms":{:.3f},)"
                                  R"("load_ms":{:.1f},"first_ms":{:.1f},"total":"{}"}})",
                                  name, year, runs, Percentile(samples, 0.5), Percentile(samples, 0.99), load_ms,
                                  first_ms, total)
                          .c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, {"--data", "--year", "--through", "--draft", "--runs"}, {});
  for (const char* required : {"--data", "--year", "--through", "--draft"}) args.Require(argv[0], required);
  const int runs = static_cast<int>(std::clamp(args.Number("--runs", 10), 1LL, 10000LL));
  auto year = domain::ParseYear(args.Get("--year"));
  auto through = domain::ParseMonth(args.Get("--through"));
  if (!year || !through) return std::fprintf(stderr, "followup_bench: bad --year or --through\n"), 2;
  std::ifstream in(args.Get("--draft"));
  std::stringstream text;
  text << in.rdbuf();
  auto draft = codec::ParseRulebookToml(text.str());
  if (!draft) return std::fprintf(stderr, "followup_bench: the draft: %s\n", draft.error().message.c_str()), 2;

  SystemClock clock;
  store::StoreOptions store_options;
  store_options.read_only = true;
  auto store = store::EventStore::Open(args.Get("--data"), nullptr, clock, store_options);
  if (!store) return std::fprintf(stderr, "followup_bench: %s\n", store.error().message.c_str()), 2;
  const auto load_start = Steady::now();
  auto p = projection::LoadProjection(**store);
  const double load_ms = MillisSince(load_start);
  if (!p) return std::fprintf(stderr, "followup_bench: %s\n", p.error().message.c_str()), 2;
  const domain::Seq k = p->applied_seq();
  auto failed = [](const Error& e) { return "error: " + e.message; };

  Time("period", *year, runs, load_ms, [&] {
    auto r = ledger::BuildPeriodReport(*p, *year, *through, k);
    return r ? domain::FormatKronor(r->forecast_total) : failed(r.error());
  });
  Time("annual-report", *year, runs, load_ms, [&] {
    auto r = ledger::BuildAnnualReport(*p, *year, k);
    return r ? domain::FormatKronor(r->total.total) : failed(r.error());
  });
  Time("simulate", *year, std::max(1, runs / 5), load_ms, [&] {
    auto r = ledger::CostOfDraft(*p, *draft, *year, k);
    return r ? domain::FormatKronor(r->total_all) : failed(r.error());
  });
  return 0;
}
