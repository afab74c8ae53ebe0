// The rulebook's two text forms: the TOML of DOMAIN.md §5 and the JSON object inside a
// RulebookPublished line. Both are validated by the same rules.
#pragma once

#include <cstdint>
#include <string_view>

#include <tl/expected.hpp>

#include "codec/reject_code.h"
#include "domain/rulebook.h"

namespace capledger::codec {

// Parses and validates a rulebook TOML file. Rejection fields are dotted paths
// ("capitation.bands[1].amount"); the message names the TOML line where one is known.
// Codes: kMalformedJson is not used; a TOML syntax error is kInvalidRulebook.
tl::expected<domain::Rulebook, Rejection> ParseRulebookToml(std::string_view toml_text);

// Where a rulebook's text comes from, which decides whether its provenance is required.
enum class RulebookOrigin : std::uint8_t {
  kPublished,  // published now: decided_by and decided_on are required (DOMAIN.md §5)
  kStored,     // written by capledger itself (a checkpoint): may predate provenance
};

// Parses and validates the JSON text of a rulebook object (exactly the TOML keys, dates as
// "YYYY-MM-DD" strings). Rejection fields are dotted paths prefixed with `field_prefix`
// ("rulebook.capitation.bands[1].amount" when the prefix is "rulebook").
tl::expected<domain::Rulebook, Rejection> ParseRulebookJson(std::string_view json_object_text,
                                                            std::string_view field_prefix, RulebookOrigin origin);

// The canonical JSON object of a rulebook (keys in the TOML order, money as strings, dates as
// strings). ParseRulebookJson(RulebookToJson(r), "", RulebookOrigin::kStored) == r, and also
// with kPublished when r has its provenance.
std::string RulebookToJson(const domain::Rulebook& rulebook);

}  // namespace capledger::codec
