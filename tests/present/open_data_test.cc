// The open data files: exact CSV and JSON bytes for rows written by hand, a suppressed band, a
// hostile name, and a CNI.
#include <doctest/doctest.h>

#include "present/open_data.h"

namespace capledger::present {
namespace {

using domain::Money;

ledger::OpenData TwoRows() {
  ledger::OpenData data;
  data.year = 2024;
  data.through = domain::Month{std::chrono::year(2024), std::chrono::month(1)};
  data.known_at_seq = domain::Seq(42);
  data.band_min_ages = {0, 65};
  ledger::OpenDataRow a;
  a.clinic = "VC-A";
  a.name = "Vårdcentralen \"Norr\", Örebro";
  a.municipality = 114;
  a.op = domain::Operator::kPrivate;
  a.month = data.through;
  a.listed = 7;
  a.band_counts = {ledger::PublishedCount{5, false}, ledger::PublishedCount{0, true}};
  a.amounts[static_cast<std::size_t>(domain::Component::kCapitation)] = Money::FromOre(123450);
  a.amounts[static_cast<std::size_t>(domain::Component::kVisits)] = Money::FromOre(-5);
  a.total = Money::FromOre(123445);
  a.cni_ten_thousandths = 12345;
  ledger::OpenDataRow b;
  b.clinic = "VC-B";
  b.name = "=HYPERLINK(1)";
  b.month = data.through;
  b.band_counts = {std::nullopt, ledger::PublishedCount{0, false}};
  data.rows = {a, b};
  return data;
}

TEST_CASE("the CSV: a header, a quoted name, '<5', empty cells for what does not exist, no formula") {
  const std::string expected =
      "clinic,name,municipality,operator,month,listed,listed_age_0,listed_age_65,capitation,performance,visits,"
      "start_grant,cni_supplement,distance_supplement,missions,total,cni\r\n"
      "VC-A,\"Vårdcentralen \"\"Norr\"\", Örebro\",0114,private,2024-01,7,5,<5,1234.50,0.00,-0.05,0.00,0.00,0.00,"
      "0.00,1234.45,1.2345\r\n"
      "VC-B,'=HYPERLINK(1),,,2024-01,0,,0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,\r\n";
  CHECK(OpenDataCsv(TwoRows()) == expected);
}

TEST_CASE("the JSON carries the same figures, the name exactly, '<5' and null") {
  const std::string json = OpenDataJson(TwoRows());
  CHECK(json.starts_with(R"({"year": 2024, "through": "2024-01", "known_at_seq": 42, "band_min_ages": [0, 65], )"));
  CHECK(json.find(R"("name": "Vårdcentralen \"Norr\", Örebro", "municipality": "0114", "operator": "private")") !=
        std::string::npos);
  CHECK(json.find(R"("listed": 7, "listed_by_band": [5, "<5"])") != std::string::npos);
  CHECK(json.find(R"("capitation": "1234.50")") != std::string::npos);
  CHECK(json.find(R"("visits": "-0.05")") != std::string::npos);
  CHECK(json.find(R"("total": "1234.45", "cni": "1.2345"})") != std::string::npos);
  CHECK(json.find(R"x("name": "=HYPERLINK(1)", "municipality": null, "operator": null)x") != std::string::npos);
  CHECK(json.find(R"("listed_by_band": [null, 0])") != std::string::npos);
  CHECK(json.find(R"("total": "0.00", "cni": null})") != std::string::npos);
  CHECK(json.ends_with("]}\n"));
}

TEST_CASE("the README describes every column of the CSV's header, in Swedish and in English") {
  const ledger::OpenData data = TwoRows();
  const std::string csv = OpenDataCsv(data);
  const std::string readme = OpenDataReadme(data);
  std::string_view header(csv.data(), csv.find("\r\n"));
  std::size_t columns = 0;
  while (!header.empty()) {
    const std::size_t comma = std::min(header.find(','), header.size());
    const std::string column(header.substr(0, comma));
    header.remove_prefix(std::min(comma + 1, header.size()));
    ++columns;
    const std::size_t sv = readme.find(column);
    REQUIRE_MESSAGE(sv != std::string::npos, column);
    // listed_age_A is described once as a pattern and named per band in the line about K.
    CHECK_MESSAGE(readme.find(column, readme.find("In English")) != std::string::npos, column);
  }
  CHECK(columns == 6 + 2 + 7 + 2);  // fixed, two band columns, seven components, total and cni
  CHECK(readme.find("seq 42") != std::string::npos);
}

}  // namespace
}  // namespace capledger::present
