#include "stream/delivery_tracker.h"

#include <algorithm>

#include "common/assert.h"

namespace capledger::stream {

void DeliveryTracker::Published(std::uint64_t seq, std::uint32_t messages, bool entry) {
  LEDGER_ASSERT(seq == next_seq());
  scanned_ = seq;
  if (messages > 0) {
    slots_.push_back(Slot{seq, messages, entry});
    outstanding_ += messages;
    if (entry) ++entries_;
  }
  Advance();
}

bool DeliveryTracker::Confirmed(std::uint64_t seq) {
  auto it = std::lower_bound(slots_.begin(), slots_.end(), seq,
                             [](const Slot& slot, std::uint64_t s) { return slot.seq < s; });
  if (it == slots_.end() || it->seq != seq || it->remaining == 0) return false;
  --it->remaining;
  --outstanding_;
  Advance();
  return true;
}

void DeliveryTracker::Advance() {
  while (!slots_.empty() && slots_.front().remaining == 0) {
    if (slots_.front().entry) --entries_;
    slots_.pop_front();
  }
  confirmed_ = slots_.empty() ? scanned_ : slots_.front().seq - 1;
}

void DeliveryTracker::Rewind() {
  slots_.clear();
  outstanding_ = 0;
  entries_ = 0;
  scanned_ = confirmed_;
}

}  // namespace capledger::stream
