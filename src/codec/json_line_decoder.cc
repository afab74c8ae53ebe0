#include "codec/json_line_decoder.h"

#include <array>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "codec/json_event_fields.h"
#include "codec/json_object_reader.h"
#include "codec/rulebook_codec.h"
#include "common/limits.h"
#include "domain/cni.h"
#include "domain/pseudonym.h"
#include "domain/ids.h"

namespace capledger::codec {
namespace {

using domain::EventBody;
using domain::EventType;
using json::Key;
using json::ObjectReader;
using json::Presence;

constexpr Presence kOptional = Presence::kOptional;

// The parser's capacity before any line needs more, and the deepest nesting accepted (an event is
// at most 3 levels deep, a rulebook 4).
constexpr std::size_t kParserInitialBytes = 64 * 1024;
constexpr std::size_t kJsonDepthMax = 32;
constexpr std::int64_t kSeqMax = std::numeric_limits<std::int64_t>::max();

// What a body decoder works with: the line's fields, the keyed hash for residents, and whether
// the JSON writer's resident form ("resident", "birth_date", "sex") is accepted.
struct BodyContext {
  ObjectReader& fields;
  domain::Pseudonymizer& pseudonymizer;
  bool pseudonym_form;

  domain::ResidentRef Resident() { return json::ReadResident(fields, pseudonymizer, pseudonym_form); }
  json::Problem& problem() { return fields.problem(); }
};

// ---- Keys of each event type (DOMAIN.md §4), in the order their values are checked ----------

constexpr Key kEnvelopeKeys[] = {{"type"}, {"id"}, {"source", kOptional}, {"recorded_at", kOptional}};
constexpr Key kPersonnummerKeys[] = {{"personnummer"}};
constexpr Key kPseudonymFormKeys[] = {
    {"personnummer", kOptional}, {"resident", kOptional}, {"birth_date", kOptional}, {"sex", kOptional}};

constexpr Key kResidentRegisteredKeys[] = {{"effective"}, {"municipality"}, {"reason"}};
constexpr Key kEffectiveKeys[] = {{"effective"}};
constexpr Key kResidentRelocatedKeys[] = {{"effective"}, {"municipality"}};
constexpr Key kListingKeys[] = {{"clinic"}, {"effective"}, {"reason"}};
constexpr Key kClinicRegisteredKeys[] = {{"clinic"}, {"name"}, {"operator"}, {"municipality"},
                                         {"distance_to_hospital_km"}, {"effective"}};
constexpr Key kClinicChangedKeys[] = {{"clinic"}, {"effective"}, {"name", kOptional}, {"operator", kOptional},
                                      {"distance_to_hospital_km", kOptional}, {"list_cap", kOptional}};
constexpr Key kClinicClosedKeys[] = {{"clinic"}, {"effective"}};
constexpr Key kRulebookPublishedKeys[] = {{"rulebook"}};
constexpr Key kCniReportedKeys[] = {{"clinic"}, {"effective"}, {"vintage"}, {"population"}, {"hits"},
                                    {"cni", kOptional}};
constexpr Key kPerformanceReportedKeys[] = {{"clinic"}, {"period_from"}, {"period_to"}, {"fulfilment"}};
constexpr Key kVisitsReportedKeys[] = {{"clinic"}, {"month"}, {"counts"}};
constexpr Key kEventRetractedKeys[] = {{"target"}, {"reason"}};
constexpr Key kLedgerEntryKeys[] = {{"entry_id"}, {"run"}, {"clinic"}, {"month"}, {"component"}, {"kind"},
                                    {"amount"}, {"known_at_seq"}, {"rulebook"}, {"adjusts"}, {"debit"},
                                    {"credit"}};
constexpr Key kPayoutRunKeys[] = {{"run"}, {"known_at_seq"}, {"rulebook"}, {"entry_count"}, {"total"},
                                  {"unbooked"}};
constexpr Key kMissionUndertakenKeys[] = {{"clinic"}, {"mission"}, {"effective"}, {"units", kOptional}};
constexpr Key kMissionEndedKeys[] = {{"clinic"}, {"mission"}, {"effective"}};
constexpr Key kBudgetFrameSetKeys[] = {{"year"}, {"amount"}, {"decision"}};
constexpr Key kFollowUpPublishedKeys[] = {{"year"}, {"through"}, {"known_at_seq"}, {"manifest_sha256"}};

// DOMAIN.md §6.2, in the order of the weights.
constexpr Key kHitsKeys[] = {{"over_65_alone"}, {"born_abroad"}, {"unemployed"}, {"single_parent"},
                             {"moved_in"}, {"low_education"}, {"under_5"}};
constexpr Key kCountsKeys[] = {{"home_visits"}, {"other_listed"}, {"unlisted"}, {"out_of_region"}};
constexpr Key kUnbookedKeys[] = {{"clinic"}, {"month"}, {"component"}, {"amount"}};

constexpr std::string_view kComponentChoices =
    "capitation, performance, visits, start_grant, cni_supplement, distance_supplement, missions";
constexpr std::string_view kOperatorChoices = "region, private";

// ---- Resident events --------------------------------------------------------------------------

EventBody DecodeResidentRegistered(BodyContext& c) {
  domain::ResidentRegistered e;
  e.resident = c.Resident();
  e.effective = json::ReadDate(c.fields, "effective");
  e.municipality = json::ReadMunicipality(c.fields, "municipality");
  e.reason = json::ReadEnum(c.fields, "reason", domain::RegistrationReasonFromName, "birth, moved_in, initial");
  return e;
}

EventBody DecodeResidentMovedOut(BodyContext& c) {
  domain::ResidentMovedOut e;
  e.resident = c.Resident();
  e.effective = json::ReadDate(c.fields, "effective");
  return e;
}

EventBody DecodeResidentDied(BodyContext& c) {
  domain::ResidentDied e;
  e.resident = c.Resident();
  e.effective = json::ReadDate(c.fields, "effective");
  return e;
}

EventBody DecodeResidentRelocated(BodyContext& c) {
  domain::ResidentRelocated e;
  e.resident = c.Resident();
  e.effective = json::ReadDate(c.fields, "effective");
  e.municipality = json::ReadMunicipality(c.fields, "municipality");
  return e;
}

EventBody DecodePatientListed(BodyContext& c) {
  domain::PatientListed e;
  e.resident = c.Resident();
  e.clinic = json::ReadClinicId(c.fields, "clinic");
  e.effective = json::ReadDate(c.fields, "effective");
  e.reason = json::ReadEnum(c.fields, "reason", domain::ListingReasonFromName,
                            "choice, proximity, newborn, queue_opening, transfer");
  return e;
}

EventBody DecodePatientUnlisted(BodyContext& c) {
  domain::PatientUnlisted e;
  e.resident = c.Resident();
  e.clinic = json::ReadClinicId(c.fields, "clinic");
  e.effective = json::ReadDate(c.fields, "effective");
  e.reason = json::ReadEnum(c.fields, "reason", domain::UnlistingReasonFromName,
                            "choice_elsewhere, clinic_closed, moved, other");
  return e;
}

// ---- Clinic events ----------------------------------------------------------------------------

EventBody DecodeClinicRegistered(BodyContext& c) {
  domain::ClinicRegistered e;
  e.clinic = json::ReadClinicId(c.fields, "clinic");
  e.name = json::ReadFreeText(c.fields, "name");
  e.op = json::ReadEnum(c.fields, "operator", domain::OperatorFromName, kOperatorChoices);
  e.municipality = json::ReadMunicipality(c.fields, "municipality");
  e.distance_to_hospital_km_tenths = json::ReadDistanceTenths(c.fields, "distance_to_hospital_km");
  e.effective = json::ReadDate(c.fields, "effective");
  return e;
}

EventBody DecodeClinicChanged(BodyContext& c) {
  ObjectReader& f = c.fields;
  domain::ClinicChanged e;
  if (!f.Has("name") && !f.Has("operator") && !f.Has("distance_to_hospital_km") && !f.Has("list_cap")) {
    c.problem().Set(RejectCode::kMissingField, "",
                    "ClinicChanged needs at least one of name, operator, distance_to_hospital_km, list_cap");
  }
  e.clinic = json::ReadClinicId(f, "clinic");
  e.effective = json::ReadDate(f, "effective");
  if (f.Has("name")) e.name = json::ReadFreeText(f, "name");
  if (f.Has("operator")) e.op = json::ReadEnum(f, "operator", domain::OperatorFromName, kOperatorChoices);
  if (f.Has("distance_to_hospital_km")) {
    e.distance_to_hospital_km_tenths = json::ReadDistanceTenths(f, "distance_to_hospital_km");
  }
  if (f.Has("list_cap")) e.list_cap = f.Integer("list_cap", 0, limits::kCountMax, RejectCode::kInvalidCount);
  return e;
}

EventBody DecodeClinicClosed(BodyContext& c) {
  domain::ClinicClosed e;
  e.clinic = json::ReadClinicId(c.fields, "clinic");
  e.effective = json::ReadDate(c.fields, "effective");
  return e;
}

// ---- Rulebook, reports and retraction ---------------------------------------------------------

// The rulebook object is checked for repeated keys here, then parsed and validated by the
// rulebook codec from its minified text.
EventBody DecodeRulebookPublished(BodyContext& c) {
  domain::RulebookPublished e;
  c.fields.Object("rulebook");
  if (!c.problem().ok()) return e;
  const simdjson::dom::element value = c.fields.Value("rulebook");
  json::CheckNoDuplicateKeys(c.problem(), value, "rulebook");
  if (!c.problem().ok()) return e;
  auto rulebook = ParseRulebookJson(simdjson::minify(value), "rulebook", RulebookOrigin::kPublished);
  if (!rulebook) {
    Rejection& r = rulebook.error();
    c.problem().Set(r.code, std::move(r.field), std::move(r.message));
    return e;
  }
  e.rulebook = std::move(*rulebook);
  return e;
}

domain::CniHits ReadHits(json::Problem& problem, simdjson::dom::object object) {
  domain::CniHits hits;
  ObjectReader r(problem, "hits", kHitsKeys);
  if (!r.Load(object)) return hits;
  const auto count = [&r](std::string_view key) {
    return r.Integer(key, 0, limits::kCountMax, RejectCode::kInvalidCount);
  };
  hits.over_65_alone = count("over_65_alone");
  hits.born_abroad = count("born_abroad");
  hits.unemployed = count("unemployed");
  hits.single_parent = count("single_parent");
  hits.moved_in = count("moved_in");
  hits.low_education = count("low_education");
  hits.under_5 = count("under_5");
  return hits;
}

EventBody DecodeCniReported(BodyContext& c) {
  ObjectReader& f = c.fields;
  domain::CniReported e;
  e.clinic = json::ReadClinicId(f, "clinic");
  e.effective = json::ReadDate(f, "effective");
  e.vintage = json::ReadVintage(f, "vintage");
  e.population = f.Integer("population", 1, limits::kCountMax, RejectCode::kInvalidCount);
  const simdjson::dom::object hits = f.Object("hits");
  if (c.problem().ok()) e.hits = ReadHits(c.problem(), hits);
  if (!f.Has("cni")) return e;
  const std::int64_t delivered = json::ReadCniTenThousandths(f, "cni");
  if (!c.problem().ok()) return e;
  // Only reached with a valid population (>= 1) and hits within kCountMax.
  const std::int64_t computed = domain::CniTenThousandths(e.hits, e.population);
  if (delivered != computed) {
    f.Reject("cni", RejectCode::kCniMismatch,
             fmt::format("cni {}.{:04d} differs from {}.{:04d} computed from hits and population",
                         delivered / 10000, delivered % 10000, computed / 10000, computed % 10000));
  }
  e.cni_ten_thousandths = delivered;
  return e;
}

EventBody DecodePerformanceReported(BodyContext& c) {
  ObjectReader& f = c.fields;
  domain::PerformanceReported e;
  e.clinic = json::ReadClinicId(f, "clinic");
  e.period_from = json::ReadMonth(f, "period_from");
  e.period_to = json::ReadMonth(f, "period_to");
  if (c.problem().ok() && e.period_from > e.period_to) {
    f.Reject("period_from", RejectCode::kInvalidPeriod, "period_from is after period_to");
  }
  e.fulfilment_thousandths = json::ReadFulfilmentThousandths(f, "fulfilment");
  return e;
}

EventBody DecodeVisitsReported(BodyContext& c) {
  ObjectReader& f = c.fields;
  domain::VisitsReported e;
  e.clinic = json::ReadClinicId(f, "clinic");
  e.month = json::ReadMonth(f, "month");
  const simdjson::dom::object object = f.Object("counts");
  if (!c.problem().ok()) return e;
  ObjectReader counts(c.problem(), "counts", kCountsKeys);
  if (!counts.Load(object)) return e;
  const auto count = [&counts](std::string_view key) {
    return counts.Integer(key, 0, limits::kCountMax, RejectCode::kInvalidCount);
  };
  e.counts.home_visits = count("home_visits");
  e.counts.other_listed = count("other_listed");
  e.counts.unlisted = count("unlisted");
  e.counts.out_of_region = count("out_of_region");
  return e;
}

EventBody DecodeEventRetracted(BodyContext& c) {
  domain::EventRetracted e;
  e.target = json::ReadId(c.fields, "target");
  e.reason = json::ReadFreeText(c.fields, "reason");
  return e;
}

// ---- Missions and the budget frame (DOMAIN.md §9, §10) ----------------------------------------

EventBody DecodeMissionUndertaken(BodyContext& c) {
  ObjectReader& f = c.fields;
  domain::MissionUndertaken e;
  e.clinic = json::ReadClinicId(f, "clinic");
  e.mission = json::ReadMissionId(f, "mission");
  e.effective = json::ReadDate(f, "effective");
  if (f.Has("units")) e.units = f.Integer("units", 1, limits::kCountMax, RejectCode::kInvalidCount);
  return e;
}

EventBody DecodeMissionEnded(BodyContext& c) {
  domain::MissionEnded e;
  e.clinic = json::ReadClinicId(c.fields, "clinic");
  e.mission = json::ReadMissionId(c.fields, "mission");
  e.effective = json::ReadDate(c.fields, "effective");
  return e;
}

EventBody DecodeBudgetFrameSet(BodyContext& c) {
  ObjectReader& f = c.fields;
  domain::BudgetFrameSet e;
  e.year = json::ReadYear(f, "year");
  e.amount = json::ReadMoney(f, "amount");
  if (c.problem().ok() && e.amount.ore() > json::kBudgetFrameOreMax) {
    f.Reject("amount", RejectCode::kInvalidMoney,
             fmt::format("must be at most {} (a sanity bound)",
                         domain::FormatKronor(domain::Money::FromOre(json::kBudgetFrameOreMax))));
  }
  e.decision = json::ReadFreeText(f, "decision");
  return e;
}

// ---- Ledger events (only with Options::accept_ledger_types) -----------------------------------

std::vector<domain::EventId> ReadIdArray(ObjectReader& f, std::string_view key) {
  std::vector<domain::EventId> ids;
  const simdjson::dom::array array = f.Array(key);
  if (!f.problem().ok()) return ids;
  ids.reserve(array.size());
  int index = 0;
  // Bounded by the array's size, itself bounded by the line length.
  for (simdjson::dom::element item : array) {
    ids.push_back(json::ReadIdValue(f.problem(), item, json::FieldRef{f.path(), key, index++}));
    if (!f.problem().ok()) break;
  }
  return ids;
}

EventBody DecodeLedgerEntry(BodyContext& c) {
  ObjectReader& f = c.fields;
  domain::LedgerEntry e;
  e.entry_id = json::ReadId(f, "entry_id");
  e.run = json::ReadMonth(f, "run");
  e.clinic = json::ReadClinicId(f, "clinic");
  e.period = json::ReadMonth(f, "month");
  e.component = json::ReadEnum(f, "component", domain::ComponentFromName, kComponentChoices);
  e.kind = json::ReadEnum(f, "kind", domain::EntryKindFromName, "regular, adjustment");
  e.amount = json::ReadSignedMoney(f, "amount");
  e.known_at_seq = domain::Seq(static_cast<std::uint64_t>(f.Integer("known_at_seq", 0, kSeqMax, RejectCode::kInvalidCount)));
  e.rulebook = json::ReadFreeText(f, "rulebook");
  e.adjusts = ReadIdArray(f, "adjusts");
  e.debit = json::ReadFreeText(f, "debit");
  e.credit = json::ReadFreeText(f, "credit");
  return e;
}

domain::UnbookedDifference ReadUnbooked(json::Problem& problem, simdjson::dom::element item, int index) {
  domain::UnbookedDifference d;
  const std::string path = fmt::format("unbooked[{}]", index);
  const simdjson::dom::object object = json::ReadObject(problem, item, json::FieldRef{"", "unbooked", index});
  if (!problem.ok()) return d;
  ObjectReader r(problem, path, kUnbookedKeys);
  if (!r.Load(object)) return d;
  d.clinic = json::ReadClinicId(r, "clinic");
  d.period = json::ReadMonth(r, "month");
  d.component = json::ReadEnum(r, "component", domain::ComponentFromName, kComponentChoices);
  d.amount = json::ReadSignedMoney(r, "amount");
  return d;
}

EventBody DecodePayoutRun(BodyContext& c) {
  ObjectReader& f = c.fields;
  domain::PayoutRun e;
  e.run = json::ReadMonth(f, "run");
  e.known_at_seq = domain::Seq(static_cast<std::uint64_t>(f.Integer("known_at_seq", 0, kSeqMax, RejectCode::kInvalidCount)));
  e.rulebook = json::ReadFreeText(f, "rulebook");
  e.entry_count = f.Integer("entry_count", 0, kSeqMax, RejectCode::kInvalidCount);
  e.total = json::ReadSignedMoney(f, "total");
  const simdjson::dom::array unbooked = f.Array("unbooked");
  if (!c.problem().ok()) return e;
  int index = 0;
  for (simdjson::dom::element item : unbooked) {
    e.unbooked.push_back(ReadUnbooked(c.problem(), item, index++));
    if (!c.problem().ok()) break;
  }
  return e;
}

EventBody DecodeFollowUpPublished(BodyContext& c) {
  ObjectReader& f = c.fields;
  domain::FollowUpPublished e;
  e.year = json::ReadYear(f, "year");
  e.through = json::ReadMonth(f, "through");
  e.known_at_seq = domain::Seq(static_cast<std::uint64_t>(f.Integer("known_at_seq", 0, kSeqMax, RejectCode::kInvalidCount)));
  const std::string_view manifest = f.String("manifest_sha256");
  if (c.problem().ok() && !domain::IsSha256HexText(manifest)) {
    f.Reject("manifest_sha256", RejectCode::kWrongType, "must be a SHA-256 as 64 lower-case hex digits");
  }
  e.manifest_sha256 = std::string(manifest);
  return e;
}

// ---- The type table ---------------------------------------------------------------------------

// What each event type carries besides the envelope, and how its body is decoded.
struct TypeSpec {
  std::span<const Key> body_keys;
  bool has_resident;
  EventBody (*decode)(BodyContext&);
};

// Indexed by EventType - 1 (the EventBody order).
constexpr std::array<TypeSpec, domain::kEventTypeCount> kTypeSpecs = {{
    {kResidentRegisteredKeys, true, DecodeResidentRegistered},
    {kEffectiveKeys, true, DecodeResidentMovedOut},
    {kEffectiveKeys, true, DecodeResidentDied},
    {kResidentRelocatedKeys, true, DecodeResidentRelocated},
    {kListingKeys, true, DecodePatientListed},
    {kListingKeys, true, DecodePatientUnlisted},
    {kClinicRegisteredKeys, false, DecodeClinicRegistered},
    {kClinicChangedKeys, false, DecodeClinicChanged},
    {kClinicClosedKeys, false, DecodeClinicClosed},
    {kRulebookPublishedKeys, false, DecodeRulebookPublished},
    {kCniReportedKeys, false, DecodeCniReported},
    {kPerformanceReportedKeys, false, DecodePerformanceReported},
    {kVisitsReportedKeys, false, DecodeVisitsReported},
    {kEventRetractedKeys, false, DecodeEventRetracted},
    {kLedgerEntryKeys, false, DecodeLedgerEntry},
    {kPayoutRunKeys, false, DecodePayoutRun},
    {kMissionUndertakenKeys, false, DecodeMissionUndertaken},
    {kMissionEndedKeys, false, DecodeMissionEnded},
    {kBudgetFrameSetKeys, false, DecodeBudgetFrameSet},
    {kFollowUpPublishedKeys, false, DecodeFollowUpPublished},
}};

const TypeSpec& SpecOf(EventType type) { return kTypeSpecs[static_cast<std::size_t>(type) - 1]; }

// The keys a line of `type` may carry: the envelope, the resident (in one or both forms), the body.
std::vector<Key> LineKeys(EventType type, bool pseudonym_form) {
  const TypeSpec& spec = SpecOf(type);
  std::vector<Key> keys(std::begin(kEnvelopeKeys), std::end(kEnvelopeKeys));
  if (spec.has_resident) {
    const std::span<const Key> resident_keys = pseudonym_form ? std::span<const Key>(kPseudonymFormKeys)
                                                              : std::span<const Key>(kPersonnummerKeys);
    keys.insert(keys.end(), resident_keys.begin(), resident_keys.end());
  }
  keys.insert(keys.end(), spec.body_keys.begin(), spec.body_keys.end());
  return keys;
}

tl::unexpected<Rejection> Reject(RejectCode code, std::string field, std::string message) {
  return tl::unexpected(Rejection{code, std::move(field), std::move(message)});
}

// The line's event type, read before anything else: it decides which keys the line may carry.
tl::expected<EventType, Rejection> FindType(simdjson::dom::object object, bool accept_ledger_types) {
  simdjson::dom::element value;
  bool found = false;
  for (simdjson::dom::key_value_pair field : object) {
    if (field.key != "type") continue;
    value = field.value;
    found = true;
    break;
  }
  if (!found) return Reject(RejectCode::kMissingField, "type", "required field `type` is missing");
  std::string_view name;
  if (value.get_string().get(name) != simdjson::SUCCESS) {
    return Reject(RejectCode::kWrongType, "type", "must be a string naming an event type");
  }
  const std::optional<EventType> type = domain::EventTypeFromName(name);
  if (!type) {
    return Reject(RejectCode::kUnknownType, "type", fmt::format("unknown event type `{}`", json::SafeEcho(name)));
  }
  if (domain::IsLedgerType(*type) && !accept_ledger_types) {
    return Reject(RejectCode::kReservedType, "type",
                  fmt::format("{} events are appended by the ledger itself, never ingested", name));
  }
  return *type;
}

tl::unexpected<Rejection> ParseFailure(simdjson::error_code error) {
  if (error == simdjson::UTF8_ERROR) return Reject(RejectCode::kInvalidEncoding, "", "line is not valid UTF-8");
  return Reject(RejectCode::kMalformedJson, "", fmt::format("not valid JSON: {}", simdjson::error_message(error)));
}

}  // namespace

// ---- The decoder ------------------------------------------------------------------------------

struct JsonLineDecoder::Impl {
  Impl(std::span<const std::uint8_t> secret, Options decoder_options);
  tl::expected<DecodedLine, Rejection> Decode(std::string_view line);
  // Copies `line` into `padded` with the zeroed tail simdjson reads past the end.
  void CopyPadded(std::string_view line);

