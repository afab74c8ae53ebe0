#include <doctest/doctest.h>

#include "codec/backup_manifest.h"
#include "domain/date.h"

namespace capledger::testing {
namespace {

const std::string kHash(64, 'a');

codec::BackupManifest OneStore() {
  codec::BackupManifest manifest;
  manifest.created_at = *domain::ParseTimestamp("2024-05-01T02:00:00Z");
  manifest.stores.push_back(codec::BackupStoreEntry{"store", domain::Seq(16380), kHash, 16380, std::nullopt});
  return manifest;
}

TEST_CASE("a backup manifest reads back as written, log offset null or a number") {
  codec::BackupManifest manifest = OneStore();
  const std::string json = codec::BackupManifestJson(manifest);
  CHECK(json == "{\"format_version\": 1, \"created_at\": \"2024-05-01T02:00:00.000000Z\", \"stores\": "
                "[{\"dir\": \"store\", \"head_seq\": 16380, \"head_hash\": \"" + kHash +
                    "\", \"events_verified\": 16380, \"log_offset\": null}]}\n");
  auto read = codec::ParseBackupManifest(json);
  REQUIRE(read.has_value());
  REQUIRE(read->stores.size() == 1);
  CHECK(read->created_at == manifest.created_at);
  CHECK(read->stores[0].head_seq == domain::Seq(16380));
  CHECK(read->stores[0].head_hash == kHash);
  CHECK_FALSE(read->stores[0].log_offset.has_value());
  manifest.stores[0].log_offset = 77;
  auto with_offset = codec::ParseBackupManifest(codec::BackupManifestJson(manifest));
  REQUIRE(with_offset.has_value());
  CHECK(with_offset->stores[0].log_offset == std::optional<std::uint64_t>(77));
}

TEST_CASE("a backup manifest that names a folder outside the backup, or a bad hash, is refused") {
  for (const std::string dir : {"..", "../data", "/etc", "a/b", ""}) {
    codec::BackupManifest manifest = OneStore();
    manifest.stores[0].dir = dir;
    auto read = codec::ParseBackupManifest(codec::BackupManifestJson(manifest));
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().code == ErrorCode::kCorruption);
    CHECK(read.error().message.find("stores[0].dir") != std::string::npos);
  }
  codec::BackupManifest manifest = OneStore();
  manifest.stores[0].head_hash = std::string(64, 'A');
  auto read = codec::ParseBackupManifest(codec::BackupManifestJson(manifest));
  REQUIRE_FALSE(read.has_value());
  CHECK(read.error().message.find("head_hash") != std::string::npos);
}

TEST_CASE("a backup manifest of another format, or not JSON, is refused") {
  codec::BackupManifest manifest = OneStore();
  manifest.format_version = 2;
  auto other = codec::ParseBackupManifest(codec::BackupManifestJson(manifest));
  REQUIRE_FALSE(other.has_value());
  CHECK(other.error().code == ErrorCode::kRefused);
  CHECK(codec::ParseBackupManifest("{").error().code == ErrorCode::kCorruption);
  CHECK(codec::ParseBackupManifest("{\"format_version\": 1}").error().code == ErrorCode::kCorruption);
}

}  // namespace
}  // namespace capledger::testing
