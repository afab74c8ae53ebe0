#include "codec/rulebook_toml.h"

#include <iterator>
#include <utility>

#include <fmt/format.h>

#include "codec/json_out.h"
#include "common/limits.h"

// toml++ header-only and without exceptions, as in src/app/config.cc: there is no throw in this
// program and toml::parse must return its errors as values. The tomlplusplus CMake package adds
// -DTOML_HEADER_ONLY=0 -DTOML_SHARED_LIB=1 (its shared library is built with exceptions); undoing
// that here keeps every toml++ user in the program on the same, exception-free, inline code.
// toml++'s ABI namespaces (toml::v3::noex) keep it apart from the shared library's symbols.
#undef TOML_SHARED_LIB
#undef TOML_HEADER_ONLY
#define TOML_SHARED_LIB 0
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

namespace capledger::codec::rulebook_internal {
namespace {

// One step of the walk: a value to write (after its comma and key), or a closing bracket.
struct Step {
  const toml::node* node = nullptr;  // nullptr: write `close`
  char close = 0;
  bool comma = false;   // a value before it in the same container
  bool member = false;  // a table member (write its key), not an array item
  std::string key;
  std::string path;
};

std::string_view TomlTypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a TOML table";
    case toml::node_type::array: return "a TOML array";
    case toml::node_type::string: return "a TOML string";
    case toml::node_type::integer: return "a TOML integer";
    case toml::node_type::floating_point: return "a TOML float";
    case toml::node_type::boolean: return "a TOML boolean";
    case toml::node_type::date: return "a TOML date";
    case toml::node_type::time: return "a TOML time";
    case toml::node_type::date_time: return "a TOML date-time";
    case toml::node_type::none: break;
  }
  return "an unknown TOML value";
}

// The top-level keys whose value is a date; a TOML date anywhere else is the wrong type.
bool IsDateField(std::string_view path) {
  return path == "valid_from" || path == "valid_until" || path == "decided_on";
}

std::string ChildPath(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

// Writes a value that is not a table or an array.
void WriteScalar(std::string& out, const toml::node& node, std::string_view path) {
  if (const auto* text = node.as_string()) return AppendJsonString(out, text->get());
  if (const auto* integer = node.as_integer()) return AppendJsonInteger(out, integer->get());
  if (const auto* boolean = node.as_boolean()) {
    out += boolean->get() ? "true" : "false";
    return;
  }
  const auto* date = node.as_date();
  if (date != nullptr && IsDateField(path)) {
    const toml::date& d = date->get();
    out += fmt::format("\"{:04d}-{:02d}-{:02d}\"", unsigned{d.year}, unsigned{d.month}, unsigned{d.day});
    return;
  }
  out += "null";  // see TomlToJson: no rulebook field takes this TOML type here
}

// Opens a table or an array: writes its bracket and pushes its closing bracket and then its
// children in reverse, so that they pop in document order (tables iterate by key). Counts the
// children in `values`; false, with nothing pushed, if that would exceed kTomlValuesMax.
bool OpenContainer(std::string& out, std::vector<Step>& stack, const toml::node& node, const std::string& path,
                   std::size_t& values) {
  const toml::table* table = node.as_table();
  const toml::array* array = node.as_array();
  const std::size_t count = table != nullptr ? table->size() : array->size();
  if (count > kTomlValuesMax - values) return false;
  values += count;
  std::vector<Step> children;
  children.reserve(count);
  if (table != nullptr) {
    for (const auto& [key, value] : *table) {
      children.push_back(Step{&value, 0, !children.empty(), true, std::string(key.str()), ChildPath(path, key.str())});
    }
  } else {
    for (std::size_t i = 0; i < count; ++i) {
      children.push_back(Step{array->get(i), 0, i > 0, false, {}, fmt::format("{}[{}]", path, i)});
    }
  }
  out += table != nullptr ? '{' : '[';
  stack.push_back(Step{nullptr, table != nullptr ? '}' : ']', false, false, {}, {}});
  stack.insert(stack.end(), std::make_move_iterator(children.rbegin()), std::make_move_iterator(children.rend()));
  return true;
}

// Writes one step's comma, key and value, and records where the value came from. False if the
// value is a container that would take the document past kTomlValuesMax values.
bool WriteStep(TomlAsJson& result, std::vector<Step>& stack, const Step& step, std::size_t& values) {
  std::string& out = result.json;
  if (step.comma) out += ',';
  if (step.member) {
    AppendJsonString(out, step.key);
    out += ':';
  }
  const toml::node& node = *step.node;
  if (!step.path.empty()) {
    result.origins.push_back(TomlOrigin{step.path, node.source().begin.line, TomlTypeName(node)});
  }
  if (node.is_table() || node.is_array()) return OpenContainer(out, stack, node, step.path, values);
  WriteScalar(out, node, step.path);
  return true;
}

Rejection SyntaxError(const toml::parse_error& error) {
  const toml::source_position& at = error.source().begin;
  return Rejection{RejectCode::kInvalidRulebook, "",
                   fmt::format("TOML syntax error at line {}, column {}: {}", at.line, at.column,
                               error.description())};
}

// The path of the value that contains the one at `path`: "a.b[1].c" -> "a.b[1]" -> "a.b" -> "a".
std::string_view ParentPath(std::string_view path) {
  const std::size_t cut = path.find_last_of(".[");
  return cut == std::string_view::npos ? std::string_view() : path.substr(0, cut);
}

const TomlOrigin* FindOrigin(std::span<const TomlOrigin> origins, std::string_view path) {
  for (const TomlOrigin& origin : origins) {
    if (origin.path == path) return &origin;
  }
  return nullptr;
}

}  // namespace

