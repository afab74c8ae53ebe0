#include "present/sie.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "ledger/accounts.h"
#include "ledger/payout.h"
#include "present/cp437.h"

namespace capledger::present {

using ledger::BookedPayout;
using ledger::ExpenseAccount;
using ledger::FindExistingRun;
using ledger::PayableAccount;

namespace {

using domain::Money;

// A quoted SIE string: '"' escaped with a backslash, control characters as spaces.
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  }
  return out + "\"";
}

std::string Yyyymmdd(domain::Date date) {
  return fmt::format("{:04d}{:02d}{:02d}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

bool PrintableName(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  for (char c : name) {
    if (c == '"' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// The lines of one file, each encoded as CP437 and ended with CR LF.
class SieLines {
 public:
  void Add(const std::string& utf8) { out_ += Cp437FromUtf8(utf8) + "\r\n"; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// One clinic's verification: its non-zero entries and their sum.
struct ClinicVerification {
  domain::ClinicId clinic;
  std::string name;
  std::vector<const domain::LedgerEntry*> entries;
  Money total = Money::Zero();
};

Result<std::vector<ClinicVerification>> Verifications(const projection::Projection& projection,
                                                      const BookedPayout& booked) {
  std::map<domain::ClinicId, ClinicVerification> by_clinic;
  for (const auto& b : booked.entries) {
    const domain::LedgerEntry& e = b.entry;
    if (e.debit != ExpenseAccount(e.component) || e.credit != PayableAccount(e.clinic)) {
      return Fail(ErrorCode::kCorruption, fmt::format("entry {} moves {} to {}: not the accounts of its component and "
                                                      "clinic", e.entry_id, e.credit, e.debit));
    }
    if (e.amount == Money::Zero()) continue;
    ClinicVerification& v = by_clinic[e.clinic];
    v.clinic = e.clinic;
    v.entries.push_back(&e);
    auto total = v.total.Plus(e.amount);
    if (!total) return tl::unexpected(total.error());
    v.total = *total;
  }
  std::vector<ClinicVerification> out;
  for (auto& [clinic, v] : by_clinic) {
    const auto index = projection.ClinicIndex(clinic);
    v.name = index ? projection.NameAt(*index, booked.run.run.known_at_seq) : "";
    out.push_back(std::move(v));
  }
  return out;
}

void Header(SieLines& lines, const SieOptions& o, domain::Date verification_date, const SieDates& dates,
            std::string_view version) {
  lines.Add("#FLAGGA 0");
  lines.Add("#FORMAT PC8");
  lines.Add("#SIETYP 4");
  lines.Add(fmt::format("#PROGRAM {} {}", Quoted("capledger"), Quoted(version)));
  lines.Add("#GEN " + Yyyymmdd(dates.generated));
  if (!o.org_number.empty()) lines.Add("#ORGNR " + o.org_number);
  lines.Add("#FNAMN " + Quoted(o.company));
  // The fiscal year is the calendar year of the verifications.
  const std::chrono::year year = verification_date.year();
  lines.Add(fmt::format("#RAR 0 {} {}", Yyyymmdd(year / std::chrono::January / 1), Yyyymmdd(year / std::chrono::December / 31)));
  lines.Add("#VALUTA SEK");
}

void ChartOfAccounts(SieLines& lines, const SieOptions& o, const std::vector<ClinicVerification>& verifications) {
  std::map<int, std::pair<std::string, char>> accounts;  // number -> name, type
  for (const auto& v : verifications) {
    for (const auto* e : v.entries) {
      const SieAccount& a = o.expense[static_cast<std::size_t>(e->component)];
      accounts.emplace(a.number, std::pair{a.name, 'K'});
    }
  }
  if (!verifications.empty()) accounts.emplace(o.payable.number, std::pair{o.payable.name, 'S'});
  for (const auto& [number, account] : accounts) {
    lines.Add(fmt::format("#KONTO {} {}", number, Quoted(account.first)));
    lines.Add(fmt::format("#KTYP {} {}", number, account.second));
  }
  lines.Add(fmt::format("#DIM {} {}", o.clinic_dimension, Quoted(o.clinic_dimension_name)));
  for (const auto& v : verifications) {
    lines.Add(fmt::format("#OBJEKT {} {} {}", o.clinic_dimension, Quoted(v.clinic), Quoted(v.name.empty() ? v.clinic.view() : std::string_view(v.name))));
  }
}

void Verification(SieLines& lines, const SieOptions& o, const ClinicVerification& v, int number, domain::Month run,
                  domain::Date date, domain::Date booked) {
  const std::string text = fmt::format("Hälsoval {} {}{}", domain::FormatMonth(run), v.clinic,
                                       v.name.empty() ? "" : " " + v.name);
  const std::string object = fmt::format("{{{} {}}}", o.clinic_dimension, Quoted(v.clinic));
  lines.Add(fmt::format("#VER {} {} {} {} {}", o.series, number, Yyyymmdd(date), Quoted(text), Yyyymmdd(booked)));
  lines.Add("{");
  for (const auto* e : v.entries) {
    const std::string row_text = fmt::format("{} {} {} {}", e->entry_id, domain::FormatMonth(e->period),
                                             domain::Name(e->component), domain::Name(e->kind));
    lines.Add(fmt::format("   #TRANS {} {} {} \"\" {}", o.expense[static_cast<std::size_t>(e->component)].number, object,
                          domain::FormatKronor(e->amount), Quoted(row_text)));
  }
  lines.Add(fmt::format("   #TRANS {} {} {} \"\" {}", o.payable.number, object,
                        domain::FormatKronor(Money::FromOre(-v.total.ore())), Quoted(text)));
  lines.Add("}");
}

}  // namespace

Status CheckSieOptions(const SieOptions& o) {
  auto bad = [](const std::string& message) { return Fail(ErrorCode::kInvalidArgument, "sie: " + message); };
  auto check_account = [&](const SieAccount& a, std::string_view what) -> Status {
    if (a.number < 1000 || a.number > 9999) return bad(fmt::format("the {} account must be 1000 to 9999", what));
    if (!PrintableName(a.name)) return bad(fmt::format("the name of the {} account must be 1-100 characters without '\"'", what));
    return {};
  };
  for (int c = 0; c < domain::kComponentCount; ++c) {
    const auto component = static_cast<domain::Component>(c);
    if (auto ok = check_account(o.expense[c], domain::Name(component)); !ok) return ok;
    if (o.expense[c].number == o.payable.number) return bad("the payables account is also an expense account");
  }
  if (auto ok = check_account(o.payable, "payables"); !ok) return ok;
  if (o.series.empty() || o.series.size() > 8 ||
      o.series.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != std::string::npos) {
    return bad("the series must be 1-8 letters or digits");
  }
  if (o.clinic_dimension < 1 || o.clinic_dimension > 999) return bad("the clinic dimension must be 1 to 999");
  if (!PrintableName(o.clinic_dimension_name)) return bad("the clinic dimension name must be 1-100 characters without '\"'");
  if (!PrintableName(o.company)) return bad("the company name must be 1-100 characters without '\"'");
  if (o.org_number.find_first_not_of("0123456789-") != std::string::npos || o.org_number.size() > 11) {
    return bad("the organisation number must be digits and '-' (NNNNNN-NNNN)");
  }
  return {};
}

Result<std::string> RunSie(const projection::Projection& projection, domain::Month month, const SieOptions& options,
                           const SieDates& dates, std::string_view program_version) {
  auto booked = FindExistingRun(projection, month);
  if (!booked) {
    return Fail(ErrorCode::kNotFound, fmt::format("no payout run is booked for {}", domain::FormatMonth(month)));
  }
  auto verifications = Verifications(projection, *booked);
  if (!verifications) return tl::unexpected(verifications.error());
  const domain::Date date = options.date == SieDate::kMonthEnd ? domain::LastDay(month) : dates.booked;
  SieLines lines;
  Header(lines, options, date, dates, program_version);
  ChartOfAccounts(lines, options, *verifications);
  int number = 0;
  for (const auto& v : *verifications) Verification(lines, options, v, ++number, month, date, dates.booked);
  return lines.Take();
}

Result<std::string> ExportRunSie(const projection::Projection& projection, const store::EventStore& store,
                                 domain::Month month, const SieOptions& options, Timestamp now,
                                 std::string_view program_version) {
  const projection::BookedRun* run = projection.ledger().FindRun(month);
  if (!run) return Fail(ErrorCode::kNotFound, fmt::format("no payout run is booked for {}", domain::FormatMonth(month)));
  auto record = store.Read(run->seq);
  if (!record) return tl::unexpected(record.error());
  return RunSie(projection, month, options, SieDates{domain::SwedishDate(record->stored.recorded_at), domain::SwedishDate(now)},
                program_version);
}

}  // namespace capledger::present
