// A booked payout run as an SIE 4 file (SIE type 4, "transaktioner"), the Swedish standard for
// moving bookings into an accounting system.
//
// The file holds one verification (#VER) per clinic the run pays: one #TRANS row per non-zero
// entry on the entry's expense account (the debit, + amount; an adjustment that lowers an
// earlier month is a negative row), each with the clinic as an object of the clinic dimension
// and the entry id, month and component as its text, and one row crediting the payables account
// with the clinic's total (− total). Every verification therefore balances to zero and is one
// payment order to one clinic, as an accounts-payable import expects. A clinic whose entries
// are all zero gets no verification.
//
// Text is CP437 ("#FORMAT PC8"); amounts are kronor with two decimals and a dot; dates YYYYMMDD.
// The file ends every line with CR LF.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/error.h"
#include "domain/date.h"
#include "domain/event.h"
#include "projection/projection.h"
#include "store/event_store.h"

namespace capledger::present {

// A numeric account of the chart of accounts and its name.
struct SieAccount {
  int number = 0;
  std::string name;
};

// Which date a verification carries.
enum class SieDate : std::uint8_t {
  kMonthEnd,  // the last day of the run's month: the cost lands in the period it is for
  kBooked,    // the day the run was booked (the PayoutRun event's recorded_at, UTC)
};

// The mapping of capledger's accounts to the accounting system's (config [sie]). The defaults
// follow BAS: class 4 costs, one per component, and 2440 for what is owed to the clinics, with
// each clinic as an object of dimension 20 (a free dimension; 1-19 are reserved by SIE).
struct SieOptions {
  std::string company = "Region Örebro län";  // #FNAMN
  std::string org_number;                      // #ORGNR, left out if empty
  std::string series = "H";                    // the verification series
  int clinic_dimension = 20;
  std::string clinic_dimension_name = "Vårdenhet";
  SieDate date = SieDate::kMonthEnd;
  // By domain::Component: expense:halsoval:<component>.
  std::array<SieAccount, domain::kComponentCount> expense = {{
      {4610, "Hälsoval, ersättning per listad"},
      {4611, "Hälsoval, målrelaterad ersättning"},
      {4612, "Hälsoval, besöksersättning"},
      {4613, "Hälsoval, etableringsersättning"},
      {4614, "Hälsoval, CNI-tillägg"},
      {4615, "Hälsoval, glesbygdstillägg"},
      {4616, "Hälsoval, tilläggsuppdrag"},
  }};
  SieAccount payable = {2440, "Leverantörsskulder, hälsoval"};  // payable:<clinic>
};

// Account numbers 1000-9999, the payables account not also an expense account, a series of 1-8
// letters or digits, a dimension 1-999 and names of printable text without '"'. kInvalidArgument
// names the setting.
Status CheckSieOptions(const SieOptions& options);

// The dates the file states: its verifications' (per options.date) and its generation's.
struct SieDates {
  domain::Date booked;     // the run's booking day, a Swedish calendar date
  domain::Date generated;  // #GEN, a Swedish calendar date
};

// The SIE 4 file of the run booked for `month`, as CP437 bytes. kNotFound if the month has not
// been run; kInvalidArgument if an amount sum overflows. `program_version` goes in #PROGRAM.
Result<std::string> RunSie(const projection::Projection& projection, domain::Month month, const SieOptions& options,
                           const SieDates& dates, std::string_view program_version);

// RunSie with the booking day the Swedish calendar date (Europe/Stockholm, domain::SwedishDate) of
// the PayoutRun event's recorded_at, and #GEN that of `now`. kNotFound as above; the store's read errors.
Result<std::string> ExportRunSie(const projection::Projection& projection, const store::EventStore& store,
                                 domain::Month month, const SieOptions& options, Timestamp now,
                                 std::string_view program_version);

}  // namespace capledger::present
