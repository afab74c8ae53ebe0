// Writing HTML and SVG markup so that text from outside can never become markup.
//
// Every piece of caller-given text goes through EscapeText or EscapeAttr; the builder below does
// that by construction: a tag name and an attribute name are fixed by our code (checked to be
// [A-Za-z0-9:-]), a value or a text is always escaped. UTF-8 passes through byte for byte. The
// output is deterministic: attributes come out in the order they were given.
#pragma once

#include <string>
#include <string_view>

namespace capledger::present {

// Escapes text content: & < > " ' become &amp; &lt; &gt; &quot; &#39;. Other bytes (UTF-8
// included) are copied unchanged.
std::string EscapeText(std::string_view text);

// Escapes an attribute value for a double-quoted attribute: the same five characters as
// EscapeText, so a value can never close its quotes or open a tag.
std::string EscapeAttr(std::string_view value);

// Builds markup in one string. Open/Attr/Close must nest; an unclosed element is our bug and
// aborts at Finish (LEDGER_ASSERT), as does a tag or attribute name outside [A-Za-z0-9:-].
//
//   HtmlOut out;
//   out.Open("p").Attr("class", "note").Text(clinic_name).Close();
//   std::string html = std::move(out).Finish();
class HtmlOut {
 public:
  // Starts element `tag` (its attributes may follow until the next Text, Open, Close or Raw).
  HtmlOut& Open(std::string_view tag);
  // Adds attribute name="value" to the element just opened; `value` is escaped.
  HtmlOut& Attr(std::string_view name, std::string_view value);
  // Adds escaped text inside the current element.
  HtmlOut& Text(std::string_view text);
  // Closes the innermost open element.
  HtmlOut& Close();
  // Writes an element with no content as <tag .../> (SVG and XML style); attributes follow.
  HtmlOut& Empty(std::string_view tag);
  // Appends markup our own code made (a literal, or the Finish of another HtmlOut). Never pass
  // caller text here.
  HtmlOut& Raw(std::string_view markup);
  // The markup written; every element must be closed.
  std::string Finish() &&;

 private:
  void EndStartTag();
  std::string out_;
  std::string stack_;  // open tag names, each followed by '\n'
  bool in_start_tag_ = false;
  bool start_tag_empty_ = false;
};

}  // namespace capledger::present
