#include "ledger/books.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "common/assert.h"
#include "ledger/accounts.h"

namespace capledger::ledger {
namespace {

using domain::Money;

// kInvalidArgument unless `account` is an expense account or a payable one; kNotFound for the
// payable account of a clinic the log has never heard of.
Status CheckAccount(const projection::Projection& p, std::string_view account) {
  for (const auto component : domain::kComponents) {
    if (account == ExpenseAccount(component)) return {};
  }
  const std::string prefix = PayableAccount("");
  if (!account.starts_with(prefix)) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("account {}: must be payable:CLINIC or expense:halsoval:COMPONENT", account));
  }
  const std::string_view clinic = account.substr(prefix.size());
  const auto& ids = p.clinics().id;
  if (std::find(ids.begin(), ids.end(), clinic) == ids.end()) {
    return Fail(ErrorCode::kNotFound, fmt::format("account {}: no clinic {} in the log", account, clinic));
  }
  return {};
}

}  // namespace

Result<Balance> AccountBalance(const projection::Projection& p, const std::string& account, domain::Seq known_at) {
  if (auto checked = CheckAccount(p, account); !checked) return tl::unexpected(checked.error());
  Balance out{account, known_at, Money::Zero(), 0};
  for (const auto& booked : p.ledger().entries()) {
    if (booked.seq > known_at) break;
    const std::int64_t effect = EffectOn(booked.entry, account);
    if (booked.entry.debit != account && booked.entry.credit != account) continue;
    ++out.entries;
    if (auto added = domain::AddTo(out.balance, Money::FromOre(effect)); !added) return tl::unexpected(added.error());
  }
  return out;
}

Result<TrialBalance> Trial(const projection::Projection& p, domain::Seq known_at) {
  TrialBalance out{known_at, Money::Zero(), Money::Zero()};
  for (const auto& booked : p.ledger().entries()) {
    if (booked.seq > known_at) break;
    const auto& e = booked.entry;
    // Every entry moves its amount from one account to the other: debit effect + credit effect = 0.
    LEDGER_ASSERT(e.debit != e.credit);
    LEDGER_ASSERT(EffectOn(e, e.debit) + EffectOn(e, e.credit) == 0);
    if (auto added = domain::AddTo(out.debits, e.amount); !added) return tl::unexpected(added.error());
    if (auto added = domain::AddTo(out.credits, e.amount); !added) return tl::unexpected(added.error());
  }
  return out;
}

std::vector<projection::BookedEntry> SelectEntries(const projection::Projection& p, const EntryFilter& filter) {
  std::vector<projection::BookedEntry> out;
  for (const auto& booked : p.ledger().entries()) {
    const auto& e = booked.entry;
    if (filter.month && e.period != *filter.month) continue;
    if (filter.run && e.run != *filter.run) continue;
    if (filter.clinic && e.clinic != *filter.clinic) continue;
    out.push_back(booked);
  }
  return out;
}

Result<RunStatement> Statement(const projection::Projection& p, domain::Month run,
                               const std::optional<domain::ClinicId>& clinic) {
  const auto* booked_run = p.ledger().FindRun(run);
  if (!booked_run) return Fail(ErrorCode::kNotFound, fmt::format("{} has not been run", domain::FormatMonth(run)));
  RunStatement out{*booked_run, {}, Money::Zero()};
  std::map<domain::ClinicId, ClinicStatement> by_clinic;
  for (const auto& booked : SelectEntries(p, EntryFilter{std::nullopt, run, clinic})) {
    ClinicStatement& s = by_clinic[booked.entry.clinic];
    s.clinic = booked.entry.clinic;
    const bool current = booked.entry.kind == domain::EntryKind::kRegular;
    (current ? s.current : s.corrections).push_back(booked);
    if (auto a = domain::AddTo(current ? s.current_total : s.corrections_total, booked.entry.amount); !a) return tl::unexpected(a.error());
    if (auto a = domain::AddTo(s.total, booked.entry.amount); !a) return tl::unexpected(a.error());
    if (auto a = domain::AddTo(out.total, booked.entry.amount); !a) return tl::unexpected(a.error());
  }
  if (clinic && by_clinic.empty()) {
    return Fail(ErrorCode::kNotFound, fmt::format("the run for {} booked nothing for {}", domain::FormatMonth(run), *clinic));
  }
  for (auto& [id, statement] : by_clinic) {
    std::stable_sort(statement.corrections.begin(), statement.corrections.end(),
                     [](const auto& a, const auto& b) { return a.entry.period < b.entry.period; });
    out.clinics.push_back(std::move(statement));
  }
  return out;
}

}  // namespace capledger::ledger
