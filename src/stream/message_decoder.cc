#include "stream/message_decoder.h"

#include <cctype>

#include <fmt/format.h>

#include "codec/flatbuffer_codec.h"
#include "codec/personnummer_scan.h"
#include "common/limits.h"

namespace capledger::stream {
namespace {

using codec::RejectCode;

// The media type of a header value: lower case, without parameters ("; charset=utf-8") or blanks.
std::string MediaType(std::string_view value) {
  value = value.substr(0, value.find(';'));
  std::string type;
  for (char c : value) {
    if (c != ' ' && c != '\t') type.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return type;
}

DecodedMessage Rejected(store::InputOrigin origin, RejectCode code, std::string field, std::string message) {
  DecodedMessage decoded;
  decoded.reject = store::RejectRecord{std::move(origin), codec::Rejection{code, std::move(field), std::move(message)}, {}};
  return decoded;
}

// The id rule of JSON input (docs/events.md): 1-128 printable ASCII characters.
}  // namespace

store::InputOrigin MessageOrigin(const MessageRef& message) {
  return store::InputOrigin{fmt::format("kafka:{}/{}/{}", message.topic, message.partition, message.offset),
                            static_cast<std::uint64_t>(message.offset) + 1,
                            std::string(message.value.substr(0, limits::kRejectRawBytesMax))};
}

MessageDecoder::MessageDecoder(std::span<const std::uint8_t> secret) : json_(secret) {}

DecodedMessage MessageDecoder::Decode(const MessageRef& message) {
  store::InputOrigin origin = MessageOrigin(message);
  const std::string type = message.content_type ? MediaType(*message.content_type) : std::string(kJsonContentType);
  if (type == kJsonContentType) return DecodeJson(message, std::move(origin));
  if (type == kFlatBuffersContentType) return DecodeFlatBuffers(message, std::move(origin));
  return Rejected(std::move(origin), RejectCode::kUnknownContentType, std::string(kContentTypeHeader),
                  fmt::format("content-type must be {} or {}", kJsonContentType, kFlatBuffersContentType));
}

DecodedMessage MessageDecoder::DecodeJson(const MessageRef& message, store::InputOrigin origin) {
  std::string_view line = message.value;
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  auto decoded = json_.Decode(line);
  DecodedMessage result;
  if (!decoded) {
    result.reject = store::RejectRecord{std::move(origin), std::move(decoded.error()), {}};
  } else {
    result.request = store::AppendRequest{std::move(decoded->event), decoded->recorded_at, std::move(origin)};
  }
  return result;
}

DecodedMessage MessageDecoder::DecodeFlatBuffers(const MessageRef& message, store::InputOrigin origin) {
  // DecodeEnvelope reads in place and needs 8-byte alignment: std::string's buffer has it.
  const std::string bytes(message.value);
  auto envelope = codec::DecodeEnvelope(bytes);
  if (!envelope) return Rejected(std::move(origin), RejectCode::kInvalidEnvelope, "", envelope.error().message);
  auto body = codec::DecodeBody(envelope->body);
  if (!body) return Rejected(std::move(origin), RejectCode::kInvalidEnvelope, "body", body.error().message);
  const domain::EventType type = domain::TypeOf(*body);
  if (static_cast<std::uint8_t>(type) != envelope->type) {
    return Rejected(std::move(origin), RejectCode::kInvalidEnvelope, "type",
                    fmt::format("the envelope names type {} but its body is a {}", envelope->type,
                                domain::EventTypeName(type)));
  }
  if (domain::IsLedgerType(type)) {
    return Rejected(std::move(origin), RejectCode::kReservedType, "type",
                    fmt::format("{} events are appended by the ledger only", domain::EventTypeName(type)));
  }
  auto id = domain::EventId::Parse(envelope->id);
  if (!id) return Rejected(std::move(origin), RejectCode::kInvalidId, "id", "id must be 1-128 printable ASCII characters");
  // A stored rulebook may predate provenance; one published now must say who decided it.
  if (const auto* published = std::get_if<domain::RulebookPublished>(&*body); published && !published->rulebook.provenance) {
    return Rejected(std::move(origin), RejectCode::kMissingField, "rulebook.decided_by",
                    "a rulebook published now must say who decided it and when (decided_by, decided_on)");
  }
  DecodedMessage result;
  store::AppendRequest request;
  request.event = domain::Event{*id, std::string(envelope->source), std::move(*body)};
  if (auto field = codec::FieldHoldingPersonnummer(request.event)) {
    return Rejected(std::move(origin), RejectCode::kPersonnummerInField, *field,
                    "holds a personnummer or samordningsnummer; only a resident's pseudonym may be stored");
  }
  if (envelope->recorded_at_us != 0) request.recorded_at = FromMicros(envelope->recorded_at_us);
  request.origin = std::move(origin);
  result.request = std::move(request);
  return result;
}

std::string OffsetKey(std::string_view topic, std::int32_t partition) {
  return fmt::format("kafka_offset/{}/{}", topic, partition);
}

std::string EncodeOffset(std::int64_t next_offset) {
  std::string bytes(8, '\0');
  auto value = static_cast<std::uint64_t>(next_offset);
  for (int i = 7; i >= 0; --i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return bytes;
}

std::optional<std::int64_t> DecodeOffset(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : bytes) value = (value << 8) | static_cast<unsigned char>(c);
  const auto offset = static_cast<std::int64_t>(value);
  if (offset < 0) return std::nullopt;
  return offset;
}

}  // namespace capledger::stream
