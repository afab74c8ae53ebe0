#include "codec/json_object_reader.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "codec/json_field_rules.h"
#include "common/assert.h"
#include "domain/personnummer.h"

namespace capledger::codec::json {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string_view JsonTypeName(element_type type) {
  switch (type) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64: return "an integer";
    case element_type::DOUBLE: return "a number with a fraction or exponent";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "an unknown JSON value";
}

void WrongType(Problem& problem, element value, const FieldRef& ref, std::string_view expected) {
  problem.Set(RejectCode::kWrongType, ref.Path(),
              fmt::format("must be {}, not {}", expected, JsonTypeName(value.type())));
}

std::string JoinPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string path;
  path.reserve(parent.size() + 1 + key.size());
  path.append(parent).append(".").append(key);
  return path;
}

}  // namespace

void Problem::Set(RejectCode code, std::string field, std::string message) {
  if (rejection_) return;
  rejection_ = Rejection{code, std::move(field), std::move(message)};
}

Rejection Problem::Take() {
  LEDGER_ASSERT(rejection_.has_value());
  return std::move(*rejection_);
}

std::string FieldRef::Path() const {
  std::string path = JoinPath(parent, key);
  if (index >= 0) path += fmt::format("[{}]", index);
  return path;
}

std::string_view ReadString(Problem& problem, element value, const FieldRef& ref) {
  std::string_view text;
  if (!problem.ok()) return text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    WrongType(problem, value, ref, "a string");
  } else if (!domain::IsResidentField(ref.key) && domain::ContainsPersonnummer(text)) {
    // Anywhere but its own field a number would be stored in clear, in a log that cannot forget.
    problem.Set(RejectCode::kPersonnummerInField, ref.Path(),
                "holds a personnummer or samordningsnummer; only the `personnummer` field may, and it is "
                "replaced by its pseudonym");
  }
  return text;
}

simdjson::dom::object ReadObject(Problem& problem, element value, const FieldRef& ref) {
  simdjson::dom::object object;
  if (!problem.ok()) return object;
  if (value.get_object().get(object) != simdjson::SUCCESS) WrongType(problem, value, ref, "an object");
  return object;
}

simdjson::dom::array ReadArray(Problem& problem, element value, const FieldRef& ref) {
  simdjson::dom::array array;
  if (!problem.ok()) return array;
  if (value.get_array().get(array) != simdjson::SUCCESS) WrongType(problem, value, ref, "an array");
  return array;
}

std::int64_t ReadInteger(Problem& problem, element value, const FieldRef& ref, std::int64_t min,
                         std::int64_t max, RejectCode range_code) {
  if (!problem.ok()) return 0;
  const element_type type = value.type();
  if (type != element_type::INT64 && type != element_type::UINT64) {
    WrongType(problem, value, ref, "an integer");
    return 0;
  }
  std::int64_t number = 0;
  // A UINT64 element is above INT64_MAX, so it is out of range whatever the bounds.
  if (value.get_int64().get(number) != simdjson::SUCCESS || number < min || number > max) {
    problem.Set(range_code, ref.Path(), fmt::format("must be an integer from {} to {}", min, max));
    return 0;
  }
  return number;
}

ObjectReader::ObjectReader(Problem& problem, std::string_view path, std::span<const Key> keys)
    : problem_(problem), path_(path), keys_(keys) {
  LEDGER_ASSERT(keys_.size() <= kKeysMax);
}

std::size_t ObjectReader::Find(std::string_view key) const {
  // Keys are short: an inlined byte loop beats a call to memcmp, and most differ in length.
  const auto same = [key](std::string_view name) {
    if (name.size() != key.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      if (name[i] != key[i]) return false;
    }
    return true;
  };
  // Lines usually carry keys in the declared order, and decoders read them in that order: start
  // after the last match and wrap around, so that most lookups compare one key.
  const std::size_t n = keys_.size();
  std::size_t i = hint_;
  for (std::size_t step = 0; step < n; ++step) {
    if (same(keys_[i].name)) {
      hint_ = i + 1 == n ? 0 : i + 1;
      return i;
    }
    i = i + 1 == n ? 0 : i + 1;
  }
  return n;
}

