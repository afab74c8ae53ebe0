#!/usr/bin/env bash
# Crash safety of the finance feed (issue 5): the mock cluster runs as its own process
# (`capledger kafka-mock`), so that the broker and the messages outlive `serve`. A generated world
# is walked through 2023 with the command line (a backlog of entries for the feed), then `serve`
# is started and SIGKILLed at seeded random moments, again and again, while it publishes that
# backlog and the runs of 2024 booked through the API. A last `serve` publishes the rest and exits
# 0 on SIGTERM. Then the whole topic is read with kcat and, after dedupe on entry id, must equal
# `capledger entries --json` one for one, with every entry's seq and hash as `capledger log` has
# them, in log order per clinic; the duplicates are counted and reported.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/feed_lib.sh"
command -v kcat > /dev/null || fail "kcat is needed (tools/lib.sh installs it)"
command -v jq > /dev/null || fail "jq is needed (tools/lib.sh installs it)"
command -v curl > /dev/null || fail "curl is needed (tools/lib.sh installs it)"

SEED="${CAPLEDGER_FEED_CRASH_SEED:-14}"  # fixed in the suite; tools/faults runs others
ROUNDS="${CAPLEDGER_FEED_CRASH_ROUNDS:-14}"
echo "feed_crash_test: seed $SEED, $ROUNDS kills (rerun with CAPLEDGER_FEED_CRASH_SEED=$SEED)"
RANDOM=$SEED

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 2 --seed "$SEED" > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2023-12
# The rest of the world is known before 2024 is paid through the API.
awk 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
     if (t > "2024-01-05T23:59:59.999999Z") print }' "$SCRATCH/world.jsonl" | cl ingest - > /dev/null

MOCK_PID=""
SERVE_PID=""
cleanup() {
  [ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null || true
  [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

"$CAPLEDGER_BIN" --log-level warn kafka-mock > "$SCRATCH/mock.out" 2> "$SCRATCH/mock.log" &
MOCK_PID=$!
for ((i = 0; i < 100; i++)); do [ -s "$SCRATCH/mock.out" ] && break; sleep 0.1; done
BROKERS=$(jq -r .brokers "$SCRATCH/mock.out")
[[ "$BROKERS" == 127.0.0.1:* ]] || fail "kafka-mock's ready line: $(cat "$SCRATCH/mock.out")"
# One message per produce request, so that publishing takes long enough for kills to land in it
# (and the pass-through table is exercised).
cat > "$SCRATCH/kafka.toml" <<EOF
[kafka]
enabled = true
brokers = "$BROKERS"
[kafka.properties]
"batch.num.messages" = 1
EOF
OPERATOR="operator-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'operator %s\n' "$OPERATOR" > "$SCRATCH/tokens"
chmod 600 "$SCRATCH/tokens"

topic_count() { kcat -b "$BROKERS" -C -t halsoval.ledger -e -q -f 'x\n' 2>/dev/null | wc -l; }
run_booked() { [ "$(cl --json entries --run "$1" | jq '.entries | length')" -gt 0 ]; }

month=2024-01
for ((round = 1; round <= ROUNDS; round++)); do
  start_kafka_serve
  CURL_PID=""
  if (( round > 1 )) && [[ "$month" < "2025-01" ]]; then
    curl -sS -o /dev/null -X POST -H "Authorization: Bearer $OPERATOR" "$BASE/v1/payouts/$month" 2>/dev/null &
    CURL_PID=$!
  fi
  delay_ms=$(( RANDOM % 120 ))
  sleep "$(printf '0.%03d' "$delay_ms")"
  kill -9 "$SERVE_PID"
  wait "$SERVE_PID" 2>/dev/null || true
  SERVE_PID=""
  [ -n "$CURL_PID" ] && { wait "$CURL_PID" 2>/dev/null || true; }
  booked=""
  if [[ "$month" < "2025-01" ]] && run_booked "$month"; then
    booked="$month booked"
    month=$(date -u -d "${month}-01 +1 month" +%Y-%m)
  fi
  echo "feed_crash_test: round $round: killed ${delay_ms} ms after ready; ${booked:-no run booked}; topic holds $(topic_count) messages"
done
# The months the kills left unbooked, through the command line.
while [[ "$month" < "2025-01" ]]; do
  cl payout --month "$month" > /dev/null
  month=$(date -u -d "${month}-01 +1 month" +%Y-%m)
done

HEAD=$(cl log | tail -1 | jq .seq)
start_kafka_serve
for ((i = 0; i < 300; i++)); do
  cursor=$(curl -sS "$BASE/metrics" | awk '$1 == "capledger_feed_cursor_seq" { print $2 }')
  [ "${cursor%.*}" == "$HEAD" ] && break
  sleep 0.1
done
[ "${cursor%.*}" == "$HEAD" ] || fail "the feed's cursor is at ${cursor:-?}, the head at $HEAD"
kill -TERM "$SERVE_PID"
set +e; wait "$SERVE_PID"; code=$?; set -e
SERVE_PID=""
expect_eq "$code" "0" "serve's exit code on SIGTERM"
cl verify > /dev/null

# ---- the topic against the ledger ----------------------------------------------------------
kcat -b "$BROKERS" -C -t halsoval.ledger -e -q -J > "$SCRATCH/topic.jsonl"
cl --json entries > "$SCRATCH/ledger.json"
cl log > "$SCRATCH/log.jsonl"
check_feed_topic "$SCRATCH/topic.jsonl" "$SCRATCH/ledger.json" "$SCRATCH/log.jsonl"
ledger_count=$FEED_ENTRIES total=$FEED_MESSAGES kept=$FEED_ENTRIES
(( ledger_count > 100 )) || fail "the ledger has only $ledger_count entries"
echo "feed_crash_test: $ledger_count entries; the topic held $total entry messages: $kept distinct, $((total - kept)) duplicates (seed $SEED)"
faults_report feed "$ROUNDS" "$ledger_count" 0 0 ok "$((total - kept))_redelivered"
echo "feed_crash_test: ok"
