// The service's metrics for operators, in the Prometheus text format (DESIGN.md §4, `/metrics`).
//
// Kept here: request counts by endpoint and status, a request duration histogram by endpoint,
// payout run durations, and gauges whose value is read at every scrape from a function given by
// whoever knows it (the log's head, the rejects kept; a consumer's lag). The label values are
// from fixed sets (endpoints are route names, not paths), so the number of series is bounded.
// prometheus-cpp types stay inside this layer; the text is served by our own HTTP server.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace capledger::api {

// At most this many gauges (AddGauge) may be added.
inline constexpr std::size_t kGaugesMax = 64;

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Counts one answered request to `endpoint` (a route name such as "/v1/report", or "other")
  // with its HTTP status, and records how long it took.
  void ObserveRequest(std::string_view endpoint, int status, double seconds);

  // Records how long a payout request took (planning and booking, or finding the run already
  // booked) and whether it booked a run now.
  void ObservePayoutRun(double seconds, bool booked);

  // Adds a gauge set from `read()` at every scrape: a count (events, entries, a seq, a lag, 0 or
  // 1), exact as an integer; it becomes Prometheus's float only in the text. `read` must be
  // thread-safe, quick and
  // outlive this object's last Render. kInvalidArgument if `name` is not a Prometheus metric
  // name ([a-zA-Z_:][a-zA-Z0-9_:]*) or is taken, or if kGaugesMax gauges exist.
  Status AddGauge(const std::string& name, const std::string& help, std::function<std::int64_t()> read);

  // Every metric in the Prometheus text exposition format (version 0.0.4).
  std::string Render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace capledger::api
