// Test helpers: a clinic id or an entry id from text the test already holds (a report line's, an entry's).
#pragma once

#include <string_view>

#include <doctest/doctest.h>

#include "domain/ids.h"

namespace capledger::testing {

// `text` as a clinic id; fails the test if it is not one.
inline domain::ClinicId ClinicIdOf(std::string_view text) {
  auto id = domain::ClinicId::Parse(text);
  REQUIRE_MESSAGE(id.has_value(), "not a clinic id: ", std::string(text));
  return *id;
}

// `text` as an event or entry id; fails the test if it is not one.
inline domain::EventId EventIdOf(std::string_view text) {
  auto id = domain::EventId::Parse(text);
  REQUIRE_MESSAGE(id.has_value(), "not an id: ", std::string(text));
  return *id;
}

}  // namespace capledger::testing
