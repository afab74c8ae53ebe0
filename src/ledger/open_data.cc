#include "ledger/open_data.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "codec/seq_format.h"
#include "ledger/annual.h"
#include "projection/report.h"

namespace capledger::ledger {
namespace {

using domain::Month;
using RowKey = std::pair<std::int32_t, domain::ClinicId>;  // (month ordinal, clinic)
using Rows = std::map<RowKey, OpenDataRow>;

OpenDataRow& RowFor(Rows& rows, Month month, const domain::ClinicId& clinic) {
  OpenDataRow& row = rows[{domain::MonthOrdinal(month), clinic}];
  row.clinic = clinic;
  row.month = month;
  return row;
}

// The band columns: every band's lower age over the rulebooks of the reported months.
std::vector<int> BandColumns(const projection::Projection& p, const std::vector<projection::MonthReport>& reports,
                             domain::Seq known_at) {
  std::set<int> ages;
  for (const auto& report : reports) {
    const auto* fact = p.RulebookInForce(report.month, known_at);
    if (!fact) continue;
    for (const auto& band : fact->rulebook.capitation) ages.insert(band.min_age);
  }
  return {ages.begin(), ages.end()};
}

// The listed counts of one month's report, band counts placed in their columns and suppressed.
void AddListed(const projection::Projection& p, const projection::MonthReport& report, domain::Seq known_at,
               const std::vector<int>& columns, Rows& rows) {
  const auto* fact = p.RulebookInForce(report.month, known_at);
  for (const auto& line : report.clinics) {
    OpenDataRow& row = RowFor(rows, report.month, line.clinic);
    row.listed = line.amounts.listed;
    row.band_counts.assign(columns.size(), std::nullopt);
    for (std::size_t b = 0; fact && b < line.amounts.band_counts.size(); ++b) {
      const int min_age = fact->rulebook.capitation[b].min_age;
      const auto column = std::lower_bound(columns.begin(), columns.end(), min_age) - columns.begin();
      row.band_counts[static_cast<std::size_t>(column)] = Publishable(line.amounts.band_counts[b]);
    }
  }
}

// Adds every entry with seq <= K for a month from January through `through` of `year`.
Status AddEntries(const projection::Projection& p, int year, Month through, domain::Seq known_at, Rows& rows) {
  for (const auto& booked : p.ledger().entries()) {
    if (booked.seq > known_at) break;
    const auto& e = booked.entry;
    if (static_cast<int>(e.period.year()) != year || e.period > through) continue;
    OpenDataRow& row = RowFor(rows, e.period, e.clinic);
    if (auto added = domain::AddTo(row.amounts[static_cast<std::size_t>(e.component)], e.amount); !added) return added;
  }
  return {};
}

// Fills what the projection knows of the clinic at K (name, municipality; operator and CNI on the
// month's snapshot date, if the month has one) and the total.
Status Describe(const projection::Projection& p, const std::map<std::int32_t, domain::Date>& snapshots,
                domain::Seq known_at, std::size_t columns, OpenDataRow& row) {
  row.band_counts.resize(columns, std::nullopt);
  if (auto c = p.ClinicIndex(row.clinic)) {
    row.name = p.NameAt(*c, known_at);
    row.municipality = p.Municipality(*c, known_at);
    if (auto d = snapshots.find(domain::MonthOrdinal(row.month)); d != snapshots.end()) {
      const std::int32_t day = domain::DaysSinceEpoch(d->second);
      row.op = p.OperatorOn(*c, day, known_at);
      row.cni_ten_thousandths = p.CniOn(*c, day, known_at);
    }
  }
  for (const auto& amount : row.amounts) {
    if (auto added = domain::AddTo(row.total, amount); !added) return added;
  }
  return {};
}

// The missions `clinic` offers on `day`, with their titles from `rulebook` where it lists them.
std::vector<OfferedMissionTitle> MissionTitles(const projection::Projection& p, std::uint16_t clinic, std::int32_t day,
                                               domain::Seq known_at, const domain::Rulebook* rulebook) {
  std::vector<OfferedMissionTitle> out;
  for (const auto& offered : p.MissionsOn(clinic, day, known_at)) {
    OfferedMissionTitle m{offered.mission, ""};
    for (std::size_t i = 0; rulebook && i < rulebook->missions.size(); ++i) {
      if (rulebook->missions[i].id == offered.mission) m.title = rulebook->missions[i].title;
    }
    out.push_back(std::move(m));
  }
  return out;
}

// Sums each clinic's rows and describes it on the last reported snapshot date.
Status Summarize(const projection::Projection& p, domain::Seq known_at, const domain::Date& last_snapshot,
                 OpenData& data) {
  std::map<domain::ClinicId, OpenDataClinic> clinics;
  const Month last = data.reported_months.back();
  for (const auto& row : data.rows) {
    OpenDataClinic& c = clinics[row.clinic];
    c.clinic = row.clinic;
    c.name = row.name;
    c.municipality = row.municipality;
    if (auto added = domain::AddTo(c.total, row.total); !added) return added;
    if (std::find(data.reported_months.begin(), data.reported_months.end(), row.month) == data.reported_months.end()) {
      continue;
    }
    c.listed_sum += row.listed;
    if (row.month == last) {
      c.listed_last = row.listed;
      c.op = row.op;
      c.cni_ten_thousandths = row.cni_ten_thousandths;
    }
  }
  const auto* rulebook = p.RulebookInForce(last, known_at);
  const std::int32_t day = domain::DaysSinceEpoch(last_snapshot);
  for (auto& [id, c] : clinics) {
    auto per = PerListed(c.total, data.reported_months.size(), c.listed_sum);
    if (!per) return tl::unexpected(per.error());
    c.per_listed = *per;
    if (auto index = p.ClinicIndex(id)) {
      c.missions = MissionTitles(p, *index, day, known_at, rulebook ? &rulebook->rulebook : nullptr);
    }
    data.clinics.push_back(std::move(c));
  }
  return {};
}

}  // namespace

PublishedCount Publishable(std::int64_t count) {
  if (count >= 1 && count <= kSuppressedMax) return PublishedCount{0, true};
  return PublishedCount{count, false};
}

Result<OpenData> BuildOpenData(const projection::Projection& projection, int year, Month through,
                               domain::Seq known_at) {
  if (static_cast<int>(through.year()) != year) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("through: {} is not in {}", domain::FormatMonth(through), year));
  }
  std::vector<Month> months;
  for (unsigned m = 1; m <= static_cast<unsigned>(through.month()); ++m) {
    months.push_back(Month{std::chrono::year(year), std::chrono::month(m)});
  }
  std::vector<projection::MonthReport> reports;
  for (auto& report : projection::BuildMonthReports(projection, months, known_at)) {
    if (!report && report.error().code == ErrorCode::kNoRulebookInForce) continue;
    if (!report) return tl::unexpected(report.error());
    reports.push_back(std::move(*report));
  }
  if (reports.empty()) {
    return Fail(ErrorCode::kNoRulebookInForce,
                fmt::format("no rulebook is in force for any month of {} through {} as known at seq {}", year,
                            domain::FormatMonth(through), known_at));
  }
  OpenData data;
  data.year = year;
  data.through = through;
  data.known_at_seq = known_at;
  data.band_min_ages = BandColumns(projection, reports, known_at);
  Rows rows;
  std::map<std::int32_t, domain::Date> snapshots;
  for (const auto& report : reports) {
    snapshots[domain::MonthOrdinal(report.month)] = report.snapshot;
    AddListed(projection, report, known_at, data.band_min_ages, rows);
  }
  if (auto added = AddEntries(projection, year, through, known_at, rows); !added) return tl::unexpected(added.error());
  for (auto& [key, row] : rows) {
    if (auto done = Describe(projection, snapshots, known_at, data.band_min_ages.size(), row); !done) {
      return tl::unexpected(done.error());
    }
    data.rows.push_back(std::move(row));
  }
  for (const auto& report : reports) data.reported_months.push_back(report.month);
  if (auto done = Summarize(projection, known_at, reports.back().snapshot, data); !done) {
    return tl::unexpected(done.error());
  }
  return data;
}

}  // namespace capledger::ledger
