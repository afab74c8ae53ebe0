// The HTML writer's escaping and the formatting of amounts, counts and percentages in Swedish and
// English. Every expected string is written by hand; \xC2\xA0 is U+00A0 (no-break space) and
// \xE2\x88\x92 is U+2212 (minus sign).
#include <doctest/doctest.h>

#include "present/format_lang.h"
#include "present/html_out.h"

namespace capledger::testing {
namespace {

using domain::Money;
using present::Lang;

#define NB "\xC2\xA0"
#define MINUS "\xE2\x88\x92"

TEST_CASE("text and attribute values escape the five characters that can make markup") {
  CHECK(present::EscapeText("<script>alert('x')</script> & \"q\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  CHECK(present::EscapeAttr("\" onmouseover='x'") == "&quot; onmouseover=&#39;x&#39;");
  CHECK(present::EscapeText("&amp;") == "&amp;amp;");  // already-escaped text is escaped again
  CHECK(present::EscapeText("Vårdcentralen Ödeshög – Öst") == "Vårdcentralen Ödeshög – Öst");
}

TEST_CASE("the builder escapes a hostile clinic name in text and in an attribute") {
  present::HtmlOut out;
  out.Open("p").Attr("title", "\"><img src=x onerror=alert(1)>");
  out.Text("VC <b>Ö</b>").Empty("br").Attr("class", "x").Close();
  CHECK(std::move(out).Finish() ==
        "<p title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">VC &lt;b&gt;Ö&lt;/b&gt;"
        "<br class=\"x\"/></p>");
}

TEST_CASE("nested elements close in order") {
  present::HtmlOut out;
  out.Open("ul").Open("li").Text("E-2024-03-000017</li><li>").Close().Open("li").Close().Close();
  CHECK(std::move(out).Finish() ==
        "<ul><li>E-2024-03-000017&lt;/li&gt;&lt;li&gt;</li><li></li></ul>");
}

TEST_CASE("kronor in Swedish: no-break spaces, comma decimals, a real minus sign") {
  CHECK(present::FormatKronorIn(Money::FromOre(0), Lang::kSv) == "0,00" NB "kr");
  CHECK(present::FormatKronorIn(Money::FromOre(1), Lang::kSv) == "0,01" NB "kr");
  CHECK(present::FormatKronorIn(Money::FromOre(99), Lang::kSv) == "0,99" NB "kr");
  CHECK(present::FormatKronorIn(Money::FromOre(123450), Lang::kSv) == "1" NB "234,50" NB "kr");
  CHECK(present::FormatKronorIn(Money::FromOre(-123450), Lang::kSv) ==
        MINUS "1" NB "234,50" NB "kr");
  // 10^12 kr = 10^14 öre.
  CHECK(present::FormatKronorIn(Money::FromOre(100'000'000'000'000), Lang::kSv) ==
        "1" NB "000" NB "000" NB "000" NB "000,00" NB "kr");
  CHECK(present::FormatWholeKronorIn(Money::FromOre(100000), Lang::kSv) == "1" NB "000" NB "kr");
}

TEST_CASE("kronor in English: SEK first, comma thousands, point decimals") {
  CHECK(present::FormatKronorIn(Money::FromOre(0), Lang::kEn) == "SEK" NB "0.00");
  CHECK(present::FormatKronorIn(Money::FromOre(1), Lang::kEn) == "SEK" NB "0.01");
  CHECK(present::FormatKronorIn(Money::FromOre(99), Lang::kEn) == "SEK" NB "0.99");
  CHECK(present::FormatKronorIn(Money::FromOre(123450), Lang::kEn) == "SEK" NB "1,234.50");
  CHECK(present::FormatKronorIn(Money::FromOre(-123450), Lang::kEn) == MINUS "SEK" NB "1,234.50");
  CHECK(present::FormatKronorIn(Money::FromOre(100'000'000'000'000), Lang::kEn) ==
        "SEK" NB "1,000,000,000,000.00");
  // The most negative öre amount does not overflow when its magnitude is taken.
  CHECK(present::FormatKronorIn(Money::FromOre(INT64_MIN), Lang::kEn) ==
        MINUS "SEK" NB "92,233,720,368,547,758.08");
}

TEST_CASE("counts, percentages, dates and months") {
  CHECK(present::FormatCountIn(0, Lang::kSv) == "0");
  CHECK(present::FormatCountIn(999, Lang::kSv) == "999");
  CHECK(present::FormatCountIn(1000, Lang::kSv) == "1" NB "000");
  CHECK(present::FormatCountIn(-1234567, Lang::kSv) == MINUS "1" NB "234" NB "567");
  CHECK(present::FormatCountIn(12345, Lang::kEn) == "12,345");
  CHECK(present::FormatPercentIn(1, 8, Lang::kSv) == "12,5" NB "%");    // 12.5 exactly
  CHECK(present::FormatPercentIn(2, 3, Lang::kEn) == "66.7%");          // 66.66... -> 66.7
  CHECK(present::FormatPercentIn(1, 2000, Lang::kSv) == "0,1" NB "%");  // 0.05 -> 0.1 (half away)
  CHECK(present::FormatPercentIn(-1, 3000, Lang::kSv) == "0,0" NB "%");  // -0.033 -> no "−0,0"
  CHECK(present::FormatPercentIn(-1, 4, Lang::kEn) == MINUS "25.0%");
  CHECK(present::FormatPercentIn(5, 0, Lang::kSv) == "\xE2\x80\x93");
  using namespace std::chrono;
  CHECK(present::FormatDateIn(year{2025} / November / day{3}, Lang::kEn) == "2025-11-03");
  CHECK(present::FormatMonthIn(year{2025} / March, Lang::kSv) == "2025-03");
}

TEST_CASE("the message catalogue has both languages") {
  CHECK(present::MsgText(present::Msg::kNoData, Lang::kSv) == "Inga uppgifter");
  CHECK(present::MsgText(present::Msg::kNoData, Lang::kEn) == "No data");
  CHECK(present::MsgText(present::Msg::kLegend, Lang::kSv) == "Förklaring");
}

}  // namespace
}  // namespace capledger::testing
