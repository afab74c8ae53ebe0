// The bitemporal projections of the log (DOMAIN.md §6): residents, listings, clinics, CNI
// deliveries, performance and visit reports, rulebooks and retractions, each answering "as of
// effective date D, as known at K".
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/error.h"
#include "domain/age.h"
#include "domain/calculation.h"
#include "domain/event.h"
#include "domain/ids.h"
#include "projection/facts.h"
#include "projection/index_cache.h"
#include "projection/ledger_table.h"
#include "projection/pseudonym_index.h"
#include "projection/resident_facts.h"

namespace capledger::projection {

// Finds the event a retraction names: its seq and body. The store provides it from its ids index;
// tests may back it with a map.
struct RetractionTarget {
  domain::Seq seq;
  domain::EventBody body;
};
using TargetLookup = std::function<Result<RetractionTarget>(std::string_view id)>;

// Flags for what a resident's fold on D found odd (DOMAIN.md §4.1: anomalies never change the
// calculation; they are reported).
enum Anomaly : std::uint32_t {
  kListedNonResident = 1u << 0,       // listed at a clinic but not a resident on D
  kUnlistingElsewhere = 1u << 1,      // unlisted at a clinic the resident was not listed at
  kEventBeforeBirth = 1u << 2,        // an event effective before the birth date
  kRegistrationAfterDeath = 1u << 3,  // registered again after a death
  kTooManyChanges = 1u << 4,          // more than two listing changes in the 12 months up to D,
                                      // counting changes effective from 2022-07-01 (the law's start)
};
inline constexpr int kAnomalyKinds = 5;

// The stable code of an anomaly flag bit ("listed_non_resident", ...).
std::string_view AnomalyCode(int bit);

// The result of folding one resident's facts on D as known at K.
struct ResidentState {
  bool resident = false;
  int clinic = -1;               // dense clinic id the resident is listed at, or -1
  std::uint32_t listed_seq = 0;  // the PatientListed that put them there
  std::uint32_t anomalies = 0;   // Anomaly flags
};

// Residents: dense ids in order of first appearance, parallel flat arrays.
struct ResidentTable {
  std::vector<domain::Pseudonym> pseudonym;
  std::vector<std::int32_t> birth_days;  // days since epoch
  std::vector<std::int32_t> birth_ymd;   // the same date as yyyymmdd (see domain::AgeFromYmd)
  std::vector<std::uint8_t> sex;
  ResidentFacts facts;                   // each resident's list sorted by (effective, seq)
  friend bool operator==(const ResidentTable&, const ResidentTable&) = default;
};


// Clinics: dense ids in order of first appearance (a listing may name a clinic before it is
// registered), parallel arrays of per-clinic fact lists.
struct ClinicTable {
  friend bool operator==(const ClinicTable&, const ClinicTable&) = default;
  std::vector<domain::ClinicId> id;
  std::vector<std::vector<NameFact>> names;               // from registrations and changes
  std::vector<std::vector<DatedFact>> registrations;      // sorted by (effective, seq); value: municipality
  std::vector<std::vector<DatedFact>> operators;          // value: domain::Operator, from registrations and changes
  std::vector<std::vector<DatedFact>> closures;
  std::vector<std::vector<DatedFact>> distances;
  std::vector<std::vector<DatedFact>> cnis;
  std::vector<std::vector<DatedFact>> list_caps;          // value: the cap, 0 when lifted
  std::vector<std::vector<PerformanceFact>> performance;  // seq order
  std::vector<std::vector<VisitFact>> visits;             // seq order
  std::vector<std::vector<MissionFact>> missions;         // sorted by (effective, seq)
  std::vector<std::vector<std::uint32_t>> listed_residents;  // ever listed here, once each
};

// All projections together. Apply events in seq order; query at any D and K <= applied_seq().
// Not thread-safe for writing; concurrent const queries are safe.
class Projection {
 public:
  Projection() = default;

  // Applies the event with the next seq (REQUIRES seq == applied_seq() + 1). Ledger events go
  // to ledger(). A retraction resolves its target with `lookup`; kNotFound or kCorruption from it
  // is returned and nothing is applied.
  Status Apply(domain::Seq seq, const domain::EventBody& body, const TargetLookup& lookup);

  // Asks the CPU to fetch the pseudonym index's slot of the resident `body` names (if any), for
  // an Apply of `body` some events later: a replay, which holds its events in batches, then finds
  // each lookup's slot in the cache instead of waiting for memory (at Sweden scale the index is
  // 256 MiB). Changes nothing; not needed for correctness.
  void Prefetch(const domain::EventBody& body) const;

  // The earliest day that an event with seq in (after_seq, upto_seq] can change a count or an
  // amount on (INT32_MAX if none can): a month whose last day is earlier is as it was at
  // after_seq. Conservative: a report counts from its period's first day, a rulebook from its
  // valid_from, a re-registration from the earlier opening date, a retraction as its target.
  std::int32_t EarliestDayAffected(domain::Seq after_seq, domain::Seq upto_seq) const;

  // The last applied seq (0 when empty).
  domain::Seq applied_seq() const { return applied_seq_; }

