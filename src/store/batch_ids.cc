#include "store/batch_ids.h"

#include <algorithm>

#include "common/assert.h"

namespace capledger::store {
namespace {

// One key occurrence: a request's id or its retraction target.
struct Occurrence {
  std::uint64_t head;  // the first 8 bytes, big-endian, zero-padded: orders like the bytes
  std::string_view key;
  std::uint32_t request;
  bool target;
};

std::uint64_t HeadOf(std::string_view key) {
  std::uint64_t head = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    head = (head << 8) | (i < key.size() ? static_cast<std::uint8_t>(key[i]) : 0u);
  }
  return head;
}

// Byte order (RocksDB's bytewise comparator); most pairs are told apart by their heads.
bool Before(const Occurrence& a, const Occurrence& b) {
  if (a.head != b.head) return a.head < b.head;
  return a.key < b.key;
}

const domain::EventId* TargetOf(const AppendRequest& request) {
  const auto* retraction = std::get_if<domain::EventRetracted>(&request.event.body);
  return retraction ? &retraction->target : nullptr;
}

}  // namespace

BatchIds::BatchIds(std::span<const AppendRequest> requests)
    : id_key_(requests.size(), kNone), target_key_(requests.size(), kNone) {
  LEDGER_ASSERT(requests.size() < kNone);
  std::vector<Occurrence> occurrences;
  occurrences.reserve(requests.size());
  for (std::uint32_t i = 0; i < requests.size(); ++i) {
    const std::string_view id = requests[i].event.id;
    occurrences.push_back(Occurrence{HeadOf(id), id, i, false});
    if (const domain::EventId* target = TargetOf(requests[i])) {
      occurrences.push_back(Occurrence{HeadOf(*target), *target, i, true});
    }
  }
  std::sort(occurrences.begin(), occurrences.end(), Before);
  keys_.reserve(occurrences.size());
  for (const Occurrence& o : occurrences) {
    if (keys_.empty() || keys_.back() != o.key) keys_.push_back(o.key);
    const auto key = static_cast<std::uint32_t>(keys_.size() - 1);
    (o.target ? target_key_ : id_key_)[o.request] = key;
  }
  records_.resize(keys_.size());
  appended_.resize(keys_.size(), false);
}

void BatchIds::SetStored(std::size_t key, const IdRecord& record) {
  LEDGER_ASSERT(key < keys_.size());
  records_[key] = record;
}

std::optional<IdRecord> BatchIds::FindId(std::size_t request) const { return records_[id_key_.at(request)]; }

std::optional<IdRecord> BatchIds::FindTarget(std::size_t request) const {
  const std::uint32_t key = target_key_.at(request);
  LEDGER_ASSERT(key != kNone);
  return records_[key];
}

void BatchIds::SetAppended(std::size_t request, const IdRecord& record) {
  const std::uint32_t key = id_key_.at(request);
  LEDGER_ASSERT(!records_[key].has_value());
  records_[key] = record;
  appended_[key] = true;
}

}  // namespace capledger::store
