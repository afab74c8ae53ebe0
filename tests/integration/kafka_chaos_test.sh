#!/usr/bin/env bash
# Kafka faults during ingest and the finance feed: `kafka-mock --chaos-seed S` pushes retriable
# request errors onto Produce and Fetch, moves partition leaders and takes brokers down and up,
# one seeded fault every 200 ms, while `serve` ingests 2024's events from halsoval.events and
# publishes 2023's backlog to the finance feed, and is SIGKILLed CAPLEDGER_CHAOS_ROUNDS times
# (default 6). Then the chaos pauses; a last serve ingests the rest, books the first half of 2024
# through the API, publishes everything and drains on SIGTERM. The store holds every produced event once and verifies; the feed topic,
# deduplicated by entry id, equals the ledger (tests/integration/feed_lib.sh).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/feed_lib.sh"
command -v kcat > /dev/null || fail "kcat is needed (tools/lib.sh installs it)"
command -v jq > /dev/null || fail "jq is needed (tools/lib.sh installs it)"
command -v curl > /dev/null || fail "curl is needed (tools/lib.sh installs it)"

SEED="${CAPLEDGER_CHAOS_SEED:-51}"
ROUNDS="${CAPLEDGER_CHAOS_ROUNDS:-6}"
echo "kafka_chaos_test: seed $SEED, $ROUNDS kills under chaos (rerun with CAPLEDGER_CHAOS_SEED=$SEED)"
RANDOM=$SEED

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --residents 8000 --years 2 --seed "$SEED" > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2023-12
awk 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
     if (t > "2024-01-05T23:59:59.999999Z") print }' "$SCRATCH/world.jsonl" > "$SCRATCH/upstream.jsonl"
first_ids() { sed -n 's/^{"type":"[^"]*","id":"\([^"]*\)".*/\1/p'; }
first_ids < "$SCRATCH/world.jsonl" | sort > "$SCRATCH/world-ids"

