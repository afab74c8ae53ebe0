// The fields of an HTML form as a browser posts it (application/x-www-form-urlencoded).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace capledger::api {

// A form with more fields than this is refused.
inline constexpr std::size_t kFormFieldsMax = 16;

// The fields of `body` ("month=2024-03&confirm=yes"), in order, each name and value decoded: '+'
// is a space and %XX a byte. kInvalidArgument for a malformed escape, a field without '=', a name
// or value that is not valid UTF-8 or holds a control character, or more than kFormFieldsMax
// fields. An empty body has no fields.
Result<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body);

// The first value of `name` among `fields` (a form's, or a query's), or "" if there is none.
std::string FirstValue(const std::vector<std::pair<std::string, std::string>>& fields, std::string_view name);

}  // namespace capledger::api
