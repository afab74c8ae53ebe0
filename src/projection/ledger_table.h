// The ledger's own events as a projection: every booked entry and every completed payout run,
// in seq order, with the indexes the ledger asks for (by entry id, by clinic-month-component,
// by run month). Bitemporal like every projection: an entry counts as known at K if its seq <= K.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/date.h"
#include "domain/event.h"

namespace capledger::projection {

// A booked entry and the seq of its LedgerEntry event.
struct BookedEntry {
  domain::Seq seq;
  domain::LedgerEntry entry;
  friend bool operator==(const BookedEntry&, const BookedEntry&) = default;
};

// A completed run and the seq of its PayoutRun event.
struct BookedRun {
  domain::Seq seq;
  domain::PayoutRun run;
  friend bool operator==(const BookedRun&, const BookedRun&) = default;
};

// The key of what an entry is for: (clinic, period month, component).
struct EntryTarget {
  domain::ClinicId clinic;
  std::int32_t period = 0;  // month ordinal
  domain::Component component = domain::Component::kCapitation;
  friend bool operator==(const EntryTarget&, const EntryTarget&) = default;
};

struct EntryTargetHash {
  std::size_t operator()(const EntryTarget& t) const {
    return std::hash<domain::ClinicId>()(t.clinic) ^ (static_cast<std::size_t>(t.period) * 1000003u) ^
           static_cast<std::size_t>(t.component);
  }
};

class LedgerTable {
 public:
  // Adds a booked entry or run (seq order). REQUIRES seq above every earlier one.
  void AddEntry(domain::Seq seq, domain::LedgerEntry entry);
  void AddRun(domain::Seq seq, domain::PayoutRun run);

  const std::vector<BookedEntry>& entries() const { return entries_; }
  const std::vector<BookedRun>& runs() const { return runs_; }

  // The entry with this id, if booked.
  const BookedEntry* FindEntry(std::string_view entry_id) const;

  // The run for `month`, if booked; the last booked run, if any.
  const BookedRun* FindRun(domain::Month month) const;
  const BookedRun* LastRun() const { return runs_.empty() ? nullptr : &runs_.back(); }

  // Indexes into entries() of the entries booked for `target` with seq <= known_at, in seq order.
  std::vector<std::size_t> EntriesFor(const EntryTarget& target, domain::Seq known_at) const;

  // Every target with at least one entry for `period`, in first-booked order.
  std::vector<EntryTarget> TargetsFor(domain::Month period) const;

  // Rebuilds the indexes from entries and runs (checkpoint loading).
  static LedgerTable FromLists(std::vector<BookedEntry> entries, std::vector<BookedRun> runs);

  friend bool operator==(const LedgerTable& a, const LedgerTable& b) {
    return a.entries_ == b.entries_ && a.runs_ == b.runs_;
  }

 private:
  void Index(std::size_t i);

  std::vector<BookedEntry> entries_;
  std::vector<BookedRun> runs_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::unordered_map<EntryTarget, std::vector<std::size_t>, EntryTargetHash> by_target_;
  std::unordered_map<std::int32_t, std::vector<EntryTarget>> targets_by_period_;
};

}  // namespace capledger::projection
