#include "ledger/publication.h"

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "common/assert.h"

namespace capledger::ledger {

domain::Event FollowUpEvent(int year, domain::Month through, domain::Seq known_at, std::string manifest_sha256) {
  domain::FollowUpPublished body{year, through, known_at, std::move(manifest_sha256)};
  return domain::Event{domain::EventId::Made(fmt::format("F-{}-{}", domain::FormatMonth(through), known_at)), "capledger",
                       std::move(body)};
}

Status CheckPublishable(const store::EventStore& store, const domain::Event& event) {
  auto found = store.LookupId(event.id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return {};
  auto stored = store.Read((*found)->seq);
  if (!stored) return tl::unexpected(stored.error());
  const auto* before = std::get_if<domain::FollowUpPublished>(&stored->stored.event.body);
  const auto& now = std::get<domain::FollowUpPublished>(event.body);
  if (before != nullptr && before->manifest_sha256 == now.manifest_sha256) return {};
  return Fail(ErrorCode::kRefused,
              fmt::format("{} was published at seq {} with manifest {}; the files made now would have manifest {} "
                          "(the pages' templates changed since), so nothing was written: publish at the head instead, "
                          "or keep the files published at seq {}",
                          event.id, (*found)->seq, before != nullptr ? before->manifest_sha256 : "(another event)",
                          now.manifest_sha256, (*found)->seq));
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
