// Feeds JSON Lines into the log in batches: decode, validate, append, keep rejects.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/json_line_decoder.h"
#include "common/clock.h"
#include "store/event_store.h"
#include "store/ingest_stage.h"

namespace capledger::store {

// Running totals of one ingest.
struct IngestCounts {
  std::uint64_t lines = 0;           // non-blank lines seen
  std::uint64_t stored = 0;
  std::uint64_t duplicate = 0;
  std::uint64_t rejected = 0;
  std::uint64_t committed_lines = 0; // input line number through which every outcome is durable
  friend bool operator==(const IngestCounts&, const IngestCounts&) = default;
};

struct IngestOptions {
  std::string source_name;                       // kept with rejects: file name or "-"
  std::optional<Timestamp> default_recorded_at;  // --recorded-at: for lines without their own
  std::size_t batch_events = 10'000;             // lines per WriteBatch (<= kEventsPerAppendMax)
};

// Batches lines and appends them through an IngestStage (store/ingest_stage.h): each batch is one
// synced write holding its stored events and its rejected lines. Decoding, checking and encoding
// run on the caller's thread while the stage's thread writes the previous batch; at most two
// assembled batches wait while one is written, so memory stays bounded. After `Flush` returns,
// every line added so far is durable. Blank lines are skipped. Keeps references to `store` and
// `decoder`, which must outlive it. Call from one thread only.
class LineIngester {
 public:
  LineIngester(EventStore& store, codec::JsonLineDecoder& decoder, IngestOptions options);
  LineIngester(const LineIngester&) = delete;
  LineIngester& operator=(const LineIngester&) = delete;

  // Adds one line (without its newline); hands a full batch to the writer. An error from the
  // store (kIoError, kCorruption) ends the ingest: nothing of the failed batch was written, and
  // every later call returns the same error.
  Status AddLine(std::string_view line);

  // Writes what is pending and waits until every batch is durable.
  Status Flush();

  // The totals; complete after Flush.
  IngestCounts counts() const;

  // Called on the writer thread after each durable batch with the totals so far.
  std::function<void(const IngestCounts&)> on_commit;
  // Called for each rejected line with its description (never the raw text). Decoder rejections
  // are reported on the caller's thread, store rejections on the writer thread.
  std::function<void(const std::string&)> on_reject;

 private:
  Status Durable(const DurableBatch& batch);

  codec::JsonLineDecoder& decoder_;
  IngestOptions options_;
  DecodedBatch pending_;
  std::uint64_t line_number_ = 0;

  mutable std::mutex mutex_;  // guards counts_
  IngestCounts counts_;
  IngestStage stage_;  // last: its thread starts once the rest is ready, and ends before it goes
};

}  // namespace capledger::store
