// SIE 4 export of a payout run, read back with a small parser written here (not the writer's
// code): the file's frame, CP437 text, one balanced verification per clinic, totals equal to the
// run's entries. Amounts are worked out by hand below.
#include <map>
#include <sstream>

#include <doctest/doctest.h>

#include "ledger/ledger_world.h"
#include "present/cp437.h"
#include "present/sie.h"

namespace capledger::testing {
namespace {

// ---- An independent reader of the SIE lines this test needs ---------------------------------

// The fields of one line: words, "quoted strings" (with \" and \\ escapes) and {object lists},
// the quotes and braces removed.
std::vector<std::string> SieFields(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
    } else if (line[i] == '"') {
      std::string text;
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        text += line[i];
      }
      ++i;
      fields.push_back(text);
    } else if (line[i] == '{') {
      const std::size_t end = line.find('}', i);
      REQUIRE(end != std::string::npos);
      fields.push_back(line.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      const std::size_t end = std::min(line.find(' ', i), line.size());
      fields.push_back(line.substr(i, end - i));
      i = end;
    }
  }
  return fields;
}

// "-1234.50" -> -123450 öre; fails the test unless there are exactly two decimals and a dot.
std::int64_t OreOf(const std::string& amount) {
  const bool negative = !amount.empty() && amount[0] == '-';
  const std::string digits = negative ? amount.substr(1) : amount;
  const std::size_t dot = digits.find('.');
  REQUIRE_MESSAGE(dot != std::string::npos, amount);
  REQUIRE_MESSAGE(digits.size() - dot == 3, amount);
  const std::int64_t ore = std::stoll(digits.substr(0, dot)) * 100 + std::stoll(digits.substr(dot + 1));
  return negative ? -ore : ore;
}

struct SieTrans {
  int account = 0;
  std::string object;
  std::int64_t ore = 0;
  std::string text;
};
struct SieVer {
  std::vector<std::string> fields;  // #VER serie vernr datum text regdatum
  std::vector<SieTrans> rows;
};
struct SieFile {
  std::vector<std::string> lines;                 // without CR LF
  std::map<int, std::string> accounts;            // #KONTO
  std::map<std::string, std::string> objects;     // #OBJEKT 20 id name
  std::vector<SieVer> verifications;
};

SieFile ParseSie(const std::string& bytes) {
  SieFile file;
  std::size_t start = 0;
  while (start < bytes.size()) {
    const std::size_t end = bytes.find("\r\n", start);
    REQUIRE_MESSAGE(end != std::string::npos, "every line ends with CR LF");
    file.lines.push_back(bytes.substr(start, end - start));
    start = end + 2;
  }
  bool in_ver = false;
  for (const auto& line : file.lines) {
    CHECK_MESSAGE(line.find('\n') == std::string::npos, line);
    if (line == "{" || line == "}") {  // a verification's rows begin and end
      CHECK(in_ver == (line == "}"));
      in_ver = line == "{";
      continue;
    }
    const auto f = SieFields(line);
    REQUIRE_FALSE(f.empty());
    if (f[0] == "#KONTO") file.accounts[std::stoi(f.at(1))] = f.at(2);
    if (f[0] == "#OBJEKT") file.objects[f.at(2)] = f.at(3);
    if (f[0] == "#VER") file.verifications.push_back(SieVer{f, {}});
    if (f[0] == "#TRANS") {
      REQUIRE(in_ver);
      REQUIRE(f.size() == 6);  // #TRANS account {objects} amount transdat text
      file.verifications.back().rows.push_back(SieTrans{std::stoi(f[1]), f[2], OreOf(f[3]), f[5]});
    }
  }
  return file;
}

// ---- The world ---------------------------------------------------------------------------

// Capitation only (per year 0-5: 3600.00, 25-44: 2300.00, 65-74: 4300.00 ...), valid 2024.
domain::Rulebook Capitation2024() {
  domain::Rulebook rb = Rulebook2023(domain::SnapshotRule::kLastDayOfMonth, D(2024, 1, 1), D(2025, 1, 1));
  rb.id = "KoK-2024";
  rb.performance_per_year.reset();
  rb.visits.reset();
  return rb;
}

// March: VC-A "Vårdcentralen Åby" has residents 1 and 2 (born 1980, aged 44 on 2024-03-31):
// 2 × 2300.00 / 12 = 383.33; VC-B "Vårdcentralen Öster" has resident 3 (born 2020, aged 3):
// 3600.00 / 12 = 300.00. After the March run, two late facts: resident 2 died on 2024-03-15 and
// resident 4 (born 1950-01-15, aged 74) was listed at VC-B from 2024-03-01. The April run books
//   VC-A April 2300.00 / 12 = 191.67 and March 191.67 − 383.33 = −191.66: VC-A is owed 0.01;
//   VC-B April (3600.00 + 4300.00) / 12 = 658.33 and March 658.33 − 300.00 = +358.33: 1016.66.
struct TwoRuns {
  LedgerWorld world;
  ledger::PayoutPlan march;
  ledger::PayoutPlan april;
};

