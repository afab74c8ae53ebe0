#include "present/manifest.h"

#include <algorithm>

#include "codec/json_out.h"
#include "present/json_parts.h"

namespace capledger::present {

std::string ManifestJson(const ManifestHeader& header, const std::vector<PublishedFile>& files) {
  std::vector<const PublishedFile*> sorted;
  sorted.reserve(files.size());
  for (const auto& file : files) sorted.push_back(&file);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->path < b->path; });
  return json_parts::Document([&](codec::JsonObject& o) {
    o.Integer("year", header.year)
        .String("through", domain::FormatMonth(header.through))
        .Integer("known_at_seq", header.known_at_seq)
        .String("head_hash", crypto::Hex(header.head_hash));
    codec::JsonArray list = o.Array("files");
    for (const auto* file : sorted) {
      list.Object()
          .String("path", file->path)
          .Integer("bytes", file->bytes.size())
          .String("sha256", crypto::Hex(crypto::Sha256Of(file->bytes)))
          .Close();
    }
    list.Close();
  });
}

}  // namespace capledger::present
