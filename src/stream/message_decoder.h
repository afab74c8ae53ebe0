// One Kafka message of the events topic turned into what the store appends: an event request,
// or a reject record naming the message (docs/kafka-ingest.md). No librdkafka types here, so
// that the decoding is testable on its own; ingest.cc reads the message and calls this.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "codec/json_line_decoder.h"
#include "store/event_store.h"

namespace capledger::stream {

// The header that tells the formats apart, and its values (absent: JSON).
inline constexpr std::string_view kContentTypeHeader = "content-type";
inline constexpr std::string_view kJsonContentType = "application/json";
inline constexpr std::string_view kFlatBuffersContentType = "application/x-capledger-flatbuffers";

// A message as consumed: where it is and what it holds. The views must outlive Decode.
struct MessageRef {
  std::string_view topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::optional<std::string_view> content_type;  // the last content-type header, if any
  std::string_view value;                        // empty for a null value
};

// What a message became: exactly one of the two is set.
struct DecodedMessage {
  std::optional<store::AppendRequest> request;  // for the store to check against the log
  std::optional<store::RejectRecord> reject;    // refused from the message alone
};

// The reject source of a message: "kafka:<topic>/<partition>/<offset>" (its line is offset + 1).
store::InputOrigin MessageOrigin(const MessageRef& message);

// Decodes messages. JSON values go through codec::JsonLineDecoder exactly as `capledger ingest`
// lines do (one trailing newline is allowed); FlatBuffers values are an Envelope as the store
// keeps it (codec::DecodeEnvelope and DecodeBody verify it; seq and hashes are ignored, a
// non-zero recorded_at_us is a requested recorded_at as a JSON backfill's). Not thread-safe.
class MessageDecoder {
 public:
  // `secret` is the region's pseudonym key; it is copied.
  explicit MessageDecoder(std::span<const std::uint8_t> secret);

  DecodedMessage Decode(const MessageRef& message);

 private:
  DecodedMessage DecodeJson(const MessageRef& message, store::InputOrigin origin);
  DecodedMessage DecodeFlatBuffers(const MessageRef& message, store::InputOrigin origin);

  codec::JsonLineDecoder json_;
};

// The meta key of a partition's stored offset: "kafka_offset/<topic>/<partition>".
std::string OffsetKey(std::string_view topic, std::int32_t partition);
// The stored value: the next offset to consume, 8 bytes big-endian; and back (empty if damaged).
std::string EncodeOffset(std::int64_t next_offset);
std::optional<std::int64_t> DecodeOffset(std::string_view bytes);

}  // namespace capledger::stream
