#include "stream/feed.h"

namespace capledger::stream {

Result<std::unique_ptr<FinanceFeed>> FinanceFeed::Start(const KafkaConfig&, store::EventStore&, const Clock&,
                                                        std::function<void()>) {
  return Fail(ErrorCode::kRefused, "the finance feed is not available in this build yet");
}

}  // namespace capledger::stream
