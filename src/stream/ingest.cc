#include "stream/ingest.h"

namespace capledger::stream {

Result<std::unique_ptr<KafkaIngest>> KafkaIngest::Start(const KafkaConfig&, store::EventStore&, ledger::LedgerService&,
                                                        const RegionSecret&, const Clock&, std::function<void()>) {
  return Fail(ErrorCode::kRefused, "Kafka ingest is not available in this build yet");
}

}  // namespace capledger::stream