TwoRuns BuildTwoRuns() {
  TwoRuns runs;
  LedgerWorld& w = runs.world;
  w.Publish(Capitation2024());
  w.Add(domain::ClinicRegistered{"VC-A", "Vårdcentralen Åby", domain::Operator::kRegion, 1880, 125, D(2020, 1, 1)});
  w.Add(domain::ClinicRegistered{"VC-B", "Vårdcentralen Öster", domain::Operator::kPrivate, 1880, 125, D(2020, 1, 1)});
  w.Resident(1, D(1980, 3, 2), "VC-A", D(2023, 1, 1));
  w.Resident(2, D(1980, 3, 3), "VC-A", D(2023, 1, 1));
  w.Resident(3, D(2020, 6, 1), "VC-B", D(2023, 1, 1));
  runs.march = w.Pay(M(2024, 3));
  w.Died(2, D(2024, 3, 15));
  w.Resident(4, D(1950, 1, 15), "VC-B", D(2024, 3, 1));
  runs.april = w.Pay(M(2024, 4));
  return runs;
}

// Booked on 2024-05-05, the file made on 2024-05-06.
present::SieDates Dates() { return present::SieDates{D(2024, 5, 5), D(2024, 5, 6)}; }

std::string Export(const TwoRuns& runs, domain::Month month, const present::SieOptions& options = {}) {
  auto sie = present::RunSie(runs.world.projection(), month, options, Dates(), "test-1");
  REQUIRE_MESSAGE(sie.has_value(), (sie ? "" : sie.error().message));
  return *sie;
}

std::int64_t Sum(const std::vector<SieTrans>& rows) {
  std::int64_t sum = 0;
  for (const auto& row : rows) sum += row.ore;
  return sum;
}

TEST_CASE("the SIE file of a run starts with the SIE 4 frame and states its year and company in CP437") {
  const TwoRuns runs = BuildTwoRuns();
  const SieFile file = ParseSie(Export(runs, M(2024, 4)));
  REQUIRE(file.lines.size() > 8);
  CHECK(file.lines[0] == "#FLAGGA 0");
  CHECK(file.lines[1] == "#FORMAT PC8");
  CHECK(file.lines[2] == "#SIETYP 4");
  CHECK(file.lines[3] == "#PROGRAM \"capledger\" \"test-1\"");
  CHECK(file.lines[4] == "#GEN 20240506");
  // "Region Örebro län" in CP437: Ö = 0x99, ä = 0x84.
  CHECK(file.lines[5] == "#FNAMN \"Region \x99rebro l\x84n\"");
  CHECK(file.lines[6] == "#RAR 0 20240101 20241231");
  // "Vårdcentralen Åby" and "Vårdcentralen Öster": å = 0x86, Å = 0x8F, Ö = 0x99.
  CHECK(file.objects.at("VC-A") == "V\x86rdcentralen \x8F" "by");
  CHECK(file.objects.at("VC-B") == "V\x86rdcentralen \x99ster");
  for (const auto& line : file.lines) {
    for (char c : line) CHECK_MESSAGE(static_cast<unsigned char>(c) != 0xC3, "no UTF-8 lead byte in " << line);
  }
}

TEST_CASE("every verification balances to zero and pays one clinic what the run's entries say") {
  const TwoRuns runs = BuildTwoRuns();
  const SieFile file = ParseSie(Export(runs, M(2024, 4)));
  REQUIRE(file.verifications.size() == 2);
  const SieVer& a = file.verifications[0];
  const SieVer& b = file.verifications[1];
  // #VER H 1 20240430 "text" 20240505: the month's last day, then the booking day.
  CHECK(a.fields.at(1) == "H");
  CHECK(a.fields.at(2) == "1");
  CHECK(a.fields.at(3) == "20240430");
  CHECK(a.fields.at(5) == "20240505");
  CHECK(b.fields.at(2) == "2");
  for (const auto& ver : file.verifications) {
    CHECK(Sum(ver.rows) == 0);
    for (const auto& row : ver.rows) CHECK(file.accounts.contains(row.account));
  }
  // The amounts worked out above, row by row: the expense rows on 4610, then the payable row on 2440.
  REQUIRE(a.rows.size() == 3);
  CHECK(a.rows[0].account == 4610);
  CHECK(a.rows[0].ore == 19167);
  CHECK(a.rows[1].ore == -19166);
  CHECK(a.rows[2].account == 2440);
  CHECK(a.rows[2].ore == -1);
  for (const auto& row : a.rows) CHECK(row.object == "20 \"VC-A\"");
  REQUIRE(b.rows.size() == 3);
  CHECK(b.rows[0].ore == 65833);
  CHECK(b.rows[1].ore == 35833);
  CHECK(b.rows[2].ore == -101666);
  // Every non-zero entry of the run is one expense row, with its id in the row's text.
  std::int64_t entries_ore = 0;
  std::size_t nonzero = 0;
  for (const auto& e : runs.april.entries) {
    entries_ore += e.amount.ore();
    if (e.amount.ore() == 0) continue;
    ++nonzero;
    bool found = false;
    for (const auto& ver : file.verifications) {
      for (const auto& row : ver.rows) found |= row.text.starts_with(e.entry_id.str() + " ") && row.ore == e.amount.ore();
    }
    CHECK_MESSAGE(found, e.entry_id.str());
  }
  CHECK(entries_ore == runs.april.run.total.ore());
  CHECK(entries_ore == 101667);  // 0.01 + 1016.66
  std::int64_t expense_ore = 0;
  std::size_t expense_rows = 0;
  for (const auto& ver : file.verifications) {
    for (const auto& row : ver.rows) {
      if (row.account == 2440) continue;
      expense_ore += row.ore;
      ++expense_rows;
    }
  }
  CHECK(expense_ore == entries_ore);
  CHECK(expense_rows == nonzero);
}

