// Recording a publication of the public follow-up in the log (DOMAIN.md §11): the
// FollowUpPublished event, with an id that makes publishing again at the same K idempotent.
#pragma once

#include <cstdint>
#include <string>

#include "common/error.h"
#include "domain/event.h"
#include "store/event_store.h"

namespace capledger::ledger {

// The event of a publication of `year` through `through` as known at K: id
// "F-<through>-<K>" ("F-2024-12-857068"), source "capledger".
domain::Event FollowUpEvent(int year, domain::Month through, domain::Seq known_at, std::string manifest_sha256);

// How a publication was recorded.
struct PublicationRecord {
  domain::Seq seq;  // of the FollowUpPublished event
  bool existing = false;  // the same publication was recorded before: nothing was appended now
};

// Checks, before any file is written, that `event` (from FollowUpEvent) can be recorded: no event
// with its id, or one with the same manifest (publishing the same K again). kRefused, naming the
// seq and both manifests, if the id holds another manifest: the files would differ from those
// published at K (the pages' templates changed since), so they must not be written; publish at
// the head instead. The store's errors.
Status CheckPublishable(const store::EventStore& store, const domain::Event& event);

// Appends `event` (from FollowUpEvent). Publishing the same K again with the same manifest finds
// the event stored before (existing). kRefused if an event with that id holds another manifest
// (the files published at K differ from those of the first time: a bug, since they must be
// byte-identical), or the store rejects it otherwise; the store's errors.
Result<PublicationRecord> RecordPublication(store::EventStore& store, const domain::Event& event);

}  // namespace capledger::ledger
