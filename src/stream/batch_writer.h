// The writing half of Kafka ingest: batches of decoded messages, each appended with its
// partitions' next offsets in one synced WriteBatch, on a thread of its own. The handoff holds one
// batch, so a consumer that decodes faster than the store writes waits (back-pressure): at most
// one batch is being written and one waits, never more.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ledger/service.h"
#include "store/event_store.h"
#include "stream/ingest.h"

namespace capledger::stream {

// Messages decoded from the events topic, not yet durable.
struct IngestBatch {
  std::vector<store::AppendRequest> requests;
  std::vector<store::PreparedBody> prepared;     // PrepareBody of each request
  std::vector<store::RejectRecord> rejects;      // refused from the message alone
  std::map<std::int32_t, std::int64_t> next_offsets;  // partition -> offset after its last message here
  std::size_t messages = 0;
};

class BatchWriter {
 public:
  // Keeps references to all it is given. `on_failure` is called once, on the writer thread, if
  // the store refuses a batch (nothing of it, nor of any later batch, is written then).
  BatchWriter(store::EventStore& store, ledger::LedgerService& service, std::string topic, IngestStats& stats,
              std::function<void()> on_failure);
  ~BatchWriter();  // writes what was submitted, then stops its thread
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Hands a batch to the writer, waiting while another one waits already. false (and the batch
  // is dropped) once a write has failed.
  bool Submit(IngestBatch batch);
  // Waits until every submitted batch is durable (and service.CatchUp() has seen it); false if
  // a write failed.
  bool WaitIdle();
  // True when no batch is being written or waiting to be (a hint: it may change at once).
  bool Idle() const;

 private:
  void Loop();
  bool Write(IngestBatch& batch);

  store::EventStore& store_;
  ledger::LedgerService& service_;
  std::string topic_;
  IngestStats& stats_;
  std::function<void()> on_failure_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<IngestBatch> queued_;
  bool writing_ = false;
  bool failed_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the rest is ready
};

}  // namespace capledger::stream
