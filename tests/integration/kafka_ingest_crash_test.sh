#!/usr/bin/env bash
# Crash safety of Kafka ingest (issue 5: "SIGKILL serve at random points while it ingests, at
# least 10 times, and restart it; the store holds every produced event exactly once and verify
# passes"). The mock cluster runs as its own process (`capledger kafka-mock`), so the broker and its
# messages outlive every kill. The 2.0.2 mock keeps about 5 MB per partition (older messages are
# deleted), so the world is kept under that. A tiny world goes to partition 0 in order (its lines carry
# recorded_at, which the log keeps non-decreasing), followed by exact duplicates and an
# idempotency conflict; malformed lines go to the other partitions. After each kill: no id stored
# twice, no reject kept twice, nothing stored that was not produced, verify passes. At the end the
# stored ids are exactly the world's, and the rejects are the 7 bad messages, once each.
source "$(dirname "$0")/lib.sh"

command -v kcat > /dev/null || fail "kcat is not installed (tools/lib.sh lists it)"
SEED="${CAPLEDGER_CRASH_SEED:-12}"  # fixed in the suite; tools/faults runs others
KILLS="${CAPLEDGER_CRASH_KILLS:-10}"
echo "kafka_ingest_crash_test: seed $SEED, $KILLS kills (rerun with CAPLEDGER_CRASH_SEED=$SEED)"
RANDOM=$SEED

