// The HTTP server's gate: one thread with epoll that holds every connection while it waits for
// its next request and while that request arrives, so that a worker only ever takes a request
// that is whole (its head and the body it declares). A client that trickles a header, sends
// nothing, or keeps a connection idle holds a few kilobytes here, never a worker.
//
// Bounds it keeps:
// - at most `connections_max` open connections in the whole server. A new one beyond that
//   closes a held connection: one lingering after a refusal first, else the one that has waited
//   longest for its request, silent or trickling alike. So a new client is let in, a crowd of
//   idle or slow ones cannot lock it out, and each connection keeps its place until `connections`
//   newer ones have come. A connection whose request is still on its way is never closed
//   before the older ones for having sent nothing yet. Only when every other connection is
//   queued or being served is the new one closed;
// - an idle connection is closed after `keep_alive`; a request must arrive whole within the
//   request time (ConnectionBounds) from its first byte, and within kRequestHeadBytesMax bytes of
//   head, or its connection is closed unanswered;
// - when the workers' queue is full, a whole request is answered 503 `busy` with Retry-After at
//   once, from the gate, and its connection closed;
// - a refused connection is closed lingering: its sending side first, then what the client
//   still sends is read and dropped, for at most 200 ms and 64 KiB, so that the refusal is not
//   lost to a reset.
// On Stop the gate closes every idle connection at once, gives requests still arriving until the
// drain time, then closes them and returns from Run.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "api/http_connection.h"
#include "common/error.h"

namespace capledger::api {

// One open connection and what was received on it. Owned by the gate or by one worker at a time.
struct Connection {
  Connection(int socket, const ConnectionBounds& bounds, const ConnectionSignals& signals, std::size_t body_bytes_max)
      : fd(socket), stream(socket, bounds, signals, body_bytes_max) {}
  const int fd;
  ConnectionStream stream;
  std::size_t served = 0;  // requests answered on it
};

// The gate's own bounds (from HttpOptions).
struct GateLimits {
  std::size_t connections_max = 1'024;
  std::chrono::milliseconds keep_alive{2'000};
  std::chrono::milliseconds drain{2'000};
  std::size_t body_bytes_max = 16 * 1024;
};

// What the gate has done since it started, for the server's metrics.
struct GateCounts {
  std::atomic<std::size_t> open{0};  // connections open in the whole server now
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> evicted{0};    // closed to make room for a new connection
  std::atomic<std::uint64_t> timed_out{0};  // a request that did not arrive whole in time
  std::atomic<std::uint64_t> too_large{0};  // a head beyond kRequestHeadBytesMax
  std::atomic<std::uint64_t> busy{0};       // answered 503: the workers' queue was full
};

class ConnectionGate {
 public:
  // Gives the workers a connection whose next request is whole. false if they have no room
  // (the connection is left as it was).
  using Handoff = std::function<bool(std::unique_ptr<Connection>&)>;

  // kIoError if epoll or its wake-up cannot be created (no file descriptors left).
  static Result<std::unique_ptr<ConnectionGate>> Create(const ConnectionBounds& bounds, const ConnectionSignals& signals,
                                                        const GateLimits& limits, Handoff handoff);
  ~ConnectionGate();  // closes what it still holds; REQUIRES Run has returned or never ran
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // The gate's loop, on its own thread, until Stop's drain is over.
  void Run();

  // Any thread. A socket just accepted; the gate owns it from now on.
  void Add(int fd);
  // Any thread. A worker's connection after an answer, to wait for its next request (a
  // pipelined one already buffered goes on at once). Closed if the gate is stopping.
  void Return(std::unique_ptr<Connection> connection);
  // Any thread. A connection after a refusal: closed lingering (see the header comment).
  void Refuse(std::unique_ptr<Connection> connection);
  // Any thread. Closes a connection now.
  void Close(std::unique_ptr<Connection> connection);

  // Any thread. Begins the drain; Run returns once no request is arriving or the drain is over.
  void Stop();

  // Connections open in the whole server: held here, queued, or being served.
  std::size_t open() const { return counts_->open.load(); }
  const GateCounts& counts() const { return *counts_; }
  // The counts, shared: they outlive the gate for whoever holds this (the metrics).
  std::shared_ptr<const GateCounts> shared_counts() const { return counts_; }

 private:
  enum class State { kIdle, kReceiving, kLingering };
  struct Held {
    std::unique_ptr<Connection> connection;
    State state;
    std::chrono::steady_clock::time_point deadline;
    std::chrono::steady_clock::time_point since;  // when the gate took it for its current wait
    std::size_t drained = 0;  // bytes read and dropped while lingering
  };
  enum class Kind { kAdd, kReturn, kRefuse };
  struct Arrived {
    Kind kind;
    int fd;
    std::unique_ptr<Connection> connection;
  };

  ConnectionGate(const ConnectionBounds& bounds, const ConnectionSignals& signals, const GateLimits& limits,
                 Handoff handoff, int epoll_fd, int wake_fd);
  void Post(Arrived arrived);        // into the inbox, and wake the loop; closes if Run is over
  void TakeInbox();                  // on the gate's thread
  void Admit(std::unique_ptr<Connection> connection);  // a new or returned connection
  void Watch(std::unique_ptr<Connection> connection, State state, std::chrono::steady_clock::time_point deadline);
  void OnReadable(int fd);
  void Linger(std::unique_ptr<Connection> connection);
  void Busy(std::unique_ptr<Connection> connection);
  void Pass(std::unique_ptr<Connection> connection);  // to the workers, or Busy
  std::unique_ptr<Connection> Detach(int fd);
  void Drop(int fd);                 // closes a held connection
  bool MakeRoom();  // at connections_max: closes the held connection waiting longest; false if none is held
  int Sweep();                       // closes what is past its deadline; the ms to the next one
  void BeginDrain();
  bool Drained() const;
  void CloseSocket(int fd);

  const ConnectionBounds bounds_;
  const ConnectionSignals& signals_;
  const GateLimits limits_;
  const Handoff handoff_;
  const int epoll_fd_;
  const int wake_fd_;
  std::unordered_map<int, Held> held_;
  const std::shared_ptr<GateCounts> counts_;
  bool draining_ = false;
  std::chrono::steady_clock::time_point drain_deadline_;

  std::mutex inbox_mutex_;
  std::vector<Arrived> inbox_;  // guarded by inbox_mutex_
  bool stop_requested_ = false;  // guarded by inbox_mutex_
  bool over_ = false;            // guarded by inbox_mutex_: Run has returned
};

}  // namespace capledger::api
