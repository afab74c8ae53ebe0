// Building projections from the log: from the newest checkpoint, then the tail.
#pragma once

#include <cstdint>

#include "common/error.h"
#include "projection/projection.h"
#include "store/event_store.h"

namespace capledger::projection {

// How a projection was built (for logs and benchmarks).
struct ReplayStats {
  domain::Seq checkpoint_seq;  // Seq{}: built from seq 1
  std::uint64_t events_applied = 0;  // events replayed after the checkpoint
};

// A retraction-target lookup backed by the store's ids index.
TargetLookup StoreTargetLookup(const store::EventStore& store);

// Applies every stored event after projection.applied_seq() up to the head.
Status CatchUp(Projection& projection, const store::EventStore& store, ReplayStats* stats = nullptr);

// Loads the newest checkpoint (if `use_checkpoint` and there is one) and catches up to the head.
Result<Projection> LoadProjection(const store::EventStore& store, bool use_checkpoint = true,
                                  ReplayStats* stats = nullptr);

// Saves the projection as a checkpoint at its applied seq.
Status SaveCheckpoint(const Projection& projection, store::EventStore& store);

}  // namespace capledger::projection
