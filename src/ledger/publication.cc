#include "ledger/publication.h"

#include <fmt/format.h>

#include "common/assert.h"

namespace capledger::ledger {

domain::Event FollowUpEvent(int year, domain::Month through, std::uint64_t known_at, std::string manifest_sha256) {
  domain::FollowUpPublished body{year, through, known_at, std::move(manifest_sha256)};
  return domain::Event{fmt::format("F-{}-{}", domain::FormatMonth(through), known_at), "capledger", std::move(body)};
}

Result<PublicationRecord> RecordPublication(store::EventStore& store, const domain::Event& event) {
  const store::AppendRequest request{event, std::nullopt, store::InputOrigin{}};
  auto outcomes = store.Append(std::span(&request, 1));
  if (!outcomes) return tl::unexpected(outcomes.error());
  LEDGER_ASSERT(outcomes->size() == 1);
  const store::AppendOutcome& outcome = outcomes->front();
  switch (outcome.kind) {
    case store::AppendOutcome::Kind::kStored: return PublicationRecord{outcome.seq, false};
    case store::AppendOutcome::Kind::kDuplicate: return PublicationRecord{outcome.seq, true};
    case store::AppendOutcome::Kind::kRejected: break;
  }
  return Fail(ErrorCode::kRefused, fmt::format("the publication {} was not recorded: {}", event.id,
                                               outcome.rejection ? outcome.rejection->message : "rejected"));
}

}  // namespace capledger::ledger
