// Writing a whole file so that a crash leaves either the old file or the new one, never a part.
#pragma once

#include <filesystem>
#include <string_view>

#include "common/error.h"

namespace capledger {

// Writes `bytes` to `path`: into "<path>.new" beside it, synced, then renamed over `path` and the
// folder synced. Creates missing parent folders. kIoError names the path and the system's reason.
Status WriteFileDurably(const std::filesystem::path& path, std::string_view bytes);

}  // namespace capledger
