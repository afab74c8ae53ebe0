#include "api/http_gate.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/api.h"
#include "common/assert.h"

namespace capledger::api {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kLinger = std::chrono::milliseconds(200);
constexpr std::size_t kLingerBytesMax = 64 * 1024;
constexpr int kWaitMaxMs = 1'000;

// The answer the gate gives itself when the workers' queue is full.
std::string BusyResponse() {
  const std::string body = HttpErrorJson("busy", "the server is answering as many requests as it can; try again shortly");
  return fmt::format(
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {}\r\n"
      "Retry-After: 1\r\nConnection: close\r\n\r\n{}",
      body.size(), body);
}

}  // namespace

Result<std::unique_ptr<ConnectionGate>> ConnectionGate::Create(const ConnectionBounds& bounds,
                                                               const ConnectionSignals& signals,
                                                               const GateLimits& limits, Handoff handoff) {
  const int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  const int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event wake{};
  wake.events = EPOLLIN;
  wake.data.fd = wake_fd;
  if (epoll_fd < 0 || wake_fd < 0 || ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &wake) != 0) {
    if (epoll_fd >= 0) ::close(epoll_fd);
    if (wake_fd >= 0) ::close(wake_fd);
    return Fail(ErrorCode::kIoError, "cannot create the HTTP server's connection gate (epoll): no file descriptors left?");
  }
  return std::unique_ptr<ConnectionGate>(new ConnectionGate(bounds, signals, limits, std::move(handoff), epoll_fd, wake_fd));
}

ConnectionGate::ConnectionGate(const ConnectionBounds& bounds, const ConnectionSignals& signals,
                               const GateLimits& limits, Handoff handoff, int epoll_fd, int wake_fd)
    : bounds_(bounds), signals_(signals), limits_(limits), handoff_(std::move(handoff)), epoll_fd_(epoll_fd),
      wake_fd_(wake_fd), counts_(std::make_shared<GateCounts>()) {}

ConnectionGate::~ConnectionGate() {
  for (auto& [fd, held] : held_) CloseSocket(fd);
  for (auto& arrived : inbox_) CloseSocket(arrived.fd);
  ::close(epoll_fd_);
  ::close(wake_fd_);
}

void ConnectionGate::CloseSocket(int fd) {
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
  LEDGER_ASSERT(counts_->open.load() > 0);
  --counts_->open;
}

void ConnectionGate::Post(Arrived arrived) {
  const int fd = arrived.fd;
  bool posted = false;
  {
    std::lock_guard lock(inbox_mutex_);
    if (!over_) {
      inbox_.push_back(std::move(arrived));
      posted = true;
    }
  }
  if (!posted) {  // Run is over: nothing more is served
    CloseSocket(fd);
    return;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof(one));
}

void ConnectionGate::Add(int fd) {
  ++counts_->open;
  ++counts_->accepted;
  Post({Kind::kAdd, fd, nullptr});
}

void ConnectionGate::Return(std::unique_ptr<Connection> connection) {
  const int fd = connection->fd;
  Post({Kind::kReturn, fd, std::move(connection)});
}

void ConnectionGate::Refuse(std::unique_ptr<Connection> connection) {
  const int fd = connection->fd;
  Post({Kind::kRefuse, fd, std::move(connection)});
}

void ConnectionGate::Close(std::unique_ptr<Connection> connection) { CloseSocket(connection->fd); }

void ConnectionGate::Stop() {
  {
    std::lock_guard lock(inbox_mutex_);
    stop_requested_ = true;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof(one));
}

void ConnectionGate::TakeInbox() {
  std::vector<Arrived> arrived;
  bool stop = false;
  {
    std::lock_guard lock(inbox_mutex_);
    arrived.swap(inbox_);
    stop = stop_requested_;
  }
  if (stop && !draining_) BeginDrain();
  for (auto& item : arrived) {
    switch (item.kind) {
      case Kind::kAdd:
        if (draining_) {
          CloseSocket(item.fd);
          break;
        }
        if (counts_->open.load() > limits_.connections_max && !MakeRoom()) {
          ++counts_->evicted;  // every other connection is with the workers: this one is turned away
          CloseSocket(item.fd);
          break;
        }
        Admit(std::make_unique<Connection>(item.fd, bounds_, signals_, limits_.body_bytes_max));
        break;
      case Kind::kReturn:
        if (draining_) {
          CloseSocket(item.fd);
          break;
        }
        Admit(std::move(item.connection));
        break;
      case Kind::kRefuse:
        Linger(std::move(item.connection));
        break;
    }
  }
}

void ConnectionGate::Admit(std::unique_ptr<Connection> connection) {
  switch (connection->stream.arrival()) {
    case ConnectionStream::Arrival::kWhole:
      Pass(std::move(connection));
      return;
    case ConnectionStream::Arrival::kTooLarge:
      ++counts_->too_large;
      CloseSocket(connection->fd);
      return;
    case ConnectionStream::Arrival::kPartial: {
      const auto deadline = connection->stream.request_deadline();
      Watch(std::move(connection), State::kReceiving, deadline);
      return;
    }
    case ConnectionStream::Arrival::kNothing:
      Watch(std::move(connection), State::kIdle, Clock::now() + limits_.keep_alive);
      return;
  }
}

void ConnectionGate::Watch(std::unique_ptr<Connection> connection, State state, Clock::time_point deadline) {
  const int fd = connection->fd;
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP;
  event.data.fd = fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
    spdlog::warn("an HTTP connection could not be watched (epoll: {}); it is closed", errno);
    CloseSocket(fd);
    return;
  }
  held_.emplace(fd, Held{std::move(connection), state, deadline, Clock::now(), 0});
}

