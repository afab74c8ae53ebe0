#include "projection/checkpoint.h"

#include <bit>
#include <cstring>
#include <span>
#include <type_traits>

#include <fmt/format.h>

#include "codec/flatbuffer_codec.h"
#include "codec/rulebook_codec.h"
#include "common/assert.h"

namespace capledger::projection {
namespace {

// v7: missions, budget frames; v8: clinics' operators and municipalities (an older checkpoint is
// not loaded: the projection is rebuilt from seq 1 and the next checkpoint is v8).
constexpr std::string_view kMagic = "capledger/projection/v8";
constexpr std::uint64_t kCountMax = 1ULL << 32;  // no table or list is longer than this

// The checkpoint is a local cache of derived state, written and read by the same build: plain
// little-endian bytes, with whole arrays of padding-free structs copied at once.
static_assert(std::endian::native == std::endian::little, "checkpoints are written little-endian");

template <typename T>
constexpr bool kRawCopyable = std::is_trivially_copyable_v<T> && std::has_unique_object_representations_v<T>;

// Writes the checkpoint's bytes, or (counting) only adds up how many there will be, so that the
// real pass reserves the whole string once: a Sweden-size state is not regrown (and copied)
// while it is written.
class Writer {
 public:
  explicit Writer(bool counting = false) : counting_(counting) {}
  void Reserve(std::size_t bytes) { out_.reserve(bytes); }

