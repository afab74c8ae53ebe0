// The drawing half of svg_frame.h: the <svg> element, axes, labels and legend.
#include <algorithm>

#include "present/svg_frame.h"

namespace capledger::present::svg {
namespace {

constexpr std::string_view kGrid = "#D9D9D9";
constexpr std::string_view kAxis = "#333333";
constexpr std::string_view kInk = "#1A1A1A";

void Line(HtmlOut& out, std::int64_t x1, std::int64_t y1, std::int64_t x2, std::int64_t y2,
          std::string_view color) {
  out.Empty("line").Attr("x1", Px(x1)).Attr("y1", Px(y1)).Attr("x2", Px(x2)).Attr("y2", Px(y2));
  out.Attr("stroke", color).Attr("stroke-width", "1");
}

void Label(HtmlOut& out, std::int64_t x10, std::int64_t y10, std::string_view anchor,
           std::string_view text) {
  out.Open("text").Attr("x", Px(x10)).Attr("y", Px(y10)).Attr("text-anchor", anchor);
  out.Attr("fill", kInk).Text(text).Close();
}

}  // namespace

void OpenSvg(HtmlOut& out, const ChartFrame& frame, const Plot& plot, std::string_view desc) {
  std::string w = std::to_string(kWidth);
  std::string h = std::to_string(plot.height);
  out.Open("svg").Attr("xmlns", "http://www.w3.org/2000/svg").Attr("width", w).Attr("height", h);
  out.Attr("viewBox", "0 0 " + w + " " + h).Attr("role", "img");
  out.Attr("aria-labelledby", frame.id + "-title " + frame.id + "-desc");
  out.Attr("font-family", "sans-serif").Attr("font-size", "11");
  out.Open("title").Attr("id", frame.id + "-title").Text(frame.title).Close();
  out.Open("desc").Attr("id", frame.id + "-desc").Text(desc).Close();
  out.Empty("rect").Attr("width", w).Attr("height", h).Attr("fill", "#FFFFFF");
  out.Open("text").Attr("x", "12.0").Attr("y", "24.0").Attr("font-size", "14");
  out.Attr("font-weight", "bold").Attr("fill", kInk).Attr("aria-hidden", "true");
  out.Text(frame.title).Close();
}

void DrawYAxis(HtmlOut& out, const Plot& plot) {
  std::int64_t right10 = plot.left10 + plot.width10;
  out.Open("g").Attr("class", "y-axis");
  for (std::int64_t v = plot.scale.lo;; v += plot.scale.step) {
    std::int64_t y = Y10(plot, v);
    Line(out, plot.left10, y, right10, y, v == 0 ? kAxis : kGrid);
    Label(out, plot.left10 - 80, y + 35, "end", TickLabel(plot, v));
    if (plot.scale.hi - v < plot.scale.step) break;
  }
  Line(out, plot.left10, kTop * 10, plot.left10, plot.bottom10, kAxis);
  out.Close();
}

void DrawXLabels(HtmlOut& out, const Plot& plot, const std::vector<std::string>& labels,
                 bool rotate) {
  std::size_t n = labels.size();
  if (n == 0) return;
  std::int64_t widest10 = 0;
  for (const std::string& l : labels) widest10 = std::max(widest10, TextWidth10(l));
  // Every k-th label, k the fewest slots that hold one label and a 12 px gap (rotated: 16 px).
  std::int64_t need10 = rotate ? 160 : widest10 + 120;
  std::int64_t slot10 = std::max<std::int64_t>(1, plot.width10 / static_cast<std::int64_t>(n));
  std::size_t k = static_cast<std::size_t>(std::max<std::int64_t>(1, (need10 + slot10 - 1) / slot10));
  out.Open("g").Attr("class", "x-axis");
  for (std::size_t i = 0; i < n; i += k) {
    std::int64_t x = (SlotX10(plot, i, n) + SlotX10(plot, i + 1, n)) / 2;
    std::int64_t y = plot.bottom10 + 160;
    if (!rotate) {
      Label(out, x, y, "middle", labels[i]);
      continue;
    }
    out.Open("text").Attr("x", Px(x)).Attr("y", Px(y)).Attr("text-anchor", "end");
    out.Attr("transform", "rotate(-35 " + Px(x) + " " + Px(y) + ")").Attr("fill", kInk);
    out.Text(labels[i]).Close();
  }
  out.Close();
}

void DrawLegend(HtmlOut& out, const Plot& plot, const std::vector<LegendItem>& legend) {
  if (legend.empty()) return;
  out.Open("g").Attr("class", "legend");
  std::int64_t x10 = plot.left10;
  std::int64_t y10 = plot.bottom10 + plot.label_room * 10 + 40;
  for (const LegendItem& item : legend) {
    std::int64_t w10 = kLegendGap10 + TextWidth10(item.name);
    if (x10 > plot.left10 && x10 + w10 > (kWidth - kRight) * 10) {
      x10 = plot.left10;
      y10 += 200;
    }
    out.Empty("rect").Attr("x", Px(x10)).Attr("y", Px(y10 - 90)).Attr("width", "10.0");
    out.Attr("height", "10.0").Attr("fill", item.color);
    Label(out, x10 + 140, y10, "start", item.name);
    x10 += w10;
  }
  out.Close();
}

std::int64_t SlantedLabelRoom(const std::vector<std::string>& labels) {
  std::int64_t widest10 = 0;
  for (const std::string& l : labels) widest10 = std::max(widest10, TextWidth10(l));
  return 16 + RoundDiv(static_cast<__int128>(widest10) * 574, 10000) + 8;
}

void DrawNote(HtmlOut& out, const Plot& plot, std::string_view note) {
  std::int64_t x = plot.left10 + plot.width10 / 2;
  std::int64_t y = (kTop + kPlotHeight / 2) * 10;
  Label(out, x, y, "middle", note);
}

}  // namespace capledger::present::svg
