#include "projection/pseudonym_index.h"

#include <bit>
#include <cstring>

#include "common/assert.h"

namespace capledger::projection {

std::uint64_t PseudonymTag(const domain::Pseudonym& p) {
  std::uint64_t tag = 0;
  std::memcpy(&tag, p.bytes.data(), sizeof(tag));
  return tag;
}

namespace {
std::uint32_t CheckOf(std::uint64_t tag) { return static_cast<std::uint32_t>(tag >> 32); }
}  // namespace

std::optional<std::uint32_t> PseudonymIndex::Find(const domain::Pseudonym& p,
                                                  const std::vector<domain::Pseudonym>& pseudonyms) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint64_t tag = PseudonymTag(p);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = tag & mask, probes = 0; probes < slots_.size(); i = (i + 1) & mask, ++probes) {
    const Slot& slot = slots_[i];
    if (slot.id_plus_one == 0) return std::nullopt;
    if (slot.check == CheckOf(tag) && pseudonyms[slot.id_plus_one - 1] == p) return slot.id_plus_one - 1;
  }
  return std::nullopt;
}

void PseudonymIndex::Insert(const domain::Pseudonym& p, std::uint32_t id,
                            const std::vector<domain::Pseudonym>& pseudonyms) {
  if ((used_ + 1) * 2 > slots_.size()) Grow(pseudonyms);
  const std::uint64_t tag = PseudonymTag(p);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = tag & mask;
  while (slots_[i].id_plus_one != 0) i = (i + 1) & mask;
  slots_[i] = Slot{CheckOf(tag), id + 1};
  ++used_;
}

void PseudonymIndex::Grow(const std::vector<domain::Pseudonym>& pseudonyms) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id_plus_one == 0) continue;
    // The slot keeps only the tag's high half; the low bits that place it come from the pseudonym.
    std::size_t i = PseudonymTag(pseudonyms[slot.id_plus_one - 1]) & mask;
    while (slots_[i].id_plus_one != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void PseudonymIndex::Reset(std::size_t n) {
  const std::size_t size = std::bit_ceil(std::max<std::size_t>(1024, n * 2 + 2));
  LEDGER_ASSERT(size >= n * 2);
  slots_.assign(size, Slot{});
  used_ = 0;
}

PseudonymIndex PseudonymIndex::Of(const std::vector<domain::Pseudonym>& pseudonyms) {
  PseudonymIndex index;
  index.Reset(pseudonyms.size());
  for (std::uint32_t r = 0; r < pseudonyms.size(); ++r) index.Insert(pseudonyms[r], r, pseudonyms);
  return index;
}

}  // namespace capledger::projection
