// What the finance feed reads from librdkafka's statistics (statistics.interval.ms): whether a
// broker is up, and how many requests failed or were retried. librdkafka retries a Produce that
// a broker refused (not leader, timed out) by itself; its statistics are where those show.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace capledger::stream {

struct BrokerStats {
  bool any_up = false;        // some broker's state is "UP"
  std::uint64_t errors = 0;   // sum over the brokers of txerrs + txretries + req_timeouts
};

// Reads librdkafka's statistics JSON; nullopt if it is not that JSON.
std::optional<BrokerStats> ParseBrokerStats(std::string_view json);

}  // namespace capledger::stream
