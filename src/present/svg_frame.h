// The parts every chart of svg_chart.h shares: the plot's geometry in tenths of a pixel, the
// y axis, the x labels, the legend and the <svg> element with its text alternative. Internal to
// the charts; pages use svg_chart.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "present/html_out.h"
#include "present/svg_chart.h"

namespace capledger::present::svg {

inline constexpr std::int64_t kWidth = 720;     // px, every chart
inline constexpr std::int64_t kTop = 44;        // px, top of the plot (the title above it)
inline constexpr std::int64_t kPlotHeight = 250;  // px
inline constexpr std::int64_t kRight = 24;      // px, margin right of the plot
inline constexpr int kMaxIntervals = 5;         // y-axis intervals at most
// A legend entry's advance beyond its name's width: swatch 10, gap 4, gap to the next 20 (tenths).
inline constexpr std::int64_t kLegendGap10 = 340;

// The px below the plot that x labels slanted by 35° need: 16 px, plus the widest label's width
// × sin 35° (0.574), plus 8 px before the legend.
std::int64_t SlantedLabelRoom(const std::vector<std::string>& labels);

// Where the plot is, all in tenths of a pixel, and what its y axis shows.
struct Plot {
  Lang lang = Lang::kSv;
  ValueKind kind = ValueKind::kMoney;
  NiceScale scale;
  std::int64_t left10 = 0;    // x of the y axis
  std::int64_t width10 = 0;   // plot width
  std::int64_t bottom10 = 0;  // y of the plot's bottom edge
  std::int64_t label_room = 0;  // px below the plot for x labels
  std::int64_t height = 0;    // px, the whole chart
};

// numerator / denominator rounded half away from zero. REQUIRES denominator > 0.
std::int64_t RoundDiv(__int128 numerator, __int128 denominator);
// Tenths of a pixel as text with one decimal: 1975 -> "197.5", 400 -> "40.0".
std::string Px(std::int64_t tenths);
// The y (tenths) of `value` on the plot's scale.
std::int64_t Y10(const Plot& plot, std::int64_t value);
// An approximate rendered width in tenths of a pixel of UTF-8 text at the chart's 11 px font.
std::int64_t TextWidth10(std::string_view text);
// The colour of series i, from a fixed palette with at least 3:1 contrast against white.
std::string_view PaletteColor(std::size_t i);

// A tick label (whole kronor or a count) and a full value (kronor with öre, or a count).
std::string TickLabel(const Plot& plot, std::int64_t value);
std::string ValueText(ValueKind kind, std::int64_t value, Lang lang);

// kInvalidArgument unless the id is [a-z0-9-]+.
Status CheckFrame(const ChartFrame& frame);
// kInvalidArgument if |value| > kChartValueMax.
Status CheckValue(__int128 value);

// One entry of a legend: a swatch of `color` and the escaped `name`.
struct LegendItem {
  std::string name;
  std::string color;
};

// The plot for `scale`, with `label_room` px for x labels and room for the legend's rows.
Plot MakePlot(const ChartFrame& frame, NiceScale scale, std::int64_t label_room,
              const std::vector<LegendItem>& legend);

// Opens <svg> with its size, role, aria-labelledby, <title>, <desc>, a white background and the
// visible title. The caller closes it.
void OpenSvg(HtmlOut& out, const ChartFrame& frame, const Plot& plot, std::string_view desc);
// Grid lines, tick labels and both axes (the zero line stronger when the axis goes below zero).
void DrawYAxis(HtmlOut& out, const Plot& plot);
// Centred labels under `count` equal slots; thinned so that they never overlap; `rotate` slants
// them (long labels such as a waterfall's causes).
void DrawXLabels(HtmlOut& out, const Plot& plot, const std::vector<std::string>& labels,
                 bool rotate);
// The legend below the x labels, wrapping to new rows within the chart's width.
void DrawLegend(HtmlOut& out, const Plot& plot, const std::vector<LegendItem>& legend);
// A centred note in the plot (the "no data" text).
void DrawNote(HtmlOut& out, const Plot& plot, std::string_view note);
// The x (tenths) of the left edge of slot i of n.
std::int64_t SlotX10(const Plot& plot, std::size_t i, std::size_t n);

}  // namespace capledger::present::svg
