// Every event of DOMAIN.md §4 (and the ledger's own, §8) as a plain value.
//
// These are the decoded, validated, pseudonymized forms: a resident appears as a Pseudonym with the
// birth date and sex derived from the personnummer, never as the personnummer itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "domain/cni.h"
#include "domain/date.h"
#include "domain/ids.h"
#include "domain/money.h"
#include "domain/pseudonym.h"
#include "domain/rulebook.h"
#include "domain/seq.h"

namespace capledger::domain {

// A resident as the events carry them.
struct ResidentRef {
  Pseudonym pseudonym;
  Date birth_date;
  Sex sex = Sex::kFemale;
  friend bool operator==(const ResidentRef&, const ResidentRef&) = default;
};

enum class RegistrationReason : std::uint8_t { kBirth = 0, kMovedIn = 1, kInitial = 2 };
enum class ListingReason : std::uint8_t {
  kChoice = 0, kProximity = 1, kNewborn = 2, kQueueOpening = 3, kTransfer = 4 };
enum class UnlistingReason : std::uint8_t { kChoiceElsewhere = 0, kClinicClosed = 1, kMoved = 2, kOther = 3 };
enum class Operator : std::uint8_t { kRegion = 0, kPrivate = 1 };
enum class Component : std::uint8_t {
  kCapitation = 0, kPerformance = 1, kVisits = 2, kStartGrant = 3, kCniSupplement = 4,
  kDistanceSupplement = 5, kMissions = 6 };
enum class EntryKind : std::uint8_t { kRegular = 0, kAdjustment = 1 };

inline constexpr int kComponentCount = 7;
// Every component in its order (the order of reports, ledgers and their JSON).
inline constexpr Component kComponents[kComponentCount] = {
    Component::kCapitation,    Component::kPerformance,   Component::kVisits,
    Component::kStartGrant,    Component::kCniSupplement, Component::kDistanceSupplement,
    Component::kMissions};

struct ResidentRegistered {
  ResidentRef resident;
  Date effective;
  std::uint16_t municipality = 0;  // kommun code, 4 digits when printed ("0114")
  RegistrationReason reason = RegistrationReason::kInitial;
  friend bool operator==(const ResidentRegistered&, const ResidentRegistered&) = default;
};

struct ResidentMovedOut {
  ResidentRef resident;
  Date effective;
  friend bool operator==(const ResidentMovedOut&, const ResidentMovedOut&) = default;
};

struct ResidentDied {
  ResidentRef resident;
  Date effective;
  friend bool operator==(const ResidentDied&, const ResidentDied&) = default;
};

struct ResidentRelocated {
  ResidentRef resident;
  Date effective;
  std::uint16_t municipality = 0;
  friend bool operator==(const ResidentRelocated&, const ResidentRelocated&) = default;
};

struct PatientListed {
  ResidentRef resident;
  ClinicId clinic;
  Date effective;
  ListingReason reason = ListingReason::kChoice;
  friend bool operator==(const PatientListed&, const PatientListed&) = default;
};

struct PatientUnlisted {
  ResidentRef resident;
  ClinicId clinic;
  Date effective;  // the first day the resident is no longer listed at `clinic`
  UnlistingReason reason = UnlistingReason::kOther;
  friend bool operator==(const PatientUnlisted&, const PatientUnlisted&) = default;
};

struct ClinicRegistered {
  ClinicId clinic;
  std::string name;
  Operator op = Operator::kRegion;
  std::uint16_t municipality = 0;
  std::int32_t distance_to_hospital_km_tenths = 0;  // "42.5" km -> 425
  Date effective;                                   // opening date
  friend bool operator==(const ClinicRegistered&, const ClinicRegistered&) = default;
};

struct ClinicChanged {
  ClinicId clinic;
  Date effective;
  std::optional<std::string> name;
  std::optional<Operator> op;
  std::optional<std::int32_t> distance_to_hospital_km_tenths;
  std::optional<std::int64_t> list_cap;  // 0 means the cap is lifted
  friend bool operator==(const ClinicChanged&, const ClinicChanged&) = default;
};

struct ClinicClosed {
  ClinicId clinic;
  Date effective;
  friend bool operator==(const ClinicClosed&, const ClinicClosed&) = default;
};

struct RulebookPublished {
  Rulebook rulebook;
  friend bool operator==(const RulebookPublished&, const RulebookPublished&) = default;
};

struct CniReported {
  ClinicId clinic;
  Date effective;
  std::string vintage;
  std::int64_t population = 0;
  CniHits hits;
  std::optional<std::int64_t> cni_ten_thousandths;  // as SCB delivered it, if it did
  friend bool operator==(const CniReported&, const CniReported&) = default;
};

struct PerformanceReported {
  ClinicId clinic;
  Month period_from;
  Month period_to;  // inclusive
  std::int32_t fulfilment_thousandths = 0;  // "0.875" -> 875
  friend bool operator==(const PerformanceReported&, const PerformanceReported&) = default;
};

struct VisitCounts {
  std::int64_t home_visits = 0;
  std::int64_t other_listed = 0;
  std::int64_t unlisted = 0;
  std::int64_t out_of_region = 0;
  friend bool operator==(const VisitCounts&, const VisitCounts&) = default;
};

struct VisitsReported {
  ClinicId clinic;
  Month month;
  VisitCounts counts;
  friend bool operator==(const VisitsReported&, const VisitsReported&) = default;
};

// A clinic offers an optional mission from `effective` (DOMAIN.md §9); a later one for the same
// (clinic, mission) changes the units.
struct MissionUndertaken {
  ClinicId clinic;
  std::string mission;
  Date effective;
  std::optional<std::int64_t> units;  // >= 1; for per_unit missions
  friend bool operator==(const MissionUndertaken&, const MissionUndertaken&) = default;
};

// A clinic no longer offers a mission from `effective` (the first day not offered).
struct MissionEnded {
  ClinicId clinic;
  std::string mission;
  Date effective;
  friend bool operator==(const MissionEnded&, const MissionEnded&) = default;
};

// The regional council's budget frame for Hälsoval compensation in `year` (DOMAIN.md §10); a
// later one for the same year replaces it from its knowledge time on.
struct BudgetFrameSet {
  int year = 0;
  Money amount = Money::Zero();
  std::string decision;
  friend bool operator==(const BudgetFrameSet&, const BudgetFrameSet&) = default;
};

struct EventRetracted {
  EventId target;  // the id of the retracted event
  std::string reason;
  friend bool operator==(const EventRetracted&, const EventRetracted&) = default;
};

// One booked ledger line (DOMAIN.md §8), appended by the ledger itself.
struct LedgerEntry {
  EventId entry_id;
  Month run;
  ClinicId clinic;
  Month period;
  Component component = Component::kCapitation;
  EntryKind kind = EntryKind::kRegular;
  Money amount = Money::Zero();
  Seq known_at_seq;
  std::string rulebook;
  std::vector<EventId> adjusts;
  std::string debit;   // expense:halsoval:<component>
  std::string credit;  // payable:<clinic>
  friend bool operator==(const LedgerEntry&, const LedgerEntry&) = default;
};

// A difference for a month older than the retro window: reported by a run, not booked.
struct UnbookedDifference {
  ClinicId clinic;
  Month period;
  Component component = Component::kCapitation;
  Money amount = Money::Zero();
  friend bool operator==(const UnbookedDifference&, const UnbookedDifference&) = default;
};

// The record that a payout run for `run` completed at knowledge point known_at_seq.
struct PayoutRun {
  Month run;
  Seq known_at_seq;
  std::string rulebook;
  std::int64_t entry_count = 0;
  Money total = Money::Zero();
  std::vector<UnbookedDifference> unbooked;
  friend bool operator==(const PayoutRun&, const PayoutRun&) = default;
};

// The public follow-up of a year through a month was published as known at K (DOMAIN.md §11):
// `manifest_sha256` (64 lower-case hex digits) is the SHA-256 of its manifest.json, which lists
// every published file and its SHA-256. Appended by `publish`; not accepted as input.
struct FollowUpPublished {
  int year = 0;
  Month through;
  Seq known_at_seq;
  std::string manifest_sha256;
  friend bool operator==(const FollowUpPublished&, const FollowUpPublished&) = default;
};

// The body of an event. The order is the EventType order; append only.
using EventBody = std::variant<ResidentRegistered, ResidentMovedOut, ResidentDied, ResidentRelocated,
                               PatientListed, PatientUnlisted, ClinicRegistered, ClinicChanged,
                               ClinicClosed, RulebookPublished, CniReported, PerformanceReported,
                               VisitsReported, EventRetracted, LedgerEntry, PayoutRun,
                               MissionUndertaken, MissionEnded, BudgetFrameSet, FollowUpPublished>;

// Stable event type numbers (stored); 1 + the EventBody index. Append only.
enum class EventType : std::uint8_t {
  kResidentRegistered = 1, kResidentMovedOut, kResidentDied, kResidentRelocated, kPatientListed,
  kPatientUnlisted, kClinicRegistered, kClinicChanged, kClinicClosed, kRulebookPublished,
  kCniReported, kPerformanceReported, kVisitsReported, kEventRetracted, kLedgerEntry, kPayoutRun,
  kMissionUndertaken, kMissionEnded, kBudgetFrameSet, kFollowUpPublished,
};
inline constexpr int kEventTypeCount = 20;
static_assert(std::variant_size_v<EventBody> == kEventTypeCount);

// An event as offered to the log: the source's id (idempotency key), the sending system, the body.
struct Event {
  EventId id;
  std::string source;  // empty if the input had none
  EventBody body;
  friend bool operator==(const Event&, const Event&) = default;
};

// An event as the log holds it.
struct StoredEvent {
  Seq seq;
  Timestamp recorded_at;
  Event event;
  friend bool operator==(const StoredEvent&, const StoredEvent&) = default;
};

// The type of a body, and the JSON name of a type ("PatientListed").
EventType TypeOf(const EventBody& body);
std::string_view EventTypeName(EventType type);
std::optional<EventType> EventTypeFromName(std::string_view name);

// True for the types only the ledger appends (LedgerEntry, PayoutRun, FollowUpPublished).
bool IsLedgerType(EventType type);

// The resident an event is about, if any; the clinic it concerns, if any.
const ResidentRef* ResidentOf(const EventBody& body);
const ClinicId* ClinicOf(const EventBody& body);

// Names used in JSON and TOML, and back.
std::string_view Name(RegistrationReason v);
std::string_view Name(ListingReason v);
std::string_view Name(UnlistingReason v);
std::string_view Name(Operator v);
std::string_view Name(Component v);
std::string_view Name(EntryKind v);
std::string_view Name(Sex v);
std::optional<RegistrationReason> RegistrationReasonFromName(std::string_view name);
std::optional<ListingReason> ListingReasonFromName(std::string_view name);
std::optional<UnlistingReason> UnlistingReasonFromName(std::string_view name);
std::optional<Operator> OperatorFromName(std::string_view name);
std::optional<Component> ComponentFromName(std::string_view name);
std::optional<EntryKind> EntryKindFromName(std::string_view name);
std::optional<Sex> SexFromName(std::string_view name);

}  // namespace capledger::domain
