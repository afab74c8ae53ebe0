// Pseudonym -> dense resident id, as an open-addressing hash table (linear probing, load <= 1/2).
//
// Pseudonyms are HMAC outputs, so their first 8 bytes are already uniformly distributed and serve
// as the hash. Each slot keeps those 8 bytes and the id, so a lookup touches one cache line in
// the common case. Ten million residents take 256 MiB at most (2^24 slots of 16 bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "domain/pseudonym.h"

namespace capledger::projection {

class PseudonymIndex {
 public:
  // The id of `p`, if present. `pseudonyms[id]` is consulted to tell apart two pseudonyms that
  // share their first 8 bytes.
  std::optional<std::uint32_t> Find(const domain::Pseudonym& p, const std::vector<domain::Pseudonym>& pseudonyms) const;

  // Adds `p` with `id`. REQUIRES p not present.
  void Insert(const domain::Pseudonym& p, std::uint32_t id);

  // Drops every entry and reserves room for `n` without growing.
  void Reset(std::size_t n);

  friend bool operator==(const PseudonymIndex&, const PseudonymIndex&) { return true; }  // derived state

 private:
  struct Slot {
    std::uint64_t tag = 0;
    std::uint32_t id_plus_one = 0;  // 0: empty
  };
  void Grow();

  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

// The first 8 bytes of a pseudonym as an integer (the hash used by PseudonymIndex).
std::uint64_t PseudonymTag(const domain::Pseudonym& p);

}  // namespace capledger::projection
