#include "projection/checkpoint.h"

#include <cstring>

#include <fmt/format.h>

#include "codec/flatbuffer_codec.h"
#include "codec/rulebook_codec.h"

namespace capledger::projection {
namespace {

constexpr std::string_view kMagic = "capledger/projection/v2";
constexpr std::uint64_t kCountMax = 1ULL << 32;  // no table or list is longer than this

class Writer {
 public:
  template <typename T>
  void Int(T value) {
    static_assert(std::is_integral_v<T>);
    for (std::size_t i = 0; i < sizeof(T); ++i) out_.push_back(static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xff));
  }
  void Bytes(std::string_view bytes) {
    Int<std::uint64_t>(bytes.size());
    out_.append(bytes);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <typename T>
  bool Int(T& value) {
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(in_[pos_ + i])) << (8 * i);
    pos_ += sizeof(T);
    value = static_cast<T>(v);
    return true;
  }
  bool Count(std::uint64_t& n) { return Int(n) && n <= kCountMax; }
  bool Bytes(std::string& out) {
    std::uint64_t n = 0;
    if (!Int(n) || n > in_.size() - pos_) return false;
    out.assign(in_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

void Put(Writer& w, const ResidentFact& f) {
  w.Int(f.effective); w.Int(f.seq); w.Int(f.retracted_at); w.Int(f.clinic);
  w.Int(static_cast<std::uint8_t>(f.kind)); w.Int(f.reason);
}
bool Get(Reader& r, ResidentFact& f) {
  std::uint8_t kind = 0;
  if (!(r.Int(f.effective) && r.Int(f.seq) && r.Int(f.retracted_at) && r.Int(f.clinic) && r.Int(kind) && r.Int(f.reason))) return false;
  if (kind > static_cast<std::uint8_t>(ResidentFactKind::kUnlisted)) return false;
  f.kind = static_cast<ResidentFactKind>(kind);
  return true;
}
void Put(Writer& w, const DatedFact& f) { w.Int(f.effective); w.Int(f.seq); w.Int(f.retracted_at); w.Int(f.value); }
bool Get(Reader& r, DatedFact& f) { return r.Int(f.effective) && r.Int(f.seq) && r.Int(f.retracted_at) && r.Int(f.value); }
void Put(Writer& w, const PerformanceFact& f) {
  w.Int(f.seq); w.Int(f.retracted_at); w.Int(f.from_month); w.Int(f.to_month); w.Int(f.fulfilment_thousandths);
}
bool Get(Reader& r, PerformanceFact& f) {
  return r.Int(f.seq) && r.Int(f.retracted_at) && r.Int(f.from_month) && r.Int(f.to_month) && r.Int(f.fulfilment_thousandths);
}
void Put(Writer& w, const VisitFact& f) {
  w.Int(f.seq); w.Int(f.retracted_at); w.Int(f.month);
  w.Int(f.counts.home_visits); w.Int(f.counts.other_listed); w.Int(f.counts.unlisted); w.Int(f.counts.out_of_region);
}
bool Get(Reader& r, VisitFact& f) {
  return r.Int(f.seq) && r.Int(f.retracted_at) && r.Int(f.month) && r.Int(f.counts.home_visits) &&
         r.Int(f.counts.other_listed) && r.Int(f.counts.unlisted) && r.Int(f.counts.out_of_region);
}
void Put(Writer& w, const RulebookFact& f) { w.Int(f.seq); w.Int(f.retracted_at); w.Bytes(codec::RulebookToJson(f.rulebook)); }
bool Get(Reader& r, RulebookFact& f) {
  std::string json;
  if (!(r.Int(f.seq) && r.Int(f.retracted_at) && r.Bytes(json))) return false;
  auto rulebook = codec::ParseRulebookJson(json, "");
  if (!rulebook) return false;
  f.rulebook = std::move(*rulebook);
  return true;
}
void Put(Writer& w, const std::string& s) { w.Bytes(s); }
bool Get(Reader& r, std::string& s) { return r.Bytes(s); }
void Put(Writer& w, const std::uint32_t& v) { w.Int(v); }
bool Get(Reader& r, std::uint32_t& v) { return r.Int(v); }

// Ledger events are kept in their stored FlatBuffers form (codec::EncodeBody), which the codec
// verifies when the checkpoint is read back.
void Put(Writer& w, const BookedEntry& e) { w.Int(e.seq); w.Bytes(codec::EncodeBody(domain::EventBody(e.entry))); }
void Put(Writer& w, const BookedRun& e) { w.Int(e.seq); w.Bytes(codec::EncodeBody(domain::EventBody(e.run))); }
template <typename T>
bool GetLedgerEvent(Reader& r, std::uint64_t& seq, T& out) {
  std::string bytes;
  if (!(r.Int(seq) && r.Bytes(bytes))) return false;
  auto body = codec::DecodeBody(bytes);
  if (!body || !std::holds_alternative<T>(*body)) return false;
  out = std::get<T>(std::move(*body));
  return true;
}
bool Get(Reader& r, BookedEntry& e) { return GetLedgerEvent(r, e.seq, e.entry); }
bool Get(Reader& r, BookedRun& e) { return GetLedgerEvent(r, e.seq, e.run); }

template <typename T>
void PutList(Writer& w, const std::vector<T>& list) {
  w.Int<std::uint64_t>(list.size());
  for (const T& item : list) Put(w, item);
}
template <typename T>
bool GetList(Reader& r, std::vector<T>& list) {
  std::uint64_t n = 0;
  if (!r.Count(n)) return false;
  list.resize(n);
  for (T& item : list) {
    if (!Get(r, item)) return false;
  }
  return true;
}
template <typename T>
void PutLists(Writer& w, const std::vector<std::vector<T>>& lists) {
  for (const auto& list : lists) PutList(w, list);
}
template <typename T>
bool GetLists(Reader& r, std::vector<std::vector<T>>& lists, std::size_t n) {
  lists.resize(n);
  for (auto& list : lists) {
    if (!GetList(r, list)) return false;
  }
  return true;
}

void PutResidents(Writer& w, const ResidentTable& t) {
  w.Int<std::uint64_t>(t.pseudonym.size());
  for (std::size_t i = 0; i < t.pseudonym.size(); ++i) {
    w.Bytes(std::string_view(reinterpret_cast<const char*>(t.pseudonym[i].bytes.data()), 16));
    w.Int(t.birth_days[i]);
    w.Int(t.sex[i]);
    const auto facts = t.facts.Of(static_cast<std::uint32_t>(i));
    w.Int<std::uint64_t>(facts.size());
    for (const ResidentFact& f : facts) Put(w, f);
  }
}

bool FactOrder(const ResidentFact& a, const ResidentFact& b) {
  return a.effective != b.effective ? a.effective < b.effective : a.seq < b.seq;
}

// Reads one resident's facts, appending them to `facts`; false if damaged or out of order.
bool GetFacts(Reader& r, std::vector<ResidentFact>& facts, std::uint32_t& count) {
  std::uint64_t n = 0;
  if (!r.Count(n)) return false;
  const std::size_t first = facts.size();
  for (std::uint64_t i = 0; i < n; ++i) {
    ResidentFact f;
    if (!Get(r, f)) return false;
    if (facts.size() > first && FactOrder(f, facts.back())) return false;
    facts.push_back(f);
  }
  count = static_cast<std::uint32_t>(n);
  return true;
}

bool GetResidents(Reader& r, ResidentTable& t) {
  std::uint64_t n = 0;
  if (!r.Count(n)) return false;
  t.pseudonym.resize(n);
  t.birth_days.resize(n);
  t.birth_ymd.resize(n);
  t.sex.resize(n);
  std::vector<std::uint32_t> counts(n);
  std::vector<ResidentFact> facts;
  for (std::size_t i = 0; i < n; ++i) {
    std::string bytes;
    if (!r.Bytes(bytes) || bytes.size() != 16) return false;
    std::memcpy(t.pseudonym[i].bytes.data(), bytes.data(), 16);
    if (!(r.Int(t.birth_days[i]) && r.Int(t.sex[i]) && GetFacts(r, facts, counts[i]))) return false;
    const domain::Date birth = domain::DateFromDays(t.birth_days[i]);
    if (!birth.ok()) return false;
    t.birth_ymd[i] = YmdOf(birth);
    if (facts.size() > kCountMax) return false;
  }
  t.facts = ResidentFacts::FromLists(std::move(counts), std::move(facts));
  return true;
}

void PutClinics(Writer& w, const ClinicTable& t) {
  PutList(w, t.id);
  PutList(w, t.name);
  PutLists(w, t.registrations);
  PutLists(w, t.closures);
  PutLists(w, t.distances);
  PutLists(w, t.cnis);
  PutLists(w, t.performance);
  PutLists(w, t.visits);
  PutLists(w, t.listed_residents);
}

bool GetClinics(Reader& r, ClinicTable& t) {
  if (!GetList(r, t.id) || !GetList(r, t.name) || t.name.size() != t.id.size()) return false;
  const std::size_t n = t.id.size();
  return GetLists(r, t.registrations, n) && GetLists(r, t.closures, n) && GetLists(r, t.distances, n) &&
         GetLists(r, t.cnis, n) && GetLists(r, t.performance, n) && GetLists(r, t.visits, n) &&
         GetLists(r, t.listed_residents, n);
}

}  // namespace

std::string SerializeProjection(const Projection& p) {
  Writer w;
  w.Bytes(kMagic);
  w.Int<std::uint64_t>(p.applied_seq());
  PutResidents(w, p.residents());
  PutClinics(w, p.clinics());
  PutList(w, p.rulebooks());
  PutList(w, p.ledger().entries());
  PutList(w, p.ledger().runs());
  return w.Take();
}

Result<Projection> DeserializeProjection(std::string_view bytes) {
  Reader r(bytes);
  std::string magic;
  std::uint64_t applied_seq = 0;
  ResidentTable residents;
  ClinicTable clinics;
  std::vector<RulebookFact> rulebooks;
  std::vector<BookedEntry> entries;
  std::vector<BookedRun> runs;
  if (!r.Bytes(magic) || magic != kMagic || !r.Int(applied_seq) || !GetResidents(r, residents) ||
      !GetClinics(r, clinics) || !GetList(r, rulebooks) || !GetList(r, entries) || !GetList(r, runs) || !r.AtEnd()) {
    return Fail(ErrorCode::kCorruption, "the projection checkpoint does not decode");
  }
  return Projection::FromTables(std::move(residents), std::move(clinics), std::move(rulebooks),
                                LedgerTable::FromLists(std::move(entries), std::move(runs)), applied_seq);
}

}  // namespace capledger::projection