std::unique_ptr<Connection> ConnectionGate::Detach(int fd) {
  auto it = held_.find(fd);
  LEDGER_ASSERT(it != held_.end());
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  auto connection = std::move(it->second.connection);
  held_.erase(it);
  return connection;
}

void ConnectionGate::Drop(int fd) {
  Detach(fd);
  CloseSocket(fd);
}

void ConnectionGate::Pass(std::unique_ptr<Connection> connection) {
  if (draining_ && signals_.closing.raised()) {
    CloseSocket(connection->fd);
    return;
  }
  if (handoff_(connection)) return;
  Busy(std::move(connection));
}

void ConnectionGate::Busy(std::unique_ptr<Connection> connection) {
  ++counts_->busy;
  static const std::string response = BusyResponse();
  // A new socket's send buffer holds far more than this; what does not fit is not waited for.
  [[maybe_unused]] const ssize_t sent = ::send(connection->fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  Linger(std::move(connection));
}

void ConnectionGate::Linger(std::unique_ptr<Connection> connection) {
  ::shutdown(connection->fd, SHUT_WR);
  Watch(std::move(connection), State::kLingering, Clock::now() + kLinger);
}

void ConnectionGate::OnReadable(int fd) {
  auto it = held_.find(fd);
  if (it == held_.end()) return;  // closed earlier in this round
  Held& held = it->second;
  if (held.state == State::kLingering) {
    char scratch[4096];
    const ssize_t n = ::recv(fd, scratch, sizeof(scratch), MSG_DONTWAIT);
    if (n > 0) held.drained += static_cast<std::size_t>(n);
    const bool again = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
    if ((n <= 0 && !again) || held.drained >= kLingerBytesMax) Drop(fd);
    return;
  }
  ConnectionStream& stream = held.connection->stream;
  const ConnectionStream::Received received = stream.Receive();
  switch (stream.arrival()) {
    case ConnectionStream::Arrival::kWhole:
      Pass(Detach(fd));  // a client that sent a request and closed its side still gets the answer
      return;
    case ConnectionStream::Arrival::kTooLarge:
      ++counts_->too_large;
      Drop(fd);
      return;
    case ConnectionStream::Arrival::kPartial:
    case ConnectionStream::Arrival::kNothing:
      break;
  }
  if (received == ConnectionStream::Received::kEnded) {
    Drop(fd);
    return;
  }
  if (received == ConnectionStream::Received::kData && held.state == State::kIdle) {
    held.state = State::kReceiving;
    held.deadline = stream.request_deadline();
  }
}

bool ConnectionGate::MakeRoom() {
  // Lingering ones are already refused; of the rest the longest waiting goes, whatever it has sent:
  // ranking the silent first would close a new client whose request is still on its way.
  auto rank = [](const Held& held) { return held.state == State::kLingering ? 0 : 1; };
  auto victim = held_.end();
  for (auto it = held_.begin(); it != held_.end(); ++it) {
    if (victim == held_.end() ||
        std::pair(rank(it->second), it->second.since) < std::pair(rank(victim->second), victim->second.since)) {
      victim = it;
    }
  }
  if (victim == held_.end()) return false;
  ++counts_->evicted;
  Drop(victim->first);
  return true;
}

int ConnectionGate::Sweep() {
  const auto now = Clock::now();
  std::vector<int> expired;
  auto next = now + std::chrono::milliseconds(kWaitMaxMs);
  for (const auto& [fd, held] : held_) {
    if (held.deadline <= now) {
      expired.push_back(fd);
    } else {
      next = std::min(next, held.deadline);
    }
  }
  for (int fd : expired) {
    if (held_.at(fd).state == State::kReceiving) ++counts_->timed_out;
    Drop(fd);
  }
  if (draining_) next = std::min(next, drain_deadline_);
  return static_cast<int>(std::max<std::int64_t>(0, std::chrono::ceil<std::chrono::milliseconds>(next - now).count()));
}

void ConnectionGate::BeginDrain() {
  draining_ = true;
  drain_deadline_ = Clock::now() + limits_.drain;
  std::vector<int> idle;
  for (const auto& [fd, held] : held_) {
    if (held.state == State::kIdle) idle.push_back(fd);
  }
  for (int fd : idle) Drop(fd);
}

bool ConnectionGate::Drained() const {
  if (Clock::now() >= drain_deadline_) return true;
  return std::none_of(held_.begin(), held_.end(), [](const auto& entry) { return entry.second.state == State::kReceiving; });
}

void ConnectionGate::Run() {
  std::vector<epoll_event> events(256);
  for (;;) {
    TakeInbox();
    const int wait_ms = Sweep();
    if (draining_ && Drained()) break;
    const int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), wait_ms);
    if (n < 0 && errno != EINTR) {
      spdlog::error("the HTTP connection gate cannot wait for its connections (epoll: {}); it drains", errno);
      Stop();
    }
    for (int i = 0; i < n; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      if (fd == wake_fd_) {
        std::uint64_t count = 0;
        [[maybe_unused]] const ssize_t read = ::read(wake_fd_, &count, sizeof(count));
        continue;
      }
      OnReadable(fd);
    }
  }
  std::vector<int> left;
  for (const auto& [fd, held] : held_) left.push_back(fd);
  for (int fd : left) Drop(fd);
  std::vector<Arrived> arrived;
  {
    std::lock_guard lock(inbox_mutex_);
    over_ = true;
    arrived.swap(inbox_);
  }
  for (auto& item : arrived) CloseSocket(item.fd);
}

}  // namespace capledger::api
