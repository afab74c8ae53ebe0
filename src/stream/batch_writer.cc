#include "stream/batch_writer.h"

#include <spdlog/spdlog.h>

#include "codec/reject_code.h"
#include "stream/message_decoder.h"

namespace capledger::stream {

BatchWriter::BatchWriter(store::EventStore& store, ledger::LedgerService& service, std::string topic,
                         IngestStats& stats, std::function<void()> on_failure)
    : store_(store), service_(service), topic_(std::move(topic)), stats_(stats), on_failure_(std::move(on_failure)) {
  thread_ = std::thread([this] { Loop(); });
}

BatchWriter::~BatchWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool BatchWriter::Submit(IngestBatch batch) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !queued_.has_value() || failed_; });
  if (failed_) return false;
  queued_ = std::move(batch);
  lock.unlock();
  changed_.notify_all();
  return true;
}

bool BatchWriter::Idle() const {
  std::lock_guard lock(mutex_);
  return !queued_.has_value() && !writing_;
}

bool BatchWriter::WaitIdle() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return (!queued_.has_value() && !writing_) || failed_; });
  return !failed_;
}

void BatchWriter::Loop() {
  for (;;) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return queued_.has_value() || stopping_; });
    if (!queued_) return;
    IngestBatch batch = std::move(*queued_);
    queued_.reset();
    writing_ = true;
    const bool failed = failed_;
    lock.unlock();
    changed_.notify_all();
    const bool written = !failed && Write(batch);
    lock.lock();
    writing_ = false;
    const bool newly_failed = !failed && !written;
    if (newly_failed) failed_ = true;
    lock.unlock();
    changed_.notify_all();
    if (newly_failed && on_failure_) on_failure_();
  }
}

// One synced write: the events, the rejects and every partition's next offset.
bool BatchWriter::Write(IngestBatch& batch) {
  std::vector<store::MetaPut> offsets;
  offsets.reserve(batch.next_offsets.size());
  for (const auto& [partition, next] : batch.next_offsets) {
    offsets.push_back(store::MetaPut{OffsetKey(topic_, partition), EncodeOffset(next)});
  }
  auto outcomes = store_.AppendPrepared(batch.requests, batch.prepared, batch.rejects, offsets);
  if (!outcomes) {
    spdlog::error("Kafka ingest stopped: {}", outcomes.error().message);
    return false;
  }
  std::uint64_t stored = 0, duplicates = 0, rejected = batch.rejects.size();
  for (std::size_t i = 0; i < outcomes->size(); ++i) {
    const auto& outcome = (*outcomes)[i];
    if (outcome.kind == store::AppendOutcome::Kind::kStored) ++stored;
    if (outcome.kind == store::AppendOutcome::Kind::kDuplicate) ++duplicates;
    if (outcome.kind != store::AppendOutcome::Kind::kRejected) continue;
    ++rejected;
    spdlog::warn("rejected {}: {}", batch.requests[i].origin.source,
                 codec::DescribeRejection(batch.requests[i].origin.line, *outcome.rejection));
  }
  for (const auto& reject : batch.rejects) {
    spdlog::warn("rejected {}: {}", reject.origin.source, codec::DescribeRejection(reject.origin.line, reject.rejection));
  }
  stats_.stored += stored;
  stats_.duplicates += duplicates;
  stats_.rejected += rejected;
  stats_.messages += batch.messages;
  spdlog::debug("Kafka batch durable: {} messages (stored {}, duplicate {}, rejected {})", batch.messages, stored,
                duplicates, rejected);
  if (auto caught_up = service_.CatchUp(); !caught_up) {
    spdlog::error("Kafka ingest stopped: the projection cannot catch up: {}", caught_up.error().message);
    return false;
  }
  return true;
}

}  // namespace capledger::stream
