// report_bench: times month reports on a loaded projection, in process (DESIGN.md §7: a report
// for all clinics at any past knowledge time, and for one clinic-month).
//
//   report_bench --data DIR --month YYYY-MM [--known-at seq:N]... [--clinic C] [--runs R]
//
// Loads the projection once from the store (the load is timed and printed on its own), then for
// each knowledge point (default: the head) runs the report R times and prints one JSON line:
// {"month":…,"known_at_seq":N,"clinic":null|"C","runs":R,"median_ms":…,"p50_ms":…,"p99_ms":…,
//  "load_ms":…,"first_ms":…,"index_ms":…,"total":"…"}. The month's first report in the process
// folds every resident (first_ms); its second builds the snapshot index of its date (index_ms).
// Both are timed on their own and left out of the runs. With --random-k N it also draws N knowledge points uniformly from
// [first seq at which the month has a rulebook, head] (seeded by --seed) and prints one line with
// the distribution over all of them, one report each.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bench_util.h"
#include <fmt/format.h>

#include "common/clock.h"
#include "domain/date.h"
#include "domain/money.h"
#include "projection/replay.h"
#include "projection/report.h"
#include "store/event_store.h"

namespace {

using namespace capledger;
using bench::MillisSince;
using bench::Percentile;
using Clock = bench::SteadyClock;

struct Options {
  std::string data;
  std::string month;
  std::vector<std::string> known_at;
  std::string clinic;
  int runs = 20;
  int random_k = 0;
  std::uint64_t seed = 1;
};

std::optional<std::uint64_t> ParseSeq(const std::string& text) {
  if (text.rfind("seq:", 0) != 0) return std::nullopt;
  return std::stoull(text.substr(4));
}

// Runs one report and returns its time in ms; the total goes to `total` (for a sanity print).
double TimeOne(const projection::Projection& p, domain::Month month, domain::Seq k,
               const std::optional<domain::ClinicId>& clinic, std::string& total) {
  const auto start = Clock::now();
  auto report = projection::BuildMonthReport(p, month, k, clinic);
  const double ms = MillisSince(start);
  total = report ? domain::FormatKronor(report->total) : "error: " + report.error().message;
  return ms;
}

// The times of the process's start: the load, the month's first report (a fold) and its second
// (builds the snapshot index).
struct StartTimes {
  double load_ms = 0;
  double first_ms = 0;
  double index_ms = 0;
};

void PrintLine(const Options& o, std::uint64_t k, const std::vector<double>& samples, const StartTimes& start,
               const std::string& total) {
  std::printf("%s\n", fmt::format(R"({{"month":"{}","known_at_seq":{},"clinic":{},"runs":{},"median_ms":{:.4f},)"
                                  R"("p50_ms":{:.4f},"p99_ms":{:.4f},"load_ms":{:.1f},"first_ms":{:.1f},)"
                                  R"("index_ms":{:.1f},"total":"{}"}})",
                                  o.month, k, o.clinic.empty() ? "null" : "\"" + o.clinic + "\"", samples.size(),
                                  Percentile(samples, 0.5), Percentile(samples, 0.5), Percentile(samples, 0.99),
                                  start.load_ms, start.first_ms, start.index_ms, total)
                          .c_str());
}

int Run(const Options& o) {
  SystemClock clock;
  store::StoreOptions store_options;
  store_options.read_only = true;
  auto store = store::EventStore::Open(o.data, nullptr, clock, store_options);
  if (!store) return std::fprintf(stderr, "report_bench: %s\n", store.error().message.c_str()), 2;
  auto month = domain::ParseMonth(o.month);
  if (!month) return std::fprintf(stderr, "report_bench: bad --month\n"), 2;
  StartTimes start;
  const auto load_start = Clock::now();
  auto projection = projection::LoadProjection(**store);
  start.load_ms = MillisSince(load_start);
  if (!projection) return std::fprintf(stderr, "report_bench: %s\n", projection.error().message.c_str()), 2;
  auto parsed_clinic = domain::ClinicId::ParseOptional(o.clinic, "--clinic");
  if (!parsed_clinic) return std::fprintf(stderr, "report_bench: %s\n", parsed_clinic.error().message.c_str()), 2;
  const std::optional<domain::ClinicId> clinic = *parsed_clinic;
  std::vector<domain::Seq> points;
  for (const auto& text : o.known_at) {
    auto seq = ParseSeq(text);
    if (!seq || *seq == 0 || *seq > projection->applied_seq().value()) {
      return std::fprintf(stderr, "report_bench: --known-at must be seq:N within the log\n"), 2;
    }
    points.push_back(domain::Seq(*seq));
  }
  if (points.empty() && o.random_k == 0) points.push_back(projection->applied_seq());
  std::string total;
  start.first_ms = TimeOne(*projection, *month, projection->applied_seq(), clinic, total);
  start.index_ms = TimeOne(*projection, *month, projection->applied_seq(), clinic, total);
  for (domain::Seq k : points) {
    std::vector<double> samples;
    for (int i = 0; i < o.runs; ++i) samples.push_back(TimeOne(*projection, *month, k, clinic, total));
    PrintLine(o, k.value(), samples, start, total);
  }
  if (o.random_k > 0) {
    const auto* rulebook = projection->RulebookInForce(*month, projection->applied_seq());
    if (!rulebook) return std::fprintf(stderr, "report_bench: no rulebook for the month\n"), 2;
    std::mt19937_64 rng(o.seed);
    std::uniform_int_distribution<std::uint64_t> pick(rulebook->seq, projection->applied_seq().value());
    std::vector<double> samples;
    for (int i = 0; i < o.random_k; ++i) samples.push_back(TimeOne(*projection, *month, domain::Seq(pick(rng)), clinic, total));
    PrintLine(o, 0, samples, start, total);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, {"--data", "--month", "--known-at", "--clinic", "--runs", "--random-k", "--seed"}, {});
  args.Require(argv[0], "--data");
  args.Require(argv[0], "--month");
  Options o;
  o.data = args.Get("--data");
  o.month = args.Get("--month");
  o.known_at = args.All("--known-at");
  o.clinic = args.Get("--clinic");
  o.runs = static_cast<int>(std::clamp(args.Number("--runs", 20), 1LL, 100000LL));
  o.random_k = static_cast<int>(std::clamp(args.Number("--random-k", 0), 0LL, 1000000LL));
  o.seed = static_cast<std::uint64_t>(args.Number("--seed", 1));
  return Run(o);
}
