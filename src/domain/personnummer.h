// The Swedish personal identity number, only ever held in memory during ingest.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "domain/date.h"

namespace capledger::domain {

enum class Sex : std::uint8_t { kFemale = 0, kMale = 1 };

// A validated personnummer or samordningsnummer in its canonical 12-digit form.
struct Personnummer {
  std::string twelve_digits;  // "YYYYMMDDNNNC", the input to the pseudonym
  Date birth_date;            // for a samordningsnummer, the day with 60 taken off
  Sex sex;                    // from the second-to-last digit: odd male, even female
  bool coordination_number;   // true for a samordningsnummer (day 61-91)
};

// Parses "YYYYMMDD-NNNC" or "YYYYMMDDNNNC". The century comes from the 8-digit date. The check
// digit C is the Luhn digit over the 9 digits YYMMDDNNN. Errors (kInvalidArgument) say which rule
// failed (form, date, check digit) and never repeat the number itself.
Result<Personnummer> ParsePersonnummer(std::string_view text);

// True if `text` holds a valid personnummer or samordningsnummer in either written form that
// ParsePersonnummer accepts, standing on its own: twelve digits, or eight digits, '-' and four
// digits, with no digit right before or after. For refusing a number in a field where it would
// be stored in clear.
bool ContainsPersonnummer(std::string_view text);

// True for the fields that are not looked at with ContainsPersonnummer: `personnummer` itself
// (replaced by its pseudonym) and `resident`, a pseudonym of 32 hex digits that a run of twelve
// decimal digits inside can make look like a number (about one resident in 100,000).
bool IsResidentField(std::string_view key);

// The Luhn check digit over a string of decimal digits (weights 2,1,2,1,... from the left).
int LuhnCheckDigit(std::string_view digits);

}  // namespace capledger::domain