  const ResidentTable& residents() const { return residents_; }
  const ClinicTable& clinics() const { return clinics_; }
  const std::vector<RulebookFact>& rulebooks() const { return rulebooks_; }
  const std::vector<BudgetFrameFact>& budget_frames() const { return budget_frames_; }
  // The ledger's own events: booked entries and completed runs.
  const LedgerTable& ledger() const { return ledger_; }

  // The dense id of a resident or clinic, if known. While the resident index is deferred (see
  // AdoptResolution), a pseudonym it was not resolved for is looked for through every
  // resident's pseudonym (tens of milliseconds at Sweden scale; a command asks a few).
  std::optional<std::uint32_t> ResidentIndex(const domain::Pseudonym& pseudonym) const;
  std::optional<std::uint16_t> ClinicIndex(const domain::ClinicId& clinic) const;

  // --- Queries at effective date `on` (days since epoch) as known at `known_at` -------------

  // The rulebook in force for `month` and the seq that published it; nullptr if none.
  const RulebookFact* RulebookInForce(domain::Month month, domain::Seq known_at) const;
  // Every rulebook published and not retracted as known at `known_at`, in seq order.
  std::vector<const RulebookFact*> RulebooksKnownAt(domain::Seq known_at) const;

  // Folds one resident's facts effective on or before `on` (DOMAIN.md §6.2).
  ResidentState FoldResident(std::uint32_t resident, std::int32_t on, domain::Seq known_at) const;

