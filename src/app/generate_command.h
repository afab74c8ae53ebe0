// `capledger generate` with the options that GenerateArgs (commands.h) does not carry.
#pragma once

#include <string>

#include "app/commands.h"

namespace capledger::app {

// generate --preset P --years N --seed S [--residents N] [--rulebooks DIR]: writes the world of
// worldgen::GenerateWorld on stdout, with the rulebooks of the directory `rulebook_dir` (empty: the
// first of $CAPLEDGER_SOURCE_DIR/config/rulebooks, ./config/rulebooks and <binary>/../../config/rulebooks
// that exists). Logs the number of lines of each type on stderr.
int RunGenerateWithRulebooks(const CommandContext& context, const GenerateArgs& args, const std::string& rulebook_dir);

}  // namespace capledger::app
