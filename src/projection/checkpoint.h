// Serializing the projection state, so that start-up loads a checkpoint and replays only the tail.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "projection/projection.h"

namespace capledger::projection {

// The canonical bytes of a projection: every table in dense-id order, field by field,
// little-endian, with a versioned header. Equal projections give equal bytes, so a rebuild from
// seq 1 and a checkpoint plus its tail can be compared byte for byte.
std::string SerializeProjection(const Projection& projection);

// Reverses SerializeProjection; kCorruption if the bytes are not a whole, valid checkpoint.
Result<Projection> DeserializeProjection(std::string_view bytes);

}  // namespace capledger::projection
