#include "store/rejects.h"

#include <fmt/format.h>

#include "common/limits.h"
#include "domain/date.h"
#include "store/json_text.h"

namespace capledger::store {

std::string RejectToJson(const RejectRecord& record) {
  const std::string_view raw = std::string_view(record.origin.raw).substr(0, limits::kRejectRawBytesMax);
  return fmt::format(
      R"({{"line":{},"source":{},"code":"{}","field":{},"message":{},"rejected_at":"{}","raw":{}}})",
      record.origin.line, JsonString(record.origin.source), codec::RejectCodeName(record.rejection.code),
      JsonString(record.rejection.field), JsonString(record.rejection.message),
      domain::FormatTimestamp(record.rejected_at), JsonString(raw));
}

std::string SealReject(const crypto::Key256& key, const RejectRecord& record) {
  return crypto::AesGcmSeal(key, RejectToJson(record));
}

Result<std::string> OpenRejectJson(const crypto::Key256& key, std::string_view sealed) {
  return crypto::AesGcmOpen(key, sealed);
}

}  // namespace capledger::store
