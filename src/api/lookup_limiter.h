// How often each token holder may look up a resident by personnummer: a token bucket per holder,
// holding at most `burst` lookups and refilled with `per_hour` lookups an hour.
//
// Guessing a resident's personnummer from their birth date and sex takes about 500 tries; at the
// default of 30 an hour after a burst of 10, that is more than 16 hours of lookups, every one
// recorded with who made it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace capledger::api {

// The limits (config [http] resident_lookups_per_hour, resident_lookups_burst).
struct LookupLimits {
  std::int64_t per_hour = 30;
  std::int64_t burst = 10;
};

// The largest per_hour and burst that config accepts.
inline constexpr std::int64_t kLookupsPerHourMax = 3'600;
inline constexpr std::int64_t kLookupsBurstMax = 1'000;
// Holders remembered at once; beyond, the fullest buckets are forgotten first (a holder comes
// back with a full bucket, no more).
inline constexpr std::size_t kLookupHoldersMax = 1'000;

// Thread-safe. Keeps a reference to `clock`, which must outlive it.
class LookupLimiter {
 public:
  LookupLimiter(const LookupLimits& limits, const Clock& clock);

  // Takes one lookup from `who`'s bucket: 0 if it may go ahead, else the seconds until one is
  // back (at least 1).
  std::int64_t TryTake(std::string_view who);

 private:
  struct Bucket {
    std::int64_t units;  // lookups left, in units of 1 / (3600 * 10^6) lookup (lookup_limiter.cc)
    Timestamp refilled_at;
  };
  void Refill(Bucket& bucket, Timestamp now) const;

  const LookupLimits limits_;
  const Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace capledger::api