MOCK_PID=""
SERVE_PID=""
cleanup() {
  [ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2> /dev/null
  [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2> /dev/null
  wait 2> /dev/null
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

"$CAPLEDGER_BIN" --log-level warn kafka-mock --partitions 4 > "$SCRATCH/mock.out" 2> "$SCRATCH/mock.log" &
MOCK_PID=$!
for _ in $(seq 100); do [ -s "$SCRATCH/mock.out" ] && break; sleep 0.1; done
BROKERS=$(sed -n 's/.*"brokers": *"\([^"]*\)".*/\1/p' "$SCRATCH/mock.out")
[ -n "$BROKERS" ] || fail "kafka-mock did not print its brokers: $(cat "$SCRATCH/mock.log")"

# ---- the input --------------------------------------------------------------------------------
"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --residents 9000 --years 1 --seed 11 > "$SCRATCH/world.jsonl"
head -n 25 "$SCRATCH/world.jsonl" > "$SCRATCH/duplicates.jsonl"   # the same id and payload: counted, not stored
sed -n 3p "$SCRATCH/world.jsonl" | sed 's/"name":"[^"]*"/"name":"Vårdcentralen Omdöpt"/' > "$SCRATCH/conflict.jsonl"
grep -q 'Omdöpt' "$SCRATCH/conflict.jsonl" || fail "line 3 of the world has no name to change"
cat "$SCRATCH/world.jsonl" "$SCRATCH/duplicates.jsonl" "$SCRATCH/conflict.jsonl" \
  | kcat -P -b "$BROKERS" -t halsoval.events -p 0 -l /dev/stdin
for p in 1 2 3; do
  printf 'not json %s-a\n{"type":"PatientListed", "id": "broken-%s"\n' "$p" "$p" \
    | kcat -P -b "$BROKERS" -t halsoval.events -p "$p" -l /dev/stdin
done
BAD_MESSAGES=7  # 6 malformed + 1 idempotency conflict

# What the store must end with, by an independent path: the world's own ids and the file ingest
# of the world (its rejects, if any, are the Kafka ingest's too).
# The id of each line or stored event: the first "id" (a rulebook has an "id" of its own inside).
first_ids() { sed -n 's/^{"type":"[^"]*","id":"\([^"]*\)".*/\1/p'; }
first_ids < "$SCRATCH/world.jsonl" | sort > "$SCRATCH/input-ids"
[ "$(wc -l < "$SCRATCH/input-ids")" -eq "$(wc -l < "$SCRATCH/world.jsonl")" ] || fail "a world line without a leading id"
set +e
"$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/reference" ingest "$SCRATCH/world.jsonl" > /dev/null
set -e
reference_rejects=$("$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/reference" rejects | wc -l)
expected_rejects=$((reference_rejects + BAD_MESSAGES))
expected_stored=$(sort -u "$SCRATCH/input-ids" | wc -l)
echo "kafka_ingest_crash_test: $(wc -l < "$SCRATCH/world.jsonl") world lines, expecting $expected_stored stored and $expected_rejects rejects"

# ---- serve ------------------------------------------------------------------------------------
echo "auditor kafka-crash-test-token-0001" > "$SCRATCH/tokens"
chmod 600 "$SCRATCH/tokens"
# Small batches, so that there are many synced writes to be killed between; the mock cluster's
# group coordinator waits for a lost member's session to time out, so keep that short.
cat > "$SCRATCH/serve.toml" <<EOF2
[kafka]
enabled = true
brokers = "$BROKERS"
batch_messages = 5
[kafka.properties]
"session.timeout.ms" = "3500"
"heartbeat.interval.ms" = "300"
[http]
address = "127.0.0.1:0"
EOF2

: > "$SCRATCH/serve.log"
start_serve() {
  "$CAPLEDGER_BIN" --log-level info --config "$SCRATCH/serve.toml" --data "$SCRATCH/store" serve \
    --tokens "$SCRATCH/tokens" > "$SCRATCH/serve.out" 2>> "$SCRATCH/serve.log" &
  SERVE_PID=$!
}

stored_ids() { cl log | first_ids | sort; }
assignments() { grep -c 'partition 0 assigned' "$SCRATCH/serve.log" || true; }

# The checks that hold after any kill; prints "STORED REJECTS".
check_store() {
  local what="$1"
  stored_ids > "$SCRATCH/stored-ids"
  [ -z "$(uniq -d "$SCRATCH/stored-ids")" ] || fail "$what: ids stored twice: $(uniq -d "$SCRATCH/stored-ids" | head -3)"
  [ -z "$(comm -23 "$SCRATCH/stored-ids" "$SCRATCH/input-ids")" ] || fail "$what: ids stored that were not produced"
  cl rejects | grep -o '"source":"[^"]*"' | sort > "$SCRATCH/reject-sources"
  [ -z "$(uniq -d "$SCRATCH/reject-sources")" ] || fail "$what: a reject kept twice: $(uniq -d "$SCRATCH/reject-sources")"
  cl verify > /dev/null || fail "$what: verify failed"
  echo "$(wc -l < "$SCRATCH/stored-ids") $(wc -l < "$SCRATCH/reject-sources")"
}

previous=0
for ((kill_no = 1; kill_no <= KILLS; kill_no++)); do
  before=$(assignments)
  start_serve
  if [ $((RANDOM % 5)) -eq 0 ]; then
    # One kill in five lands anywhere in the first 3 s: start-up or the group join.
    delay_ms=$((RANDOM % 3000))
  else
    # The others land within the ingest: 0 to 1.5 s after the partitions are assigned.
    for _ in $(seq 300); do [ "$(assignments)" -gt "$before" ] && break; sleep 0.05; done
    delay_ms=$((RANDOM % 1500))
  fi
  sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
  kill -9 "$SERVE_PID" 2> /dev/null || true
  wait "$SERVE_PID" 2> /dev/null || true
  SERVE_PID=""
  read -r stored rejects <<< "$(check_store "kill $kill_no")"
  [ "$stored" -ge "$previous" ] || fail "kill $kill_no: the log shrank from $previous to $stored"
  previous=$stored
  echo "kill $kill_no: stored $stored of $expected_stored, rejects $rejects"
done

# ---- to the end -------------------------------------------------------------------------------
start_serve
deadline=$(( $(date +%s) + 90 ))
until [ "$(stored_ids | wc -l)" -eq "$expected_stored" ] && [ "$(cl rejects | wc -l)" -eq "$expected_rejects" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "not everything was ingested within 90 s: $(stored_ids | wc -l) stored"
  kill -0 "$SERVE_PID" 2> /dev/null || fail "serve exited: $(tail -5 "$SCRATCH/serve.log")"
  sleep 0.5
done
kill -TERM "$SERVE_PID"
set +e; wait "$SERVE_PID"; code=$?; set -e
SERVE_PID=""
expect_eq "$code" "0" "serve exits 0 after SIGTERM"

read -r stored rejects <<< "$(check_store "at the end")"
expect_eq "$stored" "$expected_stored" "events stored"
diff "$SCRATCH/stored-ids" <(sort -u "$SCRATCH/input-ids") > /dev/null || fail "the stored ids differ from the world's"
expect_eq "$rejects" "$expected_rejects" "rejects kept"
malformed=$(cl rejects | grep -c '"code":"malformed_json"' || true)
conflicts=$(cl rejects | grep -c '"code":"idempotency_conflict"' || true)
expect_eq "$malformed" "6" "malformed messages kept as rejects"
expect_eq "$conflicts" "1" "idempotency conflicts kept as rejects"
grep -q 'kafka-crash-test-token-0001' "$SCRATCH/serve.log" && fail "a token appears in the log"
faults_report kafka_ingest "$KILLS" "$expected_stored" "$((expected_stored - stored))" 0 ok
echo "kafka_ingest_crash_test: ok (seed $SEED: $stored events once each, $rejects rejects once each)"
