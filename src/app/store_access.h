// Opening the store for a command.
#pragma once

#include <memory>

#include "app/commands.h"
#include "store/event_store.h"

namespace capledger::app {

enum class Access { kRead, kReadWithSecret, kWrite };

// Opens the store in the configured data directory. kRead needs no secret; kReadWithSecret and
// kWrite resolve it (kRefused if there is none). Reading a data directory that does not exist is
// kNotFound.
Result<std::unique_ptr<store::EventStore>> OpenStore(const CommandContext& context, Access access);

}  // namespace capledger::app