TEST_CASE("the account mapping, series, dimension and date rule come from the options") {
  const TwoRuns runs = BuildTwoRuns();
  present::SieOptions options;
  options.series = "HV";
  options.clinic_dimension = 6;
  options.date = present::SieDate::kBooked;
  options.expense[static_cast<std::size_t>(domain::Component::kCapitation)] = {5010, "Kapitering"};
  options.payable = {2441, "Skuld vårdgivare"};
  options.org_number = "232100-0164";
  REQUIRE(present::CheckSieOptions(options).has_value());
  const SieFile file = ParseSie(Export(runs, M(2024, 3), options));
  CHECK(std::find(file.lines.begin(), file.lines.end(), "#ORGNR 232100-0164") != file.lines.end());
  CHECK(std::find(file.lines.begin(), file.lines.end(), "#DIM 6 \"V\x86rdenhet\"") != file.lines.end());
  CHECK(file.accounts == std::map<int, std::string>{{2441, "Skuld v\x86rdgivare"}, {5010, "Kapitering"}});
  REQUIRE(file.verifications.size() == 2);
  CHECK(file.verifications[0].fields.at(1) == "HV");
  CHECK(file.verifications[0].fields.at(3) == "20240505");  // the booking day
  // March: VC-A 383.33 and VC-B 300.00, as worked out above.
  CHECK(file.verifications[0].rows.at(0).account == 5010);
  CHECK(file.verifications[0].rows.at(0).object == "6 \"VC-A\"");
  CHECK(file.verifications[0].rows.at(0).ore == 38333);
  CHECK(file.verifications[1].rows.at(1).account == 2441);
  CHECK(file.verifications[1].rows.at(1).ore == -30000);
}

TEST_CASE("a month without a run is not found, and bad options are refused") {
  const TwoRuns runs = BuildTwoRuns();
  auto none = present::RunSie(runs.world.projection(), M(2024, 5), {}, Dates(), "test-1");
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code == ErrorCode::kNotFound);
  present::SieOptions same_account;
  same_account.payable.number = same_account.expense[0].number;
  CHECK_FALSE(present::CheckSieOptions(same_account).has_value());
  present::SieOptions bad_series;
  bad_series.series = "H V";
  CHECK_FALSE(present::CheckSieOptions(bad_series).has_value());
  present::SieOptions bad_number;
  bad_number.expense[2].number = 123;
  CHECK_FALSE(present::CheckSieOptions(bad_number).has_value());
  CHECK(present::CheckSieOptions(present::SieOptions{}).has_value());
}

TEST_CASE("CP437 keeps ASCII, maps the Swedish letters to their bytes, and marks the rest with '?'") {
  CHECK(present::Cp437FromUtf8("VC-1880 \"A\"") == "VC-1880 \"A\"");
  // å ä ö Å Ä Ö é ü: 86 84 94 8F 8E 99 82 81 (the IBM PC table).
  CHECK(present::Cp437FromUtf8("åäöÅÄÖéü") == "\x86\x84\x94\x8F\x8E\x99\x82\x81");
  CHECK(present::Cp437FromUtf8("€") == "?");            // not in CP437
  CHECK(present::Cp437FromUtf8("a\tb") == "a?b");       // a control character
  CHECK(present::Cp437FromUtf8("\xff" "x") == "?x");    // invalid UTF-8
  CHECK(present::Cp437FromUtf8("\xc1\x81") == "?");     // an overlong 'A'
  CHECK(present::Cp437FromUtf8("\xc3") == "?");         // cut short
}

}  // namespace
}  // namespace capledger::testing
