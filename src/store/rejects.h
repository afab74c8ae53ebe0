// Rejected input, kept at rest encrypted (it may hold a personnummer in clear: DOMAIN.md §4.1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "codec/reject_code.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/error.h"

namespace capledger::store {

// Where an input line came from, kept with it if it is rejected.
struct InputOrigin {
  std::string source;       // the file name, "-" for stdin, or a Kafka topic/partition/offset
  std::uint64_t line = 0;   // 1-based line number within the source
  std::string raw;          // the line as received (cut to limits::kRejectRawBytesMax)
};

// One rejected line with its reason.
struct RejectRecord {
  InputOrigin origin;
  codec::Rejection rejection;
  Timestamp rejected_at{};
};

// The plaintext form of a reject record: one JSON object
// {"line":..,"source":..,"code":..,"field":..,"message":..,"rejected_at":..,"raw":..}, and
// "raw_hex" (the raw bytes in hex) when the raw text is not valid UTF-8 (codec/json_out.h).
std::string RejectToJson(const RejectRecord& record);

// Encrypts a record for the rejects column family, and back (kCorruption if it does not open).
std::string SealReject(const crypto::Key256& key, const RejectRecord& record);
Result<std::string> OpenRejectJson(const crypto::Key256& key, std::string_view sealed);

}  // namespace capledger::store
