#include "stream/broker_stats.h"

#include <simdjson.h>

namespace capledger::stream {

std::optional<BrokerStats> ParseBrokerStats(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) return std::nullopt;
  simdjson::dom::object brokers;
  if (doc["brokers"].get(brokers) != simdjson::SUCCESS) return std::nullopt;
  BrokerStats stats;
  for (auto [name, broker] : brokers) {
    std::string_view state;
    if (broker["state"].get(state) == simdjson::SUCCESS && state == "UP") stats.any_up = true;
    for (const char* counter : {"txerrs", "txretries", "req_timeouts"}) {
      std::uint64_t n = 0;
      if (broker[counter].get(n) == simdjson::SUCCESS) stats.errors += n;
    }
  }
  return stats;
}

}  // namespace capledger::stream
