// Logging set-up: every log line goes to stderr, never stdout (stdout carries results).
#pragma once

#include <string_view>

namespace capledger {

// Configures the default spdlog logger to write to stderr at `level` ("debug", "info", "warn",
// "error", "off"); an unknown level means "info".
void SetUpLogging(std::string_view level);

}  // namespace capledger
