#include "api/form.h"

#include <algorithm>

#include <fmt/format.h>

#include "codec/fb_text_rules.h"
#include "common/crypto.h"

namespace capledger::api {
namespace {

bool HasControl(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return true;
  }
  return false;
}

// One name or value, decoded; `what` names it in the error ("field 2's value").
Result<std::string> Decode(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
      continue;
    }
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    auto byte = i + 2 < text.size() ? crypto::Unhex(text.substr(i + 1, 2)) : Fail(ErrorCode::kInvalidArgument, "");
    if (!byte) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("form: {} has a '%' not followed by two hex digits", what));
    }
    out += *byte;
    i += 2;
  }
  if (!codec::fb_internal::IsValidUtf8(out) || HasControl(out)) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("form: {} is not text (UTF-8 without control characters)", what));
  }
  return out;
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> fields;
  std::size_t number = 0;
  while (!body.empty()) {
    const std::size_t end = std::min(body.find('&'), body.size());
    const std::string_view field = body.substr(0, end);
    body.remove_prefix(std::min(end + 1, body.size()));
    ++number;
    if (number > kFormFieldsMax) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("form: more than {} fields", kFormFieldsMax));
    }
    const std::size_t eq = field.find('=');
    if (eq == std::string_view::npos) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("form: field {} has no '='", number));
    }
    auto name = Decode(field.substr(0, eq), fmt::format("field {}'s name", number));
    if (!name) return tl::unexpected(name.error());
    auto value = Decode(field.substr(eq + 1), fmt::format("field {}'s value", number));
    if (!value) return tl::unexpected(value.error());
    fields.emplace_back(std::move(*name), std::move(*value));
  }
  return fields;
}

std::string FirstValue(const std::vector<std::pair<std::string, std::string>>& fields, std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return {};
}

}  // namespace capledger::api
