// Bounds on every loop, queue and input the program handles. Each is a deliberate limit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace capledger::limits {

inline constexpr std::size_t kEventsPerAppendMax = 10'000;     // events in one WriteBatch
// One payout run is booked in one WriteBatch: Sweden's 1,200 clinics × 6 components, with a
// year of corrections, stay below this (about 100,000 entries at the very worst).
inline constexpr std::size_t kEventsPerAtomicAppendMax = 250'000;
inline constexpr std::size_t kInputLineBytesMax = 1 << 20;     // one JSON line (a rulebook fits)
inline constexpr std::size_t kIdBytesMax = 128;                // idempotency key
inline constexpr std::size_t kFreeTextCharsMax = 200;          // name, reason, source
inline constexpr std::size_t kRulebookBandsMax = 64;           // capitation or distance bands
inline constexpr std::int64_t kCountMax = 1'000'000'000;       // visit, hit and population counts
inline constexpr std::size_t kRejectRawBytesMax = 64 * 1024;   // raw text kept per rejected line
// The log's growth bounds. The projections hold seqs in 32 bits (one value kept for "never") and
// clinics under 16-bit dense ids (one value kept for "none"). The store refuses the append that
// would cross either, so that a log can always be replayed (DOMAIN.md: Sweden has about 1,200
// clinics and a region's log gains a few million events a year).
inline constexpr std::uint64_t kSeqMax = 0xFFFF'FFFE;          // the largest seq a log may hold
inline constexpr std::size_t kClinicsMax = 0xFFFF;             // distinct clinic ids a log may name

static_assert(kEventsPerAppendMax * kInputLineBytesMax <= (std::size_t{1} << 34));

}  // namespace capledger::limits
