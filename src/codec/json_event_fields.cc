#include "codec/json_event_fields.h"

#include <array>

#include "common/limits.h"
#include "domain/personnummer.h"
#include "domain/rulebook.h"
#include "domain/ids.h"

namespace capledger::codec::json {
namespace {

constexpr std::array<std::string_view, 3> kPseudonymFormKeys = {"resident", "birth_date", "sex"};

std::string_view TextProblemMessage(TextProblem problem) {
  switch (problem) {
    case TextProblem::kEmpty: return "must not be empty";
    case TextProblem::kTooLong: return "must be at most 200 characters";
    case TextProblem::kControl: return "must not contain control characters";
    case TextProblem::kNone: break;
  }
  return "";
}

// The resident in the JSON writer's form: "resident" (pseudonym), "birth_date", "sex".
domain::ResidentRef ReadPseudonymForm(ObjectReader& reader) {
  bool any = false;
  for (std::string_view key : kPseudonymFormKeys) any = any || reader.Has(key);
  if (!any) {
    reader.Reject("personnummer", RejectCode::kMissingField, "required field `personnummer` is missing");
    return {};
  }
  for (std::string_view key : kPseudonymFormKeys) {
    if (!reader.Has(key)) {
      reader.Reject(key, RejectCode::kMissingField, fmt::format("required field `{}` is missing", key));
    }
  }
  domain::ResidentRef out;
  const std::string_view hex = reader.String("resident");
  if (!reader.problem().ok()) return {};
  auto pseudonym = domain::ParsePseudonym(hex);
  if (!pseudonym) {
    reader.Reject("resident", RejectCode::kInvalidPersonnummer, "must be a pseudonym of 32 hex digits");
    return {};
  }
  out.pseudonym = *pseudonym;
  out.birth_date = ReadDate(reader, "birth_date");
  out.sex = ReadEnum(reader, "sex", domain::SexFromName, "female, male");
  return out;
}

}  // namespace

domain::EventId ReadIdValue(Problem& problem, simdjson::dom::element value, const FieldRef& ref) {
  const std::string_view text = ReadString(problem, value, ref);
  if (!problem.ok()) return {};
  auto id = domain::EventId::Parse(text);
  if (!id) {
    problem.Set(RejectCode::kInvalidId, ref.Path(), "must be 1-128 printable ASCII characters");
    return {};
  }
  return *id;
}

domain::EventId ReadId(ObjectReader& reader, std::string_view key) {
  const simdjson::dom::element* value = reader.Lookup(key);
  if (!reader.problem().ok() || value == nullptr) return {};
  return ReadIdValue(reader.problem(), *value, reader.Ref(key));
}

std::string ReadFreeText(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return {};
  const TextProblem problem = CheckFreeText(text, limits::kFreeTextCharsMax);
  if (problem != TextProblem::kNone) {
    reader.Reject(key, RejectCode::kInvalidText, std::string(TextProblemMessage(problem)));
    return {};
  }
  return std::string(text);
}

std::string ReadVintage(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return {};
  if (!IsValidVintage(text)) {
    reader.Reject(key, RejectCode::kInvalidText, "must be 1-64 printable ASCII characters, like \"SCB-2025-03\"");
    return {};
  }
  return std::string(text);
}

domain::ClinicId ReadClinicId(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return {};
  auto id = domain::ClinicId::Parse(text);
  if (!id) {
    reader.Reject(key, RejectCode::kInvalidClinicId, "must be 2-32 characters of A-Z, 0-9 and '-'");
    return {};
  }
  return *id;
}

std::string ReadMissionId(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return {};
  if (!domain::IsMissionId(text)) {
    reader.Reject(key, RejectCode::kInvalidId, "must be a mission id: 2-32 characters of a-z, 0-9 and '-'");
    return {};
  }
  return std::string(text);
}

std::uint16_t ReadMunicipality(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return 0;
  const auto code = ParseMunicipality(text);
  if (!code) {
    reader.Reject(key, RejectCode::kInvalidMunicipality, "must be a 4-digit kommun code, like \"1880\"");
    return 0;
  }
  return *code;
}

domain::Date ReadDate(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return {};
  auto date = domain::ParseDate(text);
  if (!date) {
    reader.Reject(key, RejectCode::kInvalidDate, std::move(date.error().message));
    return {};
  }
  return *date;
}

domain::Month ReadMonth(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return {};
  auto month = domain::ParseMonth(text);
  if (!month) {
    reader.Reject(key, RejectCode::kInvalidMonth, std::move(month.error().message));
    return {};
  }
  return *month;
}

int ReadYear(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return 0;
  const std::optional<int> year = ParseYear(text);
  if (!year || *year < domain::kYearMin || *year > domain::kYearMax) {
    reader.Reject(key, RejectCode::kInvalidDate,
                  fmt::format("must be a year \"YYYY\" from {} to {}", domain::kYearMin, domain::kYearMax));
    return 0;
  }
  return *year;
}

Timestamp ReadTimestamp(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return {};
  auto time = domain::ParseTimestamp(text);
  if (!time) {
    reader.Reject(key, RejectCode::kInvalidRecordedAt, std::move(time.error().message));
    return {};
  }
  return *time;
}

domain::Money ReadMoney(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return domain::Money::Zero();
  auto money = domain::ParseKronor(text);
  if (!money) {
    reader.Reject(key, RejectCode::kInvalidMoney, std::move(money.error().message));
    return domain::Money::Zero();
  }
  return *money;
}

domain::Money ReadSignedMoney(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return domain::Money::Zero();
  auto money = domain::ParseSignedKronor(text);
  if (!money) {
    reader.Reject(key, RejectCode::kInvalidMoney, std::move(money.error().message));
    return domain::Money::Zero();
  }
  return *money;
}

std::int32_t ReadDistanceTenths(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return 0;
  const auto tenths = ParseDistanceTenths(text);
  if (!tenths) {
    reader.Reject(key, RejectCode::kInvalidDistance, "must be km with one decimal, like \"42.5\", at most 100000.0");
    return 0;
  }
  return *tenths;
}

std::int32_t ReadFulfilmentThousandths(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return 0;
  const auto thousandths = ParseFulfilmentThousandths(text);
  if (!thousandths) {
    reader.Reject(key, RejectCode::kInvalidFulfilment, "must be \"0.000\" to \"1.000\" with three decimals");
    return 0;
  }
  return *thousandths;
}

std::int64_t ReadCniTenThousandths(ObjectReader& reader, std::string_view key) {
  const std::string_view text = reader.String(key);
  if (!reader.problem().ok()) return 0;
  const auto cni = ParseCniTenThousandths(text);
  if (!cni) {
    reader.Reject(key, RejectCode::kInvalidCni, "must be a number with four decimals, like \"1.2345\"");
    return 0;
  }
  return *cni;
}

domain::ResidentRef ReadResident(ObjectReader& reader, domain::Pseudonymizer& pseudonymizer,
                                 bool allow_pseudonym_form) {
  if (!reader.problem().ok()) return {};
  if (allow_pseudonym_form && !reader.Has("personnummer")) return ReadPseudonymForm(reader);
  if (allow_pseudonym_form) {
    for (std::string_view key : kPseudonymFormKeys) {
      if (reader.Has(key)) {
        reader.Reject(key, RejectCode::kUnknownField, fmt::format("`{}` cannot be given with `personnummer`", key));
      }
    }
  }
  const std::string_view text = reader.String("personnummer");
  if (!reader.problem().ok()) return {};
  auto pnr = domain::ParsePersonnummer(text);
  if (!pnr) {
    // The domain's messages name the broken rule and never the number.
    reader.Reject("personnummer", RejectCode::kInvalidPersonnummer, std::move(pnr.error().message));
    return {};
  }
  return domain::ResidentRef{pseudonymizer.Of(*pnr), pnr->birth_date, pnr->sex};
}

}  // namespace capledger::codec::json
