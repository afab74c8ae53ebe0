#include "worldgen/sink.h"

#include <algorithm>
#include <charconv>
#include <climits>

#include "codec/json_writer.h"
#include "common/assert.h"

namespace capledger::worldgen {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{4} << 20;

// "gen-<line>" into `id`, reusing its storage.
void SetLineId(domain::EventId& id, std::uint64_t line) {
  char text[24] = "gen-";
  const auto result = std::to_chars(text + 4, text + sizeof(text), line);
  id = domain::EventId::Made(std::string_view(text, result.ptr));
}

}  // namespace

std::string_view SourceOf(domain::EventType type) {
  switch (type) {
    case domain::EventType::kResidentRegistered:
    case domain::EventType::kResidentMovedOut:
    case domain::EventType::kResidentDied:
    case domain::EventType::kResidentRelocated: return "navet";
    case domain::EventType::kPatientListed:
    case domain::EventType::kPatientUnlisted:
    case domain::EventType::kEventRetracted: return "1177-listning";  // it retracts listings only
    case domain::EventType::kCniReported: return "scb";
    case domain::EventType::kRulebookPublished:
    case domain::EventType::kClinicRegistered:
    case domain::EventType::kVisitsReported:
    case domain::EventType::kPerformanceReported:
    case domain::EventType::kMissionUndertaken:
    case domain::EventType::kMissionEnded:
    case domain::EventType::kBudgetFrameSet: return "hälsovalsenheten";
    default: break;
  }
  LEDGER_ASSERT(false && "the generator writes no event of this type");
  return {};
}

EventSink::EventSink(std::FILE* out, Micros cutoff) : out_(out), cutoff_(cutoff) {
  buffer_.reserve(kBufferBytes + 4096);
}

void EventSink::Write(Micros recorded, domain::EventBody body, PersonnummerText personnummer) {
  LEDGER_ASSERT(recorded >= last_);
  AppendLine(recorded, std::move(body), personnummer.view(), -1);
}

void EventSink::Hold(PendingEvent event) { pending_.push_back(std::make_unique<PendingEvent>(std::move(event))); }

std::int32_t EventSink::NewTag() {
  tag_lines_.push_back(0);
  return static_cast<std::int32_t>(tag_lines_.size() - 1);
}

void EventSink::FlushBefore(Micros limit) {
  std::vector<std::size_t> due;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    if (pending_[i]->recorded < limit) due.push_back(i);
  }
  std::stable_sort(due.begin(), due.end(), [this](std::size_t a, std::size_t b) {
    return pending_[a]->recorded < pending_[b]->recorded;  // ties stay in the order of Hold
  });
  for (std::size_t i : due) {
    PendingEvent& event = *pending_[i];
    if (event.recorded > cutoff_ && !event.keep_after_cutoff) {
      ++dropped_;
      continue;
    }
    LEDGER_ASSERT(event.recorded >= last_);  // nothing is held for a time already written
    AppendLine(event.recorded, std::move(event.body), event.personnummer.view(), event.target_tag);
    if (event.tag >= 0) tag_lines_[static_cast<std::size_t>(event.tag)] = lines_;
  }
  std::erase_if(pending_, [limit](const std::unique_ptr<PendingEvent>& event) { return event->recorded < limit; });
}

Status EventSink::Finish() {
  FlushBefore(INT64_MAX);
  Drain();
  if (write_failed_ || std::fflush(out_) != 0 || std::ferror(out_)) {
    return Fail(ErrorCode::kIoError, "writing the world failed");
  }
  return {};
}

void EventSink::AppendLine(Micros recorded, domain::EventBody&& body, std::string_view personnummer,
                           std::int32_t target_tag) {
  const domain::EventType type = domain::TypeOf(body);
  ++lines_;
  ++counts_[static_cast<std::size_t>(type)];
  last_ = recorded;
  SetLineId(event_.id, lines_);
  event_.source.assign(SourceOf(type));
  event_.body = std::move(body);
  if (target_tag >= 0) {
    const std::uint64_t target_line = tag_lines_[static_cast<std::size_t>(target_tag)];
    LEDGER_ASSERT(target_line > 0);  // a retraction is recorded after its target
    SetLineId(std::get<domain::EventRetracted>(event_.body).target, target_line);
  }
  codec::AppendInputJson(buffer_, event_, codec::InputLineExtras{FromMicros(recorded), personnummer});
  buffer_ += '\n';
  if (buffer_.size() >= kBufferBytes) Drain();
}

void EventSink::Drain() {
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), out_) != buffer_.size()) {
    write_failed_ = true;
  }
  buffer_.clear();
}

}  // namespace capledger::worldgen
