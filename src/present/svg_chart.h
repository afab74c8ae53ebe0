// Charts drawn as SVG by our own code: a line chart and stacked bars over months, and a
// waterfall for a dispute (a start value, signed steps, an end value).
//
// Every chart has a caller-given title, a y axis with "nice" ticks (1, 2 or 5 × 10^k) labelled in
// the chart's language (kronor or counts with thousands separators), labels on the x axis, a
// legend, and a text alternative: role="img", <title> and <desc> (which lists every value) named
// by aria-labelledby. Each bar and point also carries its own <title> (a tooltip).
//
// Determinism: all geometry is integer arithmetic in tenths of a pixel, rounded half away from
// zero, and printed with exactly one decimal ("197.5"); identical input gives identical bytes.
// A bar's y and height come from its two rounded edges, so stacked and chained bars meet exactly.
// Caller text (title, series names, step labels) is escaped by construction (present/html_out.h).
// The output is a standalone SVG document body (xmlns set, no XML declaration) that may also be
// inlined in HTML; it uses the generic sans-serif font and no external resources.
//
// Behaviour at the edges: no months or no series gives the axes and a "no data" note; all zeros
// gives a 0 to 1-unit axis; negative values extend the axis below zero (the zero line is drawn
// stronger). Stacked bars stack positive components upward from zero and negative components
// downward from zero, each in series order, so a bar's visible extent above zero is the sum of its
// positive parts and below zero the sum of its negative parts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/date.h"
#include "domain/money.h"
#include "present/lang.h"

namespace capledger::present {

// Values a chart accepts: |value| at most this (10^17 öre = 10^15 kronor, a thousand times a
// Sweden-size year), so that every sum of a chart fits in 64 bits; larger is kInvalidArgument.
inline constexpr std::int64_t kChartValueMax = 100'000'000'000'000'000;

// What a chart's values are: öre (labelled as kronor; ticks are whole kronor) or plain counts.
enum class ValueKind { kMoney, kCount };

// The y axis: from lo to hi in steps of step (lo and hi are multiples of step, lo <= 0 <= hi).
struct NiceScale {
  std::int64_t lo = 0;
  std::int64_t hi = 0;
  std::int64_t step = 0;
};

// The scale for values in [min, max]: the axis always includes zero; the step is the smallest
// 1, 2 or 5 × 10^k that is at least `min_step` (a power of ten) and covers the range in at most
// `max_intervals` intervals. min == max == 0 gives [0, min_step].
// REQUIRES |min|, |max| <= kChartValueMax, max_intervals >= 1.
NiceScale MakeNiceScale(std::int64_t min, std::int64_t max, int max_intervals,
                        std::int64_t min_step);

// What every chart has. `id` prefixes the ids of <title> and <desc> (unique on a page;
// [a-z0-9-]+, else kInvalidArgument).
struct ChartFrame {
  std::string id;
  std::string title;
  Lang lang = Lang::kSv;
  ValueKind kind = ValueKind::kMoney;
};

// One named series: a value per month of the chart (öre for kMoney).
struct ChartSeries {
  std::string name;
  std::vector<std::int64_t> values;
};

// A chart over months: each series has exactly one value per month (else kInvalidArgument).
struct MonthlyChart {
  ChartFrame frame;
  std::vector<domain::Month> months;
  std::vector<ChartSeries> series;
};

// One cause in a waterfall: its label and its signed amount.
struct WaterfallStep {
  std::string label;
  domain::Money delta;
};

// A waterfall: start + Σ steps must equal end (else kInvalidArgument). frame.kind is kMoney.
struct WaterfallChart {
  ChartFrame frame;
  std::string start_label;
  domain::Money start;
  std::vector<WaterfallStep> steps;
  std::string end_label;
  domain::Money end;
};

// One polyline per series, a dot on each value (a single month is a dot).
Result<std::string> LineChartSvg(const MonthlyChart& chart);

// One bar per month, the series as its stacked components (negative ones below zero).
Result<std::string> StackedBarsSvg(const MonthlyChart& chart);

// Bars: start (from zero), each step (from the running total to the running total plus its
// delta; up green, down red), end (from zero); a dashed line joins each bar to the next.
Result<std::string> WaterfallSvg(const WaterfallChart& chart);

}  // namespace capledger::present
