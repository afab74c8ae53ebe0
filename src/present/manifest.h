// The manifest of a publication (DOMAIN.md §11): which files were published from the ledger as
// known at K, each with its SHA-256, so that anyone can show later that a file is exactly what the
// ledger produced. Its own SHA-256 goes into the FollowUpPublished event.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "domain/date.h"
#include "domain/seq.h"

namespace capledger::present {

// One file of a publication: its path relative to the publication's folder ("/" separated) and
// its bytes.
struct PublishedFile {
  std::string path;
  std::string bytes;
};

// What a manifest states besides the files.
struct ManifestHeader {
  int year = 0;
  domain::Month through;
  domain::Seq known_at_seq;
  crypto::Digest head_hash{};  // the hash chain at K: the hash of the event at seq K
};

// manifest.json: {"year", "through", "known_at_seq", "head_hash", "files": [{"path", "bytes",
// "sha256"}]} with the files sorted by path. The same header and files give the same bytes.
std::string ManifestJson(const ManifestHeader& header, const std::vector<PublishedFile>& files);

}  // namespace capledger::present
