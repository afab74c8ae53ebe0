#include "common/thread.h"

#include <cstdio>
#include <cstdlib>

#include <spdlog/spdlog.h>

namespace capledger::internal {

void UncaughtInThread(std::string_view thread_name, const char* what) {
  spdlog::critical("thread {}: uncaught exception: {}", thread_name, what);
  spdlog::default_logger()->flush();
  std::fprintf(stderr, "thread %.*s: uncaught exception: %s\n", static_cast<int>(thread_name.size()),
               thread_name.data(), what);
  std::fflush(stderr);
  std::abort();
}

}  // namespace capledger::internal
