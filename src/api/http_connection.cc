#include "api/http_connection.h"

#include "api/http_framing.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>


namespace capledger::api {
namespace {

using Clock = std::chrono::steady_clock;

// What a wait for a socket ended with.
enum class Wait { kReady, kTimedOut, kSignalled, kFailed };

// Waits until `fd` has `events`, `signal` is raised (-1: none) or `deadline` passes. A raised
// signal wins over a ready socket.
Wait WaitFor(int fd, short events, int signal, Clock::time_point deadline) {
  for (int interrupted = 0; interrupted < 1'000; ++interrupted) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Wait::kTimedOut;
    pollfd fds[2] = {{fd, events, 0}, {signal, POLLIN, 0}};
    const int n = ::poll(fds, signal >= 0 ? 2 : 1, static_cast<int>(std::min<std::int64_t>(left.count(), 60'000)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Wait::kFailed;
    if (signal >= 0 && (fds[1].revents & POLLIN)) return Wait::kSignalled;
    if (fds[0].revents & (events | POLLERR | POLLHUP)) return Wait::kReady;
    if (fds[0].revents & POLLNVAL) return Wait::kFailed;
  }
  return Wait::kFailed;
}

void AddressOf(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof(text));
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof(text));
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

}  // namespace

PollSignal::PollSignal() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

PollSignal::~PollSignal() {
  if (fd_ >= 0) ::close(fd_);
}

void PollSignal::Raise() {
  const std::uint64_t one = 1;
  // The counter only grows by one per call; it cannot reach its maximum, so the write succeeds.
  [[maybe_unused]] const ssize_t written = ::write(fd_, &one, sizeof(one));
}

bool PollSignal::raised() const {
  pollfd fds{fd_, POLLIN, 0};
  return ::poll(&fds, 1, 0) == 1;
}

ConnectionStream::ConnectionStream(int fd, const ConnectionBounds& bounds, const ConnectionSignals& signals,
                                   std::size_t body_bytes_max)
    : fd_(fd), bounds_(bounds), signals_(signals), body_bytes_max_(body_bytes_max) {}

void ConnectionStream::StartClock() {
  started_ = true;
  request_deadline_ = Clock::now() + bounds_.request;
  response_started_ = false;
  request_bytes_ = 0;
  head_.clear();
  head_complete_ = false;
}

void ConnectionStream::NextRequest() {
  started_ = false;
  if (begin_ == buffer_.size()) {
    buffer_.clear();
    begin_ = 0;
    if (buffer_.capacity() > 16 * 1024) buffer_.shrink_to_fit();  // an idle connection keeps little
  } else {
    buffer_.erase(0, begin_);
    begin_ = 0;
  }
  scanned_ = 0;
  arrival_ = Arrival::kNothing;
  if (!buffer_.empty()) {
    StartClock();
    Examine();
  }
}

ConnectionStream::Received ConnectionStream::Receive() {
  const std::size_t room = bounds_.request_bytes_max > buffered() ? bounds_.request_bytes_max - buffered() : 0;
  if (room == 0) return Received::kNothing;
  const std::size_t old_size = buffer_.size();
  buffer_.resize(old_size + std::min<std::size_t>(room, 16 * 1024));
  ssize_t n = -1;
  do {
    n = ::recv(fd_, buffer_.data() + old_size, buffer_.size() - old_size, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  buffer_.resize(old_size + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
  if (n == 0) return Received::kEnded;
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? Received::kNothing : Received::kEnded;
  if (!started_) StartClock();
  Examine();
  return Received::kData;
}

void ConnectionStream::Examine() {
  const std::string_view pending(buffer_.data() + begin_, buffered());
  if (pending.empty()) {
    arrival_ = Arrival::kNothing;
    return;
  }
  const std::size_t from = scanned_ < 3 ? 0 : scanned_ - 3;
  const std::size_t head_end = pending.substr(0, kRequestHeadBytesMax).find("\r\n\r\n", from);
  if (head_end == std::string_view::npos) {
    scanned_ = pending.size();
    arrival_ = pending.size() >= kRequestHeadBytesMax ? Arrival::kTooLarge : Arrival::kPartial;
    return;
  }
  scanned_ = head_end;  // found again at once next time
  const std::size_t body = BodyToAwait(pending.substr(0, head_end + 4), body_bytes_max_);
  arrival_ = pending.size() >= head_end + 4 + body ? Arrival::kWhole : Arrival::kPartial;
}

void ConnectionStream::KeepHead(const char* bytes, std::size_t size) {
  const std::size_t searched_from = head_.size() < 3 ? 0 : head_.size() - 3;
  head_.append(bytes, std::min(size, kRequestHeadBytesMax - head_.size()));
  const std::size_t end = head_.find("\r\n\r\n", searched_from);
  if (end != std::string::npos) {
    head_.resize(end + 4);  // what follows is the body
    head_complete_ = true;
  }
}

bool ConnectionStream::Fill() {
  for (int spurious = 0; spurious < 1'000; ++spurious) {
    if (WaitFor(fd_, POLLIN, signals_.closing.fd(), request_deadline_) != Wait::kReady) return false;
    const std::size_t old_size = buffer_.size();
    buffer_.resize(old_size + 4096);
    const ssize_t n = ::recv(fd_, buffer_.data() + old_size, 4096, MSG_DONTWAIT);
    buffer_.resize(old_size + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    if (n == 0) return false;  // the client closed its side
    if (n > 0) return true;
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
  }
  return false;
}

bool ConnectionStream::is_readable() const {
  return buffered() > 0 || WaitFor(fd_, POLLIN, signals_.closing.fd(), request_deadline_) == Wait::kReady;
}

bool ConnectionStream::is_writable() const {
  return WaitFor(fd_, POLLOUT, -1, response_started_ ? response_deadline_ : Clock::now() + bounds_.response) ==
         Wait::kReady;
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (request_bytes_ >= bounds_.request_bytes_max) return -1;
  if (!started_) StartClock();  // a worker reads a request the gate did not receive
  if (buffered() == 0 && !Fill()) return -1;
  const std::size_t n = std::min({size, buffered(), bounds_.request_bytes_max - request_bytes_});
  std::memcpy(ptr, buffer_.data() + begin_, n);
  begin_ += n;
  request_bytes_ += n;
  if (!head_complete_ && head_.size() < kRequestHeadBytesMax) KeepHead(ptr, n);
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  // An interim answer (100 Continue) comes before the body is read and the handler runs: the
  // response's own clock starts with its first byte after it.
  const bool interim = std::string_view(ptr, size).starts_with("HTTP/1.1 1");
  if (!response_started_) response_deadline_ = Clock::now() + bounds_.response;
  if (!response_started_ && !interim) response_started_ = true;
  // Never blocks in send: a client that reads slowly gets what fits, and the rest waits for
  // room in poll, within the response's deadline.
  for (int spurious = 0; spurious < 1'000; ++spurious) {
    if (WaitFor(fd_, POLLOUT, -1, response_deadline_) != Wait::kReady) return -1;
    const ssize_t n = ::send(fd_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) return n;
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
  }
  return -1;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) AddressOf(address, ip, port);
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) AddressOf(address, ip, port);
}

}  // namespace capledger::api
