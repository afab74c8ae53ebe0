#include "api/lookup_limiter.h"

#include <algorithm>

#include "common/assert.h"

namespace capledger::api {
namespace {

// A bucket counts in units of 1/kUnit of a lookup, so that per_hour lookups an hour is exactly
// per_hour units a microsecond: refilling never loses a fraction to rounding.
constexpr std::int64_t kMicrosPerHour = 3'600LL * 1'000'000;
constexpr std::int64_t kUnit = kMicrosPerHour;

}  // namespace

LookupLimiter::LookupLimiter(const LookupLimits& limits, const Clock& clock) : limits_(limits), clock_(clock) {
  LEDGER_ASSERT(limits.per_hour >= 1 && limits.per_hour <= kLookupsPerHourMax);
  LEDGER_ASSERT(limits.burst >= 1 && limits.burst <= kLookupsBurstMax);
}

void LookupLimiter::Refill(Bucket& bucket, Timestamp now) const {
  const std::int64_t elapsed_us = std::max<std::int64_t>(0, ToMicros(now) - ToMicros(bucket.refilled_at));
  const std::int64_t gained = std::min(elapsed_us, kMicrosPerHour * kLookupsBurstMax) * limits_.per_hour;
  bucket.units = std::min(limits_.burst * kUnit, bucket.units + gained);
  bucket.refilled_at = now;
}

std::int64_t LookupLimiter::TryTake(std::string_view who) {
  const Timestamp now = clock_.Now();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(who);
  if (it == buckets_.end()) {
    if (buckets_.size() >= kLookupHoldersMax) {
      for (auto& [name, bucket] : buckets_) Refill(bucket, now);
      std::erase_if(buckets_, [&](const auto& entry) { return entry.second.units >= limits_.burst * kUnit; });
    }
    if (buckets_.size() >= kLookupHoldersMax) return 3'600;  // every holder is busy: nobody new for now
    it = buckets_.emplace(std::string(who), Bucket{limits_.burst * kUnit, now}).first;
  }
  Bucket& bucket = it->second;
  Refill(bucket, now);
  if (bucket.units >= kUnit) {
    bucket.units -= kUnit;
    return 0;
  }
  // Time until one whole lookup is back, rounded up to a second.
  const std::int64_t wait_us = (kUnit - bucket.units + limits_.per_hour - 1) / limits_.per_hour;
  return std::max<std::int64_t>(1, (wait_us + 999'999) / 1'000'000);
}

}  // namespace capledger::api
