// The double-entry accounts of DOMAIN.md §8 and the ids the ledger gives its events.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/date.h"
#include "domain/event.h"
#include "domain/ids.h"

namespace capledger::ledger {

// "expense:halsoval:<component>": debited with every entry for that component.
std::string ExpenseAccount(domain::Component component);

// "payable:<clinic>": credited with every entry for that clinic (what the region owes it).
std::string PayableAccount(std::string_view clinic);

// "E-2024-03-000017": the `ordinal`-th entry (from 1) of the run for `run`.
domain::EventId EntryId(domain::Month run, std::uint32_t ordinal);

// "RUN-2024-03": the id of the PayoutRun event that completes the run for `run`.
domain::EventId RunEventId(domain::Month run);

// The source recorded on every event the ledger appends.
inline constexpr std::string_view kLedgerSource = "capledger-payout";

// The signed effect of `entry` on `account` (DOMAIN.md §8): +amount if the account is debited,
// -amount if credited, 0 otherwise. Expense accounts end positive and payable accounts
// negative; over all accounts the effects of one entry sum to zero.
std::int64_t EffectOn(const domain::LedgerEntry& entry, std::string_view account);

}  // namespace capledger::ledger
