// The by_resident and by_clinic entries of one Append (DESIGN.md §3), written in key order.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/write_batch.h>

#include "domain/pseudonym.h"
#include "domain/seq.h"

namespace capledger::store {

// Collects index entries as events are assembled and puts them into the WriteBatch, one entry per
// resident and per clinic of the batch (keys.h: the key holds the first seq, the value the others),
// each family in ascending key order so that every memtable insert lands next to the previous one
// (the families keep an insert hint). Seqs must be added in ascending order.
class IndexKeys {
 public:
  void AddResident(const domain::Pseudonym& pseudonym, domain::Seq seq);
  void AddClinic(std::string_view clinic, domain::Seq seq);  // the clinic text is copied

  // Puts the entries into `batch` (sorting what was collected).
  void PutSorted(rocksdb::WriteBatch& batch, rocksdb::ColumnFamilyHandle* by_resident,
                 rocksdb::ColumnFamilyHandle* by_clinic);

  // The resident and clinic the event `seq` was indexed under, if it was (a linear search: for
  // the rare retraction of an event that is not yet written).
  struct Indexed {
    std::optional<domain::Pseudonym> resident;
    std::optional<std::string> clinic;
  };
  Indexed Find(domain::Seq seq) const;

 private:
  struct ResidentEntry {
    std::array<std::uint8_t, 16> pseudonym;
    domain::Seq seq;
  };
  struct ClinicEntry {
    std::uint32_t offset;  // of the clinic id in clinic_text_
    std::uint32_t size;
    domain::Seq seq;
  };

  std::vector<ResidentEntry> residents_;
  std::vector<ClinicEntry> clinics_;
  std::string clinic_text_;
};

}  // namespace capledger::store
