// Writing assembled batches: in assembly order, one synced WriteBatch each (DESIGN.md §3), and
// the synchronous Append, AppendPrepared and AppendAtomically built on them.
#include <rocksdb/perf_level.h>
#include <rocksdb/write_batch.h>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "common/assert.h"
#include "common/limits.h"
#include "store/store_impl.h"

namespace capledger::store {
namespace {

Status RefuseUnlessWritable(const EventStore::Impl& impl) {
  if (impl.read_only || !impl.has_secret) {
    return Fail(ErrorCode::kRefused, "appending needs a store opened for writing with the region secret");
  }
  if (impl.writes_refused) {
    return Fail(ErrorCode::kIoError, "an earlier write could not be synced; the store takes no more appends until it "
                                     "is reopened");
  }
  return {};
}

// Records the written batch's head outside RocksDB (head_record.h) before the batch counts as
// done. A failed sync may have lost the page it wrote (Linux may drop it and report success
// later), so from then on the store refuses appends: the batch itself is durable in the log.
Status RecordHead(EventStore::Impl& impl, const AssembledAppend& batch) {
  LEDGER_ASSERT(impl.head_record.has_value());
  auto recorded = impl.head_record->Write(batch.head);
  if (recorded) return {};
  impl.writes_refused = true;
  return Fail(ErrorCode::kIoError,
              fmt::format("the batch through seq {} is stored, but its head record could not be written ({}); the "
                          "store takes no more appends until it is reopened",
                          batch.head.seq, recorded.error().message));
}

// Voids every assembled batch not yet written (REQUIRES write_mutex held, and every batch before
// the oldest of them written): the next assembly starts again from the written log.
void VoidUnwritten(EventStore::Impl& impl) {
  std::lock_guard assemble_lock(impl.assemble_mutex);
  ++impl.generation;
  impl.written_number = impl.assembled_number;
  impl.abandoned_number = 0;
  {
    std::lock_guard head_lock(impl.head_mutex);
    impl.assembled_head = impl.head;
    impl.assembled_reject_count = impl.reject_count;
    impl.assembled_fingerprint = impl.fingerprint_stored;
  }
  std::lock_guard pending_lock(impl.pending_mutex);
  impl.pending.clear();
}

// Marks `batch` written: readers see the new head, later assemblies stop consulting it.
void Published(EventStore::Impl& impl, const AssembledAppend& batch) {
  {
    std::lock_guard head_lock(impl.head_mutex);
    impl.head = batch.head;
    impl.reject_count = batch.reject_count;
    impl.fingerprint_stored = true;
  }
  {
    std::lock_guard pending_lock(impl.pending_mutex);
    LEDGER_ASSERT(!impl.pending.empty() && impl.pending.front() == batch.pending);
    impl.pending.pop_front();
  }
  impl.written_number = batch.number;
  // A batch dropped unwritten right after this one voids everything assembled after it.
  if (impl.abandoned_number == impl.written_number + 1) VoidUnwritten(impl);
}

}  // namespace

AssembledAppend::~AssembledAppend() {
  if (impl == nullptr || written) return;
  std::unique_lock write_lock(impl->write_mutex);
  if (generation != impl->generation) return;  // already void
  if (impl->written_number + 1 == number) {
    VoidUnwritten(*impl);
  } else if (impl->abandoned_number == 0 || number < impl->abandoned_number) {
    impl->abandoned_number = number;  // voided when the batches before it are written
  }
  write_lock.unlock();
  impl->write_turn.notify_all();
}

Result<std::unique_ptr<AssembledAppend>> EventStore::AssembleAppend(std::span<const AppendRequest> requests,
                                                                    std::span<const PreparedBody> prepared,
                                                                    std::span<const RejectRecord> decode_rejects,
                                                                    std::span<const MetaPut> meta) {
  if (auto writable = RefuseUnlessWritable(*impl_); !writable) return tl::unexpected(writable.error());
  LEDGER_ASSERT(requests.size() <= limits::kEventsPerAppendMax);
  AssembleRules rules;
  rules.meta = meta;
  return Assemble(*impl_, requests, prepared, decode_rejects, rules);
}

Result<std::vector<AppendOutcome>> EventStore::WriteAssembled(std::unique_ptr<AssembledAppend> batch) {
  LEDGER_ASSERT(batch != nullptr && batch->impl == impl_.get() && !batch->written);
  Impl& impl = *impl_;
  std::unique_lock write_lock(impl.write_mutex);
  impl.write_turn.wait(write_lock, [&] {
    return impl.written_number + 1 == batch->number || batch->generation != impl.generation;
  });
  batch->written = true;  // written or void from here on: nothing to undo when it is dropped
  if (batch->generation != impl.generation) {
    return Fail(ErrorCode::kRefused, "a batch assembled before this one was not written; assemble it again");
  }
  if (impl.writes_refused) {  // a batch assembled before the failure is not written after it either
    VoidUnwritten(impl);
    write_lock.unlock();
    impl.write_turn.notify_all();
    return tl::unexpected(RefuseUnlessWritable(impl).error());
  }
  // No per-operation counters on this thread: they cost a thread-local lookup per key comparison
  // inside the memtable inserts, and nothing reads them.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  rocksdb::WriteOptions options;
  options.sync = true;
  auto s = impl.db->Write(options, &batch->batch);
  Status recorded;
  if (s.ok()) {
    Published(impl, *batch);
    recorded = RecordHead(impl, *batch);
  } else {
    VoidUnwritten(impl);
  }
  write_lock.unlock();
  impl.write_turn.notify_all();
  if (!s.ok()) return tl::unexpected(StatusError(s, "writing a batch"));
  if (!recorded) return tl::unexpected(recorded.error());
  return std::move(batch->outcomes);
}

Result<std::vector<AppendOutcome>> EventStore::Append(std::span<const AppendRequest> requests,
                                                      std::span<const RejectRecord> decode_rejects) {
  return AppendPrepared(requests, PrepareAll(requests), decode_rejects);
}

Result<std::vector<AppendOutcome>> EventStore::AppendPrepared(std::span<const AppendRequest> requests,
                                                              std::span<const PreparedBody> prepared,
                                                              std::span<const RejectRecord> decode_rejects,
                                                              std::span<const MetaPut> meta) {
  auto assembled = AssembleAppend(requests, prepared, decode_rejects, meta);
  if (!assembled) return tl::unexpected(assembled.error());
  return WriteAssembled(std::move(*assembled));
}

Result<std::vector<AppendOutcome>> EventStore::AppendAtomically(std::span<const AppendRequest> requests,
                                                                domain::Seq expected_head_seq) {
  if (auto writable = RefuseUnlessWritable(*impl_); !writable) return tl::unexpected(writable.error());
  LEDGER_ASSERT(requests.size() <= limits::kEventsPerAtomicAppendMax);
  AssembleRules rules;
  rules.all_or_nothing = true;
  rules.expected_head_seq = expected_head_seq;
  auto assembled = Assemble(*impl_, requests, PrepareAll(requests), {}, rules);
  if (!assembled) return tl::unexpected(assembled.error());
  return WriteAssembled(std::move(*assembled));
}

}  // namespace capledger::store
