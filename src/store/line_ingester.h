// Feeds JSON Lines into the log in batches: decode, validate, append, keep rejects.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/json_line_decoder.h"
#include "common/clock.h"
#include "store/event_store.h"

namespace capledger::store {

// Running totals of one ingest.
struct IngestCounts {
  std::uint64_t lines = 0;           // non-blank lines seen
  std::uint64_t stored = 0;
  std::uint64_t duplicate = 0;
  std::uint64_t rejected = 0;
  std::uint64_t committed_lines = 0; // lines whose outcome is durable (the acknowledged prefix)
  friend bool operator==(const IngestCounts&, const IngestCounts&) = default;
};

struct IngestOptions {
  std::string source_name;                       // kept with rejects: file name or "-"
  std::optional<Timestamp> default_recorded_at;  // --recorded-at: for lines without their own
  std::size_t batch_events = 10'000;             // lines per WriteBatch (<= kEventsPerAppendMax)
};

// Batches lines and appends them. Each batch is one synced write holding its stored events and
// its rejected lines; after `Flush` returns, every line added so far is durable. Blank lines are
// skipped and not counted. Keeps references to `store` and `decoder`, which must outlive it.
// Not thread-safe.
class LineIngester {
 public:
  LineIngester(EventStore& store, codec::JsonLineDecoder& decoder, IngestOptions options);

  // Adds one line (without its newline); appends a batch when it is full. kIoError or
  // kCorruption from the store end the ingest: nothing of the failed batch was written.
  Status AddLine(std::string_view line);

  // Appends what is pending.
  Status Flush();

  const IngestCounts& counts() const { return counts_; }

  // Called after each durable batch with the counts so far (for progress and acknowledgement).
  std::function<void(const IngestCounts&)> on_commit;
  // Called for each rejected line with its description (never containing the raw text).
  std::function<void(const std::string&)> on_reject;

 private:
  EventStore& store_;
  codec::JsonLineDecoder& decoder_;
  IngestOptions options_;
  IngestCounts counts_;
  std::vector<AppendRequest> pending_;
  std::vector<RejectRecord> pending_rejects_;
  std::uint64_t line_number_ = 0;
};

}  // namespace capledger::store
