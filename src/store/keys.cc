#include "store/keys.h"

#include <algorithm>

namespace capledger::store {

void WriteBigEndian64(char* out, std::uint64_t value) {
  for (int i = 7; i >= 0; --i, value >>= 8) out[i] = static_cast<char>(value & 0xff);
}

void PutBigEndian64(std::string& out, std::uint64_t value) {
  char bytes[8];
  WriteBigEndian64(bytes, value);
  out.append(bytes, sizeof bytes);
}

std::uint64_t ReadBigEndian64(std::string_view bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<std::uint8_t>(bytes[static_cast<std::size_t>(i)]);
  return value;
}

std::string CountKey(std::uint64_t count) {
  std::string key;
  key.reserve(8);
  PutBigEndian64(key, count);
  return key;
}

std::string SeqKey(domain::Seq seq) { return CountKey(seq.value()); }

void PutSeq(std::string& out, domain::Seq seq) { PutBigEndian64(out, seq.value()); }

domain::Seq ReadSeq(std::string_view bytes) { return domain::Seq(ReadBigEndian64(bytes)); }

std::string ResidentIndexPrefix(const domain::Pseudonym& pseudonym) {
  return std::string(reinterpret_cast<const char*>(pseudonym.bytes.data()), pseudonym.bytes.size());
}

std::string ResidentIndexKey(const domain::Pseudonym& pseudonym, domain::Seq seq) {
  std::string key = ResidentIndexPrefix(pseudonym);
  PutSeq(key, seq);
  return key;
}

std::string ClinicIndexPrefix(std::string_view clinic) {
  std::string key(clinic);
  key.push_back('\0');
  return key;
}

std::string ClinicIndexKey(std::string_view clinic, domain::Seq seq) {
  std::string key = ClinicIndexPrefix(clinic);
  PutSeq(key, seq);
  return key;
}

bool AppendIndexSeqs(std::string_view key_seq, std::string_view value, std::vector<domain::Seq>& seqs) {
  if (key_seq.size() != 8 || value.size() % 8 != 0) return false;
  for (std::size_t at = 0; at <= value.size(); at += 8) {
    const domain::Seq seq = ReadSeq(at == 0 ? key_seq : value.substr(at - 8, 8));
    if (!seqs.empty() && seq <= seqs.back()) return false;
    seqs.push_back(seq);
  }
  return true;
}

std::string EncodeIdRecord(const IdRecord& record) {
  std::string out;
  EncodeIdRecord(record, out);
  return out;
}

void EncodeIdRecord(const IdRecord& record, std::string& out) {
  out.clear();
  out.reserve(41);
  PutSeq(out, record.seq);
  out.push_back(static_cast<char>(record.type));
  out.append(reinterpret_cast<const char*>(record.payload_digest.data()), record.payload_digest.size());
}

std::optional<IdRecord> DecodeIdRecord(std::string_view bytes) {
  if (bytes.size() != 41) return std::nullopt;
  IdRecord record;
  record.seq = ReadSeq(bytes);
  record.type = static_cast<std::uint8_t>(bytes[8]);
  std::copy_n(bytes.begin() + 9, 32, record.payload_digest.begin());
  return record;
}

std::string EncodeHead(const Head& head) {
  std::string out;
  out.reserve(48);
  PutSeq(out, head.seq);
  PutBigEndian64(out, static_cast<std::uint64_t>(ToMicros(head.recorded_at)));
  out.append(reinterpret_cast<const char*>(head.hash.data()), head.hash.size());
  return out;
}

std::optional<Head> DecodeHead(std::string_view bytes) {
  if (bytes.size() != 48) return std::nullopt;
  Head head;
  head.seq = ReadSeq(bytes);
  head.recorded_at = FromMicros(static_cast<std::int64_t>(ReadBigEndian64(bytes.substr(8))));
  std::copy_n(bytes.begin() + 16, 32, head.hash.begin());
  return head;
}

}  // namespace capledger::store
