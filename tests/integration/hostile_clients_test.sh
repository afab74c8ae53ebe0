#!/usr/bin/env bash
# Hostile clients against `serve` with its default [http] bounds (4 workers, read timeout 5 s) but
# 64 connections, idle up to 60 s: for CAPLEDGER_HOSTILE_SECONDS (default 15) seconds, 32 clients trickle
# request heads, 1,500 connect and stay silent, 16 send half a head, 4 send oversized heads and
# bodies, 4 send malformed requests (tests/faults/hostile_clients.py). Meanwhile GET /health is
# asked every 100 ms: every answer must be 200 within 1 s, and serve must never exit. After it,
# a payout through the API books, serve drains on SIGTERM and exits 0, and verify passes.
source "$(dirname "$0")/lib.sh"
command -v curl > /dev/null || fail "curl is needed (tools/lib.sh installs it)"

SEED="${CAPLEDGER_HOSTILE_SEED:-17}"
SECONDS_RUN="${CAPLEDGER_HOSTILE_SECONDS:-15}"
echo "hostile_clients_test: seed $SEED, $SECONDS_RUN s (rerun with CAPLEDGER_HOSTILE_SEED=$SEED)"

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 1 --seed 3 > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2023-02
awk 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
     if (t > "2023-03-05T23:59:59.999999Z" && t <= "2023-04-05T23:59:59.999999Z") print }' \
  "$SCRATCH/world.jsonl" | cl ingest - > /dev/null
OPERATOR="operator-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'operator %s\n' "$OPERATOR" > "$SCRATCH/tokens"

# The default [http] bounds but 64 connections kept up to 60 s idle, so that the crowd exceeds
# them within seconds (this machine's loopback lets a burst of connections through at only a few
# per second once many are held open).
printf '[http]\nconnections = 64\nkeep_alive_timeout_s = 60\n' > "$SCRATCH/http.toml"
start_serve "$SCRATCH/store" "$SCRATCH/tokens" --config "$SCRATCH/http.toml"
python3 "$CAPLEDGER_SOURCE_DIR/tests/faults/hostile_clients.py" --port "$PORT" --pid "$SERVE_PID" \
  --seconds "$SECONDS_RUN" --seed "$SEED" | tee "$SCRATCH/hostile.out" \
  || fail "serve did not hold its bound under hostile clients (seed $SEED): $(cat "$SCRATCH/hostile.out")"
kill -0 "$SERVE_PID" || fail "serve exited under hostile clients"
# The gate's own account: the crowd beyond 64 connections was made room for, and the trickling
# heads were closed at the read timeout.
curl -s "http://127.0.0.1:$PORT/metrics" > "$SCRATCH/metrics.txt"
metric() { awk -v name="$1" '$1 == name { print int($2) }' "$SCRATCH/metrics.txt"; }
(( $(metric capledger_gate_connections_evicted) > 0 )) || fail "no connection was evicted: $(grep gate_conn "$SCRATCH/metrics.txt")"
(( $(metric capledger_gate_requests_timed_out) > 0 )) || fail "no request timed out: $(grep gate_req "$SCRATCH/metrics.txt")"
echo "hostile_clients_test: the gate accepted $(metric capledger_gate_connections_accepted) connections, evicted $(metric capledger_gate_connections_evicted), timed out $(metric capledger_gate_requests_timed_out) requests"

# It still does its work: the March run books through the API.
status=$(curl -s -o "$SCRATCH/run.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $OPERATOR" \
  "http://127.0.0.1:$PORT/v1/payouts/2023-03")
expect_eq "$status" "200" "the payout after the hostile clients"
grep -q '"existing": false' "$SCRATCH/run.json" || fail "the run was not booked: $(cat "$SCRATCH/run.json")"
stop_serve
cl verify > /dev/null || fail "verify after the hostile clients"
# Faults: the hostile connections the clients opened; nothing is acknowledged but the run.
faults_report hostile_clients "$(grep -o ' faults=[0-9]*' "$SCRATCH/hostile.out" | cut -d= -f2)" 1 0 0 ok \
  "$(grep -o 'probe_max_ms=[0-9.]*' "$SCRATCH/hostile.out")"
echo "hostile_clients_test: ok"
