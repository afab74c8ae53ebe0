#include "common/assert.h"

#include <cstdio>
#include <cstdlib>

#include <spdlog/spdlog.h>

namespace capledger::internal {

void AssertFailed(const char* expression, const char* file, int line) {
  spdlog::critical("assertion failed: {} at {}:{}", expression, file, line);
  spdlog::default_logger()->flush();
  std::fprintf(stderr, "assertion failed: %s at %s:%d\n", expression, file, line);
  std::fflush(stderr);
  std::abort();
}

}  // namespace capledger::internal
