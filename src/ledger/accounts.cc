#include "ledger/accounts.h"

#include <fmt/format.h>

namespace capledger::ledger {

std::string ExpenseAccount(domain::Component component) {
  return fmt::format("expense:halsoval:{}", domain::Name(component));
}

std::string PayableAccount(std::string_view clinic) { return fmt::format("payable:{}", clinic); }

std::string EntryId(domain::Month run, std::uint32_t ordinal) {
  return fmt::format("E-{}-{:06d}", domain::FormatMonth(run), ordinal);
}

std::string RunEventId(domain::Month run) { return fmt::format("RUN-{}", domain::FormatMonth(run)); }

std::int64_t EffectOn(const domain::LedgerEntry& entry, std::string_view account) {
  std::int64_t effect = 0;
  if (entry.debit == account) effect += entry.amount.ore();
  if (entry.credit == account) effect -= entry.amount.ore();
  return effect;
}

}  // namespace capledger::ledger
