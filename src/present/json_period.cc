#include "present/json_period.h"

#include "domain/date.h"
#include "present/json_ledger.h"
#include "present/json_parts.h"

namespace capledger::present {

using ledger::AnnualClinic;
using ledger::AnnualReport;
using ledger::ClinicCost;
using ledger::ComponentTotals;
using ledger::DraftCost;
using ledger::FrameAtK;
using ledger::KnownAt;
using ledger::PeriodMonth;
using ledger::PeriodReport;

namespace {

using codec::JsonArray;
using codec::JsonObject;
using json_parts::Document;
using json_parts::WriteKnownAt;
using json_parts::WriteList;

void WriteMonth(JsonArray& list, const PeriodMonth& m) {
  JsonObject o = list.Object();
  o.String("month", domain::FormatMonth(m.month)).Bool("estimated", m.estimated);
  o.StringOrNull("rulebook", m.estimated ? std::optional<std::string>(m.rulebook) : std::nullopt);
  o.Bool("assumed_rulebook", m.assumed_rulebook);
  WriteComponentAmounts(o.Object("amounts"), m.amounts);
  o.Kronor("total", m.total).Close();
}

void WriteSum(JsonObject o, const ComponentTotals& amounts, domain::Money total) {
  WriteComponentAmounts(o.Object("amounts"), amounts);
  o.Kronor("total", total).Close();
}

void WriteFrame(JsonObject& o, const std::optional<FrameAtK>& frame) {
  if (!frame) {
    o.Null("frame");
    return;
  }
  o.Object("frame").Kronor("amount", frame->amount).String("decision", frame->decision).Integer("seq", frame->seq).Close();
}

// The mean listed count with two decimals, Σ listed / months rounded half away from zero.
void WriteMean(JsonObject& o, std::int64_t listed_sum, std::size_t months) {
  if (months == 0) {
    o.Null("mean_listed");
    return;
  }
  const auto hundredths = domain::DivideRoundHalfAway(static_cast<__int128>(listed_sum) * 100, static_cast<std::int64_t>(months));
  o.Kronor("mean_listed", *hundredths);
}

void WriteAnnualClinic(JsonObject o, const AnnualClinic& c, std::size_t months) {
  o.String("clinic", c.clinic).String("name", c.name);
  WriteList(o.Array("listed"), c.listed, [](JsonArray& l, std::int64_t n) { l.Integer(n); });
  WriteMean(o, c.listed_sum, months);
  o.Kronor("fixed", c.fixed).Kronor("variable", c.variable).Kronor("total", c.total);
  o.KronorOrNull("fixed_per_listed", c.fixed_per_listed)
      .KronorOrNull("variable_per_listed", c.variable_per_listed)
      .Close();
}

}  // namespace

std::string PeriodJson(const PeriodReport& r, const KnownAt& known_at) {
  return Document([&](JsonObject& o) {
    o.Integer("year", r.year).String("through", domain::FormatMonth(r.through));
    WriteKnownAt(o.Object("known_at"), known_at);
    WriteList(o.Array("months"), r.months, WriteMonth);
    WriteSum(o.Object("outcome"), r.outcome, r.outcome_total);
    WriteSum(o.Object("forecast"), r.forecast, r.forecast_total);
    WriteFrame(o, r.frame);
    o.KronorOrNull("headroom", r.headroom).Bool("exceeds_frame", r.exceeds_frame);
    JsonArray assumed = o.Array("assumed_rulebook_months");
    for (const auto& m : r.months) {
      if (m.assumed_rulebook) assumed.String(domain::FormatMonth(m.month));
    }
    assumed.Close();
  });
}

std::string DraftCostJson(const DraftCost& c, const KnownAt& known_at) {
  return Document([&](JsonObject& o) {
    o.Integer("year", c.year);
    WriteKnownAt(o.Object("known_at"), known_at);
    o.String("draft", c.draft_id);
    WriteList(o.Array("compared_with"), c.current_rulebooks, [](JsonArray& l, const std::string& id) { l.String(id); });
    WriteList(o.Array("months"), c.months, WriteMonth);
    WriteSum(o.Object("total"), c.total, c.total_all);
    o.Kronor("current_total", c.current_all);
    WriteFrame(o, c.frame);
    o.KronorOrNull("headroom", c.headroom).Bool("exceeds_frame", c.exceeds_frame);
    WriteList(o.Array("clinics"), c.clinics, [](JsonArray& l, const ClinicCost& k) {
      l.Object()
          .String("clinic", k.clinic)
          .Kronor("draft", k.draft)
          .Kronor("current", k.current)
          .Kronor("difference", k.difference)
          .Close();
    });
  });
}

std::string AnnualJson(const AnnualReport& r, const KnownAt& known_at) {
  const std::size_t months = r.months.size();
  return Document([&](JsonObject& o) {
    o.Integer("year", r.year);
    WriteKnownAt(o.Object("known_at"), known_at);
    WriteList(o.Array("months"), r.months, [](JsonArray& l, domain::Month m) { l.String(domain::FormatMonth(m)); });
    WriteList(o.Array("clinics"), r.clinics,
              [&](JsonArray& l, const AnnualClinic& c) { WriteAnnualClinic(l.Object(), c, months); });
    WriteAnnualClinic(o.Object("total"), r.total, months);
  });
}

}  // namespace capledger::present
