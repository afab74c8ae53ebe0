#include "ledger/known_at.h"

#include <charconv>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "domain/date.h"

namespace capledger::ledger {
namespace {

Result<KnownAt> AtSeq(const store::EventStore& store, domain::Seq seq) {
  if (seq.none()) return KnownAt{domain::Seq{}, Timestamp{}};
  auto record = store.Read(seq);
  if (!record) return tl::unexpected(record.error());
  return KnownAt{seq, record->stored.recorded_at};
}

// True for an RFC 3339 time whose year is beyond domain::kYearMax: later than any event, so it
// means the head. ParseTimestamp refuses such years (no date of the domain has them); the rest of
// the text must still parse, checked with the year replaced by 2996 (a leap year, so that a
// 29 February is kept).
bool IsBeyondEveryDate(std::string_view text) {
  if (text.size() < 20) return false;
  int year = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    year = year * 10 + (text[i] - '0');
  }
  if (year <= domain::kYearMax) return false;
  std::string replaced(text);
  replaced.replace(0, 4, "2996");
  return domain::ParseTimestamp(replaced).has_value();
}

Result<KnownAt> AtSeqText(const store::EventStore& store, const std::string& text, std::string_view name) {
  const domain::Seq head = store.head().seq;
  const std::string_view digits = std::string_view(text).substr(4);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{} {}: seq:N needs a number", name, text));
  }
  std::uint64_t seq = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
  if (ec != std::errc() || seq > head.value()) {  // too large for 64 bits is beyond the head too
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{} {}: the log ends at seq {}", name, text, head));
  }
  return AtSeq(store, domain::Seq(seq));
}

}  // namespace

Result<KnownAt> ResolveKnownAt(const store::EventStore& store, const std::string& text, std::string_view name) {
  if (text.empty()) return AtSeq(store, store.head().seq);
  if (text.rfind("seq:", 0) == 0) return AtSeqText(store, text, name);
  if (IsBeyondEveryDate(text)) return AtSeq(store, store.head().seq);
  auto time = domain::ParseTimestamp(text);
  if (!time) return Fail(ErrorCode::kInvalidArgument, fmt::format("{} {}: {}", name, text, time.error().message));
  auto seq = store.SeqKnownAt(*time);
  if (!seq) return tl::unexpected(seq.error());
  return AtSeq(store, *seq);
}

}  // namespace capledger::ledger