  // The display name as known at K: the latest visible registration or change that gave one
  // (empty if none).
  std::string NameAt(std::uint16_t clinic, domain::Seq known_at) const;
  // The opening date (days) per the latest visible registration, if registered.
  std::optional<std::int32_t> OpeningDay(std::uint16_t clinic, domain::Seq known_at) const;
  // Registered, opened on or before `on`, and not closed on or before `on`.
  bool OpenOn(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const;
  // The list cap in force on `on` (the latest ClinicChanged with list_cap effective on or before
  // it, ties by seq); empty if none or lifted (0).
  std::optional<std::int64_t> ListCapOn(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const;
  // Open on at least one day of `month` (DOMAIN.md §6 step 3: its visits are paid).
  bool OpenInMonth(std::uint16_t clinic, domain::Month month, domain::Seq known_at) const;
  // The attribute with the latest effective date on or before `on`, ties by highest seq.
  std::optional<std::int64_t> DistanceOn(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const;
  std::optional<std::int64_t> CniOn(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const;
  // Who runs the clinic on `on` (its registration, or a later ClinicChanged with an operator).
  std::optional<domain::Operator> OperatorOn(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const;
  // The kommun code of the latest visible registration, if registered.
  std::optional<std::uint16_t> Municipality(std::uint16_t clinic, domain::Seq known_at) const;
  // The latest (by seq) performance report covering `month`, and its seq.
  const PerformanceFact* PerformanceFor(std::uint16_t clinic, domain::Month month, domain::Seq known_at) const;
  // The latest (by seq) visit report for `month`.
  const VisitFact* VisitsFor(std::uint16_t clinic, domain::Month month, domain::Seq known_at) const;
  // The optional missions the clinic offers on `on` (DOMAIN.md §9): for each mission, the latest
  // MissionUndertaken or MissionEnded effective on or before `on` (ties by the highest seq), if
  // it is a MissionUndertaken. By mission id ascending.
  std::vector<domain::OfferedMission> MissionsOn(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const;
  // The latest budget frame for `year` as known at K (DOMAIN.md §10), if any.
  const BudgetFrameFact* BudgetFrameFor(int year, domain::Seq known_at) const;

  // Everyone listed at each clinic on `on`, by age (indexed by dense clinic id), and how many
  // residents raised each anomaly flag (indexed by bit number).
  struct Listing {
    std::vector<domain::AgeCounts> by_clinic;
    std::array<std::int64_t, kAnomalyKinds> anomaly_residents{};
  };
  // Answered by folding every resident the first time `on` is asked, and from the snapshot index
  // of `on` from the second (built then, and kept current): see IndexCache.
  Listing ListedByClinic(std::int32_t on, domain::Seq known_at) const;
  // The same by folding every resident, for several dates at once, in one pass over the residents (a payout run needs the
  // month and the months it corrects). REQUIRES `days` strictly ascending; one Listing per day.
  std::vector<Listing> ListedByClinicOn(std::span<const std::int32_t> days, domain::Seq known_at) const;
  // Those listed at one clinic on `on`, by age: the first time `on` is asked, by folding only the
  // residents ever listed there; from the second, from the snapshot index of `on`.
  domain::AgeCounts ListedAtClinic(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const;
  // True if the snapshot index of `on` is kept (built by a second question about `on`).
  bool HasSnapshotIndex(std::int32_t on) const;
  // Builds the snapshot index of every date asked once (IndexCache::BuildAskedOnce), for a
  // server's idle time. REQUIRES that nothing is applied until it returns.
  void BuildAskedSnapshotIndexes() const { index_cache_.BuildAskedOnce(*this); }
  // The residents listed at one clinic on `on` (resident, listed there and born), each with
  // their age and the seq of the PatientListed that placed them, in dense id order.
  struct CountedResident {
    std::uint32_t resident = 0;
    int age = 0;
    std::uint32_t listed_seq = 0;
  };
  std::vector<CountedResident> CountedAt(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const;
  // True if at least one resident is listed at the clinic on `on` (stops at the first).
  bool AnyListedAt(std::uint16_t clinic, std::int32_t on, domain::Seq known_at) const;

  friend bool operator==(const Projection&, const Projection&) = default;

  // Rebuilds a projection from its tables (checkpoint loading); the indexes are derived. The
  // residents' is `resident_index` (PseudonymIndex::Of(residents.pseudonym)) if given, else it is
  // deferred: resolved later for the pseudonyms a tail names (AdoptResolution), and built whole
  // only if an Apply names a pseudonym never resolved.
  static Projection FromTables(ResidentTable residents, ClinicTable clinics, std::vector<RulebookFact> rulebooks,
                               std::vector<BudgetFrameFact> budget_frames, LedgerTable ledger,
                               std::vector<std::int32_t> affects_from, domain::Seq applied_seq,
                               std::optional<PseudonymIndex> resident_index);
  // Which of `wanted` are among `residents` (a residents' pseudonym column), and under which id;
  // one pass over the column, through a bit filter, so that it can run on another thread while
  // the column's projection is still being read.
  struct ResidentResolution {
    std::vector<std::pair<domain::Pseudonym, std::uint32_t>> found;
    std::vector<domain::Pseudonym> absent;  // sorted
  };
  static ResidentResolution ResolveAmong(std::span<const domain::Pseudonym> residents,
                                         std::vector<domain::Pseudonym> wanted);
  // With the resident index deferred, indexes `resolution` (of this projection's residents, as
  // they are now): the found under their ids, the absent noted as such (an Apply that names one
  // adds a resident, as it would). So the events that name only resolved pseudonyms are applied
  // without building the whole index (256 MiB and half a second at Sweden scale). Does nothing if
  // the index is whole.
  void AdoptResolution(ResidentResolution resolution);
  // True if the resident index covers every resident (not deferred).
  bool ResidentIndexWhole() const { return index_coverage_.whole; }
  // Every event's earliest affected day, by seq - 1 (checkpoints keep it).
  const std::vector<std::int32_t>& affects_from() const { return affects_from_; }

 private:
  // Folds one event of each type into the tables (projection.cc). It has one overload per
  // EventBody type, so an event type it does not handle stops the build.
  struct Folder;

  std::uint32_t EnsureResident(const domain::ResidentRef& ref);
  // The dense id of `pseudonym`, for an Apply: builds the whole resident index first if it is
  // deferred and `pseudonym` was never resolved.
  std::optional<std::uint32_t> FindResident(const domain::Pseudonym& pseudonym);
  // True if resident_index_ answers for `pseudonym`: it is whole, or `pseudonym` was resolved as
  // absent (a miss in it is then the answer).
  bool IndexCovers(const domain::Pseudonym& pseudonym) const;
  std::uint16_t EnsureClinic(const domain::ClinicId& clinic);
  void AddResidentFact(const domain::ResidentRef& ref, ResidentFact fact);
  // Folds residents [first, last) on each of `days` into `listings` (one per day).
  void FoldRange(std::uint32_t first, std::uint32_t last, std::span<const std::int32_t> days,
                 std::span<const std::int32_t> on_ymd, domain::Seq known_at, std::vector<Listing>& listings) const;
  std::int32_t AffectsFrom(const domain::EventBody& body) const;
  Status ApplyRetraction(std::uint32_t seq, const domain::EventRetracted& retraction, const TargetLookup& lookup);
  void RetractTarget(std::uint32_t target_seq, const domain::EventBody& target, std::uint32_t retraction_seq);

  ResidentTable residents_;
  ClinicTable clinics_;
  std::vector<RulebookFact> rulebooks_;
  std::vector<BudgetFrameFact> budget_frames_;
  LedgerTable ledger_;
  IndexCache index_cache_;
  // The resident the event being applied changed, and the day of the fact (for index_cache_).
  std::int64_t touched_resident_ = -1;
  std::int32_t touched_effective_ = 0;
  PseudonymIndex resident_index_;
  // Which pseudonyms resident_index_ answers for: every resident's, or (deferred) those resolved
  // by AdoptResolution and the residents added since, with `absent` the resolved ones that were
  // not residents then.
  struct IndexCoverage {
    bool whole = true;
    std::vector<domain::Pseudonym> absent;  // sorted
    friend bool operator==(const IndexCoverage&, const IndexCoverage&) { return true; }  // derived state
  };
  IndexCoverage index_coverage_;
  std::unordered_map<domain::ClinicId, std::uint16_t> clinic_index_;
  domain::Seq applied_seq_;
  std::vector<std::int32_t> affects_from_;  // per seq - 1: the earliest day the event can change
  std::int32_t retracted_affects_from_ = 0;  // set by ApplyRetraction for AffectsFrom
};

}  // namespace capledger::projection
