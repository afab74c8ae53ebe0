// The SVG charts: nice scales worked out by hand, well-formed XML (checked by python3's
// xml.etree, not by our writer), bar heights from the chart's scale computed below, a waterfall
// whose bars chain, hostile text escaped, and identical bytes for identical input.
//
// The geometry all tests use (svg_frame.h): the plot's top is y = 44 px and it is 250 px high, so
// a value v on a scale [lo, hi] is at y = 44 + 250 × (hi − v) / (hi − lo) px, rounded half away
// from zero to 0.1 px; a bar's height is the difference of its two rounded edges.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>

#include <doctest/doctest.h>

#include "present/svg_chart.h"

namespace capledger::testing {
namespace {

using domain::Money;
using present::ChartFrame;
using present::Lang;
using present::MonthlyChart;
using present::NiceScale;
using present::ValueKind;
using present::WaterfallChart;
using namespace std::chrono;

#define NB "\xC2\xA0"

void CheckScale(NiceScale got, std::int64_t lo, std::int64_t hi, std::int64_t step) {
  CHECK(got.lo == lo);
  CHECK(got.hi == hi);
  CHECK(got.step == step);
}

// True if python3's XML parser reads `svg` and its root is an SVG element.
bool WellFormedSvg(const std::string& svg) {
  char path[] = "/tmp/capledger-svg-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  std::ofstream(path) << svg;
  std::string cmd = std::string("python3 -c \"import sys,xml.etree.ElementTree as E; ") +
                    "r=E.parse(sys.argv[1]).getroot(); " +
                    "sys.exit(0 if r.tag=='{http://www.w3.org/2000/svg}svg' else 1)\" " + path;
  int rc = std::system(cmd.c_str());
  std::remove(path);
  return rc == 0;
}

// The y and height of every <rect class="bar">, in order, as written ("106.5").
struct BarBox {
  std::string y;
  std::string height;
};
std::vector<BarBox> Bars(const std::string& svg) {
  std::vector<BarBox> bars;
  std::regex re(R"re(<rect class="bar" x="[0-9.]+" y="([0-9.]+)" width="[0-9.]+" height="([0-9.]+)")re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator();
       ++it) {
    bars.push_back({(*it)[1], (*it)[2]});
  }
  return bars;
}

// Tenths of a pixel from "106.5".
long Tenths(const std::string& px) { return std::lround(std::stod(px) * 10); }

MonthlyChart TwoMonths(ValueKind kind = ValueKind::kMoney) {
  MonthlyChart chart{ChartFrame{"c1", "Ersättning per komponent", Lang::kSv, kind},
                     {year{2024} / January, year{2024} / February},
                     {{"Kapitering", {40000, 10000}}, {"Justering", {20000, -10000}}}};
  return chart;
}

TEST_CASE("nice scales: the smallest 1-2-5 step that covers the range in at most 5 intervals") {
  // 123 450 öre: step 20 000 needs ceil(6.17) = 7 intervals; 50 000 needs 3.
  CheckScale(present::MakeNiceScale(0, 123450, 5, 100), 0, 150000, 50000);
  // 100 000 öre: step 20 000 needs exactly 5.
  CheckScale(present::MakeNiceScale(0, 100000, 5, 100), 0, 100000, 20000);
  // −30 000 .. 70 000: step 20 000 needs 4 − (−2) = 6; step 50 000 needs 2 − (−1) = 3.
  CheckScale(present::MakeNiceScale(-30000, 70000, 5, 100), -50000, 100000, 50000);
  // All zero: one step of the minimum.
  CheckScale(present::MakeNiceScale(0, 0, 5, 100), 0, 100, 100);
  // 1 öre still gets a whole-krona step.
  CheckScale(present::MakeNiceScale(0, 1, 5, 100), 0, 100, 100);
  // Counts 0..7: step 1 needs 7, step 2 needs 4.
  CheckScale(present::MakeNiceScale(0, 7, 5, 1), 0, 8, 2);
  // 10^12 kr = 10^14 öre: step 2·10^13 needs exactly 5.
  CheckScale(present::MakeNiceScale(0, 100'000'000'000'000, 5, 100), 0, 100'000'000'000'000,
             20'000'000'000'000);
  // Only negative values: the axis runs from below zero up to zero.
  CheckScale(present::MakeNiceScale(-900, -100, 5, 1), -1000, 0, 200);
}

TEST_CASE("stacked bars: heights from the scale, negative components below zero") {
  // Positives per month: 60 000 and 10 000; negatives: 0 and −10 000. Scale (−10 000, 60 000):
  // step 20 000 needs 3 − (−1) = 4 intervals -> [−20 000, 60 000], 80 000 öre over 250 px.
  // y(0)       = 44 + 250 × 60 000 / 80 000 = 44 + 187.5        = 231.5
  // y(40 000)  = 44 + 250 × 20 000 / 80 000 = 44 + 62.5         = 106.5
  // y(60 000)  = 44                                              = 44.0
  // y(10 000)  = 44 + 250 × 50 000 / 80 000 = 44 + 156.25 -> 200.3 (156.25 rounds to 156.3)
  // y(−10 000) = 44 + 250 × 70 000 / 80 000 = 44 + 218.75 -> 262.8
  auto svg = present::StackedBarsSvg(TwoMonths());
  REQUIRE(svg);
  CHECK(WellFormedSvg(*svg));
  std::vector<BarBox> bars = Bars(*svg);
  REQUIRE(bars.size() == 4);
  CHECK(bars[0].y == "106.5");  // January, Kapitering 0 -> 40 000: 231.5 − 106.5 = 125.0
  CHECK(bars[0].height == "125.0");
  CHECK(bars[1].y == "44.0");  // January, Justering 40 000 -> 60 000: 106.5 − 44.0 = 62.5
  CHECK(bars[1].height == "62.5");
  CHECK(bars[2].y == "200.3");  // February, Kapitering 0 -> 10 000: 231.5 − 200.3 = 31.2
  CHECK(bars[2].height == "31.2");
  CHECK(bars[3].y == "231.5");  // February, Justering 0 -> −10 000: 262.8 − 231.5 = 31.3
  CHECK(bars[3].height == "31.3");
  // Tick labels in kronor with a no-break thousands separator: 60 000 öre = 600 kr.
  CHECK(svg->find(">600" NB "kr</text>") != std::string::npos);
  CHECK(svg->find(">" "\xE2\x88\x92" "200" NB "kr</text>") != std::string::npos);
}

TEST_CASE("a line chart puts each point at its value") {
  MonthlyChart chart{ChartFrame{"listed", "Listade", Lang::kEn, ValueKind::kCount},
                     {year{2025} / January, year{2025} / February, year{2025} / March},
                     {{"VC-A", {0, 5000, 10000}}}};
  // Counts 0..10 000: step 2 000 needs 5 -> [0, 10 000]; y = 44 + 250 × (10 000 − v) / 10 000.
  // 0 -> 294.0, 5 000 -> 169.0, 10 000 -> 44.0.
  auto svg = present::LineChartSvg(chart);
  REQUIRE(svg);
  CHECK(WellFormedSvg(*svg));
  std::regex re(R"re(<circle cx="[0-9.]+" cy="([0-9.]+)")re");
  std::vector<std::string> cys;
  for (auto it = std::sregex_iterator(svg->begin(), svg->end(), re); it != std::sregex_iterator();
       ++it) {
    cys.push_back((*it)[1]);
  }
  CHECK(cys == std::vector<std::string>{"294.0", "169.0", "44.0"});
  CHECK(svg->find(">10,000</text>") != std::string::npos);  // the top tick, English count
  CHECK(svg->find(">2025-03</text>") != std::string::npos);
}

WaterfallChart Dispute() {
  return WaterfallChart{ChartFrame{"dispute", "Skillnad VC-A 2024-03", Lang::kSv},
                        "Vid T1",
                        Money::FromOre(100000),
                        {{"Nya listningar", Money::FromOre(25000)},
                         {"Avlistningar", Money::FromOre(-40000)},
                         {"CNI-rättelse", Money::FromOre(5000)}},
                        "Vid T2",
                        Money::FromOre(90000)};
}

TEST_CASE("a waterfall's steps chain from the start to the end") {
  // Running totals 100 000, 125 000, 85 000, 90 000; the highest is 125 000: step 50 000 needs
  // ceil(2.5) = 3 -> [0, 150 000]; y = 44 + 250 × (150 000 − v) / 150 000 = 44 + (150 000 − v)/600.
  // y(0) = 294.0; y(100 000) = 44 + 83.33 = 127.3; y(125 000) = 44 + 41.67 = 85.7;
  // y(85 000) = 44 + 108.33 = 152.3; y(90 000) = 44 + 100 = 144.0.
  auto svg = present::WaterfallSvg(Dispute());
  REQUIRE(svg);
  CHECK(WellFormedSvg(*svg));
  std::vector<BarBox> bars = Bars(*svg);
  REQUIRE(bars.size() == 5);
  CHECK(bars[0].y == "127.3");  // start: 294.0 − 127.3 = 166.7
  CHECK(bars[0].height == "166.7");
  CHECK(bars[1].y == "85.7");  // +250 kr up from 127.3 to 85.7: 41.6
  CHECK(bars[1].height == "41.6");
  CHECK(bars[2].y == "85.7");  // −400 kr down from 85.7 to 152.3: 66.6
  CHECK(bars[2].height == "66.6");
  CHECK(bars[3].y == "144.0");  // +50 kr up from 152.3 to 144.0: 8.3
  CHECK(bars[3].height == "8.3");
  CHECK(bars[4].y == "144.0");  // end: 294.0 − 144.0 = 150.0
  CHECK(bars[4].height == "150.0");
  // Chaining, from the parsed boxes: an up step starts at the bottom where the previous level
  // was, a down step at its top; the end bar's top is the last step's level.
  CHECK(Tenths(bars[1].y) + Tenths(bars[1].height) == Tenths(bars[0].y));
  CHECK(Tenths(bars[2].y) == Tenths(bars[1].y));
  CHECK(Tenths(bars[3].y) + Tenths(bars[3].height) == Tenths(bars[2].y) + Tenths(bars[2].height));
  CHECK(Tenths(bars[4].y) == Tenths(bars[3].y));
}

TEST_CASE("each waterfall bar says its value above it, so that a step too small to see is still read") {
  // The bars of Dispute(): 1 000,00 kr; +250,00; −400,00; +50,00; 900,00 kr. A label sits 4 px
  // above its bar's top edge: the +50 kr step's top is 144.0, so its label's y is 140.0.
  auto svg = present::WaterfallSvg(Dispute());
  REQUIRE(svg);
  const std::string nb = "\u00a0";
  for (const std::string& value : {"1" + nb + "000,00" + nb + "kr", "+250,00" + nb + "kr", "\u2212" "400,00" + nb + "kr",
                                  "+50,00" + nb + "kr", "900,00" + nb + "kr"}) {
    CAPTURE(value);
    CHECK(svg->find("font-size=\"11\">" + value + "</text>") != std::string::npos);
  }
  CHECK(svg->find(R"(y="140.0" text-anchor="middle" font-size="11">+50,00)") != std::string::npos);
}

TEST_CASE("a waterfall whose steps do not add up to the end is refused") {
  WaterfallChart chart = Dispute();
  chart.end = Money::FromOre(90001);
  auto svg = present::WaterfallSvg(chart);
  REQUIRE(!svg);
  CHECK(svg.error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("hostile titles, names and labels are text, never markup") {
  MonthlyChart chart = TwoMonths();
  chart.frame.title = "<script>alert(1)</script>";
  chart.series[0].name = "\"/><a href='x'>";
  auto svg = present::LineChartSvg(chart);
  REQUIRE(svg);
  CHECK(WellFormedSvg(*svg));
  CHECK(svg->find("<script") == std::string::npos);
  CHECK(svg->find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(svg->find("&quot;/&gt;&lt;a href=&#39;x&#39;&gt;") != std::string::npos);
  WaterfallChart w = Dispute();
  w.steps[0].label = "E-1</text><script>x</script>";
  auto wsvg = present::WaterfallSvg(w);
  REQUIRE(wsvg);
  CHECK(WellFormedSvg(*wsvg));
  CHECK(wsvg->find("<script") == std::string::npos);
}

TEST_CASE("the text alternative: role, title, desc and aria-labelledby") {
  auto svg = present::StackedBarsSvg(TwoMonths());
  REQUIRE(svg);
  CHECK(svg->find(R"(role="img" aria-labelledby="c1-title c1-desc")") != std::string::npos);
  CHECK(svg->find(R"(<title id="c1-title">Ersättning per komponent</title>)") != std::string::npos);
  CHECK(svg->find("<desc id=\"c1-desc\">Kapitering: 2024-01 400,00" NB "kr, 2024-02 100,00" NB
                  "kr. Justering:") != std::string::npos);
}

TEST_CASE("edge cases render: no data, one point, all zeros, a Sweden-size year") {
  MonthlyChart empty{ChartFrame{"e", "Tom", Lang::kSv}, {}, {}};
  for (auto render : {present::LineChartSvg, present::StackedBarsSvg}) {
    auto svg = render(empty);
    REQUIRE(svg);
    CHECK(WellFormedSvg(*svg));
    CHECK(svg->find("Inga uppgifter") != std::string::npos);
    MonthlyChart one{ChartFrame{"o", "En", Lang::kSv}, {year{2025} / May}, {{"A", {12345}}}};
    CHECK(render(one).has_value());
    MonthlyChart zeros{ChartFrame{"z", "Noll", Lang::kSv}, {year{2025} / May, year{2025} / June},
                       {{"A", {0, 0}}}};
    auto zsvg = render(zeros);
    REQUIRE(zsvg);
    CHECK(zsvg->find(">1" NB "kr</text>") != std::string::npos);  // the 0..1 kr axis
    MonthlyChart big{ChartFrame{"b", "Sverige", Lang::kSv}, {year{2025} / May},
                     {{"A", {100'000'000'000'000}}}};  // 10^12 kr
    auto bsvg = render(big);
    REQUIRE(bsvg);
    CHECK(WellFormedSvg(*bsvg));
    CHECK(bsvg->find(">1" NB "000" NB "000" NB "000" NB "000" NB "kr</text>") != std::string::npos);
  }
}

TEST_CASE("malformed input is refused, not drawn") {
  MonthlyChart chart = TwoMonths();
  chart.series[1].values.pop_back();
  CHECK(present::LineChartSvg(chart).error().code == ErrorCode::kInvalidArgument);
  chart = TwoMonths();
  chart.frame.id = "bad id\"";
  CHECK(present::StackedBarsSvg(chart).error().code == ErrorCode::kInvalidArgument);
  chart = TwoMonths();
  chart.series[0].values[0] = present::kChartValueMax + 1;
  CHECK(present::StackedBarsSvg(chart).error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("identical input gives identical bytes") {
  CHECK(*present::LineChartSvg(TwoMonths()) == *present::LineChartSvg(TwoMonths()));
  CHECK(*present::StackedBarsSvg(TwoMonths()) == *present::StackedBarsSvg(TwoMonths()));
  CHECK(*present::WaterfallSvg(Dispute()) == *present::WaterfallSvg(Dispute()));
}

// With CAPLEDGER_SVG_SAMPLES=DIR set, writes one sample of each chart there, for a person to look
// at (DIR/wt-html-line.svg, -stacked.svg, -waterfall.svg). Checks nothing else.
TEST_CASE("samples for a person to look at") {
  const char* dir = std::getenv("CAPLEDGER_SVG_SAMPLES");
  if (dir == nullptr) return;
  std::vector<domain::Month> months;
  for (unsigned m = 1; m <= 12; ++m) months.push_back(year{2025} / month{m});
  MonthlyChart line{ChartFrame{"listed", "Listade invånare 2025", Lang::kSv, ValueKind::kCount},
                    months, {{"VC Centrum", {}}, {"VC Väster <Öst>", {}}}};
  MonthlyChart stacked{ChartFrame{"comp", "Ersättning per komponent 2025", Lang::kSv}, months,
                       {{"Kapitering", {}}, {"Besök", {}}, {"CNI-tillägg", {}},
                        {"Avståndstillägg", {}}, {"Justering", {}}}};
  for (unsigned m = 0; m < 12; ++m) {
    line.series[0].values.push_back(8200 + 37 * m);
    line.series[1].values.push_back(5400 - 21 * m + (m % 3) * 40);
    stacked.series[0].values.push_back(2'150'000'00 + 1'200'00 * m);
    stacked.series[1].values.push_back(310'000'00 + (m % 4) * 25'000'00);
    stacked.series[2].values.push_back(140'000'00);
    stacked.series[3].values.push_back(22'500'00);
    stacked.series[4].values.push_back(m == 4 ? -180'000'00 : (m == 9 ? 60'000'00 : 0));
  }
  WaterfallChart w{ChartFrame{"dispute", "VC Centrum 2025-03: T1 mot T2", Lang::kSv},
                   "Vid T1 (2025-04-05)", Money::FromOre(2'614'532'50),
                   {{"Nya listningar (42)", Money::FromOre(41'250'00)},
                    {"Avlistningar (17)", Money::FromOre(-19'870'50)},
                    {"CNI-rättelse", Money::FromOre(12'004'75)},
                    {"Flytt inom regionen", Money::FromOre(-3'120'00)},
                    {"Regelbok KoK-2025 rev 2", Money::FromOre(-55'000'00)},
                    {"Avstånd", Money::FromOre(880'25)}},
                   "Vid T2 (2025-05-02)", Money::FromOre(2'590'677'00)};
  std::string base = std::string(dir) + "/wt-html-";
  std::ofstream(base + "line.svg") << *present::LineChartSvg(line);
  std::ofstream(base + "stacked.svg") << *present::StackedBarsSvg(stacked);
  std::ofstream(base + "waterfall.svg") << *present::WaterfallSvg(w);
  w.frame.lang = Lang::kEn;
  std::ofstream(base + "waterfall-en.svg") << *present::WaterfallSvg(w);
}

}  // namespace
}  // namespace capledger::testing
