// The record of every lookup of a resident by personnummer: who asked, when, through what, and
// which pseudonym the number has (never the number). Swedish patient-data rules expect access
// to personal data to be logged and the log reviewed; an operator reads it with `capledger
// lookups`.
//
// One JSON line per lookup in `DIR/resident-lookups.jsonl` beside the store, appended and synced
// before the lookup is answered: a lookup that cannot be recorded is not answered. Appends from
// several processes interleave whole lines (O_APPEND, one write per line).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "domain/pseudonym.h"

namespace capledger::store {

// The file's name in the store's directory.
inline constexpr std::string_view kLookupLogFile = "resident-lookups.jsonl";

// One lookup.
struct ResidentLookup {
  Timestamp at{};
  std::string who;  // the token's holder ("anna.svensson", "token 1a2b3c4d") or the OS user ("cli root")
  std::string via;  // "api" or "cli"
  domain::Pseudonym pseudonym;
  bool found = false;  // the resident is in the log
};

// Appends `lookup` to the record in `store_dir`, synced. kIoError if it cannot (then the lookup
// must not be answered).
Status RecordResidentLookup(const std::filesystem::path& store_dir, const ResidentLookup& lookup);

// Visits every recorded line, oldest first, as stored. kNotFound if nothing was ever recorded.
Status ScanResidentLookups(const std::filesystem::path& store_dir,
                           const std::function<void(std::string_view line)>& visit);

}  // namespace capledger::store
