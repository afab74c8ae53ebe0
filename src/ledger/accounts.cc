#include "ledger/accounts.h"

#include <fmt/format.h>

namespace capledger::ledger {

std::string ExpenseAccount(domain::Component component) {
  return fmt::format("expense:halsoval:{}", domain::Name(component));
}

std::string PayableAccount(std::string_view clinic) { return fmt::format("payable:{}", clinic); }

domain::EventId EntryId(domain::Month run, std::uint32_t ordinal) {
  return domain::EventId::Made(fmt::format("E-{}-{:06d}", domain::FormatMonth(run), ordinal));
}

domain::EventId RunEventId(domain::Month run) {
  return domain::EventId::Made(fmt::format("RUN-{}", domain::FormatMonth(run)));
}

std::int64_t EffectOn(const domain::LedgerEntry& entry, std::string_view account) {
  std::int64_t effect = 0;
  if (entry.debit == account) effect += entry.amount.ore();
  if (entry.credit == account) effect -= entry.amount.ore();
  return effect;
}

}  // namespace capledger::ledger
