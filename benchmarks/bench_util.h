// Shared by the benchmark programs: timing, percentiles and opening a store read-only.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <sys/resource.h>

#include "common/clock.h"
#include "common/huge_pages.h"
#include "store/event_store.h"

namespace capledger::bench {

using SteadyClock = std::chrono::steady_clock;

inline double MillisSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

// Command-line options of the form `--name value` (repeatable) and `--flag`, without a parsing
// library: the benchmark programs stay quick to build. Unknown options end the program.
class Args {
 public:
  // `flags` are the options that take no value.
  // Re-executes the benchmark with huge pages first, as capledger's main does
  // (common/huge_pages.h), so that both are measured alike.
  Args(int argc, char** argv, std::vector<std::string> known, std::vector<std::string> flags) {
    ReexecWithHugePages(argv);
    for (int i = 1; i < argc; ++i) {
      const std::string name = argv[i];
      const bool is_flag = std::find(flags.begin(), flags.end(), name) != flags.end();
      if (!is_flag && std::find(known.begin(), known.end(), name) == known.end()) Usage(argv[0], name);
      if (is_flag) {
        values_.emplace_back(name, "");
      } else if (i + 1 < argc) {
        values_.emplace_back(name, argv[++i]);
      } else {
        Usage(argv[0], name + " needs a value");
      }
    }
  }
  // The last value of `name`, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    std::string out = fallback;
    for (const auto& [n, v] : values_) {
      if (n == name) out = v;
    }
    return out;
  }
  long long Number(const std::string& name, long long fallback) const {
    const std::string text = Get(name);
    return text.empty() ? fallback : std::stoll(text);
  }
  std::vector<std::string> All(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [n, v] : values_) {
      if (n == name) out.push_back(v);
    }
    return out;
  }
  bool Has(const std::string& name) const {
    return std::any_of(values_.begin(), values_.end(), [&](const auto& nv) { return nv.first == name; });
  }
  // Ends the program unless `name` was given.
  void Require(const char* program, const std::string& name) const {
    if (!Has(name)) Usage(program, name + " is required");
  }

 private:
  [[noreturn]] static void Usage(const char* program, const std::string& what) {
    std::fprintf(stderr, "%s: %s (see the comment at the top of its source for the options)\n", program, what.c_str());
    std::exit(2);
  }
  std::vector<std::pair<std::string, std::string>> values_;
};

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
