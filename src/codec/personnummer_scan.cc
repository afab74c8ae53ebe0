#include "codec/personnummer_scan.h"

#include <vector>

#include <simdjson.h>

#include "codec/json_writer.h"
#include "common/assert.h"
#include "domain/personnummer.h"

namespace capledger::codec {
namespace {

// A value still to look at, and its path.
struct Pending {
  simdjson::dom::element value;
  std::string path;
};

// Pushes the members of an object or the items of an array.
void PushChildren(const Pending& item, std::vector<Pending>& stack) {
  if (simdjson::dom::object object; item.value.get_object().get(object) == simdjson::SUCCESS) {
    for (auto field : object) {
      const std::string key(field.key);
      stack.push_back(Pending{field.value, item.path.empty() ? key : item.path + "." + key});
    }
  } else if (simdjson::dom::array array; item.value.get_array().get(array) == simdjson::SUCCESS) {
    std::size_t index = 0;
    for (auto element : array) stack.push_back(Pending{element, item.path + "[" + std::to_string(index++) + "]"});
  }
}

}  // namespace

std::optional<std::string> FieldHoldingPersonnummer(const domain::Event& event) {
  // The event as the log prints it names every text field once, as its JSON Lines form does.
  const std::string json = EventToJson(event, nullptr);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  LEDGER_ASSERT(parser.parse(json).get(root) == simdjson::SUCCESS && "EventToJson writes valid JSON");
  std::vector<Pending> stack{Pending{root, ""}};
  std::optional<std::string> found;
  // Every value is visited once: the walk ends after as many steps as the document has values.
  for (std::size_t steps = 0; !stack.empty() && steps < json.size(); ++steps) {
    Pending item = std::move(stack.back());
    stack.pop_back();
    if (std::string_view text; item.value.get_string().get(text) == simdjson::SUCCESS) {
      const std::string_view path = item.path;
      const std::string_view key = path.substr(path.find_last_of('.') + 1);
      // The first in document order: the walk goes from the last pushed, so keep the earliest.
      if (!domain::IsResidentField(key) && domain::ContainsPersonnummer(text)) found = item.path;
      continue;
    }
    PushChildren(item, stack);
  }
  return found;
}

}  // namespace capledger::codec
