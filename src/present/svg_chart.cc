#include "present/svg_chart.h"

#include <algorithm>
#include <array>

#include "common/assert.h"
#include "present/format_lang.h"
#include "present/svg_frame.h"

namespace capledger::present {
namespace {

using svg::Plot;
using svg::Px;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

std::int64_t CeilDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && a > 0) ? q + 1 : q;
}

std::int64_t MinStep(ValueKind kind) { return kind == ValueKind::kMoney ? 100 : 1; }

// The lowest and highest value the chart must show (stacked: the sums below and above zero).
struct Range {
  std::int64_t min = 0;
  std::int64_t max = 0;
};

Result<Range> CheckMonthly(const MonthlyChart& chart, bool stacked) {
  if (Status s = svg::CheckFrame(chart.frame); !s) return tl::unexpected(s.error());
  Range range;
  for (std::size_t m = 0; m < chart.months.size(); ++m) {
    __int128 up = 0;
    __int128 down = 0;
    for (const ChartSeries& series : chart.series) {
      if (series.values.size() != chart.months.size()) {
        return Fail(ErrorCode::kInvalidArgument, "series '" + series.name + "' has " +
                                                     std::to_string(series.values.size()) +
                                                     " values for " +
                                                     std::to_string(chart.months.size()) +
                                                     " months");
      }
      std::int64_t v = series.values[m];
      (v >= 0 ? up : down) += stacked ? v : 0;
      range.min = std::min(range.min, stacked ? range.min : v);
      range.max = std::max(range.max, stacked ? range.max : v);
    }
    if (Status s = svg::CheckValue(up); !s) return tl::unexpected(s.error());
    if (Status s = svg::CheckValue(down); !s) return tl::unexpected(s.error());
    range.min = std::min(range.min, static_cast<std::int64_t>(down));
    range.max = std::max(range.max, static_cast<std::int64_t>(up));
  }
  if (Status s = svg::CheckValue(range.min); !s) return tl::unexpected(s.error());
  if (Status s = svg::CheckValue(range.max); !s) return tl::unexpected(s.error());
  return range;
}

// The text alternative: every series with every month's value.
std::string MonthlyDesc(const MonthlyChart& chart) {
  Lang lang = chart.frame.lang;
  if (chart.months.empty() || chart.series.empty()) return std::string(MsgText(Msg::kNoData, lang));
  std::string desc;
  for (const ChartSeries& series : chart.series) {
    desc += series.name + ":";
    for (std::size_t m = 0; m < chart.months.size(); ++m) {
      desc += (m == 0 ? " " : ", ") + FormatMonthIn(chart.months[m], lang) + " " +
              svg::ValueText(chart.frame.kind, series.values[m], lang);
    }
    desc += ". ";
  }
  desc.pop_back();
  return desc;
}

std::string PointTitle(const MonthlyChart& chart, std::size_t s, std::size_t m) {
  return chart.series[s].name + " " + FormatMonthIn(chart.months[m], chart.frame.lang) + ": " +
         svg::ValueText(chart.frame.kind, chart.series[s].values[m], chart.frame.lang);
}

std::vector<svg::LegendItem> Legend(const MonthlyChart& chart) {
  std::vector<svg::LegendItem> legend;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    legend.push_back({chart.series[s].name, std::string(svg::PaletteColor(s))});
  }
  return legend;
}

// Draws the frame, calls `body` for the data, and closes: what both monthly charts share.
template <typename Body>
Result<std::string> MonthlySvg(const MonthlyChart& chart, bool stacked, Body body) {
  Result<Range> range = CheckMonthly(chart, stacked);
  if (!range) return tl::unexpected(range.error());
  NiceScale scale = MakeNiceScale(range->min, range->max, svg::kMaxIntervals,
                                  MinStep(chart.frame.kind));
  std::vector<svg::LegendItem> legend = Legend(chart);
  Plot plot = svg::MakePlot(chart.frame, scale, 30, legend);
  HtmlOut out;
  svg::OpenSvg(out, chart.frame, plot, MonthlyDesc(chart));
  svg::DrawYAxis(out, plot);
  std::vector<std::string> labels;
  for (domain::Month m : chart.months) labels.push_back(FormatMonthIn(m, chart.frame.lang));
  svg::DrawXLabels(out, plot, labels, false);
  if (chart.months.empty() || chart.series.empty()) {
    svg::DrawNote(out, plot, MsgText(Msg::kNoData, chart.frame.lang));
  }
  body(out, plot);
  svg::DrawLegend(out, plot, legend);
  out.Close();
  return std::move(out).Finish();
}