bool ObjectReader::Load(simdjson::dom::object object) {
  for (simdjson::dom::key_value_pair field : object) {
    const std::size_t i = Find(field.key);
    if (i == keys_.size()) {
      const std::string_view shown = SafeEcho(field.key);
      problem_.Set(RejectCode::kUnknownField, JoinPath(path_, shown), fmt::format("unknown field `{}`", shown));
      return false;
    }
    const std::uint32_t bit = std::uint32_t{1} << i;
    if ((present_ & bit) != 0) {
      problem_.Set(RejectCode::kMalformedJson, JoinPath(path_, keys_[i].name),
                   fmt::format("duplicate key `{}`", keys_[i].name));
      return false;
    }
    present_ |= bit;
    values_[i] = field.value;
  }
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i].presence == Presence::kRequired && (present_ & (std::uint32_t{1} << i)) == 0) {
      problem_.Set(RejectCode::kMissingField, JoinPath(path_, keys_[i].name),
                   fmt::format("required field `{}` is missing", keys_[i].name));
      return false;
    }
  }
  return problem_.ok();
}

const simdjson::dom::element* ObjectReader::Lookup(std::string_view key) const {
  const std::size_t i = Find(key);
  LEDGER_ASSERT(i < keys_.size());  // asking for a key the object does not declare is our bug
  return (present_ & (std::uint32_t{1} << i)) != 0 ? &values_[i] : nullptr;
}

simdjson::dom::element ObjectReader::Value(std::string_view key) const {
  const simdjson::dom::element* value = Lookup(key);
  LEDGER_ASSERT(value != nullptr);
  return *value;
}

std::string_view ObjectReader::String(std::string_view key) {
  const simdjson::dom::element* value = Lookup(key);
  if (!problem_.ok() || value == nullptr) return {};
  return ReadString(problem_, *value, Ref(key));
}

simdjson::dom::object ObjectReader::Object(std::string_view key) {
  const simdjson::dom::element* value = Lookup(key);
  if (!problem_.ok() || value == nullptr) return {};
  return ReadObject(problem_, *value, Ref(key));
}

simdjson::dom::array ObjectReader::Array(std::string_view key) {
  const simdjson::dom::element* value = Lookup(key);
  if (!problem_.ok() || value == nullptr) return {};
  return ReadArray(problem_, *value, Ref(key));
}

std::int64_t ObjectReader::Integer(std::string_view key, std::int64_t min, std::int64_t max,
                                   RejectCode range_code) {
  const simdjson::dom::element* value = Lookup(key);
  if (!problem_.ok() || value == nullptr) return 0;
  return ReadInteger(problem_, *value, Ref(key), min, max, range_code);
}

void ObjectReader::Reject(std::string_view key, RejectCode code, std::string message) {
  problem_.Set(code, Ref(key).Path(), std::move(message));
}

namespace {

// One value still to visit in CheckNoDuplicateKeys, with its path.
struct PendingValue {
  element value;
  std::string path;
};

// The keys of `object` with their values, sorted by key, so that a repeated key sits next to its
// twin. Returns the first repeated key, if any.
std::optional<std::string_view> FirstRepeatedKey(simdjson::dom::object object,
                                                 std::vector<std::pair<std::string_view, element>>& fields) {
  fields.clear();
  for (simdjson::dom::key_value_pair field : object) fields.emplace_back(field.key, field.value);
  std::vector<std::string_view> keys;
  keys.reserve(fields.size());
  for (const auto& field : fields) keys.push_back(field.first);
  std::sort(keys.begin(), keys.end());
  const auto repeated = std::adjacent_find(keys.begin(), keys.end());
  if (repeated == keys.end()) return std::nullopt;
  return *repeated;
}

}  // namespace

void CheckNoDuplicateKeys(Problem& problem, element root, std::string_view root_path) {
  std::vector<PendingValue> stack;
  stack.push_back(PendingValue{root, std::string(root_path)});
  std::vector<std::pair<std::string_view, element>> fields;
  // Each value is pushed once, and the document has a bounded number of values.
  while (!stack.empty() && problem.ok()) {
    PendingValue current = std::move(stack.back());
    stack.pop_back();
    simdjson::dom::object object;
    simdjson::dom::array array;
    if (current.value.get_object().get(object) == simdjson::SUCCESS) {
      if (auto repeated = FirstRepeatedKey(object, fields)) {
        const std::string_view shown = SafeEcho(*repeated);
        problem.Set(RejectCode::kMalformedJson, JoinPath(current.path, shown),
                    fmt::format("duplicate key `{}`", shown));
        return;
      }
      for (const auto& [key, value] : fields) {
        stack.push_back(PendingValue{value, JoinPath(current.path, SafeEcho(key))});
      }
    } else if (current.value.get_array().get(array) == simdjson::SUCCESS) {
      int index = 0;
      for (element item : array) stack.push_back(PendingValue{item, fmt::format("{}[{}]", current.path, index++)});
    }
  }
}

}  // namespace capledger::codec::json
