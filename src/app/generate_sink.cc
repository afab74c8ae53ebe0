#include "app/generate_sink.h"

#include <algorithm>
#include <climits>
#include <iterator>

#include <fmt/format.h>

#include "common/assert.h"
#include "domain/date.h"

namespace capledger::app::gen {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{4} << 20;

struct KindText {
  std::string_view type;
  std::string_view source;
};

// Type names and the sending system of each kind (DOMAIN.md §4).
constexpr std::array<KindText, kKindCount> kKindTexts = {{
    {"RulebookPublished", "hälsovalsenheten"},
    {"ClinicRegistered", "hälsovalsenheten"},
    {"ResidentRegistered", "navet"},
    {"ResidentMovedOut", "navet"},
    {"ResidentDied", "navet"},
    {"ResidentRelocated", "navet"},
    {"PatientListed", "1177-listning"},
    {"PatientUnlisted", "1177-listning"},
    {"VisitsReported", "hälsovalsenheten"},
    {"CniReported", "scb"},
    {"PerformanceReported", "hälsovalsenheten"},
    {"EventRetracted", "1177-listning"},
    {"MissionUndertaken", "hälsovalsenheten"},
    {"MissionEnded", "hälsovalsenheten"},
    {"BudgetFrameSet", "hälsovalsenheten"},
}};

}  // namespace

std::string_view KindName(Kind kind) { return kKindTexts[static_cast<std::size_t>(kind)].type; }

EventSink::EventSink(std::FILE* out, Micros cutoff) : out_(out), cutoff_(cutoff) {
  buffer_.reserve(kBufferBytes + 4096);
}

void EventSink::Write(Kind kind, Micros recorded, std::string_view body) {
  LEDGER_ASSERT(recorded >= last_);
  AppendLine(kind, recorded, -1, body);
}

void EventSink::Hold(PendingEvent event) { pending_.emplace_back(next_order_++, std::move(event)); }

std::int32_t EventSink::NewTag() {
  tag_lines_.push_back(0);
  return static_cast<std::int32_t>(tag_lines_.size() - 1);
}

void EventSink::FlushBefore(Micros limit) {
  std::sort(pending_.begin(), pending_.end(), [](const auto& a, const auto& b) {
    return a.second.recorded != b.second.recorded ? a.second.recorded < b.second.recorded : a.first < b.first;
  });
  std::size_t done = 0;
  for (; done < pending_.size() && pending_[done].second.recorded < limit; ++done) {
    PendingEvent& event = pending_[done].second;
    if (event.recorded > cutoff_ && !event.keep_after_cutoff) {
      ++dropped_;
      continue;
    }
    LEDGER_ASSERT(event.recorded >= last_);  // nothing is held for a time already written
    AppendLine(event.kind, event.recorded, event.target_tag, event.body);
    if (event.tag >= 0) tag_lines_[static_cast<std::size_t>(event.tag)] = lines_;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(done));
}

Status EventSink::Finish() {
  FlushBefore(INT64_MAX);
  Drain();
  if (write_failed_ || std::fflush(out_) != 0 || std::ferror(out_)) {
    return Fail(ErrorCode::kIoError, "writing the world failed");
  }
  return {};
}

void EventSink::AppendLine(Kind kind, Micros recorded, std::int32_t target_tag, std::string_view body) {
  const KindText& text = kKindTexts[static_cast<std::size_t>(kind)];
  ++lines_;
  ++counts_[static_cast<std::size_t>(kind)];
  last_ = recorded;
  auto out = std::back_inserter(buffer_);
  fmt::format_to(out, R"({{"type":"{}","id":"gen-{}","source":"{}","recorded_at":")", text.type, lines_,
                 text.source);
  AppendTimestamp(recorded);
  buffer_ += "\",";
  if (target_tag >= 0) {
    const std::uint64_t target_line = tag_lines_[static_cast<std::size_t>(target_tag)];
    LEDGER_ASSERT(target_line > 0);  // a retraction is recorded after its target
    fmt::format_to(out, R"("target":"gen-{}",)", target_line);
  }
  buffer_ += body;
  buffer_ += "}\n";
  if (buffer_.size() >= kBufferBytes) Drain();
}

// "YYYY-MM-DDTHH:MM:SS.ffffffZ", as domain::FormatTimestamp writes it, with the second cached.
void EventSink::AppendTimestamp(Micros recorded) {
  const std::int64_t second = recorded >= 0 ? recorded / 1'000'000 : (recorded - 999'999) / 1'000'000;
  if (second != cached_second_) {
    const std::string full = domain::FormatTimestamp(FromMicros(second * 1'000'000));
    cached_prefix_ = full.substr(0, 19);
    cached_second_ = second;
  }
  buffer_ += cached_prefix_;
  fmt::format_to(std::back_inserter(buffer_), ".{:06d}Z", recorded - second * 1'000'000);
}

void EventSink::Drain() {
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size()) {
    write_failed_ = true;
  }
  buffer_.clear();
}

}  // namespace capledger::app::gen
