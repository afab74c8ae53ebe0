// Test helper: builds valid personnummer text with a correct Luhn check digit.
#pragma once

#include <string>

#include <fmt/format.h>

#include "domain/personnummer.h"

namespace capledger::testing {

// "YYYYMMDD-NNNC" for the birth date y-m-d and a 3-digit serial (0-999). The serial's last digit
// is the sex digit: odd male, even female. With `coordination`, the day is written + 60.
inline std::string MakePersonnummer(int y, int m, int d, int serial, bool coordination = false) {
  const int written_day = coordination ? d + 60 : d;
  const std::string nine = fmt::format("{:02d}{:02d}{:02d}{:03d}", y % 100, m, written_day, serial);
  const int check = domain::LuhnCheckDigit(nine);
  return fmt::format("{:04d}{:02d}{:02d}-{:03d}{}", y, m, written_day, serial, check);
}

// The same number without the hyphen: "YYYYMMDDNNNC".
inline std::string WithoutHyphen(const std::string& pnr) {
  return pnr.substr(0, 8) + pnr.substr(9);
}

}  // namespace capledger::testing
