// Which log seqs the finance feed has published and which of their messages the brokers have
// confirmed, so that the feed cursor moves only over confirmed seqs (docs/feed.md). Pure
// bookkeeping, no Kafka types; used by the publisher's thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

namespace capledger::stream {

class DeliveryTracker {
 public:
  // Starts after `cursor`: every seq up to it is confirmed, nothing is in flight.
  explicit DeliveryTracker(std::uint64_t cursor = 0) : confirmed_(cursor), scanned_(cursor) {}

  // The next seq to read from the log.
  std::uint64_t next_seq() const { return scanned_ + 1; }
  // `seq` (REQUIRES == next_seq()) was read and published as `messages` messages (0 for an event
  // the feed does not publish); `entry` says whether it is a ledger entry.
  void Published(std::uint64_t seq, std::uint32_t messages, bool entry);
  // One message of `seq` was confirmed delivered. False if no message of `seq` is outstanding.
  bool Confirmed(std::uint64_t seq);

  // The seq through which every message is confirmed: the feed cursor.
  std::uint64_t confirmed_through() const { return confirmed_; }
  // Messages published and not confirmed.
  std::size_t outstanding() const { return outstanding_; }
  // Ledger entries read after the cursor (published, confirmed or not).
  std::uint64_t entries_after_cursor() const { return entries_; }

  // Forgets everything after the cursor: the feed publishes again from confirmed_through() + 1.
  void Rewind();

 private:
  struct Slot {
    std::uint64_t seq;
    std::uint32_t remaining;
    bool entry;
  };
  void Advance();

  std::uint64_t confirmed_;
  std::uint64_t scanned_;
  std::deque<Slot> slots_;  // seqs after confirmed_ with messages, ascending
  std::size_t outstanding_ = 0;
  std::uint64_t entries_ = 0;
};

}  // namespace capledger::stream
