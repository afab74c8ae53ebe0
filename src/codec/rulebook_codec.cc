#include "codec/rulebook_codec.h"

#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "codec/json_event_fields.h"
#include "codec/json_object_reader.h"
#include "codec/json_out.h"
#include "codec/rulebook_toml.h"
#include "common/limits.h"

namespace capledger::codec {
namespace {

using domain::Money;
using json::FieldRef;
using json::Key;
using json::ObjectReader;
using json::Presence;

constexpr Presence kOptional = Presence::kOptional;

// The keys of DOMAIN.md §5, in the order they are checked (and written).
// decided_by and decided_on are required of a rulebook published now (DOMAIN.md §5); the stored
// form of an older one has neither, and is written without them.
constexpr Key kRulebookKeys[] = {
    {"id"},          {"title"},    {"decision"},   {"decided_by"}, {"decided_on"}, {"replaces", kOptional},
    {"valid_from"},  {"valid_until"}, {"snapshot"}, {"retro_window_months"}, {"capitation"},
    {"performance", kOptional},    {"visits", kOptional},   {"start_grant", kOptional},
    {"cni_supplement", kOptional}, {"distance_supplement", kOptional}, {"missions", kOptional}};
constexpr std::size_t kRulebookKeyCount = std::size(kRulebookKeys);

// The same keys for a stored rulebook, which may predate decided_by and decided_on.
constexpr std::array<Key, kRulebookKeyCount> StoredRulebookKeys() {
  std::array<Key, kRulebookKeyCount> keys{};
  for (std::size_t i = 0; i < kRulebookKeyCount; ++i) {
    keys[i] = kRulebookKeys[i];
    if (keys[i].name == "decided_by" || keys[i].name == "decided_on") keys[i].presence = kOptional;
  }
  return keys;
}
constexpr std::array<Key, kRulebookKeyCount> kStoredRulebookKeys = StoredRulebookKeys();
constexpr Key kBandTableKeys[] = {{"bands"}};
constexpr Key kAgeBandKeys[] = {{"min_age"}, {"amount"}};
constexpr Key kDistanceBandKeys[] = {{"min_km"}, {"amount"}};
constexpr Key kAmountKeys[] = {{"amount"}};
constexpr Key kVisitKeys[] = {{"home_visit"}, {"other_listed"}, {"unlisted"}, {"out_of_region"}};
constexpr Key kStartGrantKeys[] = {{"amount"}, {"months"}};
constexpr Key kCniSupplementKeys[] = {{"top_n"}, {"amount"}};
// One [[missions]] table (DOMAIN.md §9). basis and amount are required of an optional mission and
// refused for a base one, which is checked after the kind is known.
constexpr Key kMissionKeys[] = {{"id"},   {"title"}, {"kind"}, {"basis", kOptional}, {"amount", kOptional},
                                {"min_age", kOptional}, {"max_age", kOptional}};
// The keys only an optional mission may carry, in the order they are checked.
constexpr std::string_view kOptionalMissionOnlyKeys[] = {"basis", "amount", "min_age", "max_age"};

constexpr std::string_view kSnapshotChoices = "last_day_of_month, first_day_of_month, last_day_of_previous_month";
constexpr std::string_view kMissionKindChoices = "base, optional";
constexpr std::string_view kMissionBasisChoices = "per_unit, per_listed, fixed";
constexpr std::size_t kRulebookIdBytesMax = 64;
// A TOML file at its size limit grows a little when written as JSON (quotes around keys).
constexpr std::size_t kRulebookJsonBytesMax = 2 * limits::kInputLineBytesMax;

// The title and decision follow the free-text rule of every other text field.
static_assert(domain::kRulebookTextMax == limits::kFreeTextCharsMax);

bool IsRulebookIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

// [A-Za-z0-9._-]{1,64}, else kInvalidId: a rulebook's `id`, or the id it `replaces`.
std::string ReadRulebookId(ObjectReader& reader, std::string_view key = "id") {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return {};
  bool valid = !text.empty() && text.size() <= kRulebookIdBytesMax;
  for (char c : text) valid = valid && IsRulebookIdChar(c);
  if (!valid) {
    reader.Reject(key, RejectCode::kInvalidId, "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
    return {};
  }
  return std::string(text);
}

// Any JSON integer that fits an int; the rulebook's own limits are domain::CheckRulebook's.
int ReadInt(ObjectReader& reader, std::string_view key) {
  return static_cast<int>(reader.Integer(key, std::numeric_limits<int>::min(), std::numeric_limits<int>::max(),
                                         RejectCode::kInvalidRulebook));
}

// Reads each object of the array `bands` of `table` with `item_keys` through `read_item`, at most
// limits::kRulebookBandsMax of them (more is kInvalidRulebook).
template <typename ReadItem>
void ForEachBand(ObjectReader& table, std::span<const Key> item_keys, ReadItem read_item) {
  const simdjson::dom::array items = table.Array("bands");
  json::Problem& problem = table.problem();
  int index = 0;
  if (!problem.ok()) return;
  for (simdjson::dom::element item : items) {
    if (index == static_cast<int>(limits::kRulebookBandsMax)) {
      table.Reject("bands", RejectCode::kInvalidRulebook,
                   fmt::format("must have at most {} bands", limits::kRulebookBandsMax));
      return;
    }
    const FieldRef ref{table.path(), "bands", index++};
    const simdjson::dom::object object = json::ReadObject(problem, item, ref);
    if (!problem.ok()) return;
    const std::string path = ref.Path();
    ObjectReader band(problem, path, item_keys);
    if (!band.Load(object)) return;
    read_item(band);
    if (!problem.ok()) return;
  }
}

std::vector<domain::AgeBand> ReadAgeBands(ObjectReader& table) {
  std::vector<domain::AgeBand> bands;
  ForEachBand(table, kAgeBandKeys, [&bands](ObjectReader& band) {
    const int min_age = ReadInt(band, "min_age");
    bands.push_back(domain::AgeBand{min_age, json::ReadMoney(band, "amount")});
  });
  return bands;
}

std::vector<domain::DistanceBand> ReadDistanceBands(ObjectReader& table) {
  std::vector<domain::DistanceBand> bands;
  ForEachBand(table, kDistanceBandKeys, [&bands](ObjectReader& band) {
    const std::int32_t min_km_tenths = json::ReadDistanceTenths(band, "min_km");
    bands.push_back(domain::DistanceBand{min_km_tenths, json::ReadMoney(band, "amount")});
  });
  return bands;
}

domain::VisitRates ReadVisitRates(ObjectReader& table) {
  domain::VisitRates rates;
  rates.home_visit = json::ReadMoney(table, "home_visit");
  rates.other_listed = json::ReadMoney(table, "other_listed");
  rates.unlisted = json::ReadMoney(table, "unlisted");
  rates.out_of_region = json::ReadMoney(table, "out_of_region");
  return rates;
}

domain::StartGrant ReadStartGrant(ObjectReader& table) {
  const Money amount = json::ReadMoney(table, "amount");
  return domain::StartGrant{amount, ReadInt(table, "months")};
}

domain::CniSupplement ReadCniSupplement(ObjectReader& table) {
  const int top_n = ReadInt(table, "top_n");
  return domain::CniSupplement{top_n, json::ReadMoney(table, "amount")};
}

Money ReadAmount(ObjectReader& table) { return json::ReadMoney(table, "amount"); }

// Reads the table `key` of the rulebook with `keys` through `read`. nullopt if the table is absent
// (the caller's key list says whether that is allowed) or a problem was found.
template <typename Read>
auto ReadTable(ObjectReader& root, std::string_view key, std::span<const Key> keys, Read read)
    -> std::optional<decltype(read(root))> {
  if (!root.problem().ok() || !root.Has(key)) return std::nullopt;
  const simdjson::dom::object object = root.Object(key);
  if (!root.problem().ok()) return std::nullopt;
  const std::string path = root.Ref(key).Path();
  ObjectReader table(root.problem(), path, keys);
  if (!table.Load(object)) return std::nullopt;
  auto value = read(table);
  if (!root.problem().ok()) return std::nullopt;
  return value;
}

// The basis, amount and age limits of an optional mission; basis and amount must be given.
void ReadOptionalMission(ObjectReader& table, domain::Mission& m) {
  for (std::string_view key : {std::string_view("basis"), std::string_view("amount")}) {
    if (!table.Has(key)) {
      table.Reject(key, RejectCode::kMissingField, fmt::format("an optional mission needs `{}`", key));
      return;
    }
  }
  m.basis = json::ReadEnum(table, "basis", domain::MissionBasisFromName, kMissionBasisChoices);
  m.amount = json::ReadMoney(table, "amount");
  if (table.Has("min_age")) m.min_age = ReadInt(table, "min_age");
  if (table.Has("max_age")) m.max_age = ReadInt(table, "max_age");
}

// One loaded [[missions]] object. A base mission carries id, title and kind only: any other key is
// kUnknownField. The rules beyond shape (unique ids, age limits) are domain::CheckRulebook's.
domain::Mission ReadMission(ObjectReader& table) {
  domain::Mission m;
  m.id = json::ReadMissionId(table, "id");
  m.title = json::ReadFreeText(table, "title");
  m.kind = json::ReadEnum(table, "kind", domain::MissionKindFromName, kMissionKindChoices);
  if (!table.problem().ok()) return m;
  if (m.kind == domain::MissionKind::kOptional) {
    ReadOptionalMission(table, m);
    return m;
  }
  for (std::string_view key : kOptionalMissionOnlyKeys) {
    if (table.Has(key)) {
      table.Reject(key, RejectCode::kUnknownField,
                   fmt::format("a base mission has no `{}`: capitation pays for it", key));
    }
  }
  return m;
}

// The array `missions` of objects, at most domain::kMissionsMax of them (more is
// kInvalidRulebook); empty if the key is absent.
std::vector<domain::Mission> ReadMissions(ObjectReader& root) {
  std::vector<domain::Mission> missions;
  if (!root.problem().ok() || !root.Has("missions")) return missions;
  const simdjson::dom::array items = root.Array("missions");
  json::Problem& problem = root.problem();
  if (!problem.ok()) return missions;
  int index = 0;
  // At most kMissionsMax + 1 items are looked at.
  for (simdjson::dom::element item : items) {
    if (missions.size() == domain::kMissionsMax) {
      root.Reject("missions", RejectCode::kInvalidRulebook,
                  fmt::format("must list at most {} missions", domain::kMissionsMax));
      break;
    }
    const FieldRef ref{root.path(), "missions", index++};
    const simdjson::dom::object object = json::ReadObject(problem, item, ref);
    if (!problem.ok()) break;
    const std::string path = ref.Path();
    ObjectReader table(problem, path, kMissionKeys);
    if (!table.Load(object)) break;
    missions.push_back(ReadMission(table));
    if (!problem.ok()) break;
  }
  return missions;
}

// The date of a decision: "YYYY-MM-DD", or "unknown" where the decisions at hand do not give it.
std::optional<domain::Date> ReadDecidedOn(ObjectReader& root) {
  const std::string_view text = root.String("decided_on");
  if (!root.problem().ok() || text == "unknown") return std::nullopt;
  return json::ReadDate(root, "decided_on");
}

// Absent only where the key table allows it (a stored rulebook); then decided_by and decided_on
// are both present or both absent.
std::optional<domain::Provenance> ReadProvenance(ObjectReader& root) {
  if (!root.Has("decided_by") && !root.Has("decided_on")) {
    if (root.Has("replaces")) root.Reject("decided_by", RejectCode::kMissingField, "replaces needs decided_by and decided_on");
    return std::nullopt;
  }
  for (std::string_view key : {std::string_view("decided_by"), std::string_view("decided_on")}) {
    if (!root.Has(key)) {
      root.Reject(key, RejectCode::kMissingField, "decided_by and decided_on go together");
      return std::nullopt;
    }
  }
  domain::Provenance provenance;
  provenance.decided_by = json::ReadFreeText(root, "decided_by");
  provenance.decided_on = ReadDecidedOn(root);
  if (root.Has("replaces")) provenance.replaces = ReadRulebookId(root, "replaces");
  return provenance;
}

// Every field of a loaded rulebook object, in key order; the first problem stops the checks.
domain::Rulebook ReadRulebook(ObjectReader& root) {
  domain::Rulebook rb;
  rb.id = ReadRulebookId(root);
  rb.title = json::ReadFreeText(root, "title");
  rb.decision = json::ReadFreeText(root, "decision");
  rb.provenance = ReadProvenance(root);
  rb.valid_from = json::ReadDate(root, "valid_from");
  rb.valid_until = json::ReadDate(root, "valid_until");
  rb.snapshot = json::ReadEnum(root, "snapshot", domain::SnapshotRuleFromName, kSnapshotChoices);
  rb.retro_window_months = ReadInt(root, "retro_window_months");
  rb.capitation = ReadTable(root, "capitation", kBandTableKeys, ReadAgeBands).value_or(std::vector<domain::AgeBand>{});
  rb.performance_per_year = ReadTable(root, "performance", kAmountKeys, ReadAmount);
  rb.visits = ReadTable(root, "visits", kVisitKeys, ReadVisitRates);
  rb.start_grant = ReadTable(root, "start_grant", kStartGrantKeys, ReadStartGrant);
  rb.cni_supplement = ReadTable(root, "cni_supplement", kCniSupplementKeys, ReadCniSupplement);
  rb.distance_supplement = ReadTable(root, "distance_supplement", kBandTableKeys, ReadDistanceBands);
  rb.missions = ReadMissions(root);
  return rb;
}

// ---- Writing ---------------------------------------------------------------------------------

constexpr JsonSpacing kSpacing = JsonSpacing::kCompact;  // the stored and hashed form

void WriteAgeBands(JsonObject table, const std::vector<domain::AgeBand>& bands) {
  JsonArray list = table.Array("bands");
  for (const domain::AgeBand& band : bands) {
    list.Object().Integer("min_age", band.min_age).Kronor("amount", band.amount_per_year).Close();
  }
  list.Close();
  table.Close();
}

void WriteDistanceBands(JsonObject table, const std::vector<domain::DistanceBand>& bands) {
  JsonArray list = table.Array("bands");
  for (const domain::DistanceBand& band : bands) {
    list.Object().Decimal("min_km", band.min_km_tenths, 1).Kronor("amount", band.amount_per_year).Close();
  }
  list.Close();
  table.Close();
}

void WriteVisitRates(JsonObject table, const domain::VisitRates& rates) {
  table.Kronor("home_visit", rates.home_visit)
      .Kronor("other_listed", rates.other_listed)
      .Kronor("unlisted", rates.unlisted)
      .Kronor("out_of_region", rates.out_of_region)
      .Close();
}

// One mission: id, title, kind; basis and amount for an optional one; the age limits if set.
void WriteMission(JsonObject table, const domain::Mission& m) {
  table.String("id", m.id).String("title", m.title).String("kind", domain::Name(m.kind));
  if (m.kind == domain::MissionKind::kOptional) {
    table.String("basis", domain::Name(m.basis)).Kronor("amount", m.amount);
  }
  if (m.min_age) table.Integer("min_age", *m.min_age);
  if (m.max_age) table.Integer("max_age", *m.max_age);
  table.Close();
}

// The missions in their order; nothing at all for a rulebook without missions, so that the JSON of
// a rulebook written before missions existed stays byte for byte the same.
void WriteMissions(JsonObject& w, const std::vector<domain::Mission>& missions) {
  if (missions.empty()) return;
  JsonArray list = w.Array("missions");
  for (const domain::Mission& m : missions) WriteMission(list.Object(), m);
  list.Close();
}

// The optional tables after [capitation], each only when the rulebook has it.
void WriteOptionalTables(JsonObject& w, const domain::Rulebook& rb) {
  if (rb.performance_per_year) w.Object("performance").Kronor("amount", *rb.performance_per_year).Close();
  if (rb.visits) WriteVisitRates(w.Object("visits"), *rb.visits);
  if (rb.start_grant) {
    w.Object("start_grant").Kronor("amount", rb.start_grant->amount).Integer("months", rb.start_grant->months).Close();
  }
  if (rb.cni_supplement) {
    w.Object("cni_supplement")
        .Integer("top_n", rb.cni_supplement->top_n)
        .Kronor("amount", rb.cni_supplement->amount_per_year)
        .Close();
  }
  if (rb.distance_supplement) WriteDistanceBands(w.Object("distance_supplement"), *rb.distance_supplement);
  WriteMissions(w, rb.missions);
}

Rejection Malformed(std::string_view prefix, std::string message) {
  return Rejection{RejectCode::kMalformedJson, std::string(prefix), std::move(message)};
}

}  // namespace

tl::expected<domain::Rulebook, Rejection> ParseRulebookToml(std::string_view toml_text) {
  auto converted = rulebook_internal::TomlToJson(toml_text);
  if (!converted) return tl::unexpected(std::move(converted.error()));
  auto rulebook = ParseRulebookJson(converted->json, "", RulebookOrigin::kPublished);
  if (!rulebook) rulebook_internal::DescribeInToml(rulebook.error(), converted->origins);
  return rulebook;
}

tl::expected<domain::Rulebook, Rejection> ParseRulebookJson(std::string_view json_object_text,
                                                            std::string_view field_prefix, RulebookOrigin origin) {
  if (json_object_text.size() > kRulebookJsonBytesMax) {
    return tl::unexpected(Malformed(field_prefix, "rulebook JSON is larger than 2 MiB"));
  }
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json_object_text);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) {
    return tl::unexpected(Malformed(field_prefix, "rulebook is not valid JSON"));
  }
  json::Problem problem;
  const simdjson::dom::object object = json::ReadObject(problem, root, FieldRef{"", field_prefix});
  if (!problem.ok()) return tl::unexpected(problem.Take());
  const std::span<const Key> keys =
      origin == RulebookOrigin::kPublished ? std::span<const Key>(kRulebookKeys) : std::span<const Key>(kStoredRulebookKeys);
  ObjectReader reader(problem, field_prefix, keys);
  reader.Load(object);
  domain::Rulebook rulebook = ReadRulebook(reader);
  if (!problem.ok()) return tl::unexpected(problem.Take());
  if (auto violation = domain::CheckRulebook(rulebook)) {
    return tl::unexpected(Rejection{RejectCode::kInvalidRulebook, FieldRef{field_prefix, violation->field}.Path(),
                                    std::move(violation->message)});
  }
  return rulebook;
}

std::string RulebookToJson(const domain::Rulebook& rb) {
  std::string out;
  JsonObject w(out, kSpacing);
  w.String("id", rb.id)
      .String("title", rb.title)
      .String("decision", rb.decision);
  if (rb.provenance) {
    w.String("decided_by", rb.provenance->decided_by)
        .String("decided_on", rb.provenance->decided_on ? domain::FormatDate(*rb.provenance->decided_on) : "unknown");
    if (rb.provenance->replaces) w.String("replaces", *rb.provenance->replaces);
  }
  w.String("valid_from", domain::FormatDate(rb.valid_from))
      .String("valid_until", domain::FormatDate(rb.valid_until))
      .String("snapshot", domain::SnapshotRuleName(rb.snapshot))
      .Integer("retro_window_months", rb.retro_window_months);
  WriteAgeBands(w.Object("capitation"), rb.capitation);
  WriteOptionalTables(w, rb);
  w.Close();
  return out;
}

}  // namespace capledger::codec
