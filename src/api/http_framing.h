// The framing of an HTTP request, checked strictly before anything of its body is read.
//
// cpp-httplib parses leniently: it passes over header lines that end in a bare LF, keeps a name
// written with a space before its colon under another name, and percent-decodes header values
// (`Transfer-Encoding: %63hunked` becomes chunked). It also decompresses a request body whatever
// its size and does not bound a chunked one. A proxy in front of the server may read any of
// these differently, which is how one request is smuggled inside another. So a request is refused
// (and its connection closed by the caller) unless its head is plain HTTP/1.1 and its body, if
// any, is a Content-Length body the server reads whole within its bound.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>

namespace capledger::api {

// Why a request is refused: the HTTP status, the error code of the body, and a message.
struct FramingRefusal {
  int status;
  std::string_view code;
  std::string message;
};

// Checks, in this order:
// - the head as received (`raw_head`, complete when it ended with CRLF CRLF): every line ends in
//   CRLF, no line is folded, every field name is a token directly followed by ':', and the values
//   of Content-Length, Transfer-Encoding and Content-Encoding hold no '%' (400 bad_request);
// - the parsed headers: at most one Content-Length, and a number; no Transfer-Encoding (400
//   bad_request); no Content-Encoding but identity (415 unsupported_encoding); a Content-Length
//   of at most `body_bytes_max` (413 payload_too_large); a body only on a method whose body the
//   library reads, POST, PUT, PATCH, DELETE (400 body_not_allowed); at most one Authorization
//   (400 bad_request).
// Returns the first problem, or nullopt if the request is sound.
std::optional<FramingRefusal> CheckFraming(std::string_view raw_head, bool head_complete,
                                           const httplib::Request& request, std::size_t body_bytes_max);

// True if the request carries a body to read (a Content-Length above 0). REQUIRES CheckFraming
// found nothing.
bool HasBody(const httplib::Request& request);

// How many bytes of body follow a complete raw head (ending CRLF CRLF) that the server should
// receive before a worker takes the request: the value of its one Content-Length when that is a
// plain number of at most `body_bytes_max`, the method is one whose body is read (POST, PUT,
// PATCH, DELETE) and the head asks for no 100 Continue. 0 otherwise: no body, or framing a
// worker refuses at once (a body on GET, two lengths, Transfer-Encoding, too large), or a client
// that waits for the interim answer before it sends its body.
std::size_t BodyToAwait(std::string_view raw_head, std::size_t body_bytes_max);

}  // namespace capledger::api
