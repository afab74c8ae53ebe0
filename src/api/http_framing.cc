#include "api/http_framing.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace capledger::api {
namespace {

using Refusal = std::optional<FramingRefusal>;

Refusal BadRequest(std::string message) { return FramingRefusal{400, "bad_request", std::move(message)}; }

// RFC 9110 §5.6.2: a token character.
bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// One header line of the head: a token name, ':', and a value without '%' where framing depends on it.
Refusal CheckHeaderLine(std::string_view line) {
  if (line.front() == ' ' || line.front() == '\t') return BadRequest("a header line is folded onto the one before");
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return BadRequest("a header line has no field name and ':'");
  const std::string_view name = line.substr(0, colon);
  if (!std::all_of(name.begin(), name.end(), IsTokenChar)) {
    return BadRequest("a header's name is not a token followed directly by ':'");
  }
  const bool framing = SameName(name, "Content-Length") || SameName(name, "Transfer-Encoding") ||
                       SameName(name, "Content-Encoding");
  if (framing && line.substr(colon + 1).find('%') != std::string_view::npos) {
    return BadRequest(fmt::format("the value of {} holds a '%'", name));
  }
  return std::nullopt;
}

Refusal CheckRawHead(std::string_view head, bool complete) {
  if (!complete) return BadRequest("the request head does not end with an empty line (CRLF CRLF)");
  head.remove_suffix(4);  // the CRLF that ends the last line and the empty line
  for (std::size_t number = 0; !head.empty(); ++number) {
    const std::size_t end = std::min(head.find("\r\n"), head.size());
    const std::string_view line = head.substr(0, end);
    if (line.find_first_of("\r\n") != std::string_view::npos) return BadRequest("a line ends in a bare CR or LF");
    if (number > 0) {
      if (line.empty()) return BadRequest("an empty line inside the request head");
      if (auto refusal = CheckHeaderLine(line)) return refusal;
    }
    head.remove_prefix(std::min(head.size(), end + 2));
  }
  return std::nullopt;
}

// The methods whose body cpp-httplib 0.11 reads before the handler runs. Of any other request,
// a body would stay unread on the connection, where it would be taken for the next request.
bool LibraryReadsBody(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// The Content-Length, if the request has one that is a number.
std::optional<std::uint64_t> ContentLength(const httplib::Request& request) {
  const std::string text = request.get_header_value("Content-Length");
  std::uint64_t length = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return length;
}

Refusal CheckHeaders(const httplib::Request& request, std::size_t body_bytes_max) {
  const std::size_t lengths = request.get_header_value_count("Content-Length");
  if (lengths > 1) return BadRequest("the request has more than one Content-Length header");
  if (request.has_header("Transfer-Encoding")) {
    return BadRequest("Transfer-Encoding is not accepted: send a body, if any, with a Content-Length");
  }
  const std::string encoding = request.get_header_value("Content-Encoding");
  if (request.get_header_value_count("Content-Encoding") > 1 || (!encoding.empty() && encoding != "identity")) {
    return FramingRefusal{415, "unsupported_encoding", "request bodies are accepted unencoded only"};
  }
  const auto length = ContentLength(request);
  if (lengths == 1 && !length) return BadRequest("Content-Length is not a number");
  if (length && *length > body_bytes_max) {
    return FramingRefusal{413, "payload_too_large", fmt::format("the request body is larger than {} bytes", body_bytes_max)};
  }
  if (length && *length > 0 && !LibraryReadsBody(request.method)) {
    return FramingRefusal{400, "body_not_allowed", fmt::format("a {} request takes no body", request.method)};
  }
  if (request.get_header_value_count("Authorization") > 1) {
    return BadRequest("the request has more than one Authorization header");
  }
  return std::nullopt;
}

}  // namespace

std::optional<FramingRefusal> CheckFraming(std::string_view raw_head, bool head_complete,
                                           const httplib::Request& request, std::size_t body_bytes_max) {
  if (auto refusal = CheckRawHead(raw_head, head_complete)) return refusal;
  return CheckHeaders(request, body_bytes_max);
}

std::size_t BodyToAwait(std::string_view raw_head, std::size_t body_bytes_max) {
  if (!LibraryReadsBody(raw_head.substr(0, raw_head.find(' ')))) return 0;  // a body here is refused
  std::optional<std::string_view> length_text;
  for (std::size_t at = raw_head.find("\r\n"); at != std::string_view::npos && at + 2 < raw_head.size();) {
    const std::size_t end = raw_head.find("\r\n", at + 2);
    if (end == std::string_view::npos) break;
    const std::string_view line = raw_head.substr(at + 2, end - at - 2);
    at = end;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    if (SameName(name, "Expect") || SameName(name, "Transfer-Encoding")) return 0;
    if (!SameName(name, "Content-Length")) continue;
    if (length_text) return 0;  // two lengths: refused
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    length_text = value;
  }
  if (!length_text) return 0;
  std::uint64_t length = 0;
  const auto [end, error] = std::from_chars(length_text->data(), length_text->data() + length_text->size(), length);
  if (error != std::errc{} || end != length_text->data() + length_text->size() || length > body_bytes_max) return 0;
  return static_cast<std::size_t>(length);
}

bool HasBody(const httplib::Request& request) {
  const auto length = ContentLength(request);
  return length && *length > 0;
}

}  // namespace capledger::api
