#include "store/index_keys.h"

#include <algorithm>
#include <cstring>

#include "common/assert.h"
#include "store/keys.h"

namespace capledger::store {

void IndexKeys::AddResident(const domain::Pseudonym& pseudonym, std::uint64_t seq) {
  static_assert(sizeof(ResidentKey) == sizeof(pseudonym.bytes) + 8);
  ResidentKey& key = residents_.emplace_back();
  std::memcpy(key.data(), pseudonym.bytes.data(), pseudonym.bytes.size());
  WriteBigEndian64(key.data() + pseudonym.bytes.size(), seq);
}

void IndexKeys::AddClinic(std::string_view clinic, std::uint64_t seq) {
  LEDGER_ASSERT(clinic_text_.size() + clinic.size() <= UINT32_MAX);
  clinics_.push_back(ClinicEntry{static_cast<std::uint32_t>(clinic_text_.size()),
                                 static_cast<std::uint32_t>(clinic.size()), seq});
  clinic_text_.append(clinic);
}

void IndexKeys::PutSorted(rocksdb::WriteBatch& batch, rocksdb::ColumnFamilyHandle* by_resident,
                          rocksdb::ColumnFamilyHandle* by_clinic) {
  std::sort(residents_.begin(), residents_.end(), [](const ResidentKey& a, const ResidentKey& b) {
    return std::memcmp(a.data(), b.data(), a.size()) < 0;
  });
  for (const ResidentKey& key : residents_) {
    batch.Put(by_resident, rocksdb::Slice(key.data(), key.size()), rocksdb::Slice());
  }
  // clinic · '\0' · seq orders by clinic (no clinic id holds '\0'), then by seq.
  const auto text = [this](const ClinicEntry& e) { return std::string_view(clinic_text_).substr(e.offset, e.size); };
  std::sort(clinics_.begin(), clinics_.end(), [&](const ClinicEntry& a, const ClinicEntry& b) {
    const int order = text(a).compare(text(b));
    return order != 0 ? order < 0 : a.seq < b.seq;
  });
  std::string key;
  for (const ClinicEntry& entry : clinics_) {
    key.assign(text(entry));
    key.push_back('\0');
    PutBigEndian64(key, entry.seq);
    batch.Put(by_clinic, key, rocksdb::Slice());
  }
}

}  // namespace capledger::store
