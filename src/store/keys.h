// Byte layouts of the store's keys and small values (DESIGN.md §3). Big-endian integers so that
// RocksDB's byte order is numeric order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/crypto.h"
#include "domain/pseudonym.h"
#include "domain/seq.h"

namespace capledger::store {

// Column family names, in the order the store opens them (after "default").
inline constexpr std::string_view kEventsCf = "events";
inline constexpr std::string_view kIdsCf = "ids";
inline constexpr std::string_view kByResidentCf = "by_resident";
inline constexpr std::string_view kByClinicCf = "by_clinic";
inline constexpr std::string_view kMetaCf = "meta";
inline constexpr std::string_view kCheckpointsCf = "checkpoints";
inline constexpr std::string_view kRejectsCf = "rejects";

// Keys in the meta column family.
inline constexpr std::string_view kMetaHead = "head";
inline constexpr std::string_view kMetaFingerprint = "secret_fingerprint";
inline constexpr std::string_view kMetaRejectCount = "reject_count";
inline constexpr std::string_view kMetaFeedCursor = "feed_cursor";  // 8 bytes big-endian
// Present once the store keeps a head record (store/head_record.h): from then on a missing
// record file is damage, not a store of an earlier version.
inline constexpr std::string_view kMetaHeadRecord = "head_record";
// Cluster mode (DESIGN.md §6): the next offset of the region's log partition,
// 8 bytes big-endian, put by the indexer with the events it produced. A backup records it, so
// that a node restored from the backup indexes the partition on from there.
inline constexpr std::string_view kMetaLogOffset = "log_offset";

// Appends a big-endian u64 / i64 to `out`; writes one to `out[0..8)`; reads one at `bytes[0..8)`.
void PutBigEndian64(std::string& out, std::uint64_t value);
void WriteBigEndian64(char* out, std::uint64_t value);
std::uint64_t ReadBigEndian64(std::string_view bytes);

// An 8-byte big-endian key of a count (the rejects are keyed by their number).
std::string CountKey(std::uint64_t count);
// The events key of a seq (8 bytes, big-endian), and a seq written or read in those 8 bytes.
std::string SeqKey(domain::Seq seq);
void PutSeq(std::string& out, domain::Seq seq);
domain::Seq ReadSeq(std::string_view bytes);

// by_resident: pseudonym (16 bytes) + seq. by_clinic: clinic id + '\0' + seq. One entry holds the
// seqs one append stored about that resident or clinic: the key's seq is the first, the value the
// others (8 bytes big-endian each, ascending; empty when there is one), so that a batch writes one
// entry per resident and per clinic rather than one per event.
std::string ResidentIndexKey(const domain::Pseudonym& pseudonym, domain::Seq seq);
std::string ResidentIndexPrefix(const domain::Pseudonym& pseudonym);
std::string ClinicIndexKey(std::string_view clinic, domain::Seq seq);
std::string ClinicIndexPrefix(std::string_view clinic);

// Appends the seqs of one index entry (its key's last 8 bytes and its value) to `seqs`, which
// must stay strictly ascending; false if the entry is malformed or out of order.
bool AppendIndexSeqs(std::string_view key_seq, std::string_view value, std::vector<domain::Seq>& seqs);

// The value of an ids entry: where the id is stored, its type and its payload digest.
struct IdRecord {
  domain::Seq seq;
  std::uint8_t type = 0;
  crypto::Digest payload_digest{};
};
std::string EncodeIdRecord(const IdRecord& record);
void EncodeIdRecord(const IdRecord& record, std::string& out);  // the same, written over `out`
std::optional<IdRecord> DecodeIdRecord(std::string_view bytes);

// The log head: the last seq, its recorded_at and hash. seq 0 is the empty log.
struct Head {
  domain::Seq seq;
  Timestamp recorded_at{};
  crypto::Digest hash{};
};
std::string EncodeHead(const Head& head);
std::optional<Head> DecodeHead(std::string_view bytes);

}  // namespace capledger::store
