#include "ledger/known_at.h"

#include <charconv>

#include <fmt/format.h>

#include "domain/date.h"

namespace capledger::ledger {
namespace {

Result<KnownAt> AtSeq(const store::EventStore& store, std::uint64_t seq) {
  if (seq == 0) return KnownAt{0, Timestamp{}};
  auto record = store.Read(seq);
  if (!record) return tl::unexpected(record.error());
  return KnownAt{seq, record->stored.recorded_at};
}

}  // namespace

Result<KnownAt> ResolveKnownAt(const store::EventStore& store, const std::string& text) {
  const std::uint64_t head = store.head().seq;
  if (text.empty()) return AtSeq(store, head);
  if (text.rfind("seq:", 0) == 0) {
    std::uint64_t seq = 0;
    const char* begin = text.data() + 4;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(begin, end, seq);
    if (ec != std::errc() || ptr != end || begin == end) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("--known-at {}: seq:N needs a number", text));
    }
    if (seq > head) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("--known-at {}: the log ends at seq {}", text, head));
    }
    return AtSeq(store, seq);
  }
  auto time = domain::ParseTimestamp(text);
  if (!time) return Fail(ErrorCode::kInvalidArgument, fmt::format("--known-at {}: {}", text, time.error().message));
  auto seq = store.SeqKnownAt(*time);
  if (!seq) return tl::unexpected(seq.error());
  return AtSeq(store, *seq);
}

}  // namespace capledger::ledger
