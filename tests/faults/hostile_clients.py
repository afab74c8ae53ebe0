#!/usr/bin/env python3
"""Hostile clients against a running `capledger serve` on 127.0.0.1, bounded in time and count.

While the attacks run, a probe asks GET /health every 100 ms on a new connection and records
how long each answer took. The attacks, each from its own threads, seeded:
- slow headers: connections that send a request head a byte at a time and never finish it;
- idle crowd: more connections than the server keeps open, connected and silent;
- half heads: a request head cut off in the middle, then silence;
- oversized: a 100 KiB header line, 2,000 header lines, a 10 MiB declared body actually sent;
- malformed: request lines and heads that are not HTTP/1.1, and random bytes.

Prints one line `FAULTS hostile_clients runs=1 faults=N probes=P probe_max_ms=M late=L` and
exits 1 if any probe took longer than --bound-ms, failed, or if the server's process died.
"""
import argparse
import os
import random
import resource
import socket
import sys
import threading
import time


def connect(port, timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    return s


class Campaign:
    def __init__(self, port, seconds, seed):
        self.port = port
        self.until = time.monotonic() + seconds
        self.seed = seed
        self.lock = threading.Lock()
        self.faults = 0
        self.probe_ms = []
        self.probe_errors = []

    def running(self):
        return time.monotonic() < self.until

    def count(self, n=1):
        with self.lock:
            self.faults += n

    # ---- the probe ----------------------------------------------------------------------------
    def probe(self):
        while self.running():
            start = time.monotonic()
            try:
                s = connect(self.port, timeout=10.0)
                s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                answer = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
                s.close()
                took = (time.monotonic() - start) * 1000.0
                if not answer.startswith(b"HTTP/1.1 200"):
                    self.probe_errors.append("answer %r" % answer[:60])
                with self.lock:
                    self.probe_ms.append(took)
            except OSError as e:
                self.probe_errors.append("%s after %.0f ms" % (e, (time.monotonic() - start) * 1000.0))
            time.sleep(0.1)

    # ---- the attacks --------------------------------------------------------------------------
    def slow_headers(self, index):
        rng = random.Random(self.seed * 1000 + index)
        head = b"GET /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
        while self.running():
            s = None
            try:
                s = connect(self.port)
                self.count()
                for i in range(100000):
                    if not self.running():
                        break
                    s.sendall(head[i:i + 1] if i < len(head) else b"a")
                    time.sleep(rng.uniform(0.05, 0.3))
            except OSError:
                pass  # closed by the server at its read timeout: start again
            finally:
                if s is not None:
                    s.close()

    def idle_crowd(self, count, held):
        try:
            while self.running():
                while len(held) < count and self.running():
                    try:
                        held.append(connect(self.port))
                        self.count()
                    except OSError:
                        time.sleep(0.05)
                # The server closes the idlest to make room and idle ones after keep-alive: reopen.
                time.sleep(0.5)
                alive = []
                for s in held:
                    try:
                        s.setblocking(False)
                        if s.recv(1) == b"":
                            s.close()
                            continue
                    except BlockingIOError:
                        pass
                    except OSError:
                        s.close()
                        continue
                    alive.append(s)
                held = alive
        finally:
            for s in held:
                s.close()

    def half_heads(self, index):
        rng = random.Random(self.seed * 2000 + index)
        while self.running():
            s = None
            try:
                s = connect(self.port)
                self.count()
                cut = rng.randint(1, 40)
                s.sendall(b"POST /v1/payouts/2024-03 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n"[:cut])
                s.recv(1)  # waits until the server gives up on it
            except OSError:
                pass
            finally:
                if s is not None:
                    s.close()

    def oversized(self, index):
        rng = random.Random(self.seed * 3000 + index)
        payloads = [
            b"GET /health HTTP/1.1\r\nX-Long: " + b"a" * (100 * 1024) + b"\r\n\r\n",
            b"GET /health HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(2000)) + b"\r\n",
            b"POST /v1/payouts/2024-03 HTTP/1.1\r\nContent-Length: 10485760\r\n\r\n" + b"b" * (1 << 20),
            b"GET /" + b"p" * (64 * 1024) + b" HTTP/1.1\r\n\r\n",
        ]
        while self.running():
            s = None
            try:
                s = connect(self.port)
                self.count()
                s.sendall(rng.choice(payloads))
                s.recv(4096)
            except OSError:
                pass
            finally:
                if s is not None:
                    s.close()

    def malformed(self, index):
        rng = random.Random(self.seed * 4000 + index)
        payloads = [
            b"GET /health\r\n\r\n",
            b"GET /health HTTP/9.9\r\n\r\n",
            b"\r\n\r\n",
            b"GET /health HTTP/1.1\nHost: x\n\n",
            b"GET /health HTTP/1.1\r\n folded\r\n\r\n",
            b"POST /v1/payouts/2024-03 HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            b"POST /v1/payouts/2024-03 HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcde",
            b"POST /v1/payouts/2024-03 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n",
            b"GET /health HTTP/1.1\r\nContent-Length: 5\r\n\r\nGET /",
            b"BREW /pot HTTP/1.1\r\n\r\n",
            b"GET /%00%ff HTTP/1.1\r\n\r\n",
        ]
        while self.running():
            s = None
            try:
                s = connect(self.port)
                self.count()
                if rng.random() < 0.3:
                    s.sendall(rng.randbytes(rng.randint(1, 2048)) + b"\r\n\r\n")
                else:
                    s.sendall(rng.choice(payloads))
                s.recv(4096)
            except OSError:
                pass
            finally:
                if s is not None:
                    s.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the serve process, which must not exit")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--idle", type=int, default=1500, help="connections of the idle crowd")
    parser.add_argument("--bound-ms", type=float, default=1000.0)
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.idle + 256
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    # The crowd must leave descriptors for the probe and the other attackers.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if args.idle > soft - 256:
        print("hostile_clients: the open-file limit is %d: the idle crowd is %d, not %d"
              % (soft, max(soft - 256, 0), args.idle), file=sys.stderr)
        args.idle = max(soft - 256, 0)

    campaign = Campaign(args.port, args.seconds, args.seed)
    crowd = []
    threads = [threading.Thread(target=campaign.probe)]
    threads += [threading.Thread(target=campaign.slow_headers, args=(i,)) for i in range(32)]
    threads += [threading.Thread(target=campaign.idle_crowd, args=(args.idle, crowd))]
    threads += [threading.Thread(target=campaign.half_heads, args=(i,)) for i in range(16)]
    threads += [threading.Thread(target=campaign.oversized, args=(i,)) for i in range(4)]
    threads += [threading.Thread(target=campaign.malformed, args=(i,)) for i in range(4)]
    for t in threads:
        t.daemon = True
        t.start()
    for t in threads:
        t.join(args.seconds + 30)

    alive = True
    try:
        os.kill(args.pid, 0)
    except OSError:
        alive = False
    probes = sorted(campaign.probe_ms)
    worst = probes[-1] if probes else float("inf")
    late = sum(1 for ms in probes if ms > args.bound_ms)
    median = probes[len(probes) // 2] if probes else float("inf")
    print("FAULTS hostile_clients runs=1 faults=%d probes=%d probe_median_ms=%.1f probe_max_ms=%.1f late=%d errors=%d alive=%s"
          % (campaign.faults, len(probes), median, worst, late, len(campaign.probe_errors), "yes" if alive else "no"))
    for error in campaign.probe_errors[:5]:
        print("probe failed: " + error, file=sys.stderr)
    ok = alive and probes and late == 0 and not campaign.probe_errors
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
