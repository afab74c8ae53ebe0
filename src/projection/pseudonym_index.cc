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

std::optional<std::uint32_t> PseudonymIndex::Find(const domain::Pseudonym& p,
                                                  const std::vector<domain::Pseudonym>& pseudonyms) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint64_t tag = PseudonymTag(p);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = tag & mask, probes = 0; probes < slots_.size(); i = (i + 1) & mask, ++probes) {
    const Slot& slot = slots_[i];
    if (slot.id_plus_one == 0) return std::nullopt;
    if (slot.tag == tag && pseudonyms[slot.id_plus_one - 1] == p) return slot.id_plus_one - 1;
  }
  return std::nullopt;
}

void PseudonymIndex::Insert(const domain::Pseudonym& p, std::uint32_t id) {
  if ((used_ + 1) * 2 > slots_.size()) Grow();
  const std::uint64_t tag = PseudonymTag(p);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = tag & mask;
  while (slots_[i].id_plus_one != 0) i = (i + 1) & mask;
  slots_[i] = Slot{tag, id + 1};
  ++used_;
}

void PseudonymIndex::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id_plus_one == 0) continue;
    std::size_t i = slot.tag & mask;
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

}  // namespace capledger::projection
