// The one durable-write stage of ingest, shared by file ingest (store/line_ingester.h) and Kafka
// ingest (stream/ingest.h): batches of decoded input go through a bounded hand-off to a writer
// thread, which makes each one durable in one synced write with its stored events, its rejected
// input and the caller's meta puts (Kafka offsets), and then reports what it became.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/bounded_queue.h"
#include "common/error.h"
#include "store/event_store.h"

namespace capledger::store {

// A batch of decoded input, not yet durable (at most limits::kEventsPerAppendMax requests).
struct DecodedBatch {
  std::vector<AppendRequest> requests;
  std::vector<PreparedBody> prepared;  // PrepareBody of each request, in the same order
  std::vector<RejectRecord> rejects;   // input the decoder refused
  std::vector<MetaPut> meta;           // written in the same synced write (Kafka's next offsets)
  std::uint64_t inputs = 0;            // lines or messages the batch covers (the caller's count)
  std::uint64_t last_input = 0;        // the caller's position of its last input (a line number)

  // Requests and rejects: what the batch will write.
  std::size_t size() const { return requests.size() + rejects.size(); }
  // Empties the batch, keeping the vectors' memory.
  void Clear();
};

// What a batch became once it is durable.
struct DurableBatch {
  std::uint64_t inputs = 0;      // as in its DecodedBatch
  std::uint64_t last_input = 0;  // as in its DecodedBatch
  std::uint64_t stored = 0;      // events stored
  std::uint64_t duplicate = 0;   // events already in the log
  std::vector<RejectRecord> decoder_rejects;  // the batch's own rejects, as submitted
  std::vector<RejectRecord> store_rejects;    // requests the store refused: their origin and reason

  std::uint64_t rejected() const { return decoder_rejects.size() + store_rejects.size(); }
};

// Where a batch is checked against the log and encoded (EventStore::AssembleAppend).
enum class AssembleOn : std::uint8_t {
  kCaller,  // in Submit, overlapping the write of the batch before (the fastest: file ingest)
  kWriter,  // on the writer thread just before the write, so that an assembled batch never waits
            // in the hand-off, where it would hold back a payout run that expects the head to be
            // the last written one (EventStore::AppendAtomically): Kafka ingest, which runs beside
            // the ledger service
};

struct IngestStageOptions {
  AssembleOn assemble_on = AssembleOn::kCaller;
  std::size_t queued_max = 1;  // batches waiting for the writer; Submit waits beyond this
};

// Makes batches durable in submission order on a thread of its own. Each batch is one synced
// write (EventStore::WriteAssembled): nothing of it is stored unless all of it is. At most
// queued_max batches wait in the hand-off while one is written (and, with AssembleOn::kCaller,
// one more is assembled by the caller), so memory stays bounded. After each durable write it calls
// `on_durable` on the writer thread; once that returns, the batch's effects are durable and
// reported. The first failure — a store error (kIoError, kCorruption, kRefused) or an error from
// `on_durable` — ends the stage: no later batch is written (the ones waiting are dropped, their
// meta puts with them), `on_failure` is called once with the error on the thread that met it,
// and every later Submit or Flush returns that error.
// Keeps a reference to `store`, which must outlive it. Submit and Flush from one thread at a time.
class IngestStage {
 public:
  using OnDurable = std::function<Status(DurableBatch&)>;
  using OnFailure = std::function<void(const Error&)>;

  IngestStage(EventStore& store, IngestStageOptions options, OnDurable on_durable, OnFailure on_failure = {});
  ~IngestStage();  // writes what was submitted (unless the stage failed), then stops its thread
  IngestStage(const IngestStage&) = delete;
  IngestStage& operator=(const IngestStage&) = delete;

  // Hands `batch` to the writer, waiting while queued_max batches wait already; `batch` is left
  // empty (Clear). A batch with no input is not written. The stage's error once it has failed.
  Status Submit(DecodedBatch& batch);

  // Waits until every submitted batch is durable and reported; the stage's error if it failed.
  Status Flush();

  // True when no batch waits or is being written (a hint: it may change at once).
  bool Idle() const { return queue_.Drained(); }

  // The error that ended the stage, if any.
  std::optional<Error> error() const;

 private:
  struct Handoff {
    DecodedBatch decoded;                      // AssembleOn::kWriter: still to assemble
    std::unique_ptr<AssembledAppend> append;   // AssembleOn::kCaller: assembled
    DurableBatch report;                       // what it becomes once written
  };

  Result<Handoff> Assemble(DecodedBatch& batch);
  void WriterLoop();
  void Write(Handoff& handoff);
  void Fail(const Error& error);

  EventStore& store_;
  const IngestStageOptions options_;
  OnDurable on_durable_;
  OnFailure on_failure_;
  mutable std::mutex mutex_;  // guards error_
  std::optional<Error> error_;
  BoundedQueue<Handoff> queue_;
  std::thread writer_;  // last: started once the rest is ready
};

}  // namespace capledger::store
