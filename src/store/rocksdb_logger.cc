// RocksDB's information log, routed to the program's own log (stderr) instead of a LOG file in
// the store's directory.
//
// RocksDB's own LOG file writer aborts the process (an assertion left on in Debian's build)
// the first time it logs after a write of it failed, which a full disk makes happen inside every
// write path. Routing its messages to spdlog keeps the store's directory for the store, and a
// full disk for an error the caller can report.
#include <cstdarg>
#include <cstdio>
#include <memory>

#include <rocksdb/env.h>

#include <spdlog/spdlog.h>

#include "store/store_impl.h"

namespace capledger::store {
namespace {

class SpdlogLogger final : public rocksdb::Logger {
 public:
  // Header lines and INFO are chatty (every option, every flush): debug. Problems keep their level.
  SpdlogLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::INFO_LEVEL) {}

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override { Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap); }

  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    const spdlog::level::level_enum ours = LevelOf(level);
    if (!spdlog::should_log(ours)) return;
    char text[1024];
    std::vsnprintf(text, sizeof(text), format, ap);
    spdlog::log(ours, "rocksdb: {}", text);
  }

 private:
  static spdlog::level::level_enum LevelOf(rocksdb::InfoLogLevel level) {
    switch (level) {
      case rocksdb::InfoLogLevel::DEBUG_LEVEL:
      case rocksdb::InfoLogLevel::INFO_LEVEL:
      case rocksdb::InfoLogLevel::HEADER_LEVEL: return spdlog::level::debug;
      case rocksdb::InfoLogLevel::WARN_LEVEL: return spdlog::level::warn;
      case rocksdb::InfoLogLevel::ERROR_LEVEL:
      case rocksdb::InfoLogLevel::FATAL_LEVEL:
      case rocksdb::InfoLogLevel::NUM_INFO_LOG_LEVELS: return spdlog::level::err;
    }
    return spdlog::level::err;
  }
};

}  // namespace

std::shared_ptr<rocksdb::Logger> RocksDbLogger() {
  static const std::shared_ptr<rocksdb::Logger> logger = std::make_shared<SpdlogLogger>();
  return logger;
}

}  // namespace capledger::store
