// The query parameters of one request, checked against what the endpoint accepts.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "domain/date.h"

namespace capledger::api {

// A request with more query parameters than this is refused.
inline constexpr std::size_t kQueryParamsMax = 16;

// The checked parameters; keeps copies of the keys and values.
class Params {
 public:
  // kInvalidArgument if a key is not one of `allowed`, is given twice, or there are more than
  // kQueryParamsMax parameters.
  static Result<Params> From(const std::vector<std::pair<std::string, std::string>>& query,
                             std::initializer_list<std::string_view> allowed);

  // The value of `key`; kInvalidArgument "missing parameter" if it was not given or is empty.
  Result<std::string> Required(std::string_view key) const;
  // The value of `key`, or "" if it was not given.
  std::string Optional(std::string_view key) const;
  // The value as a month (YYYY-MM): required, or absent (nullopt). kInvalidArgument names the
  // parameter when the value is not a month.
  Result<domain::Month> RequiredMonth(std::string_view key) const;
  Result<std::optional<domain::Month>> OptionalMonth(std::string_view key) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

}  // namespace capledger::api
