// The manifest of a publication: files sorted by path, each with its size and SHA-256.
#include <doctest/doctest.h>

#include "present/manifest.h"

namespace capledger::present {
namespace {

TEST_CASE("the manifest lists every file by path with its size and SHA-256, and the chain's hash at K") {
  ManifestHeader header;
  header.year = 2024;
  header.through = domain::Month{std::chrono::year(2024), std::chrono::month(12)};
  header.known_at_seq = domain::Seq(857068);
  header.head_hash.fill(0xab);
  // SHA-256("abc") and SHA-256("") are the test vectors of FIPS 180-2 and of every implementation.
  const std::vector<PublishedFile> files = {{"open-data/b.csv", "abc"}, {"index.html", ""}};
  std::string head_hex;  // 0xab, 32 times
  for (int i = 0; i < 32; ++i) head_hex += "ab";
  const std::string expected =
      "{\"year\": 2024, \"through\": \"2024-12\", \"known_at_seq\": 857068, \"head_hash\": \"" + head_hex +
      "\", \"files\": ["
      "{\"path\": \"index.html\", \"bytes\": 0, "
      "\"sha256\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}, "
      "{\"path\": \"open-data/b.csv\", \"bytes\": 3, "
      "\"sha256\": \"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"}]}\n";
  CHECK(ManifestJson(header, files) == expected);
}

}  // namespace
}  // namespace capledger::present
