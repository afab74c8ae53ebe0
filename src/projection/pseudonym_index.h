// Pseudonym -> dense resident id, as an open-addressing hash table (linear probing, load <= 1/2).
//
// Pseudonyms are HMAC outputs, so their first 8 bytes are already uniformly distributed and serve
// as the hash: the low bits choose the slot, and the slot keeps the high 32 bits beside the id, so
// that a probe of another pseudonym almost never reads the pseudonyms array. Eight slots share a
// cache line; ten million residents take 256 MiB (2^25 slots of 8 bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "domain/pseudonym.h"

namespace capledger::projection {

// The first 8 bytes of a pseudonym as an integer (the hash used by PseudonymIndex).
std::uint64_t PseudonymTag(const domain::Pseudonym& p);

class PseudonymIndex {
 public:
  // The id of `p`, if present. `pseudonyms[id]` is consulted to tell apart two pseudonyms that
  // share their first 8 bytes.
  std::optional<std::uint32_t> Find(const domain::Pseudonym& p, const std::vector<domain::Pseudonym>& pseudonyms) const;

  // Asks the CPU to fetch the slot where a lookup of `p` starts. Changes nothing.
  void Prefetch(const domain::Pseudonym& p) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[PseudonymTag(p) & (slots_.size() - 1)]);
  }

  // Adds `p` with `id`. REQUIRES p not present, and pseudonyms[i] the pseudonym of every id i
  // added so far and of `id` (growing rehashes them from there).
  void Insert(const domain::Pseudonym& p, std::uint32_t id, const std::vector<domain::Pseudonym>& pseudonyms);

  // The index of every pseudonym in `pseudonyms`, each under its position.
  static PseudonymIndex Of(const std::vector<domain::Pseudonym>& pseudonyms);

  // Drops every entry and reserves room for `n` without growing.
  void Reset(std::size_t n);

  friend bool operator==(const PseudonymIndex&, const PseudonymIndex&) { return true; }  // derived state

 private:
  struct Slot {
    std::uint32_t check = 0;        // the tag's high 32 bits
    std::uint32_t id_plus_one = 0;  // 0: empty
  };
  void Grow(const std::vector<domain::Pseudonym>& pseudonyms);

  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

}  // namespace capledger::projection
