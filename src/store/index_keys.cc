#include "store/index_keys.h"

#include <algorithm>
#include <cstring>

#include "common/assert.h"
#include "store/keys.h"

namespace capledger::store {

void IndexKeys::AddResident(const domain::Pseudonym& pseudonym, domain::Seq seq) {
  residents_.push_back(ResidentEntry{pseudonym.bytes, seq});
}

void IndexKeys::AddClinic(std::string_view clinic, domain::Seq seq) {
  LEDGER_ASSERT(clinic_text_.size() + clinic.size() <= UINT32_MAX);
  clinics_.push_back(ClinicEntry{static_cast<std::uint32_t>(clinic_text_.size()),
                                 static_cast<std::uint32_t>(clinic.size()), seq});
  clinic_text_.append(clinic);
}

void IndexKeys::PutSorted(rocksdb::WriteBatch& batch, rocksdb::ColumnFamilyHandle* by_resident,
                          rocksdb::ColumnFamilyHandle* by_clinic) {
  // Entries were added in seq order; a stable sort by resident keeps each resident's seqs ascending.
  std::stable_sort(residents_.begin(), residents_.end(), [](const ResidentEntry& a, const ResidentEntry& b) {
    return std::memcmp(a.pseudonym.data(), b.pseudonym.data(), a.pseudonym.size()) < 0;
  });
  std::string key;
  std::string seqs;
  for (std::size_t first = 0, end = 0; first < residents_.size(); first = end) {
    seqs.clear();
    for (end = first + 1; end < residents_.size() && residents_[end].pseudonym == residents_[first].pseudonym; ++end) {
      PutSeq(seqs, residents_[end].seq);
    }
    key.assign(reinterpret_cast<const char*>(residents_[first].pseudonym.data()), residents_[first].pseudonym.size());
    PutSeq(key, residents_[first].seq);
    batch.Put(by_resident, key, seqs);
  }
  // clinic · '\0' · seq orders by clinic first (no clinic id holds '\0').
  const auto text = [this](const ClinicEntry& e) { return std::string_view(clinic_text_).substr(e.offset, e.size); };
  std::stable_sort(clinics_.begin(), clinics_.end(),
                   [&](const ClinicEntry& a, const ClinicEntry& b) { return text(a) < text(b); });
  for (std::size_t first = 0, end = 0; first < clinics_.size(); first = end) {
    seqs.clear();
    for (end = first + 1; end < clinics_.size() && text(clinics_[end]) == text(clinics_[first]); ++end) {
      PutSeq(seqs, clinics_[end].seq);
    }
    key.assign(text(clinics_[first]));
    key.push_back('\0');
    PutSeq(key, clinics_[first].seq);
    batch.Put(by_clinic, key, seqs);
  }
}

IndexKeys::Indexed IndexKeys::Find(domain::Seq seq) const {
  Indexed found;
  for (const ResidentEntry& e : residents_) {
    if (e.seq == seq) found.resident = domain::Pseudonym{e.pseudonym};
  }
  for (const ClinicEntry& e : clinics_) {
    if (e.seq == seq) found.clinic = clinic_text_.substr(e.offset, e.size);
  }
  return found;
}

}  // namespace capledger::store
