// One accepted connection of the HTTP server, as the byte stream cpp-httplib parses requests
// from, with the bounds the library's own stream lacks (api/http_server.h says how they are used):
//
// - One buffer for the whole connection, so that bytes a client sent after one request (a
//   pipelined request, or the unread remainder of a refused one) are neither lost nor mistaken
//   for the start of a request the server never framed.
// - A deadline for a whole request: its head and body must arrive within the read timeout,
//   however steadily the bytes trickle in (a per-read timeout lets a byte a second go on forever).
// - A budget of bytes for a whole request (the library grows a header line until it sees its
//   end, and counts no headers), so that no client makes the server hold more than that.
// - The request's head as received, for the server to check its framing strictly (the library
//   is lenient: it passes over lines that end in a bare LF and percent-decodes header values).
// - A deadline for a whole response, started by its first byte (not by an interim 100 Continue).
// - Whether the next request has arrived whole, told without waiting (Receive, arrival), so that
//   the server's gate holds a connection until then and no worker waits for a slow client.
// - The server's stop signal: reading a request ends when the drain time is over.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include <httplib.h>

namespace capledger::api {

// A signal any number of threads can wait for in poll(2): an eventfd that, once raised, stays
// readable. Raise is idempotent and thread-safe.
class PollSignal {
 public:
  PollSignal();  // check ok(): creating the eventfd can fail (no file descriptors left)
  ~PollSignal();
  PollSignal(const PollSignal&) = delete;
  PollSignal& operator=(const PollSignal&) = delete;

  bool ok() const { return fd_ >= 0; }
  void Raise();
  bool raised() const;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// The signals every connection of one server watches.
struct ConnectionSignals {
  PollSignal stopping;  // the server stops: no next request is awaited
  PollSignal closing;   // the drain time is over: no request is read further
  bool ok() const { return stopping.ok() && closing.ok(); }
};

// The most bytes of a request's head (request line and headers) a stream keeps to be checked.
inline constexpr std::size_t kRequestHeadBytesMax = 64 * 1024;

// The time limits of a connection (HttpOptions in milliseconds).
struct ConnectionBounds {
  std::chrono::milliseconds request{5'000};     // to receive one request whole
  std::chrono::milliseconds response{5'000};    // to send one response whole
  std::chrono::milliseconds keep_alive{2'000};  // to wait for the next request
  std::size_t request_bytes_max = kRequestHeadBytesMax + 16 * 1024;  // head and body of one request
};

// The stream over one connected socket, and the bytes received on it that no request has taken
// yet. It does not own the socket. Used by one thread at a time: the gate while a request
// arrives (api/http_gate.h), then the worker serving it. `signals` must outlive it.
class ConnectionStream final : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;

  // `body_bytes_max`: the largest body whose arrival Receive waits for (HttpOptions).
  ConnectionStream(int fd, const ConnectionBounds& bounds, const ConnectionSignals& signals,
                   std::size_t body_bytes_max);

  // What a receive without waiting found.
  enum class Received {
    kData,     // bytes were added
    kNothing,  // none are there (or the request's budget is buffered already)
    kEnded,    // the client closed its side, or the socket failed
  };
  // Takes what the socket holds now, never waiting, while fewer than the request's budget of
  // bytes are buffered. The first byte after StartRequest's reset starts the request's clock.
  Received Receive();

  // What the buffered bytes hold of the next request.
  enum class Arrival {
    kNothing,   // no byte of it
    kPartial,   // a part: its head is unfinished, or its awaited body (BodyToAwait) is
    kWhole,     // a head that ends with an empty line and the body it awaits: a worker takes it
    kTooLarge,  // no end of the head within kRequestHeadBytesMax bytes
  };
  Arrival arrival() const { return arrival_; }

  // Ends the request served (a worker calls this after answering): the next byte begins another,
  // with its own clock, byte budget and head. Bytes already buffered (a pipelined request) begin
  // it at once.
  void NextRequest();

  // When the request being received must be whole (set by its first byte).
  Clock::time_point request_deadline() const { return request_deadline_; }

  // The request's head as received so far: complete once it ends with an empty line (CRLF CRLF)
  // within kRequestHeadBytesMax bytes.
  std::string_view head() const { return head_; }
  bool head_complete() const { return head_complete_; }

  // httplib::Stream. Reads take the buffered bytes first, then wait for more until the request's
  // deadline; they fail (-1) at the deadline, beyond the byte budget, or once `closing` is raised.
  // Writes fail at the response's deadline.
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

 private:
  bool Fill();  // reads more into the buffer, waiting until the request's deadline
  void KeepHead(const char* bytes, std::size_t size);  // while the head is incomplete
  void StartClock();  // the request's first byte is buffered
  void Examine();     // updates arrival_ from the bytes buffered since the last look
  std::size_t buffered() const { return buffer_.size() - begin_; }

  const int fd_;
  const ConnectionBounds bounds_;
  const ConnectionSignals& signals_;
  const std::size_t body_bytes_max_;
  Clock::time_point request_deadline_;
  Clock::time_point response_deadline_;
  bool started_ = false;  // the request's clock runs
  bool response_started_ = false;
  std::size_t request_bytes_ = 0;  // bytes of the current request taken so far
  std::string head_;
  bool head_complete_ = false;
  std::string buffer_;     // buffer_[begin_, end) is received and not yet taken
  std::size_t begin_ = 0;
  Arrival arrival_ = Arrival::kNothing;
  std::size_t scanned_ = 0;  // bytes after begin_ searched for the end of the head
};

}  // namespace capledger::api