tl::expected<TomlAsJson, Rejection> TomlToJson(std::string_view toml_text) {
  if (toml_text.size() > limits::kInputLineBytesMax) {
    return tl::unexpected(Rejection{RejectCode::kInvalidRulebook, "", "rulebook file is larger than 1 MiB"});
  }
  toml::parse_result parsed = toml::parse(toml_text);
  if (!parsed) return tl::unexpected(SyntaxError(parsed.error()));
  TomlAsJson result;
  std::vector<Step> stack;
  stack.push_back(Step{&parsed.table(), 0, false, false, {}, {}});
  std::size_t values = 1;
  // Each value is pushed once and popped once, and at most kTomlValuesMax are ever pushed.
  while (!stack.empty()) {
    const Step step = std::move(stack.back());
    stack.pop_back();
    if (step.node == nullptr) {
      result.json += step.close;
    } else if (!WriteStep(result, stack, step, values)) {
      return tl::unexpected(Rejection{RejectCode::kInvalidRulebook, step.path,
                                      fmt::format("rulebook has more than {} TOML values", kTomlValuesMax)});
    }
  }
  return result;
}

void DescribeInToml(Rejection& rejection, std::span<const TomlOrigin> origins) {
  std::string_view path = rejection.field;
  const TomlOrigin* origin = FindOrigin(origins, path);
  const bool exact = origin != nullptr;
  // Each pass shortens the path, so this ends.
  while (origin == nullptr && !path.empty()) {
    path = ParentPath(path);
    origin = FindOrigin(origins, path);
  }
  if (origin == nullptr || origin->line == 0) return;
  const std::size_t not_at = rejection.message.find(", not ");
  if (exact && rejection.code == RejectCode::kWrongType && not_at != std::string::npos) {
    const std::string expected = IsDateField(origin->path) ? "must be a TOML date or a \"YYYY-MM-DD\" string"
                                                           : rejection.message.substr(0, not_at);
    rejection.message = fmt::format("{}, not {}", expected, origin->type_name);
  }
  rejection.message += fmt::format(" (TOML line {})", origin->line);
}

}  // namespace capledger::codec::rulebook_internal
