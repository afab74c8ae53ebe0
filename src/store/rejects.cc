#include "store/rejects.h"

#include "codec/fb_text_rules.h"
#include "codec/json_out.h"
#include "common/crypto.h"
#include "common/limits.h"
#include "domain/date.h"

namespace capledger::store {

std::string RejectToJson(const RejectRecord& record) {
  const std::string_view raw = std::string_view(record.origin.raw).substr(0, limits::kRejectRawBytesMax);
  std::string json;
  codec::JsonObject w(json, codec::JsonSpacing::kCompact);
  w.Integer("line", record.origin.line)
      .String("source", record.origin.source)
      .String("code", codec::RejectCodeName(record.rejection.code))
      .String("field", record.rejection.field)
      .String("message", record.rejection.message)
      .String("rejected_at", domain::FormatTimestamp(record.rejected_at))
      .String("raw", raw);
  // `raw` shows a byte that is not UTF-8 as U+FFFD; the bytes themselves are kept beside it.
  if (!codec::fb_internal::IsValidUtf8(raw)) {
    w.String("raw_hex", crypto::Hex(std::span(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size())));
  }
  w.Close();
  return json;
}

std::string SealReject(const crypto::Key256& key, const RejectRecord& record) {
  return crypto::AesGcmSeal(key, RejectToJson(record));
}

Result<std::string> OpenRejectJson(const crypto::Key256& key, std::string_view sealed) {
  return crypto::AesGcmOpen(key, sealed);
}

}  // namespace capledger::store
