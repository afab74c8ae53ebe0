// Reading the value kinds of DOMAIN.md §4 from a JSON object: ids, free text, clinic ids,
// municipality codes, mission ids, dates, months, years, money, distances, fulfilment, cni, enums,
// timestamps and residents, each with its own rejection code.
//
// INTERNAL to the codec layer (it exposes simdjson through ObjectReader). Every reader follows the
// ObjectReader rules: after a problem it does nothing and returns a default value; an absent key
// returns the default too (callers check Has() for optional keys).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "codec/json_field_rules.h"
#include "codec/json_object_reader.h"
#include "common/clock.h"
#include "domain/date.h"
#include "domain/event.h"
#include "domain/ids.h"
#include "domain/money.h"
#include "domain/pseudonym.h"

namespace capledger::codec::json {

// 1-128 printable ASCII characters, else kInvalidId (`id`, `target`, ledger ids).
domain::EventId ReadId(ObjectReader& reader, std::string_view key);
// The same rule for one value (an item of an array of ids).
domain::EventId ReadIdValue(Problem& problem, simdjson::dom::element value, const FieldRef& ref);

// 1-200 code points without control characters, else kInvalidText (`name`, `reason`, `source`).
std::string ReadFreeText(ObjectReader& reader, std::string_view key);
// 1-64 printable ASCII characters, else kInvalidText (`vintage`).
std::string ReadVintage(ObjectReader& reader, std::string_view key);
// [A-Z0-9-]{2,32}, else kInvalidClinicId.
domain::ClinicId ReadClinicId(ObjectReader& reader, std::string_view key);
// [a-z0-9-]{2,32} (domain::IsMissionId), else kInvalidId: a mission of DOMAIN.md §9.
std::string ReadMissionId(ObjectReader& reader, std::string_view key);
// Exactly 4 digits, else kInvalidMunicipality.
std::uint16_t ReadMunicipality(ObjectReader& reader, std::string_view key);

// "YYYY-MM-DD" naming a real date, else kInvalidDate.
domain::Date ReadDate(ObjectReader& reader, std::string_view key);
// "YYYY-MM", else kInvalidMonth.
domain::Month ReadMonth(ObjectReader& reader, std::string_view key);
// "YYYY" within domain::kYearMin..kYearMax (the years of dates and months), else kInvalidDate.
int ReadYear(ObjectReader& reader, std::string_view key);
// RFC 3339, else kInvalidRecordedAt.
Timestamp ReadTimestamp(ObjectReader& reader, std::string_view key);

// Non-negative kronor with two decimals ("192.00"), else kInvalidMoney.
domain::Money ReadMoney(ObjectReader& reader, std::string_view key);
// The same with an optional leading '-' (ledger amounts), else kInvalidMoney.
domain::Money ReadSignedMoney(ObjectReader& reader, std::string_view key);

// "42.5" -> 425, else kInvalidDistance.
std::int32_t ReadDistanceTenths(ObjectReader& reader, std::string_view key);
// "0.875" -> 875, else kInvalidFulfilment.
std::int32_t ReadFulfilmentThousandths(ObjectReader& reader, std::string_view key);
// "1.2345" -> 12345, else kInvalidCni.
std::int64_t ReadCniTenThousandths(ObjectReader& reader, std::string_view key);

// One of an enum's names (via `from_name`), else kInvalidEnum; `choices` lists them for the
// message ("birth, moved_in, initial").
template <typename Enum>
Enum ReadEnum(ObjectReader& reader, std::string_view key, std::optional<Enum> (*from_name)(std::string_view),
              std::string_view choices) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return Enum{};
  const std::optional<Enum> value = from_name(text);
  if (!value) {
    reader.Reject(key, RejectCode::kInvalidEnum, fmt::format("must be one of {}; got `{}`", choices, SafeEcho(text)));
    return Enum{};
  }
  return *value;
}

// The resident of an event: `personnummer` is parsed (kInvalidPersonnummer; the message never
// repeats the number), pseudonymized and dropped. With `allow_pseudonym_form`, the form the JSON
// writer uses ("resident" 32 hex digits, "birth_date", "sex") is accepted instead; the reader must
// then declare those keys as optional and `personnummer` as optional too.
domain::ResidentRef ReadResident(ObjectReader& reader, domain::Pseudonymizer& pseudonymizer,
                                 bool allow_pseudonym_form);

}  // namespace capledger::codec::json
