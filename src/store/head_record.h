// The head of the log as last acknowledged, kept in a small file of its own in the store's
// directory (`capledger-head`), outside RocksDB and its write-ahead log.
//
// Every append that RocksDB has made durable updates it, synced, before the append is reported
// done. So when the store opens, a log that ends before the recorded head has lost events that
// were acknowledged, however the loss came about (a damaged or truncated write-ahead log, a
// table file replaced): RocksDB alone cannot tell a log cut at a record boundary from one that
// simply ends there.
//
// Layout: two slots of 64 bytes, written alternately so that a write torn by a power cut leaves
// the other slot whole. A slot: "CLHEAD01" · seq (u64) · recorded_at µs (i64) · hash (32 bytes)
// · the first 8 bytes of SHA-256 over everything before it; integers big-endian. The record is
// the valid slot with the larger seq. The file never grows, so a full disk cannot stop its
// writes.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "common/error.h"
#include "store/keys.h"

namespace capledger::store {

// The file's name in the store's directory.
inline constexpr std::string_view kHeadRecordFile = "capledger-head";

// Reads the record in `dir`: nullopt if there is no file; kCorruption if neither slot is valid;
// kIoError if it cannot be read.
Result<std::optional<Head>> ReadHeadRecord(const std::filesystem::path& dir);

// Writes a new record file in `dir` holding `head` (through a temporary file renamed into place,
// both synced). kIoError if that fails.
Status CreateHeadRecord(const std::filesystem::path& dir, const Head& head);

// Updates the record in `dir`, synced, one slot at a time. One writer per file; the store's
// DirLock sees to that.
class HeadRecordWriter {
 public:
  // Opens the record in `dir` for writing (it must exist). kIoError if it cannot.
  static Result<HeadRecordWriter> Open(const std::filesystem::path& dir);
  HeadRecordWriter(HeadRecordWriter&& other) noexcept;
  HeadRecordWriter& operator=(HeadRecordWriter&& other) noexcept;
  HeadRecordWriter(const HeadRecordWriter&) = delete;
  HeadRecordWriter& operator=(const HeadRecordWriter&) = delete;
  ~HeadRecordWriter();

  // Writes `head` over the older slot and syncs it. kIoError if either fails; what the file
  // holds is then the previous record or this one.
  Status Write(const Head& head);

 private:
  HeadRecordWriter(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::filesystem::path path_;
  unsigned next_slot_ = 0;
};

}  // namespace capledger::store
