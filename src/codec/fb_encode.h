// Domain event bodies -> FlatBuffers tables (schemas/events.fbs). Private to the codec layer: the
// generated types must not leave it.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include "domain/event.h"
#include "events_generated.h"

namespace capledger::codec::fb_internal {

// Writes the table of `body` into `fbb` (strings and sub-tables first, then the table, with the
// generated Create* functions, so the field order is fixed) and returns its offset together with
// the union type to store beside it. Deterministic: the same body and the same builder state give
// the same bytes. Every non-optional string and table is written, even when empty, so that the
// decoder can insist on it; optional members are written exactly when they hold a value.
struct EncodedTable {
  fb::Event type = fb::Event::NONE;
  flatbuffers::Offset<void> offset;
};
EncodedTable EncodeEventTable(flatbuffers::FlatBufferBuilder& fbb, const domain::EventBody& body);

}  // namespace capledger::codec::fb_internal
