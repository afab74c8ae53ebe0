// FlatBuffers tables -> domain event bodies, with every field range-checked. Private to the codec
// layer: the generated types must not leave it.
#pragma once

#include "common/error.h"
#include "domain/event.h"
#include "events_generated.h"

namespace capledger::codec::fb_internal {

// Reads an EventBody that has already passed flatbuffers::Verifier. Everything a domain value
// relies on is checked, and any violation is kCorruption naming the type and field
// ("PatientListed.effective: date out of range"):
//   * the union type is a known member and its table is present;
//   * required strings, structs and tables are present (absent optional ones become nullopt);
//   * dates and months lie in kYearMin..kYearMax; enums and sex are in range; municipality
//     <= 9999; distances, counts, populations, list caps, cni and fulfilment are in their ranges;
//   * clinic ids are [A-Z0-9-]{2,32}; mission ids [a-z0-9-]{2,32}; ids and targets are 1-128
//     printable ASCII; other text is well-formed UTF-8;
//   * units are 1..limits::kCountMax; a budget frame's year lies in kYearMin..kYearMax and its
//     amount in 0..json::kBudgetFrameOreMax;
//   * a rulebook has at most limits::kRulebookBandsMax bands per table and domain::kMissionsMax
//     missions, non-negative amounts, a basis and amount for each optional mission and none (nor
//     age limits) for a base one, and passes domain::CheckRulebook.
// Never asserts on the bytes and never reads outside what the Verifier accepted.
Result<domain::EventBody> DecodeEventTable(const fb::EventBody& body);

}  // namespace capledger::codec::fb_internal
