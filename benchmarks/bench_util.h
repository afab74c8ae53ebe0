// Shared by the benchmark programs: timing, percentiles and opening a store read-only.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "common/clock.h"
#include "store/event_store.h"

namespace capledger::bench {

using SteadyClock = std::chrono::steady_clock;

inline double MillisSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

// The p-th percentile (0..1) of `samples`, nearest rank.
inline double Percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1) + 0.5);
  return samples[std::min(index, samples.size() - 1)];
}

// The peak resident set of this process so far, in MiB.
inline double PeakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// Opens `dir` for reading (no secret needed); exits with a message if it cannot.
inline std::unique_ptr<store::EventStore> OpenReadOnly(const std::string& dir, const Clock& clock) {
  store::StoreOptions options;
  options.read_only = true;
  auto store = store::EventStore::Open(dir, nullptr, clock, options);
  if (!store) {
    std::fprintf(stderr, "cannot open %s: %s\n", dir.c_str(), store.error().message.c_str());
    std::exit(2);
  }
  return std::move(*store);
}

}  // namespace capledger::bench
