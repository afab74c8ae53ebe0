// One accepted connection of the HTTP server, as the byte stream cpp-httplib parses requests
// from, with the bounds the library's own stream lacks (api/http_server.h says how they are used):
//
// - One read buffer for the whole connection, so that bytes a client sent after one request (a
//   pipelined request, or the unread remainder of a refused one) are neither lost nor mistaken
//   for the start of a request the server never framed.
// - A deadline for a whole request: its head and body must arrive within the read timeout,
//   however steadily the bytes trickle in (a per-read timeout lets a byte a second go on forever).
// - A budget of bytes for a whole request (the library grows a header line until it sees its
//   end, and counts no headers), so that no client makes the server hold more than that.
// - The request's head as received, for the server to check its framing strictly (the library
//   is lenient: it passes over lines that end in a bare LF and percent-decodes header values).
// - A deadline for a whole response, started by its first byte (not by an interim 100 Continue).
// - The server's stop signals: waiting for a next request ends as soon as the server stops, and
//   reading a request ends when the drain time is over.
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <string>

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

// The stream over one connected socket. It does not own the socket. Used by one thread at a time
// (the worker serving the connection). `signals` must outlive it.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int fd, const ConnectionBounds& bounds, const ConnectionSignals& signals);

  // Waits until the next request's first byte is here (true), or until the connection ends,
  // stays idle for the keep-alive time, or the server stops (false). Then starts the request's
  // clock, its byte budget and its head.
  bool AwaitRequest();

  // The request's head as received so far: complete once it ends with an empty line (CRLF CRLF)
  // within kRequestHeadBytesMax bytes.
  std::string_view head() const { return head_; }
  bool head_complete() const { return head_complete_; }

  // httplib::Stream. Reads fail (-1) at the request's deadline, beyond its byte budget, or once
  // `closing` is raised; writes fail at the response's deadline.
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

 private:
  using Clock = std::chrono::steady_clock;
  bool Fill();  // reads more into the buffer, waiting until the request's deadline
  void KeepHead(const char* bytes, std::size_t size);  // while the head is incomplete

  const int fd_;
  const ConnectionBounds bounds_;
  const ConnectionSignals& signals_;
  Clock::time_point request_deadline_;
  Clock::time_point response_deadline_;
  bool response_started_ = false;
  std::size_t request_bytes_ = 0;  // bytes of the current request taken so far
  std::string head_;
  bool head_complete_ = false;
  std::array<char, 4096> buffer_{};
  std::size_t begin_ = 0;  // buffer_[begin_, end_) is read from the socket and not yet taken
  std::size_t end_ = 0;
};

}  // namespace capledger::api
