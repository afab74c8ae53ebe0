#include "codec/json_out.h"

#include "codec/fb_text_rules.h"

namespace capledger::codec {
namespace {

// Appends the escape of one byte that cannot stand in a JSON string as it is: '"', '\\', a control
// character or DEL (\u00XX), or a byte that is not part of well-formed UTF-8 (\ufffd).
void AppendEscape(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (byte == '"' || byte == '\\') {
    out += '\\';
    out += static_cast<char>(byte);
    return;
  }
  if (byte >= 0x80) {
    out += "\\ufffd";
    return;
  }
  out += "\\u00";
  out += kHex[byte >> 4];
  out += kHex[byte & 0xF];
}

std::string_view Separator(JsonSpacing spacing) { return spacing == JsonSpacing::kSpaced ? ", " : ","; }
std::string_view Colon(JsonSpacing spacing) { return spacing == JsonSpacing::kSpaced ? ": " : ":"; }

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  std::size_t plain_from = 0;  // the start of the bytes not yet copied
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte >= 0x20 && byte < 0x7F && byte != '"' && byte != '\\') {
      ++pos;
      continue;
    }
    const std::size_t utf8 = byte >= 0x80 ? fb_internal::Utf8SequenceLength(text, pos) : 0;
    if (utf8 > 0) {
      pos += utf8;
      continue;
    }
    out.append(text.data() + plain_from, pos - plain_from);
    AppendEscape(out, byte);
    plain_from = ++pos;
  }
  out.append(text.data() + plain_from, text.size() - plain_from);
  out += '"';
}

std::string JsonString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  AppendJsonString(out, text);
  return out;
}

void AppendFixedPoint(std::string& out, std::int64_t value, int decimals) {
  std::uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const bool negative = value < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(value + 1)) + 1 : static_cast<std::uint64_t>(value);
  if (negative) out += '-';
  AppendJsonInteger(out, magnitude / scale);
  out += '.';
  const std::size_t at = out.size();
  out.append(static_cast<std::size_t>(decimals), '0');
  std::uint64_t fraction = magnitude % scale;
  for (std::size_t i = out.size(); i > at && fraction > 0; --i, fraction /= 10) {
    out[i - 1] = static_cast<char>('0' + fraction % 10);
  }
}

// ---- JsonObject ------------------------------------------------------------------------------

JsonObject::JsonObject(std::string& out, JsonSpacing spacing) : out_(out), spacing_(spacing) { out_ += '{'; }

std::string& JsonObject::Key(std::string_view key) {
  if (!first_) out_ += Separator(spacing_);
  first_ = false;
  out_ += '"';
  out_ += key;
  out_ += '"';
  out_ += Colon(spacing_);
  return out_;
}

JsonObject& JsonObject::String(std::string_view key, std::string_view value) {
  AppendJsonString(Key(key), value);
  return *this;
}

JsonObject& JsonObject::StringOrNull(std::string_view key, const std::optional<std::string>& value) {
  return value ? String(key, *value) : Null(key);
}

JsonObject& JsonObject::IntegerOrNull(std::string_view key, const std::optional<std::int64_t>& value) {
  return value ? Integer(key, *value) : Null(key);
}

JsonObject& JsonObject::Bool(std::string_view key, bool value) { return Raw(key, value ? "true" : "false"); }

JsonObject& JsonObject::Null(std::string_view key) { return Raw(key, "null"); }

JsonObject& JsonObject::Decimal(std::string_view key, std::int64_t value, int decimals) {
  Key(key) += '"';
  AppendFixedPoint(out_, value, decimals);
  out_ += '"';
  return *this;
}

JsonObject& JsonObject::Kronor(std::string_view key, domain::Money amount) {
  Key(key) += '"';
  out_ += domain::FormatKronor(amount);
  out_ += '"';
  return *this;
}

JsonObject& JsonObject::KronorOrNull(std::string_view key, const std::optional<domain::Money>& amount) {
  return amount ? Kronor(key, *amount) : Null(key);
}

JsonObject& JsonObject::Raw(std::string_view key, std::string_view json) {
  Key(key) += json;
  return *this;
}

JsonObject JsonObject::Object(std::string_view key) { return JsonObject(Key(key), spacing_); }

JsonArray JsonObject::Array(std::string_view key) { return JsonArray(Key(key), spacing_); }

void JsonObject::Close() { out_ += '}'; }

// ---- JsonArray -------------------------------------------------------------------------------

JsonArray::JsonArray(std::string& out, JsonSpacing spacing) : out_(out), spacing_(spacing) { out_ += '['; }

std::string& JsonArray::Next() {
  if (!first_) out_ += Separator(spacing_);
  first_ = false;
  return out_;
}

JsonArray& JsonArray::String(std::string_view value) {
  AppendJsonString(Next(), value);
  return *this;
}

JsonArray& JsonArray::Kronor(domain::Money amount) {
  Next() += '"';
  out_ += domain::FormatKronor(amount);
  out_ += '"';
  return *this;
}

JsonArray& JsonArray::Raw(std::string_view json) {
  Next() += json;
  return *this;
}

JsonObject JsonArray::Object() { return JsonObject(Next(), spacing_); }

JsonArray JsonArray::Array() { return JsonArray(Next(), spacing_); }

void JsonArray::Close() { out_ += ']'; }

}  // namespace capledger::codec