  template <typename T>
  void Int(T value) {
    static_assert(std::is_integral_v<T>);
    Append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  // The count, then the elements' bytes.
  template <typename T>
  void Array(std::span<const T> items) {
    static_assert(kRawCopyable<T>);
    Int<std::uint64_t>(items.size());
    Append(reinterpret_cast<const char*>(items.data()), items.size_bytes());
  }
  void Bytes(std::string_view bytes) {
    Int<std::uint64_t>(bytes.size());
    Append(bytes.data(), bytes.size());
  }
  // Part of an array whose count was written with Int: the elements' bytes as they are.
  template <typename T>
  void Elements(std::span<const T> items) {
    static_assert(kRawCopyable<T>);
    Append(reinterpret_cast<const char*>(items.data()), items.size_bytes());
  }
  std::size_t size() const { return counting_ ? counted_ : out_.size(); }
  std::string Take() { return std::move(out_); }

 private:
  void Append(const char* data, std::size_t n) {
    if (counting_) {
      counted_ += n;
    } else if (n != 0) {
      out_.append(data, n);
    }
  }
  bool counting_;
  std::size_t counted_ = 0;
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <typename T>
  bool Int(T& value) {
    static_assert(std::is_integral_v<T>);
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(&value, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  template <typename T>
  bool Array(std::vector<T>& items) {
    static_assert(kRawCopyable<T>);
    std::uint64_t n = 0;
    if (!Count(n) || n > (in_.size() - pos_) / sizeof(T)) return false;
    items.resize(n);
    if (n != 0) std::memcpy(items.data(), in_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
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
  auto rulebook = codec::ParseRulebookJson(json, "", codec::RulebookOrigin::kStored);
  if (!rulebook) return false;
  f.rulebook = std::move(*rulebook);
  return true;
}
void Put(Writer& w, const MissionFact& f) {
  w.Int(f.effective); w.Int(f.seq); w.Int(f.retracted_at); w.Int<std::uint8_t>(f.undertaken ? 1 : 0); w.Int(f.units);
  w.Bytes(f.mission);
}
bool Get(Reader& r, MissionFact& f) {
  std::uint8_t undertaken = 0;
  if (!(r.Int(f.effective) && r.Int(f.seq) && r.Int(f.retracted_at) && r.Int(undertaken) && r.Int(f.units) &&
        r.Bytes(f.mission))) {
    return false;
  }
  f.undertaken = undertaken != 0;
  return undertaken <= 1;
}
void Put(Writer& w, const BudgetFrameFact& f) {
  w.Int(f.seq); w.Int(f.retracted_at); w.Int(f.frame.year); w.Int(f.frame.amount.ore()); w.Bytes(f.frame.decision);
}
bool Get(Reader& r, BudgetFrameFact& f) {
  std::int64_t ore = 0;
  if (!(r.Int(f.seq) && r.Int(f.retracted_at) && r.Int(f.frame.year) && r.Int(ore) && r.Bytes(f.frame.decision))) {
    return false;
  }
  f.frame.amount = domain::Money::FromOre(ore);
  return true;
}
void Put(Writer& w, const NameFact& f) { w.Int(f.seq); w.Int(f.retracted_at); w.Bytes(f.name); }
bool Get(Reader& r, NameFact& f) { return r.Int(f.seq) && r.Int(f.retracted_at) && r.Bytes(f.name); }
// A clinic id goes as its text; text that breaks the rule is a damaged checkpoint.
void Put(Writer& w, const domain::ClinicId& id) { w.Bytes(id.view()); }
bool Get(Reader& r, domain::ClinicId& id) {
  std::string text;
  if (!r.Bytes(text)) return false;
  auto parsed = domain::ClinicId::Parse(text);
  if (!parsed) return false;
  id = *parsed;
  return true;
}
// Lists of integers go as arrays.
void PutList(Writer& w, const std::vector<std::uint32_t>& list) { w.Array(std::span<const std::uint32_t>(list)); }
bool GetList(Reader& r, std::vector<std::uint32_t>& list) { return r.Array(list); }
void PutList(Writer& w, const std::vector<std::int32_t>& list) { w.Array(std::span<const std::int32_t>(list)); }
bool GetList(Reader& r, std::vector<std::int32_t>& list) { return r.Array(list); }

// Ledger events are kept in their stored FlatBuffers form (codec::EncodeBody), which the codec
// verifies when the checkpoint is read back.
void Put(Writer& w, const BookedEntry& e) { w.Int(e.seq.value()); w.Bytes(codec::EncodeBody(domain::EventBody(e.entry))); }
void Put(Writer& w, const BookedRun& e) { w.Int(e.seq.value()); w.Bytes(codec::EncodeBody(domain::EventBody(e.run))); }
template <typename T>
bool GetLedgerEvent(Reader& r, domain::Seq& seq, T& out) {
  std::string bytes;
  std::uint64_t number = 0;
  if (!(r.Int(number) && r.Bytes(bytes))) return false;
  seq = domain::Seq(number);
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

// Residents as columns: pseudonyms, birth days, sexes, the number of facts of each, and every
// fact in resident order.
void PutResidents(Writer& w, const ResidentTable& t) {
  w.Array(std::span<const domain::Pseudonym>(t.pseudonym));
  w.Array(std::span<const std::int32_t>(t.birth_days));
  w.Array(std::span<const std::uint8_t>(t.sex));
  std::vector<std::uint32_t> counts;
  counts.reserve(t.pseudonym.size());
  std::uint64_t total = 0;
  for (std::uint32_t r = 0; r < t.facts.size(); ++r) {
    counts.push_back(static_cast<std::uint32_t>(t.facts.Of(r).size()));
    total += counts.back();
  }
  w.Array(std::span<const std::uint32_t>(counts));
  // The facts as one array, written list by list (no copy of them all).
  w.Int<std::uint64_t>(total);
  for (std::uint32_t r = 0; r < t.facts.size(); ++r) w.Elements(t.facts.Of(r));
}

bool FactOrder(const ResidentFact& a, const ResidentFact& b) {
  return a.effective != b.effective ? a.effective < b.effective : a.seq < b.seq;
}

// Each list sorted by (effective, seq), every kind known, the counts adding up.
bool ValidFacts(const std::vector<std::uint32_t>& counts, const std::vector<ResidentFact>& facts) {
  std::uint64_t at = 0;
  for (std::uint32_t n : counts) {
    if (n > facts.size() - at) return false;
    for (std::uint64_t i = at; i < at + n; ++i) {
      if (facts[i].kind > ResidentFactKind::kUnlisted) return false;
      if (i > at && FactOrder(facts[i], facts[i - 1])) return false;
    }
    at += n;
  }
  return at == facts.size();
}

bool GetResidents(Reader& r, ResidentTable& t) {
  std::vector<std::uint32_t> counts;
  std::vector<ResidentFact> facts;
  if (!r.Array(t.pseudonym) || !r.Array(t.birth_days) || !r.Array(t.sex) || !r.Array(counts) || !r.Array(facts)) {
    return false;
  }
  const std::size_t n = t.pseudonym.size();
  if (t.birth_days.size() != n || t.sex.size() != n || counts.size() != n || !ValidFacts(counts, facts)) return false;
  t.birth_ymd.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const domain::Date birth = domain::DateFromDays(t.birth_days[i]);
    if (!birth.ok()) return false;
    t.birth_ymd[i] = domain::YmdOf(birth);
  }
  t.facts = ResidentFacts::FromLists(std::move(counts), std::move(facts));
  return true;
}

void PutClinics(Writer& w, const ClinicTable& t) {
  PutList(w, t.id);
  PutLists(w, t.names);
  PutLists(w, t.registrations);
  PutLists(w, t.operators);
  PutLists(w, t.closures);
  PutLists(w, t.distances);
  PutLists(w, t.cnis);
  PutLists(w, t.list_caps);
  PutLists(w, t.performance);
  PutLists(w, t.visits);
  PutLists(w, t.missions);
  PutLists(w, t.listed_residents);
}

bool GetClinics(Reader& r, ClinicTable& t) {
  if (!GetList(r, t.id)) return false;
  const std::size_t n = t.id.size();
  return GetLists(r, t.names, n) && GetLists(r, t.registrations, n) && GetLists(r, t.operators, n) &&
         GetLists(r, t.closures, n) && GetLists(r, t.distances, n) &&
         GetLists(r, t.cnis, n) && GetLists(r, t.list_caps, n) && GetLists(r, t.performance, n) && GetLists(r, t.visits, n) &&
         GetLists(r, t.missions, n) && GetLists(r, t.listed_residents, n);
}

}  // namespace

namespace {

void PutProjection(Writer& w, const Projection& p) {
  w.Bytes(kMagic);
  w.Int<std::uint64_t>(p.applied_seq().value());
  PutResidents(w, p.residents());
  PutClinics(w, p.clinics());
  PutList(w, p.rulebooks());
  PutList(w, p.budget_frames());
  PutList(w, p.ledger().entries());
  PutList(w, p.ledger().runs());
  PutList(w, p.affects_from());
}

}  // namespace

std::string SerializeProjection(const Projection& p) {
  Writer counter(true);
  PutProjection(counter, p);
  Writer w;
  w.Reserve(counter.size());
  PutProjection(w, p);
  LEDGER_ASSERT(w.size() == counter.size());
  return w.Take();
}

Result<Projection> DeserializeProjection(std::string_view bytes) {
  Reader r(bytes);
  std::string magic;
  std::uint64_t applied_seq = 0;
  ResidentTable residents;
  ClinicTable clinics;
  std::vector<RulebookFact> rulebooks;
  std::vector<BudgetFrameFact> budget_frames;
  std::vector<BookedEntry> entries;
  std::vector<BookedRun> runs;
  std::vector<std::int32_t> affects_from;
  if (!r.Bytes(magic) || magic != kMagic || !r.Int(applied_seq) || !GetResidents(r, residents) ||
      !GetClinics(r, clinics) || !GetList(r, rulebooks) || !GetList(r, budget_frames) || !GetList(r, entries) || !GetList(r, runs) ||
      !GetList(r, affects_from) || affects_from.size() != applied_seq || !r.AtEnd()) {
    return Fail(ErrorCode::kCorruption, "the projection checkpoint does not decode");
  }
  return Projection::FromTables(std::move(residents), std::move(clinics), std::move(rulebooks), std::move(budget_frames),
                                LedgerTable::FromLists(std::move(entries), std::move(runs)), std::move(affects_from),
                                domain::Seq(applied_seq));
}

}  // namespace capledger::projection