MOCK_PID="" SERVE_PID=""
cleanup() {
  [ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null || true
  [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null || true
  [ -z "${CAPLEDGER_KEEP_SCRATCH:-}" ] || cp -a "$SCRATCH" "$CAPLEDGER_KEEP_SCRATCH"  # to look into a failure
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
"$CAPLEDGER_BIN" --log-level info kafka-mock --chaos-seed "$SEED" --chaos-interval-ms 200 \
  > "$SCRATCH/mock.out" 2> "$SCRATCH/mock.log" &
MOCK_PID=$!
for ((i = 0; i < 100; i++)); do [ -s "$SCRATCH/mock.out" ] && break; sleep 0.1; done
BROKERS=$(jq -r .brokers "$SCRATCH/mock.out")
[[ "$BROKERS" == 127.0.0.1:* ]] || fail "kafka-mock's ready line: $(cat "$SCRATCH/mock.out")"
# The upstream events are on the topic before the chaos starts (the producer is not under test).
kcat -P -b "$BROKERS" -t halsoval.events -p 0 -l "$SCRATCH/upstream.jsonl"
# librdkafka 2.0.2's mock checks producer sequence numbers only for transactional producers: with
# several requests in flight, a request failed by an injected error is dropped while the next is
# appended, and the client counts the first as delivered ("implicitly acked by subsequent batch
# success"); a real broker refuses the out-of-order sequence instead (tests/feed/feed_test.cc).
# With five in flight this test lost an entry at seed 51; one in flight keeps the mock honest.
cat > "$SCRATCH/kafka.toml" <<EOF
[kafka]
enabled = true
brokers = "$BROKERS"
[kafka.properties]
"batch.num.messages" = 1
"max.in.flight.requests.per.connection" = 1
EOF
OPERATOR="operator-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'operator %s\n' "$OPERATOR" > "$SCRATCH/tokens"
chmod 600 "$SCRATCH/tokens"
chaos() { kill -USR1 "$MOCK_PID"; sleep 0.3; }   # starts or pauses; the mock logs its counts

stored_ids() { cl log | first_ids | sort; }

chaos
for ((round = 1; round <= ROUNDS; round++)); do
  start_kafka_serve
  sleep "$(printf '%d.%03d' $(( RANDOM % 2 )) $(( RANDOM % 1000 )))"
  kill -9 "$SERVE_PID"
  wait "$SERVE_PID" 2>/dev/null || true
  SERVE_PID=""
  [ -z "$(stored_ids | uniq -d)" ] || fail "round $round: an event stored twice"
  cl verify > /dev/null || fail "round $round: verify"
  echo "kafka_chaos_test: round $round: serve killed; $(stored_ids | wc -l) events stored"
done
chaos
counts=$(grep -o 'chaos: paused.*' "$SCRATCH/mock.log" | tail -n 1)
echo "kafka_chaos_test: $counts"

# Calm: the last serve ingests the rest; then the first half of 2024 is paid through the API (its
# runs are recorded now, after every upstream event) and everything is published.
start_kafka_serve
world=$(wc -l < "$SCRATCH/world-ids")
for ((i = 0; i < 600; i++)); do
  [ "$(comm -23 "$SCRATCH/world-ids" <(stored_ids) | wc -l)" -eq 0 ] && break
  sleep 0.2
done
for month in 2024-01 2024-02 2024-03 2024-04 2024-05 2024-06; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -m 60 -X POST -H "Authorization: Bearer $OPERATOR" "$BASE/v1/payouts/$month")
  expect_eq "$status" "200" "the payout of $month once calm"
done
HEAD=$(cl log | tail -1 | jq .seq)
for ((i = 0; i < 600; i++)); do
  cursor=$(curl -sS "$BASE/metrics" | awk '$1 == "capledger_feed_cursor_seq" { print $2 }')
  [ "${cursor%.*}" == "$HEAD" ] && break
  sleep 0.2
done
[ "${cursor%.*}" == "$HEAD" ] || {
  fail "the feed's cursor is at ${cursor:-?}, the head at $HEAD: $(grep -i 'feed\|error' "$SCRATCH/serve.log" | tail -n 5)"
}
kill -TERM "$SERVE_PID"
set +e; wait "$SERVE_PID"; code=$?; set -e
SERVE_PID=""
expect_eq "$code" "0" "serve's exit code on SIGTERM"

stored_ids > "$SCRATCH/stored-ids"
[ -z "$(uniq -d "$SCRATCH/stored-ids")" ] || fail "events stored twice"
# Every world event is stored (the log holds the ledger's own events, entries and runs, besides).
missing=$(comm -23 "$SCRATCH/world-ids" "$SCRATCH/stored-ids" | wc -l)
expect_eq "$missing" "0" "world events missing from the store"
cl verify > /dev/null || fail "verify at the end"
kcat -b "$BROKERS" -C -t halsoval.ledger -e -q -J > "$SCRATCH/topic.jsonl"
cl --json entries > "$SCRATCH/ledger.json"
cl log > "$SCRATCH/log.jsonl"
check_feed_topic "$SCRATCH/topic.jsonl" "$SCRATCH/ledger.json" "$SCRATCH/log.jsonl"
errors=$(grep -o '[0-9]* request errors' <<< "$counts" | grep -o '^[0-9]*')
moves=$(grep -o '[0-9]* leader moves' <<< "$counts" | grep -o '^[0-9]*')
restarts=$(grep -o '[0-9]* broker restarts' <<< "$counts" | grep -o '^[0-9]*')
(( errors + moves + restarts > 0 )) || fail "the chaos did nothing: $counts"
faults_report kafka_chaos "$((errors + moves + restarts + ROUNDS))" "$((world + FEED_ENTRIES))" 0 0 ok \
  "${errors}_errors_${moves}_leader_moves_${restarts}_broker_restarts_${ROUNDS}_kills;_$((FEED_MESSAGES - FEED_ENTRIES))_redelivered"
echo "kafka_chaos_test: ok ($world events once each; $FEED_ENTRIES entries on the topic after dedupe)"
