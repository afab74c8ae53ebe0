// The waterfall of svg_chart.h: start, the signed causes, end.
#include <algorithm>

#include "present/format_lang.h"
#include "present/svg_chart.h"
#include "present/svg_frame.h"

namespace capledger::present {
namespace {

using svg::Plot;
using svg::Px;

constexpr std::string_view kTotalColor = "#0072B2";
constexpr std::string_view kUpColor = "#00795C";
constexpr std::string_view kDownColor = "#B8321A";

// One bar: from `from` to `to` (öre), its label, colour and tooltip.
struct Bar {
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::string label;
  std::string_view color;
  std::string title;
  std::string value = {};  // printed above the bar: a total, or a step's signed amount
};

std::string Signed(std::int64_t ore, Lang lang) {
  std::string text = FormatKronorIn(domain::Money::FromOre(ore), lang);
  return ore >= 0 ? "+" + text : text;
}

// The bars in order; kInvalidArgument if a value is out of range or the steps do not add up.
Result<std::vector<Bar>> Bars(const WaterfallChart& chart) {
  Lang lang = chart.frame.lang;
  std::int64_t start = chart.start.ore();
  std::vector<Bar> bars{{0, start, chart.start_label, kTotalColor,
                         chart.start_label + ": " + FormatKronorIn(chart.start, lang), FormatKronorIn(chart.start, lang)}};
  __int128 running = start;
  for (const WaterfallStep& step : chart.steps) {
    __int128 next = running + step.delta.ore();
    if (Status s = svg::CheckValue(next); !s) return tl::unexpected(s.error());
    bars.push_back({static_cast<std::int64_t>(running), static_cast<std::int64_t>(next),
                    step.label, step.delta.ore() >= 0 ? kUpColor : kDownColor,
                    step.label + ": " + Signed(step.delta.ore(), lang), Signed(step.delta.ore(), lang)});
    running = next;
  }
  if (running != chart.end.ore()) {
    return Fail(ErrorCode::kInvalidArgument, "waterfall: start + steps = " +
                                                 FormatKronorIn(domain::Money::FromOre(
                                                     static_cast<std::int64_t>(running)), lang) +
                                                 ", end = " + FormatKronorIn(chart.end, lang));
  }
  bars.push_back({0, chart.end.ore(), chart.end_label, kTotalColor,
                  chart.end_label + ": " + FormatKronorIn(chart.end, lang), FormatKronorIn(chart.end, lang)});
  return bars;
}

std::string Desc(const std::vector<Bar>& bars) {
  std::string desc;
  for (const Bar& bar : bars) desc += (desc.empty() ? "" : "; ") + bar.title;
  return desc + ".";
}

void DrawBars(HtmlOut& out, const Plot& plot, const std::vector<Bar>& bars) {
  std::size_t n = bars.size();
  out.Open("g").Attr("class", "bars");
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t slot_l = svg::SlotX10(plot, i, n);
    std::int64_t slot_r = svg::SlotX10(plot, i + 1, n);
    std::int64_t inset = (slot_r - slot_l) / 5;
    std::int64_t y_a = svg::Y10(plot, bars[i].from);
    std::int64_t y_b = svg::Y10(plot, bars[i].to);
    std::int64_t top = std::min(y_a, y_b);
    // A zero step still shows as a hairline, so that every cause has a visible mark.
    std::int64_t height = std::max<std::int64_t>(std::max(y_a, y_b) - top, 0);
    out.Open("rect").Attr("class", "bar").Attr("x", Px(slot_l + inset)).Attr("y", Px(top));
    out.Attr("width", Px(slot_r - slot_l - 2 * inset)).Attr("height", Px(height));
    out.Attr("fill", bars[i].color).Attr("stroke", bars[i].color);
    out.Open("title").Text(bars[i].title).Close().Close();
    // The value above the bar, so that a step too small to see still says what it is.
    out.Open("text").Attr("class", "value").Attr("x", Px((slot_l + slot_r) / 2)).Attr("y", Px(top - 40));
    out.Attr("text-anchor", "middle").Attr("font-size", "11").Text(bars[i].value).Close();
    if (i + 1 == n) break;
    // The connector: at the level this bar ends, to the next bar's left edge.
    std::int64_t y = svg::Y10(plot, bars[i].to);
    std::int64_t next_l = slot_r + (svg::SlotX10(plot, i + 2, n) - slot_r) / 5;
    out.Empty("line").Attr("class", "connector").Attr("x1", Px(slot_r - inset)).Attr("y1", Px(y));
    out.Attr("x2", Px(next_l)).Attr("y2", Px(y)).Attr("stroke", "#333333");
    out.Attr("stroke-dasharray", "3 2");
  }
  out.Close();
}

}  // namespace

Result<std::string> WaterfallSvg(const WaterfallChart& chart) {
  if (Status s = svg::CheckFrame(chart.frame); !s) return tl::unexpected(s.error());
  if (Status s = svg::CheckValue(chart.start.ore()); !s) return tl::unexpected(s.error());
  Result<std::vector<Bar>> bars = Bars(chart);
  if (!bars) return tl::unexpected(bars.error());
  std::int64_t lo = 0;
  std::int64_t hi = 0;
  for (const Bar& bar : *bars) {
    lo = std::min({lo, bar.from, bar.to});
    hi = std::max({hi, bar.from, bar.to});
  }
  ChartFrame frame = chart.frame;
  frame.kind = ValueKind::kMoney;
  Lang lang = frame.lang;
  std::vector<svg::LegendItem> legend{
      {std::string(MsgText(Msg::kTotal, lang)), std::string(kTotalColor)},
      {std::string(MsgText(Msg::kIncrease, lang)), std::string(kUpColor)},
      {std::string(MsgText(Msg::kDecrease, lang)), std::string(kDownColor)}};
  std::vector<std::string> labels;
  for (const Bar& bar : *bars) labels.push_back(bar.label);
  Plot plot = svg::MakePlot(frame, MakeNiceScale(lo, hi, svg::kMaxIntervals, 100),
                            svg::SlantedLabelRoom(labels), legend);
  HtmlOut out;
  svg::OpenSvg(out, frame, plot, Desc(*bars));
  svg::DrawYAxis(out, plot);
  svg::DrawXLabels(out, plot, labels, true);
  DrawBars(out, plot, *bars);
  svg::DrawLegend(out, plot, legend);
  out.Close();
  return std::move(out).Finish();
}

}  // namespace capledger::present
