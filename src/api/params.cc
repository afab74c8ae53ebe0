#include "api/params.h"

#include <algorithm>

#include <fmt/format.h>

#include "codec/json_out.h"

namespace capledger::api {
namespace {

Result<domain::Month> MonthOf(std::string_view key, const std::string& text) {
  auto month = domain::ParseMonth(text);
  if (!month) return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: {}", key, month.error().message));
  return *month;
}

}  // namespace

Result<Params> Params::From(const std::vector<std::pair<std::string, std::string>>& query,
                            std::initializer_list<std::string_view> allowed) {
  if (query.size() > kQueryParamsMax) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("more than {} query parameters", kQueryParamsMax));
  }
  Params params;
  for (const auto& [key, value] : query) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      // The key is not echoed if it is long: it is the caller's text.
      return Fail(ErrorCode::kInvalidArgument,
                  key.size() <= 32 ? "unknown parameter " + codec::JsonString(key) : std::string("unknown parameter"));
    }
    const std::string_view name = key;  // a lambda may not capture a structured binding before C++20's P1091 in clang 16
    if (std::any_of(params.values_.begin(), params.values_.end(), [name](const auto& kv) { return kv.first == name; })) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("parameter {} is given twice", key));
    }
    params.values_.emplace_back(key, value);
  }
  return params;
}

std::string Params::Optional(std::string_view key) const {
  for (const auto& [k, v] : values_) {
    if (k == key) return v;
  }
  return "";
}

Result<std::string> Params::Required(std::string_view key) const {
  std::string value = Optional(key);
  if (value.empty()) return Fail(ErrorCode::kInvalidArgument, fmt::format("missing parameter {}", key));
  return value;
}

Result<domain::Month> Params::RequiredMonth(std::string_view key) const {
  auto text = Required(key);
  if (!text) return tl::unexpected(text.error());
  return MonthOf(key, *text);
}

Result<std::optional<domain::Month>> Params::OptionalMonth(std::string_view key) const {
  const std::string text = Optional(key);
  if (text.empty()) return std::optional<domain::Month>{};
  auto month = MonthOf(key, text);
  if (!month) return tl::unexpected(month.error());
  return std::optional<domain::Month>{*month};
}

}  // namespace capledger::api
