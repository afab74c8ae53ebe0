// The by_resident and by_clinic entries of one Append (DESIGN.md §3), written in key order.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/write_batch.h>

#include "domain/pseudonym.h"

namespace capledger::store {

// Collects index entries as events are assembled and puts them into the WriteBatch sorted by key,
// so that each memtable insert lands next to the previous one (the families keep an insert hint).
// The keys are those of keys.h: pseudonym · seq and clinic · '\0' · seq, with empty values.
class IndexKeys {
 public:
  void AddResident(const domain::Pseudonym& pseudonym, std::uint64_t seq);
  void AddClinic(std::string_view clinic, std::uint64_t seq);  // the clinic text is copied

  // Puts every entry into `batch`, each family in ascending key order (sorting the entries).
  void PutSorted(rocksdb::WriteBatch& batch, rocksdb::ColumnFamilyHandle* by_resident,
                 rocksdb::ColumnFamilyHandle* by_clinic);

 private:
  using ResidentKey = std::array<char, 24>;
  struct ClinicEntry {
    std::uint32_t offset;  // of the clinic id in clinic_text_
    std::uint32_t size;
    std::uint64_t seq;
  };

  std::vector<ResidentKey> residents_;
  std::vector<ClinicEntry> clinics_;
  std::string clinic_text_;
};

}  // namespace capledger::store
