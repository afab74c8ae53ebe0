// kafka-mock: librdkafka's mock cluster as a process of its own, until SIGTERM. For demos and
// tests that must kill `serve` without losing the broker (and what was produced to it).
#include <chrono>
#include <csignal>
#include <cstdio>
#include <pthread.h>

#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/serve.h"
#include "codec/json_out.h"
#include "stream/mock_chaos.h"
#include "stream/mock_cluster.h"

namespace capledger::app {

int RunKafkaMock(const CommandContext& context, const KafkaMockArgs& args) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before librdkafka starts its threads
  const stream::KafkaConfig& kafka = context.config.kafka;
  const std::string& log_topic = context.config.cluster.log_topic;
  auto cluster =
      stream::MockCluster::Start(args.brokers, {kafka.events_topic, kafka.ledger_topic, log_topic}, args.partitions);
  if (!cluster) return Refuse(context, cluster.error());
  spdlog::info("Kafka mock cluster: {} brokers on {}, topics {}, {} and {} with {} partitions", args.brokers,
               (*cluster)->bootstraps(), kafka.events_topic, kafka.ledger_topic, log_topic, args.partitions);
  std::string line;
  codec::JsonObject(line, codec::JsonSpacing::kSpaced).Bool("ready", true).String("brokers", (*cluster)->bootstraps()).Close();
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
  std::unique_ptr<stream::MockChaos> chaos;
  if (args.chaos_seed != 0) {
    chaos = std::make_unique<stream::MockChaos>(**cluster, std::vector<std::string>{kafka.events_topic, kafka.ledger_topic, log_topic},
                                                args.brokers, args.partitions, args.chaos_seed,
                                                std::chrono::milliseconds(args.chaos_interval_ms));
  }
  for (int signal = 0; sigwait(&signals, &signal) == 0 && signal == SIGUSR1;) {
    if (!chaos) continue;
    chaos->SetActive(!chaos->active());
    const stream::ChaosCounts& c = chaos->counts();
    spdlog::info("chaos: {} (seed {}): {} request errors pushed, {} leader moves, {} broker restarts",
                 chaos->active() ? "started" : "paused", args.chaos_seed, c.request_errors.load(), c.leader_moves.load(),
                 c.broker_restarts.load());
  }
  chaos.reset();
  cluster->reset();
  spdlog::info("Kafka mock cluster stopped");
  return kExitOk;
}

}  // namespace capledger::app
