#include "codec/backup_manifest.h"

#include <limits>

#include <fmt/format.h>
#include <simdjson.h>

#include "codec/json_object_reader.h"
#include "codec/json_out.h"
#include "domain/date.h"

namespace capledger::codec {
namespace {

using json::Key;
using json::ObjectReader;

constexpr Key kManifestKeys[] = {{"format_version"}, {"created_at"}, {"stores"}};
constexpr Key kStoreKeys[] = {{"dir"}, {"head_seq"}, {"head_hash"}, {"events_verified"}, {"log_offset"}};
constexpr std::int64_t kIntegerMax = std::numeric_limits<std::int64_t>::max();

bool IsPlainName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  return name.find_first_of("/\\") == std::string_view::npos && name.find('\0') == std::string_view::npos;
}

bool IsHashHex(std::string_view hex) {
  return hex.size() == 64 && hex.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::optional<std::uint64_t> ReadLogOffset(ObjectReader& reader) {
  if (reader.Value("log_offset").is_null()) return std::nullopt;
  return static_cast<std::uint64_t>(reader.Integer("log_offset", 0, kIntegerMax, RejectCode::kWrongType));
}

BackupStoreEntry ReadStore(json::Problem& problem, simdjson::dom::element item, const std::string& path) {
  ObjectReader reader(problem, path, kStoreKeys);
  reader.Load(json::ReadObject(problem, item, json::FieldRef{"", path}));
  BackupStoreEntry entry;
  entry.dir = std::string(reader.String("dir"));
  entry.head_seq = domain::Seq(static_cast<std::uint64_t>(reader.Integer("head_seq", 0, kIntegerMax, RejectCode::kWrongType)));
  entry.head_hash = std::string(reader.String("head_hash"));
  entry.events_verified = static_cast<std::uint64_t>(reader.Integer("events_verified", 0, kIntegerMax, RejectCode::kWrongType));
  if (problem.ok()) entry.log_offset = ReadLogOffset(reader);
  if (problem.ok() && !IsPlainName(entry.dir)) reader.Reject("dir", RejectCode::kWrongType, "must be a plain folder name");
  if (problem.ok() && !IsHashHex(entry.head_hash)) {
    reader.Reject("head_hash", RejectCode::kWrongType, "must be 64 lowercase hex digits");
  }
  return entry;
}

Error Damaged(json::Problem& problem) {
  const Rejection rejection = problem.Take();
  return Error{ErrorCode::kCorruption,
               fmt::format("backup.json: field `{}`: {}", rejection.field, rejection.message)};
}

}  // namespace

std::string BackupManifestJson(const BackupManifest& manifest) {
  std::string out;
  JsonObject root(out, JsonSpacing::kSpaced);
  root.Integer("format_version", manifest.format_version).String("created_at", domain::FormatTimestamp(manifest.created_at));
  JsonArray stores = root.Array("stores");
  for (const auto& entry : manifest.stores) {
    JsonObject store = stores.Object();
    store.String("dir", entry.dir).Integer("head_seq", entry.head_seq).String("head_hash", entry.head_hash);
    store.Integer("events_verified", entry.events_verified);
    if (entry.log_offset) {
      store.Integer("log_offset", *entry.log_offset);
    } else {
      store.Null("log_offset");
    }
    store.Close();
  }
  stores.Close();
  root.Close();
  out += '\n';
  return out;
}

Result<BackupManifest> ParseBackupManifest(std::string_view text) {
  if (text.size() > kBackupManifestBytesMax) return Fail(ErrorCode::kCorruption, "backup.json is larger than 1 MiB");
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(text);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) return Fail(ErrorCode::kCorruption, "backup.json is not valid JSON");
  json::Problem problem;
  ObjectReader reader(problem, "", kManifestKeys);
  reader.Load(json::ReadObject(problem, root, json::FieldRef{"", ""}));
  BackupManifest manifest;
  manifest.format_version = reader.Integer("format_version", 0, kIntegerMax, RejectCode::kWrongType);
  if (problem.ok() && manifest.format_version != kBackupFormatVersion) {
    return Fail(ErrorCode::kRefused, fmt::format("backup.json has format_version {}; this program restores format {}",
                                                 manifest.format_version, kBackupFormatVersion));
  }
  const std::string_view created_at = reader.String("created_at");
  const simdjson::dom::array stores = reader.Array("stores");
  if (!problem.ok()) return tl::unexpected(Damaged(problem));
  auto created = domain::ParseTimestamp(created_at);
  if (!created) return Fail(ErrorCode::kCorruption, "backup.json: field `created_at`: " + created.error().message);
  manifest.created_at = *created;
  if (stores.size() > kBackupStoresMax) {
    return Fail(ErrorCode::kCorruption, fmt::format("backup.json names more than {} stores", kBackupStoresMax));
  }
  for (simdjson::dom::element item : stores) {
    manifest.stores.push_back(ReadStore(problem, item, fmt::format("stores[{}]", manifest.stores.size())));
    if (!problem.ok()) return tl::unexpected(Damaged(problem));
  }
  return manifest;
}

}  // namespace capledger::codec