void DrawLine(HtmlOut& out, const Plot& plot, const MonthlyChart& chart, std::size_t s) {
  std::size_t n = chart.months.size();
  std::string points;
  for (std::size_t m = 0; m < n; ++m) {
    std::int64_t x = (svg::SlotX10(plot, m, n) + svg::SlotX10(plot, m + 1, n)) / 2;
    points += (m == 0 ? "" : " ") + Px(x) + "," + Px(svg::Y10(plot, chart.series[s].values[m]));
  }
  std::string color(svg::PaletteColor(s));
  out.Open("g").Attr("class", "series");
  out.Empty("polyline").Attr("points", points).Attr("fill", "none").Attr("stroke", color);
  out.Attr("stroke-width", "2");
  for (std::size_t m = 0; m < n; ++m) {
    std::int64_t x = (svg::SlotX10(plot, m, n) + svg::SlotX10(plot, m + 1, n)) / 2;
    out.Open("circle").Attr("cx", Px(x)).Attr("cy", Px(svg::Y10(plot, chart.series[s].values[m])));
    out.Attr("r", "3.0").Attr("fill", color).Open("title").Text(PointTitle(chart, s, m)).Close();
    out.Close();
  }
  out.Close();
}

// Month m's components: positives upward from zero, negatives downward, in series order.
void DrawStack(HtmlOut& out, const Plot& plot, const MonthlyChart& chart, std::size_t m) {
  std::size_t n = chart.months.size();
  std::int64_t slot_l = svg::SlotX10(plot, m, n);
  std::int64_t slot_r = svg::SlotX10(plot, m + 1, n);
  std::int64_t inset = (slot_r - slot_l) / 5;  // the bar is the middle 60% of its slot
  std::int64_t up = 0;
  std::int64_t down = 0;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    std::int64_t v = chart.series[s].values[m];
    if (v == 0) continue;
    std::int64_t& base = v > 0 ? up : down;
    std::int64_t y_a = svg::Y10(plot, base);
    std::int64_t y_b = svg::Y10(plot, base + v);
    base += v;
    std::int64_t top = std::min(y_a, y_b);
    out.Open("rect").Attr("class", "bar").Attr("x", Px(slot_l + inset)).Attr("y", Px(top));
    out.Attr("width", Px(slot_r - slot_l - 2 * inset)).Attr("height", Px(std::max(y_a, y_b) - top));
    out.Attr("fill", svg::PaletteColor(s));
    out.Open("title").Text(PointTitle(chart, s, m)).Close().Close();
  }
}

}  // namespace

NiceScale MakeNiceScale(std::int64_t min, std::int64_t max, int max_intervals,
                        std::int64_t min_step) {
  LEDGER_ASSERT(max_intervals >= 2 && min_step >= 1);
  std::int64_t lo = std::min<std::int64_t>(min, 0);
  std::int64_t hi = std::max<std::int64_t>(max, 0);
  if (lo == hi) return {0, min_step, min_step};
  for (std::int64_t power = min_step;; power *= 10) {
    for (std::int64_t m : std::array<std::int64_t, 3>{1, 2, 5}) {
      std::int64_t s = power * m;
      std::int64_t lo_n = FloorDiv(lo, s);
      std::int64_t hi_n = CeilDiv(hi, s);
      if (hi_n - lo_n <= max_intervals) return {lo_n * s, hi_n * s, s};
    }
  }
}

Result<std::string> LineChartSvg(const MonthlyChart& chart) {
  return MonthlySvg(chart, false, [&chart](HtmlOut& out, const Plot& plot) {
    for (std::size_t s = 0; s < chart.series.size() && !chart.months.empty(); ++s) {
      DrawLine(out, plot, chart, s);
    }
  });
}

Result<std::string> StackedBarsSvg(const MonthlyChart& chart) {
  return MonthlySvg(chart, true, [&chart](HtmlOut& out, const Plot& plot) {
    out.Open("g").Attr("class", "bars");
    for (std::size_t m = 0; m < chart.months.size(); ++m) DrawStack(out, plot, chart, m);
    out.Close();
  });
}

}  // namespace capledger::present
