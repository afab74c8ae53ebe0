#include "api/metrics.h"

#include <map>
#include <mutex>
#include <vector>

#include <fmt/format.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace capledger::api {
namespace {

// Seconds: from half a millisecond (a report from the snapshot index) to ten seconds.
const prometheus::Histogram::BucketBoundaries kRequestBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                                  0.05,   0.1,   0.25,   0.5,   1,    2.5, 10};
// A payout run: DESIGN.md §7 asks ≤ 50 ms at Örebro scale and ≤ 2 s for Sweden.
const prometheus::Histogram::BucketBoundaries kPayoutBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                                0.5,   1,    2,     5,    10,  30};

bool IsMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

struct GaugeSource {
  prometheus::Gauge* gauge;
  std::function<std::int64_t()> read;
};

}  // namespace

struct Metrics::Impl {
  prometheus::Registry registry;
  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("capledger_http_requests_total")
          .Help("HTTP requests answered, by endpoint and status")
          .Register(registry);
  prometheus::Family<prometheus::Histogram>& durations =
      prometheus::BuildHistogram()
          .Name("capledger_http_request_duration_seconds")
          .Help("Time from routing a request to its answer, by endpoint")
          .Register(registry);
  prometheus::Family<prometheus::Histogram>& payouts =
      prometheus::BuildHistogram()
          .Name("capledger_payout_run_duration_seconds")
          .Help("Time to plan and book a payout run (booked=true) or find it already booked (booked=false)")
          .Register(registry);
  mutable std::mutex gauges_mutex;
  std::map<std::string, GaugeSource> gauges;  // by name
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::ObserveRequest(std::string_view endpoint, int status, double seconds) {
  const std::string name(endpoint);
  impl_->requests.Add({{"endpoint", name}, {"status", std::to_string(status)}}).Increment();
  impl_->durations.Add({{"endpoint", name}}, kRequestBuckets).Observe(seconds);
}

void Metrics::ObservePayoutRun(double seconds, bool booked) {
  impl_->payouts.Add({{"booked", booked ? "true" : "false"}}, kPayoutBuckets).Observe(seconds);
}

Status Metrics::AddGauge(const std::string& name, const std::string& help, std::function<std::int64_t()> read) {
  if (!IsMetricName(name)) return Fail(ErrorCode::kInvalidArgument, fmt::format("not a metric name: {}", name));
  std::lock_guard lock(impl_->gauges_mutex);
  if (impl_->gauges.contains(name) || name.starts_with("capledger_http_") || name.starts_with("capledger_payout_run_")) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("the metric {} exists", name));
  }
  if (impl_->gauges.size() == kGaugesMax) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("more than {} gauges", kGaugesMax));
  }
  auto& family = prometheus::BuildGauge().Name(name).Help(help).Register(impl_->registry);
  impl_->gauges.emplace(name, GaugeSource{&family.Add({}), std::move(read)});
  return {};
}

std::string Metrics::Render() const {
  {
    std::lock_guard lock(impl_->gauges_mutex);
    for (auto& [name, source] : impl_->gauges) source.gauge->Set(static_cast<double>(source.read()));
  }
  return prometheus::TextSerializer().Serialize(impl_->registry.Collect());
}

}  // namespace capledger::api
