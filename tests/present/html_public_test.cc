// The public follow-up's pages from open data built by hand: every clinic linked and comparable,
// hostile names shown as text, suppressed counts as "<5", and the same bytes for the same data.
#include <doctest/doctest.h>

#include "present/html_public.h"

namespace capledger::present {
namespace {

using domain::Money;

const std::string kNbsp = "\xC2\xA0";

domain::Month M(int y, unsigned m) { return domain::Month{std::chrono::year(y), std::chrono::month(m)}; }

ledger::OpenData HandMade() {
  ledger::OpenData data;
  data.year = 2024;
  data.through = M(2024, 2);
  data.known_at_seq = domain::Seq(99);
  data.band_min_ages = {0, 65};
  data.reported_months = {M(2024, 1), M(2024, 2)};
  for (unsigned m = 1; m <= 2; ++m) {
    ledger::OpenDataRow row;
    row.clinic = "VC-X";
    row.name = "<script>alert(1)</script> & Co";
    row.month = M(2024, m);
    row.listed = 9;
    row.band_counts = {ledger::PublishedCount{6, false}, ledger::PublishedCount{0, true}};
    row.amounts[static_cast<std::size_t>(domain::Component::kCapitation)] = Money::FromOre(123'456);
    row.total = Money::FromOre(123'456);
    data.rows.push_back(row);
  }
  ledger::OpenDataClinic c;
  c.clinic = "VC-X";
  c.name = "<script>alert(1)</script> & Co";
  c.municipality = 1880;
  c.op = domain::Operator::kPrivate;
  c.listed_last = 9;
  c.listed_sum = 18;
  c.total = Money::FromOre(246'912);
  c.per_listed = Money::FromOre(27'435);  // 246,912 × 2 / 18 = 27,434.67 -> 27,435 öre
  c.cni_ten_thousandths = 12'345;
  c.missions = {{"jour", "Jourmottagning"}};
  data.clinics.push_back(c);
  return data;
}

TEST_CASE("the index links every clinic, shows its figures in Swedish, and never runs a name as markup") {
  const std::string html = PublicIndexHtml(HandMade(), Lang::kSv);
  CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
  CHECK(html.find("href=\"clinics/VC-X.html\"") != std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co") != std::string::npos);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("<script src=\"sort.js\" defer=\"defer\"></script>") != std::string::npos);
  CHECK(html.find("href=\"style.css\"") != std::string::npos);
  // 27,435 öre per listed resident: "274,35 kr", sortable by its öre.
  CHECK(html.find("data-value=\"27435\">274,35" + kNbsp + "kr<") != std::string::npos);
  CHECK(html.find("data-value=\"246912\">2" + kNbsp + "469,12" + kNbsp + "kr<") != std::string::npos);
  CHECK(html.find(">Privat<") != std::string::npos);
  CHECK(html.find(">1880<") != std::string::npos);
  CHECK(html.find(">1,2345<") != std::string::npos);  // the CNI with a decimal comma
  CHECK(html.find("class=\"sortable\"") != std::string::npos);
}

TEST_CASE("a clinic's page: the age profile with '<5', the charts, the missions, links up one folder") {
  auto html = PublicClinicHtml(HandMade(), "VC-X", Lang::kSv);
  REQUIRE(html.has_value());
  CHECK(html->find("href=\"../index.html\"") != std::string::npos);
  CHECK(html->find("href=\"../style.css\"") != std::string::npos);
  CHECK(html->find("<td>0–64</td><td class=\"num\">6</td>") != std::string::npos);
  CHECK(html->find("<td>65–</td><td class=\"num\">&lt;5</td>") != std::string::npos);
  CHECK(html->find("<svg") != std::string::npos);
  CHECK(html->find("Jourmottagning") != std::string::npos);
  CHECK(html->find("<script>alert") == std::string::npos);
  // Only capitation was paid: the table shows it and no other component.
  CHECK(html->find("Ålderskapitering") != std::string::npos);
  CHECK(html->find(">Startbidrag<") == std::string::npos);
  CHECK(PublicClinicHtml(HandMade(), "VC-NONE", Lang::kSv).error().code == ErrorCode::kNotFound);
}

TEST_CASE("the same data give the same bytes, and English on request") {
  CHECK(PublicIndexHtml(HandMade(), Lang::kSv) == PublicIndexHtml(HandMade(), Lang::kSv));
  CHECK(*PublicClinicHtml(HandMade(), "VC-X", Lang::kSv) == *PublicClinicHtml(HandMade(), "VC-X", Lang::kSv));
  const std::string en = PublicIndexHtml(HandMade(), Lang::kEn);
  CHECK(en.find("<html lang=\"en\">") != std::string::npos);
  CHECK(en.find("SEK" + kNbsp + "274.35") != std::string::npos);
}

}  // namespace
}  // namespace capledger::present
