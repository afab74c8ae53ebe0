#include "domain/event.h"

#include <array>

namespace capledger::domain {
namespace {

constexpr std::array<std::string_view, kEventTypeCount> kTypeNames = {
    "ResidentRegistered", "ResidentMovedOut", "ResidentDied", "ResidentRelocated", "PatientListed",
    "PatientUnlisted", "ClinicRegistered", "ClinicChanged", "ClinicClosed", "RulebookPublished",
    "CniReported", "PerformanceReported", "VisitsReported", "EventRetracted", "LedgerEntry",
    "PayoutRun", "MissionUndertaken", "MissionEnded", "BudgetFrameSet", "FollowUpPublished"};

constexpr std::array<std::string_view, 3> kRegistrationReasons = {"birth", "moved_in", "initial"};
constexpr std::array<std::string_view, 5> kListingReasons = {"choice", "proximity", "newborn",
                                                             "queue_opening", "transfer"};
constexpr std::array<std::string_view, 4> kUnlistingReasons = {"choice_elsewhere", "clinic_closed",
                                                               "moved", "other"};
constexpr std::array<std::string_view, 2> kOperators = {"region", "private"};
constexpr std::array<std::string_view, kComponentCount> kComponentNames = {
    "capitation", "performance", "visits", "start_grant", "cni_supplement", "distance_supplement",
    "missions"};
constexpr std::array<std::string_view, 2> kEntryKinds = {"regular", "adjustment"};
constexpr std::array<std::string_view, 2> kSexes = {"female", "male"};

template <typename Enum, std::size_t N>
std::string_view NameIn(const std::array<std::string_view, N>& names, Enum value) {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index] : std::string_view("unknown");
}

template <typename Enum, std::size_t N>
std::optional<Enum> FromNameIn(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

EventType TypeOf(const EventBody& body) { return static_cast<EventType>(body.index() + 1); }

std::string_view EventTypeName(EventType type) {
  const auto index = static_cast<std::size_t>(type);
  return index >= 1 && index <= kTypeNames.size() ? kTypeNames[index - 1] : std::string_view("unknown");
}

std::optional<EventType> EventTypeFromName(std::string_view name) {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<EventType>(i + 1);
  }
  return std::nullopt;
}

bool IsLedgerType(EventType type) {
  return type == EventType::kLedgerEntry || type == EventType::kPayoutRun || type == EventType::kFollowUpPublished;
}

const ResidentRef* ResidentOf(const EventBody& body) {
  return std::visit(
      [](const auto& e) -> const ResidentRef* {
        if constexpr (requires { e.resident; }) {
          return &e.resident;
        } else {
          return nullptr;
        }
      },
      body);
}

const ClinicId* ClinicOf(const EventBody& body) {
  return std::visit(
      [](const auto& e) -> const ClinicId* {
        if constexpr (requires { e.clinic; }) {
          return &e.clinic;
        } else {
          return nullptr;
        }
      },
      body);
}

std::string_view Name(RegistrationReason v) { return NameIn(kRegistrationReasons, v); }
std::string_view Name(ListingReason v) { return NameIn(kListingReasons, v); }
std::string_view Name(UnlistingReason v) { return NameIn(kUnlistingReasons, v); }
std::string_view Name(Operator v) { return NameIn(kOperators, v); }
std::string_view Name(Component v) { return NameIn(kComponentNames, v); }
std::string_view Name(EntryKind v) { return NameIn(kEntryKinds, v); }
std::string_view Name(Sex v) { return NameIn(kSexes, v); }

std::optional<RegistrationReason> RegistrationReasonFromName(std::string_view n) {
  return FromNameIn<RegistrationReason>(kRegistrationReasons, n);
}
std::optional<ListingReason> ListingReasonFromName(std::string_view n) {
  return FromNameIn<ListingReason>(kListingReasons, n);
}
std::optional<UnlistingReason> UnlistingReasonFromName(std::string_view n) {
  return FromNameIn<UnlistingReason>(kUnlistingReasons, n);
}
std::optional<Operator> OperatorFromName(std::string_view n) { return FromNameIn<Operator>(kOperators, n); }
std::optional<Component> ComponentFromName(std::string_view n) { return FromNameIn<Component>(kComponentNames, n); }
std::optional<EntryKind> EntryKindFromName(std::string_view n) { return FromNameIn<EntryKind>(kEntryKinds, n); }
std::optional<Sex> SexFromName(std::string_view n) { return FromNameIn<Sex>(kSexes, n); }

}  // namespace capledger::domain
