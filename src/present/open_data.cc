#include "present/open_data.h"

#include <fmt/format.h>

#include "codec/json_out.h"
#include "codec/seq_format.h"
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

constexpr std::string_view kReadmeSv = R"(Hälsoval Örebro län: ersättning till vårdcentralerna, öppna data

Filer: ersattning.csv (CSV, UTF-8, komma som avgränsare, rubrikrad) och ersattning.json (samma
uppgifter). En rad per vårdcentral och månad. Inga uppgifter om enskilda invånare.

Kolumner:
  clinic               vårdcentralens id
  name                 vårdcentralens namn (i CSV står ' före ett namn som börjar med = + - @)
  municipality         kommunkod, fyra siffror
  operator             region (regiondriven) eller private (privat driven), på mätdagen
  month                månaden, ÅÅÅÅ-MM
  listed               listade invånare på månadens mätdag
  listed_age_A         listade i åldersgruppen som börjar vid A år (till nästa grupps början);
                       1-4 redovisas som <5, tomt om regelboken saknar gruppen den månaden
  Ersättningsdelarna, i kronor med två decimaler (punkt som decimaltecken), var och en summan av
  de poster som bokförts för månaden, rättelser medräknade:
  capitation           ålderskapitering
  performance          målrelaterad ersättning
  visits               besöksersättning
  start_grant          startbidrag
  cni_supplement       tillägg för vårdtyngd (CNI)
  distance_supplement  tillägg för avstånd till sjukhus
  missions             tilläggsuppdrag
  total                summan av ersättningsdelarna
  cni                  vårdcentralens CNI på mätdagen (fyra decimaler), tomt om inget rapporterats
)";

constexpr std::string_view kReadmeEn = R"(In English

Files: ersattning.csv (CSV, UTF-8, comma-separated, header row) and ersattning.json (the same
figures). One row per clinic and month. No data about individual residents.

Columns:
  clinic               the clinic's id
  name                 the clinic's name (in the CSV, a name starting with = + - @ follows a ')
  municipality         kommun code, four digits
  operator             region (run by the region) or private, on the snapshot date
  month                the month, YYYY-MM
  listed               residents listed on the month's snapshot date
  listed_age_A         listed in the age band starting at A years (up to the next band's start);
                       1-4 are published as <5, empty if the month's rulebook has no such band
  The components, in kronor with two decimals ('.' as the decimal point), each the sum of the
  entries booked for the month, corrections included:
  capitation           capitation by age
  performance          performance-based payment
  visits               payment for visits
  start_grant          start-up grant
  cni_supplement       Care Need Index supplement
  distance_supplement  supplement for the distance to hospital
  missions             optional missions
  total                the sum of the components
  cni                  the clinic's CNI on the snapshot date (four decimals), empty if none reported
)";

}  // namespace

std::string OpenDataReadme(const ledger::OpenData& data) {
  std::string ages;
  for (const int age : data.band_min_ages) ages += fmt::format(" listed_age_{}", age);
  const std::string through = domain::FormatMonth(data.through);
  const std::string sv = fmt::format("År {} till och med {}, som känt vid seq {}. Åldersgrupper:{}", data.year, through,
                                     data.known_at_seq, ages);
  const std::string en = fmt::format("Year {} through {}, as known at seq {}. Age bands:{}", data.year, through,
                                     data.known_at_seq, ages);
  return fmt::format("{}\n{}\n\n{}\n{}\n", kReadmeSv, sv, kReadmeEn, en);
}

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
