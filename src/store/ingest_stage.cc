#include "store/ingest_stage.h"

#include <utility>

#include "common/thread.h"
#include "common/assert.h"
#include "common/limits.h"
#include "store/pending.h"

namespace capledger::store {

void DecodedBatch::Clear() {
  requests.clear();
  prepared.clear();
  rejects.clear();
  meta.clear();
  inputs = 0;
  last_input = 0;
}

IngestStage::IngestStage(EventStore& store, IngestStageOptions options, OnDurable on_durable, OnFailure on_failure)
    : store_(store),
      options_(options),
      on_durable_(std::move(on_durable)),
      on_failure_(std::move(on_failure)),
      queue_(options.queued_max) {
  writer_ = StartThread("ingest-writer", [this] { WriterLoop(); });
}

IngestStage::~IngestStage() {
  queue_.Close();
  writer_.join();
}

std::optional<Error> IngestStage::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void IngestStage::Fail(const Error& error) {
  {
    std::lock_guard lock(mutex_);
    if (error_) return;
    error_ = error;
  }
  queue_.Close();  // Submit refuses from now on; the writer drops what still waits
  if (on_failure_) on_failure_(error);
}

// Checks and encodes `batch` against the log, and notes what it will become: the outcomes are
// fixed here (WriteAssembled returns these same ones once the batch is durable). Leaves `batch`
// empty, its memory kept.
Result<IngestStage::Handoff> IngestStage::Assemble(DecodedBatch& batch) {
  LEDGER_ASSERT(batch.requests.size() == batch.prepared.size());
  auto append = store_.AssembleAppend(batch.requests, batch.prepared, batch.rejects, batch.meta);
  if (!append) return tl::unexpected(append.error());
  Handoff handoff;
  DurableBatch& report = handoff.report;
  report.inputs = batch.inputs;
  report.last_input = batch.last_input;
  const std::vector<AppendOutcome>& outcomes = (*append)->outcomes;
  LEDGER_ASSERT(outcomes.size() == batch.requests.size());
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].kind == AppendOutcome::Kind::kStored) ++report.stored;
    if (outcomes[i].kind == AppendOutcome::Kind::kDuplicate) ++report.duplicate;
    if (outcomes[i].kind != AppendOutcome::Kind::kRejected) continue;
    report.store_rejects.push_back(RejectRecord{std::move(batch.requests[i].origin), *outcomes[i].rejection, {}});
  }
  report.decoder_rejects = std::move(batch.rejects);
  handoff.append = std::move(*append);
  batch.Clear();
  return handoff;
}

Status IngestStage::Submit(DecodedBatch& batch) {
  if (auto failed = error()) return tl::unexpected(*failed);
  LEDGER_ASSERT(batch.requests.size() <= limits::kEventsPerAppendMax);
  if (batch.inputs == 0) {
    batch.Clear();
    return {};
  }
  Handoff handoff;
  if (options_.assemble_on == AssembleOn::kCaller) {
    auto assembled = Assemble(batch);
    if (!assembled) {
      Fail(assembled.error());
      return tl::unexpected(assembled.error());
    }
    handoff = std::move(*assembled);
  } else {
    handoff.decoded = std::exchange(batch, DecodedBatch{});  // leaves the caller an empty batch
  }
  if (!queue_.Push(std::move(handoff))) return tl::unexpected(*error());  // closed: only by a failure
  return {};
}

Status IngestStage::Flush() {
  queue_.Drain();
  if (auto failed = error()) return tl::unexpected(*failed);
  return {};
}

void IngestStage::WriterLoop() {
  while (auto handoff = queue_.Pop()) {
    if (!error()) Write(*handoff);  // after a failure nothing more is written (dropping voids it)
    handoff.reset();
    queue_.Done();
  }
}

// One synced write, then the report. An assembled batch dropped unwritten (a failure) voids the
// ones assembled after it, which are dropped too.
void IngestStage::Write(Handoff& handoff) {
  if (handoff.append == nullptr) {
    auto assembled = Assemble(handoff.decoded);
    if (!assembled) return Fail(assembled.error());
    handoff = std::move(*assembled);
  }
  auto outcomes = store_.WriteAssembled(std::move(handoff.append));
  if (!outcomes) return Fail(outcomes.error());
  if (auto reported = on_durable_(handoff.report); !reported) Fail(reported.error());
}

}  // namespace capledger::store
