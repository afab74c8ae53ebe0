// `capledger generate` with the options that GenerateArgs (commands.h) does not carry.
#pragma once

#include <string>

#include "app/commands.h"

namespace capledger::app {

// generate --preset P --years N --seed S [--residents N] [--rulebooks DIR]: writes the world of
// GenerateWorld (generate.h) on stdout, with the rulebooks of `rulebook_dir` (FindRulebookDir:
// empty means the default places). Logs the number of lines of each type on stderr.
int RunGenerateWithRulebooks(const CommandContext& context, const GenerateArgs& args, const std::string& rulebook_dir);

}  // namespace capledger::app
