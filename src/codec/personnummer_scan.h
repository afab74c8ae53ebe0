// Finding a personnummer where none may be: in any text field of an event other than the
// personnummer itself (which the decoder replaces by its pseudonym before an event exists).
#pragma once

#include <optional>
#include <string>

#include "domain/event.h"

namespace capledger::codec {

// The path of the first text field of `event` ("id", "source", "clinic", "rulebook.title",
// "adjusts[0]", ...) that holds a valid personnummer or samordningsnummer
// (domain::ContainsPersonnummer), or nullopt if none does. For events decoded from other formats
// than JSON Lines (whose decoder refuses such a field as it reads it).
std::optional<std::string> FieldHoldingPersonnummer(const domain::Event& event);

}  // namespace capledger::codec
