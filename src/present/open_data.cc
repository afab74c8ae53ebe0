#include "present/open_data.h"

#include <fmt/format.h>

#include "codec/json_out.h"
#include "domain/event.h"
#include "present/json_parts.h"

namespace capledger::present {
namespace {

constexpr int kCniDecimals = 4;

std::string MunicipalityText(const std::optional<std::uint16_t>& code) {
  return code ? fmt::format("{:04}", *code) : std::string();
}

std::string OperatorText(const std::optional<domain::Operator>& op) {
  return op ? std::string(domain::Name(*op)) : std::string();
}

std::string CniText(const std::optional<std::int64_t>& cni) {
  std::string out;
  if (cni) codec::AppendFixedPoint(out, *cni, kCniDecimals);
  return out;
}

// One CSV field: quoted if it holds a comma, a quote or a line end; text that a spreadsheet would
// take for a formula is written after an apostrophe.
void AppendCsvText(std::string& out, std::string_view text) {
  const bool formula = !text.empty() && std::string_view("=+-@\t").find(text.front()) != std::string_view::npos;
  const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out += '"';
  if (formula) out += '\'';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  if (quote) out += '"';
}

std::string BandCell(const std::optional<ledger::PublishedCount>& count) {
  if (!count) return {};
  return count->suppressed ? std::string("<5") : std::to_string(count->value);
}

void AppendCsvHeader(std::string& out, const ledger::OpenData& data) {
  out += "clinic,name,municipality,operator,month,listed";
  for (const int age : data.band_min_ages) out += fmt::format(",listed_age_{}", age);
  for (const auto component : domain::kComponents) out += fmt::format(",{}", domain::Name(component));
  out += ",total,cni\r\n";
}

void AppendCsvRow(std::string& out, const ledger::OpenDataRow& row) {
  AppendCsvText(out, row.clinic);
  out += ',';
  AppendCsvText(out, row.name);
  out += fmt::format(",{},{},{},{}", MunicipalityText(row.municipality), OperatorText(row.op),
                     domain::FormatMonth(row.month), row.listed);
  for (const auto& count : row.band_counts) out += "," + BandCell(count);
  for (const auto& amount : row.amounts) out += "," + domain::FormatKronor(amount);
  out += fmt::format(",{},{}\r\n", domain::FormatKronor(row.total), CniText(row.cni_ten_thousandths));
}

void WriteJsonRow(codec::JsonArray& rows, const ledger::OpenDataRow& row) {
  codec::JsonObject o = rows.Object();
  o.String("clinic", row.clinic).String("name", row.name);
  if (row.municipality) o.String("municipality", MunicipalityText(row.municipality)); else o.Null("municipality");
  if (row.op) o.String("operator", OperatorText(row.op)); else o.Null("operator");
  o.String("month", domain::FormatMonth(row.month)).Integer("listed", row.listed);
  codec::JsonArray bands = o.Array("listed_by_band");
  for (const auto& count : row.band_counts) {
    if (!count) bands.Raw("null");
    else if (count->suppressed) bands.String("<5");
    else bands.Integer(count->value);
  }
  bands.Close();
  codec::JsonObject amounts = o.Object("amounts");
  for (const auto component : domain::kComponents) {
    amounts.Kronor(domain::Name(component), row.amounts[static_cast<std::size_t>(component)]);
  }
  amounts.Close();
  o.Kronor("total", row.total);
  if (row.cni_ten_thousandths) o.Decimal("cni", *row.cni_ten_thousandths, kCniDecimals); else o.Null("cni");
  o.Close();
}

}  // namespace

std::string OpenDataCsv(const ledger::OpenData& data) {
  std::string out;
  AppendCsvHeader(out, data);
  for (const auto& row : data.rows) AppendCsvRow(out, row);
  return out;
}

std::string OpenDataJson(const ledger::OpenData& data) {
  return json_parts::Document([&](codec::JsonObject& o) {
    o.Integer("year", data.year)
        .String("through", domain::FormatMonth(data.through))
        .Integer("known_at_seq", data.known_at_seq);
    codec::JsonArray ages = o.Array("band_min_ages");
    for (const int age : data.band_min_ages) ages.Integer(age);
    ages.Close();
    codec::JsonArray rows = o.Array("rows");
    for (const auto& row : data.rows) WriteJsonRow(rows, row);
    rows.Close();
  });
}

}  // namespace capledger::present
