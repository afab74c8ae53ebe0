#include "store/pending.h"

#include "common/assert.h"

namespace capledger::store {

void AppendedIds::Add(std::string_view id, const IdRecord& record) {
  LEDGER_ASSERT(entries_.empty() || IdOf(entries_.back()) < id);
  LEDGER_ASSERT(text_.size() + id.size() <= UINT32_MAX);
  entries_.push_back(Entry{static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(id.size()), record});
  text_.append(id);
}

}  // namespace capledger::store
