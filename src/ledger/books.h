// Reading the books: balances, the entries of a month or a run, and a clinic's statement.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/date.h"
#include "domain/ids.h"
#include "domain/money.h"
#include "projection/projection.h"

namespace capledger::ledger {

// The balance of `account` as known at K (DOMAIN.md §8): the amounts it was debited minus those
// it was credited, over the entries with seq <= K. `entries` counts the entries that touched it.
// kInvalidArgument for a name that is no account (not payable:CLINIC or
// expense:halsoval:COMPONENT); kNotFound for a clinic the log has never registered.
struct Balance {
  std::string account;
  domain::Seq known_at_seq;
  domain::Money balance = domain::Money::Zero();
  std::uint64_t entries = 0;
};
Result<Balance> AccountBalance(const projection::Projection& projection, const std::string& account,
                               domain::Seq known_at);

// The sum of every account's balance at K: zero when the books balance. Checks each entry.
struct TrialBalance {
  domain::Seq known_at_seq;
  domain::Money debits = domain::Money::Zero();
  domain::Money credits = domain::Money::Zero();
};
Result<TrialBalance> Trial(const projection::Projection& projection, domain::Seq known_at);

// The entries for a period month (`month`), booked by a run (`run`) and/or for a clinic, in seq
// order; an empty filter matches every entry.
struct EntryFilter {
  std::optional<domain::Month> month;
  std::optional<domain::Month> run;
  std::optional<domain::ClinicId> clinic;
};
std::vector<projection::BookedEntry> SelectEntries(const projection::Projection& projection, const EntryFilter& filter);

// What one run pays one clinic: the entries for the run's own month and the corrections of
// earlier months, with their totals.
struct ClinicStatement {
  domain::ClinicId clinic;
  std::vector<projection::BookedEntry> current;      // kind regular
  std::vector<projection::BookedEntry> corrections;  // kind adjustment, by period
  domain::Money current_total = domain::Money::Zero();
  domain::Money corrections_total = domain::Money::Zero();
  domain::Money total = domain::Money::Zero();
};
struct RunStatement {
  projection::BookedRun run;
  std::vector<ClinicStatement> clinics;  // by clinic id; every clinic the run booked for
  domain::Money total = domain::Money::Zero();
};
// kNotFound if `run` has not been run (or `clinic`, if given, got nothing in it).
Result<RunStatement> Statement(const projection::Projection& projection, domain::Month run,
                               const std::optional<domain::ClinicId>& clinic);

}  // namespace capledger::ledger
