// Serializing the projection state, so that start-up loads a checkpoint and replays only the tail.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "projection/projection.h"

namespace capledger::projection {

// Receives a checkpoint's bytes in order, piece by piece (each valid only during the call); an
// error stops the serialization and is returned by it.
using CheckpointSink = std::function<Status(std::string_view bytes)>;

// Gives a checkpoint's bytes in order: `next` returns the next piece (valid until the next call),
// empty once all `bytes` were given.
struct CheckpointSource {
  std::uint64_t bytes = 0;
  std::function<Result<std::string_view>()> next;
};

// The canonical bytes of a projection: every table in dense-id order, field by field,
// little-endian, with a versioned header. Equal projections give equal bytes, so a rebuild from
// seq 1 and a checkpoint plus its tail can be compared byte for byte. Streams them to `sink` in
// pieces of at most 64 KiB, or larger where one array lies whole in memory: never a second copy
// of the state.
Status SerializeProjection(const Projection& projection, const CheckpointSink& sink);
// The same bytes as one string.
std::string SerializeProjection(const Projection& projection);

// How a loaded projection's resident index is made, on a second thread while the rest of the
// checkpoint is read: whole (PseudonymIndex::Of) unless `wanted` is given; then only for the
// pseudonyms it returns (Projection::ResolveAmong, AdoptResolution), and deferred for the others.
// `wanted` is called on that thread and may wait (for a tail being read); nullopt from it leaves
// every pseudonym to be resolved later.
struct ResidentIndexing {
  std::function<std::optional<std::vector<domain::Pseudonym>>()> wanted;
};

// Reverses SerializeProjection, reading the bytes piece by piece: kCorruption if they are not a
// whole, valid checkpoint; the source's own error if it fails.
Result<Projection> DeserializeProjection(const CheckpointSource& source, const ResidentIndexing& indexing = {});
Result<Projection> DeserializeProjection(std::string_view bytes);

}  // namespace capledger::projection
