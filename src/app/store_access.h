// Opening the store for a command.
#pragma once

#include <memory>

#include "app/commands.h"
#include "store/event_store.h"

namespace capledger::app {

// kIndex: writing as a cluster node's indexer, the one writer of a store in cluster mode.
enum class Access { kRead, kReadWithSecret, kWrite, kIndex };

// Opens the store in the configured data directory, on `clock` (default: the context's). kRead
// needs no secret; kReadWithSecret, kWrite and kIndex resolve it (kRefused if there is none).
// Reading a data directory that does not exist is kNotFound. In cluster mode kWrite is kRefused:
// every write is a submission to the log, which the nodes' indexers apply.
Result<std::unique_ptr<store::EventStore>> OpenStore(const CommandContext& context, Access access,
                                                     const Clock* clock = nullptr);

}  // namespace capledger::app
