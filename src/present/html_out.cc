#include "present/html_out.h"

#include "common/assert.h"

namespace capledger::present {
namespace {

// A name our code chose: ASCII letters (SVG has viewBox), digits, ':' and '-'.
bool IsPlainName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string EscapeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string EscapeAttr(std::string_view value) { return EscapeText(value); }

void HtmlOut::EndStartTag() {
  if (!in_start_tag_) return;
  out_ += start_tag_empty_ ? "/>" : ">";
  in_start_tag_ = false;
  start_tag_empty_ = false;
}

HtmlOut& HtmlOut::Open(std::string_view tag) {
  LEDGER_ASSERT(IsPlainName(tag));
  EndStartTag();
  out_ += '<';
  out_ += tag;
  stack_ += tag;
  stack_ += '\n';
  in_start_tag_ = true;
  return *this;
}

HtmlOut& HtmlOut::Empty(std::string_view tag) {
  LEDGER_ASSERT(IsPlainName(tag));
  EndStartTag();
  out_ += '<';
  out_ += tag;
  in_start_tag_ = true;
  start_tag_empty_ = true;
  return *this;
}

HtmlOut& HtmlOut::Attr(std::string_view name, std::string_view value) {
  LEDGER_ASSERT(in_start_tag_ && IsPlainName(name));
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  out_ += EscapeAttr(value);
  out_ += '"';
  return *this;
}

HtmlOut& HtmlOut::Text(std::string_view text) {
  EndStartTag();
  out_ += EscapeText(text);
  return *this;
}

HtmlOut& HtmlOut::Raw(std::string_view markup) {
  EndStartTag();
  out_ += markup;
  return *this;
}

HtmlOut& HtmlOut::Close() {
  LEDGER_ASSERT(!stack_.empty());
  EndStartTag();
  std::size_t end = stack_.size() - 1;  // the '\n' after the innermost name
  std::size_t begin = stack_.rfind('\n', end - 1);
  begin = begin == std::string::npos ? 0 : begin + 1;
  out_ += "</";
  out_.append(stack_, begin, end - begin);
  out_ += '>';
  stack_.resize(begin);
  return *this;
}

std::string HtmlOut::Finish() && {
  EndStartTag();
  LEDGER_ASSERT(stack_.empty());
  return std::move(out_);
}

}  // namespace capledger::present
