#include "projection/checkpoint.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>
#include <span>
#include <thread>
#include <type_traits>

#include <fmt/format.h>

#include "codec/flatbuffer_codec.h"
#include "codec/rulebook_codec.h"
#include "common/assert.h"
#include "common/thread.h"
#include "projection/resident_facts.h"

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

// Writes the checkpoint's bytes to a sink, or (counting) only adds up how many there will be.
// Small writes are gathered into pieces of kPieceBytes; an array at least that large goes to the
// sink as it lies in memory, uncopied. The first error of the sink stops every later write.
class Writer {
 public:
  static constexpr std::size_t kPieceBytes = 64u << 10;
  // Counts only.
  Writer() = default;
  explicit Writer(const CheckpointSink& sink) : sink_(&sink) { piece_.reserve(kPieceBytes); }

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
  // Hands the last gathered bytes to the sink; the sink's first error, if any.
  Status Finish() {
    Flush();
    return status_;
  }
  std::uint64_t size() const { return size_; }

 private:
  void Append(const char* data, std::size_t n) {
    size_ += n;
    if (sink_ == nullptr || n == 0) return;
    if (piece_.size() + n <= kPieceBytes) {
      piece_.append(data, n);
      return;
    }
    Flush();
    if (n < kPieceBytes) {
      piece_.append(data, n);
    } else if (status_) {
      status_ = (*sink_)(std::string_view(data, n));
    }
  }
  void Flush() {
    if (!piece_.empty() && status_) status_ = (*sink_)(piece_);
    piece_.clear();
  }
  const CheckpointSink* sink_ = nullptr;
  std::string piece_;
  std::uint64_t size_ = 0;
  Status status_;
};

// Reads the checkpoint's bytes from a source, piece by piece, never holding more than the piece
// at hand. Every count is checked against the bytes left before anything is allocated for it.
class Reader {
 public:
  explicit Reader(const CheckpointSource& source) : source_(source), left_(source.bytes) {}
  template <typename T>
  bool Int(T& value) {
    static_assert(std::is_integral_v<T>);
    return Copy(reinterpret_cast<char*>(&value), sizeof(T));
  }
  // The count, then the elements. A column the log's tail appends to is given room to grow
  // (GrowthCapacity).
  enum class Room { kExact, kGrowth };
  template <typename T>
  bool Array(std::vector<T>& items, Room room = Room::kExact) {
    static_assert(kRawCopyable<T>);
    std::uint64_t n = 0;
    if (!Count(n) || n > left_ / sizeof(T)) return false;
    if (room == Room::kGrowth) items.reserve(GrowthCapacity(n));
    items.resize(n);
    return Copy(reinterpret_cast<char*>(items.data()), n * sizeof(T));
  }
  bool Count(std::uint64_t& n) { return Int(n) && n <= kCountMax; }
  bool Bytes(std::string& out) {
    std::uint64_t n = 0;
    if (!Int(n) || n > left_) return false;
    out.resize(n);
    return Copy(out.data(), n);
  }
  // Every byte read, and the source agrees that there are no more.
  bool AtEnd() {
    if (left_ != 0 || at_ != piece_.size()) return false;
    auto piece = source_.next();
    if (!piece) return Failed(piece.error());
    return piece->empty();
  }
  // The source's own error, if reading stopped on one.
  const std::optional<Error>& source_error() const { return source_error_; }

