#include "present/svg_frame.h"

#include <algorithm>
#include <array>

#include "present/format_lang.h"

namespace capledger::present::svg {
namespace {

constexpr std::int64_t kCharWidth10 = 65;     // 6.5 px per character at 11 px sans-serif
constexpr std::int64_t kLegendRow = 20;       // px per legend row

constexpr std::int64_t kAxisLabelGap = 8;     // px between tick labels and the y axis

// Okabe–Ito colours, darkened where needed for 3:1 against white.
constexpr std::array<std::string_view, 6> kPalette = {"#0072B2", "#C84E00", "#00795C",
                                                      "#A8417F", "#6B5A00", "#4D4D4D"};

std::int64_t LegendRows(std::int64_t left10, const std::vector<LegendItem>& legend) {
  if (legend.empty()) return 0;
  std::int64_t rows = 1;
  std::int64_t x10 = left10;
  for (const LegendItem& item : legend) {
    std::int64_t w10 = kLegendGap10 + TextWidth10(item.name);
    if (x10 > left10 && x10 + w10 > (kWidth - kRight) * 10) {
      ++rows;
      x10 = left10;
    }
    x10 += w10;
  }
  return rows;
}

}  // namespace

std::int64_t RoundDiv(__int128 numerator, __int128 denominator) {
  __int128 half = denominator / 2;
  __int128 q = numerator >= 0 ? (numerator + half) / denominator : (numerator - half) / denominator;
  return static_cast<std::int64_t>(q);
}

std::string Px(std::int64_t tenths) {
  std::string sign = tenths < 0 ? "-" : "";
  std::int64_t m = tenths < 0 ? -tenths : tenths;
  return sign + std::to_string(m / 10) + "." + std::to_string(m % 10);
}

std::int64_t Y10(const Plot& plot, std::int64_t value) {
  __int128 span = static_cast<__int128>(plot.scale.hi) - plot.scale.lo;
  __int128 above = static_cast<__int128>(plot.scale.hi) - value;
  return kTop * 10 + RoundDiv(above * kPlotHeight * 10, span);
}

std::int64_t TextWidth10(std::string_view text) {
  std::int64_t chars = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++chars;  // not a continuation byte
  }
  return chars * kCharWidth10;
}

std::string_view PaletteColor(std::size_t i) { return kPalette[i % kPalette.size()]; }

std::string TickLabel(const Plot& plot, std::int64_t value) {
  if (plot.kind == ValueKind::kCount) return FormatCountIn(value, plot.lang);
  return FormatWholeKronorIn(domain::Money::FromOre(value), plot.lang);
}

std::string ValueText(ValueKind kind, std::int64_t value, Lang lang) {
  if (kind == ValueKind::kCount) return FormatCountIn(value, lang);
  return FormatKronorIn(domain::Money::FromOre(value), lang);
}

Status CheckFrame(const ChartFrame& frame) {
  bool ok = !frame.id.empty();
  for (char c : frame.id) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  }
  if (!ok) return Fail(ErrorCode::kInvalidArgument, "chart id must be [a-z0-9-]+");
  return {};
}

Status CheckValue(__int128 value) {
  if (value > kChartValueMax || value < -kChartValueMax) {
    return Fail(ErrorCode::kInvalidArgument, "chart value beyond 10^17");
  }
  return {};
}

Plot MakePlot(const ChartFrame& frame, NiceScale scale, std::int64_t label_room,
              const std::vector<LegendItem>& legend) {
  Plot plot{frame.lang, frame.kind, scale};
  std::int64_t widest10 = 0;
  for (std::int64_t v = scale.lo; v <= scale.hi; v += scale.step) {
    widest10 = std::max(widest10, TextWidth10(TickLabel(plot, v)));
    if (scale.hi - v < scale.step) break;  // the last tick; never step past hi (no overflow)
  }
  std::int64_t left = std::max<std::int64_t>(48, RoundDiv(widest10, 10) + kAxisLabelGap + 8);
  plot.left10 = left * 10;
  plot.width10 = (kWidth - kRight - left) * 10;
  plot.bottom10 = (kTop + kPlotHeight) * 10;
  plot.label_room = label_room;
  std::int64_t rows = LegendRows(plot.left10, legend);
  plot.height = kTop + kPlotHeight + label_room + rows * kLegendRow + 10;
  return plot;
}

std::int64_t SlotX10(const Plot& plot, std::size_t i, std::size_t n) {
  return plot.left10 + RoundDiv(static_cast<__int128>(plot.width10) * static_cast<__int128>(i),
                                static_cast<__int128>(n));
}

}  // namespace capledger::present::svg