  Options options;
  domain::Pseudonymizer pseudonymizer;
  simdjson::dom::parser parser;
  std::string padded;  // reused: grows to the longest line seen
  std::array<std::vector<Key>, domain::kEventTypeCount> line_keys;
};

JsonLineDecoder::Impl::Impl(std::span<const std::uint8_t> secret, Options decoder_options)
    : options(decoder_options), pseudonymizer(secret), parser(limits::kInputLineBytesMax) {
  if (parser.allocate(kParserInitialBytes, kJsonDepthMax) != simdjson::SUCCESS) {
    // Nothing to do: the first parse that needs the memory allocates it again and reports failure.
  }
  padded.reserve(kParserInitialBytes + simdjson::SIMDJSON_PADDING);
  for (std::size_t i = 0; i < line_keys.size(); ++i) {
    line_keys[i] = LineKeys(static_cast<EventType>(i + 1), options.accept_ledger_types);
  }
}

void JsonLineDecoder::Impl::CopyPadded(std::string_view line) {
  padded.assign(line);
  padded.append(simdjson::SIMDJSON_PADDING, '\0');
}

tl::expected<DecodedLine, Rejection> JsonLineDecoder::Impl::Decode(std::string_view line) {
  if (line.size() > limits::kInputLineBytesMax) {
    return Reject(RejectCode::kLineTooLong, "",
                  fmt::format("line has {} bytes; at most {} are allowed", line.size(), limits::kInputLineBytesMax));
  }
  CopyPadded(line);
  simdjson::dom::element root;
  if (auto error = parser.parse(padded.data(), line.size(), false).get(root)) return ParseFailure(error);
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return Reject(RejectCode::kMalformedJson, "", "a line must be one JSON object");
  }
  auto type = FindType(object, options.accept_ledger_types);
  if (!type) return tl::unexpected(std::move(type.error()));
  json::Problem problem;
  ObjectReader fields(problem, "", line_keys[static_cast<std::size_t>(*type) - 1]);
  DecodedLine out;
  if (fields.Load(object)) {
    out.event.id = json::ReadId(fields, "id");
    if (fields.Has("source")) out.event.source = json::ReadFreeText(fields, "source");
    if (fields.Has("recorded_at")) out.recorded_at = json::ReadTimestamp(fields, "recorded_at");
    BodyContext context{fields, pseudonymizer, options.accept_ledger_types};
    if (problem.ok()) out.event.body = SpecOf(*type).decode(context);
  }
  if (!problem.ok()) return tl::unexpected(problem.Take());
  return out;
}

JsonLineDecoder::JsonLineDecoder(std::span<const std::uint8_t> secret) : JsonLineDecoder(secret, Options{}) {}

JsonLineDecoder::JsonLineDecoder(std::span<const std::uint8_t> secret, Options options)
    : impl_(std::make_unique<Impl>(secret, options)) {}

JsonLineDecoder::~JsonLineDecoder() = default;

tl::expected<DecodedLine, Rejection> JsonLineDecoder::Decode(std::string_view line) {
  return impl_->Decode(line);
}

}  // namespace capledger::codec
