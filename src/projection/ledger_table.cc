#include "projection/ledger_table.h"

#include "common/assert.h"

namespace capledger::projection {

void LedgerTable::AddEntry(domain::Seq seq, domain::LedgerEntry entry) {
  LEDGER_ASSERT(entries_.empty() || entries_.back().seq < seq);
  entries_.push_back(BookedEntry{seq, std::move(entry)});
  Index(entries_.size() - 1);
}

void LedgerTable::AddRun(domain::Seq seq, domain::PayoutRun run) {
  LEDGER_ASSERT(runs_.empty() || runs_.back().seq < seq);
  runs_.push_back(BookedRun{seq, std::move(run)});
}

void LedgerTable::Index(std::size_t i) {
  const domain::LedgerEntry& e = entries_[i].entry;
  by_id_.emplace(e.entry_id.str(), i);
  EntryTarget target{e.clinic, domain::MonthOrdinal(e.period), e.component};
  auto& list = by_target_[target];
  if (list.empty()) targets_by_period_[target.period].push_back(target);
  list.push_back(i);
}

const BookedEntry* LedgerTable::FindEntry(std::string_view entry_id) const {
  auto it = by_id_.find(std::string(entry_id));
  return it == by_id_.end() ? nullptr : &entries_[it->second];
}

const BookedRun* LedgerTable::FindRun(domain::Month month) const {
  for (const auto& run : runs_) {
    if (run.run.run == month) return &run;
  }
  return nullptr;
}

std::vector<std::size_t> LedgerTable::EntriesFor(const EntryTarget& target, domain::Seq known_at) const {
  std::vector<std::size_t> out;
  auto it = by_target_.find(target);
  if (it == by_target_.end()) return out;
  for (std::size_t i : it->second) {
    if (entries_[i].seq <= known_at) out.push_back(i);
  }
  return out;
}

std::vector<EntryTarget> LedgerTable::TargetsFor(domain::Month period) const {
  auto it = targets_by_period_.find(domain::MonthOrdinal(period));
  return it == targets_by_period_.end() ? std::vector<EntryTarget>{} : it->second;
}

LedgerTable LedgerTable::FromLists(std::vector<BookedEntry> entries, std::vector<BookedRun> runs) {
  LedgerTable t;
  t.entries_ = std::move(entries);
  t.runs_ = std::move(runs);
  for (std::size_t i = 0; i < t.entries_.size(); ++i) t.Index(i);
  return t;
}

}  // namespace capledger::projection