 private:
  bool Copy(char* out, std::size_t n) {
    if (n > left_) return false;
    while (n > 0) {
      if (at_ == piece_.size()) {
        auto piece = source_.next();
        if (!piece) return Failed(piece.error());
        if (piece->empty()) return false;
        piece_ = *piece;
        at_ = 0;
      }
      const std::size_t take = std::min(n, piece_.size() - at_);
      std::memcpy(out, piece_.data() + at_, take);
      out += take;
      at_ += take;
      n -= take;
      left_ -= take;
    }
    return true;
  }
  bool Failed(const Error& error) {
    source_error_ = error;
    return false;
  }
  const CheckpointSource& source_;
  std::uint64_t left_;
  std::string_view piece_;
  std::size_t at_ = 0;
  std::optional<Error> source_error_;
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
bool GetList(Reader& r, std::vector<std::int32_t>& list, Reader::Room room = Reader::Room::kExact) {
  return r.Array(list, room);
}

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

// The YYYYMMDD of each of `days` into `ymd` (sized alike), through a table of the days from the
// earliest to the latest: at Sweden scale some 40,000 conversions instead of 10 million. False if
// a day is not a date, or if they span more than 2^20 days (2,870 years: birth days come from
// personnummer, which span three centuries, so no checkpoint this build wrote has them).
bool YmdOfDays(std::span<const std::int32_t> days, std::span<std::int32_t> ymd) {
  constexpr std::int64_t kTableDaysMax = std::int64_t{1} << 20;
  if (days.empty()) return true;
  const auto [lowest, highest] = std::minmax_element(days.begin(), days.end());
  const std::int32_t first = *lowest;
  if (std::int64_t{*highest} - first >= kTableDaysMax) return false;
  std::vector<std::int32_t> table(static_cast<std::size_t>(*highest - first) + 1);
  for (std::size_t d = 0; d < table.size(); ++d) {
    const domain::Date date = domain::DateFromDays(first + static_cast<std::int32_t>(d));
    if (!date.ok()) return false;
    table[d] = domain::YmdOf(date);
  }
  for (std::size_t i = 0; i < days.size(); ++i) ymd[i] = table[static_cast<std::size_t>(days[i] - first)];
  return true;
}

// The residents' columns after their pseudonyms (which the caller has read into t.pseudonym and
// may be indexing on another thread: this reads t.pseudonym's size only).
bool GetResidentsAfterPseudonyms(Reader& r, ResidentTable& t) {
  std::vector<std::uint32_t> counts;
  std::vector<ResidentFact> facts;
  constexpr auto kGrowth = Reader::Room::kGrowth;
  if (!r.Array(t.birth_days, kGrowth) || !r.Array(t.sex, kGrowth) || !r.Array(counts) || !r.Array(facts)) return false;
  const std::size_t n = t.pseudonym.size();
  if (t.birth_days.size() != n || t.sex.size() != n || counts.size() != n || !ValidFacts(counts, facts)) return false;
  t.birth_ymd.reserve(GrowthCapacity(n));
  t.birth_ymd.resize(n);
  if (!YmdOfDays(t.birth_days, t.birth_ymd)) return false;
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

Status SerializeProjection(const Projection& p, const CheckpointSink& sink) {
  Writer w(sink);
  PutProjection(w, p);
  return w.Finish();
}

std::string SerializeProjection(const Projection& p) {
  // Counted first, so that the string is reserved once: a Sweden-size state is not regrown.
  Writer counter;
  PutProjection(counter, p);
  std::string out;
  out.reserve(counter.size());
  const CheckpointSink append = [&out](std::string_view bytes) -> Status {
    out.append(bytes);
    return {};
  };
  auto written = SerializeProjection(p, append);
  LEDGER_ASSERT(written && out.size() == counter.size());
  return out;
}

Result<Projection> DeserializeProjection(const CheckpointSource& source, const ResidentIndexing& indexing) {
  Reader r(source);
  std::string magic;
  std::uint64_t applied_seq = 0;
  ResidentTable residents;
  ClinicTable clinics;
  std::vector<RulebookFact> rulebooks;
  std::vector<BudgetFrameFact> budget_frames;
  std::vector<BookedEntry> entries;
  std::vector<BookedRun> runs;
  std::vector<std::int32_t> affects_from;
  if (!r.Bytes(magic) || magic != kMagic || !r.Int(applied_seq) || !r.Array(residents.pseudonym, Reader::Room::kGrowth)) {
    if (r.source_error()) return tl::unexpected(*r.source_error());
    return Fail(ErrorCode::kCorruption, "the projection checkpoint does not decode");
  }
  // The pseudonym index is made on a thread of its own while the rest is read (at Sweden scale,
  // 10 million random inserts, or a pass over 10 million pseudonyms, beside 0.5 GiB of facts);
  // joined on every path out. The thread reads the pseudonym column only, which stays in place.
  std::optional<PseudonymIndex> index;
  std::optional<Projection::ResidentResolution> resolution;
  std::thread indexer = StartThread("checkpoint-index", [&] {
    if (!indexing.wanted) {
      index = PseudonymIndex::Of(residents.pseudonym);
    } else if (auto wanted = indexing.wanted()) {
      resolution = Projection::ResolveAmong(residents.pseudonym, std::move(*wanted));
    }
  });
  struct Join {
    std::thread& thread;
    ~Join() {
      if (thread.joinable()) thread.join();
    }
  } join{indexer};
  const bool decoded = GetResidentsAfterPseudonyms(r, residents) && GetClinics(r, clinics) && GetList(r, rulebooks) &&
                       GetList(r, budget_frames) && GetList(r, entries) && GetList(r, runs) &&
                       GetList(r, affects_from, Reader::Room::kGrowth) && affects_from.size() == applied_seq && r.AtEnd();
  if (r.source_error()) return tl::unexpected(*r.source_error());
  if (!decoded) return Fail(ErrorCode::kCorruption, "the projection checkpoint does not decode");
  indexer.join();
  Projection p = Projection::FromTables(std::move(residents), std::move(clinics), std::move(rulebooks),
                                        std::move(budget_frames), LedgerTable::FromLists(std::move(entries), std::move(runs)),
                                        std::move(affects_from), domain::Seq(applied_seq), std::move(index));
  if (resolution) p.AdoptResolution(std::move(*resolution));
  return p;
}

Result<Projection> DeserializeProjection(std::string_view bytes) {
  bool given = false;
  const CheckpointSource source{bytes.size(), [&]() -> Result<std::string_view> {
                                  if (given) return std::string_view();
                                  given = true;
                                  return bytes;
                                }};
  return DeserializeProjection(source);
}

}  // namespace capledger::projection
