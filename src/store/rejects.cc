#include "store/rejects.h"

#include <fmt/format.h>

#include "codec/fb_text_rules.h"
#include "common/crypto.h"
#include "common/limits.h"
#include "domain/date.h"
#include "store/json_text.h"

namespace capledger::store {

std::string RejectToJson(const RejectRecord& record) {
  const std::string_view raw = std::string_view(record.origin.raw).substr(0, limits::kRejectRawBytesMax);
  std::string json = fmt::format(
      R"({{"line":{},"source":{},"code":"{}","field":{},"message":{},"rejected_at":"{}","raw":{})",
      record.origin.line, JsonString(record.origin.source), codec::RejectCodeName(record.rejection.code),
      JsonString(record.rejection.field), JsonString(record.rejection.message),
      domain::FormatTimestamp(record.rejected_at), JsonString(raw));
  // `raw` shows a byte that is not UTF-8 as U+FFFD; the bytes themselves are kept beside it.
  if (!codec::fb_internal::IsValidUtf8(raw)) {
    json += fmt::format(R"(,"raw_hex":"{}")", crypto::Hex(std::span(reinterpret_cast<const std::uint8_t*>(raw.data()),
                                                                     raw.size())));
  }
  return json + "}";
}

std::string SealReject(const crypto::Key256& key, const RejectRecord& record) {
  return crypto::AesGcmSeal(key, RejectToJson(record));
}

Result<std::string> OpenRejectJson(const crypto::Key256& key, std::string_view sealed) {
  return crypto::AesGcmOpen(key, sealed);
}

}  // namespace capledger::store
