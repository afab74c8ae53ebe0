// The timeline of a generated world: rulebooks, the start, then one step per month of knowledge.
#include "worldgen/world.h"

#include <algorithm>

namespace capledger::worldgen {
namespace {

using std::chrono::day;
using std::chrono::December;
using std::chrono::January;
using std::chrono::year;

constexpr Micros kMicrosPerHour = 3'600'000'000;
// Mixed into the seed for the stream of the missions and budget frames (any constant will do).
constexpr std::uint64_t kPlanStream = 0x6d697373696f6e73ULL;  // "missions"

Month JanuaryOf(int y) { return Month{year(y), January}; }

}  // namespace

World::World(const GenerateOptions& options, std::FILE* out)
    : options_(options),
      rng_(options.seed),
      population_(options.first_year + options.years),
      sink_(out, DayStart(Date{year(options.first_year + options.years), January, day(15)})),
      first_month_(JanuaryOf(options.first_year)),
      last_month_(domain::AddMonths(JanuaryOf(options.first_year + options.years), -1)),
      opening_month_(first_month_),
      plan_rng_(options.seed ^ kPlanStream) {
  geography_ = BuildGeography(options.preset, rng_);
  listed_.assign(geography_.clinics.size(), 0);
  visit_noise_seed_ = rng_.Next();
  PlanSpecialMonths();
  revised_year_ = options.first_year + static_cast<int>(plan_rng_.Below(static_cast<std::uint64_t>(options.years)));
}

// The new clinic opens on the 1st of a month from April to October of the second year (of the
// first if there is one year only), in the largest municipality. Each year has two late deaths,
// two wrong listings and two replaced visit reports, in months early enough for the correction
// to arrive before the world ends.
void World::PlanSpecialMonths() {
  const int opening_year = options_.first_year + (options_.years >= 2 ? 1 : 0);
  opening_month_ = Month{year(opening_year), std::chrono::month(static_cast<unsigned>(rng_.Between(4, 10)))};
  opening_municipality_ = LargestMunicipality(geography_);
  for (int y = 0; y < options_.years; ++y) {
    for (int k = 0; k < 2; ++k) {
      late_death_months_.push_back(y * 12 + static_cast<int>(rng_.Between(0, 9)));
      wrong_listing_months_.push_back(y * 12 + static_cast<int>(rng_.Between(0, 9)));
      visit_fix_months_.push_back(y * 12 + static_cast<int>(rng_.Between(0, 8)));
    }
  }
}

// Each rulebook is decided on 15 December of the year before its valid_from, 10:00 UTC.
void World::ScheduleRulebooks() {
  for (std::size_t i = 0; i < options_.rulebooks.size(); ++i) {
    const domain::Rulebook& rulebook = options_.rulebooks[i];
    const Date decided{rulebook.valid_from.year() - std::chrono::years(1), December, day(15)};
    const Micros recorded = DayStart(decided) + 10 * kMicrosPerHour + static_cast<Micros>(i);
    sink_.Hold(PendingEvent{recorded, domain::RulebookPublished{rulebook}, {}, true});
  }
}

Micros RandomTimeOf(Rng& rng, Date first_day, int days) {
  const Micros day_offset = static_cast<Micros>(rng.Below(static_cast<std::uint64_t>(days))) * kMicrosPerDay;
  return DayStart(first_day) + day_offset + 6 * kMicrosPerHour + static_cast<Micros>(rng.Below(12 * kMicrosPerHour));
}

Micros World::RandomTime(Date first_day, int days) { return RandomTimeOf(rng_, first_day, days); }

// The rulebook in force on `day` once all are published: among those whose validity covers it,
// the one published last (ScheduleRulebooks publishes them in the order of options_.rulebooks).
const domain::Rulebook* World::RulebookOn(Date day) const {
  const domain::Rulebook* found = nullptr;
  for (const domain::Rulebook& rulebook : options_.rulebooks) {
    if (rulebook.valid_from <= day && day < rulebook.valid_until) found = &rulebook;
  }
  return found;
}

int World::MonthIndex(Month month) const {
  return domain::MonthOrdinal(month) - domain::MonthOrdinal(first_month_);
}

bool World::IsSpecial(const std::vector<int>& months, Month month) const {
  return std::find(months.begin(), months.end(), MonthIndex(month)) != months.end();
}

// What becomes known in month `known_in`: the residents' events and the visits of the month
// before, the new clinic's approval and opening, CNI in March, performance in April, and the
// budget frames (next year's in November, a revision in June).
void World::Step(Month known_in) {
  const Month about = domain::AddMonths(known_in, -1);
  const bool simulated = about >= first_month_ && about <= last_month_;
  if (known_in == domain::AddMonths(opening_month_, -3)) RegisterNewClinic();
  if (simulated) ResidentMonth(about);
  if (known_in == opening_month_) OpenNewClinic();
  if (simulated) VisitReports(about);
  const auto month_number = static_cast<unsigned>(known_in.month());
  if (month_number == 3) CniDeliveries(known_in);
  if (month_number == 4 && static_cast<int>(known_in.year()) > options_.first_year) {
    PerformanceReports(static_cast<int>(known_in.year()) - 1, known_in);
  }
  BudgetFrames(known_in);
}

Status World::Run() {
  ScheduleRulebooks();
  PlanMissions();
  FirstBudgetFrame();
  Micros clock = DayStart(FirstDay(first_month_));
  sink_.FlushBefore(clock);  // the rulebooks and the first frame, decided before the world starts
  RegisterClinics(clock);
  InitialPopulation(clock);
  const Month end = domain::AddMonths(last_month_, 1);
  for (Month known_in = first_month_; known_in <= end; known_in = domain::AddMonths(known_in, 1)) {
    Step(known_in);
    sink_.FlushBefore(DayStart(FirstDay(domain::AddMonths(known_in, 1))));
  }
  return sink_.Finish();
}

}  // namespace capledger::worldgen
