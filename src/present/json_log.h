// The JSON of the answers that read the log itself as well as the projection: `explain` (each
// of the resident's facts names its stored event) and `verify` (the hash chain). Shared by the
// command line's --json and the HTTP API, so that both give the same bytes.
#pragma once

#include <optional>
#include <string>

#include "projection/explain.h"
#include "store/event_store.h"

namespace capledger::present {

// What a fact's stored event says about itself: its id, its type name and the clinic it names.
// Each is "?" (clinic: empty) when the event cannot be read back, so that an explanation is still
// shown for a damaged log (verify names the damage).
struct FactEvent {
  std::string id;
  std::string type;
  std::optional<std::string> clinic;
};
FactEvent DescribeFactEvent(const store::EventStore& store, domain::Seq seq);

// {"resident", "birth_date", "sex", "month", "snapshot_date", "rulebook", "known_at_seq",
//  "counted", "clinic", "age", "band", "why", "events": [{"seq", "id", "type", "effective",
//  "clinic", "use", "decisive"}]} and '\n'. Reads each fact's event from `store`.
std::string ExplainJson(const store::EventStore& store, const projection::ResidentExplanation& explanation);

// The stable name of how the fold treated a fact ("applied", "after_snapshot", ...).
std::string_view UseName(projection::ExplainedFact::Use use);

// {"ok", "events_checked", "head_seq", "head_hash"[, "first_bad_seq", "problem"]} and '\n'.
std::string VerifyJson(const store::VerifyReport& report, const store::Head& head);

}  // namespace capledger::present
