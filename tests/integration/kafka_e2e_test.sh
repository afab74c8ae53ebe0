#!/usr/bin/env bash
# End to end through Kafka (issue 5): `serve --kafka-mock` runs librdkafka's mock cluster in its
# process; a generated world's events are produced to halsoval.events with kcat, serve ingests
# them, the payout runs for January and February go through the API, and the booked entries
# appear on halsoval.ledger. kcat reads them back: one message per entry, no duplicates, equal to
# `capledger entries --json` one for one (and to the entries a second store gets from the same
# lines through `capledger ingest` and `capledger payout`), each run followed in every partition
# by its run-completed message. SIGTERM then drains serve, which exits 0 with the feed cursor at
# the head.
source "$(dirname "$0")/lib.sh"
command -v kcat > /dev/null || fail "kcat is needed (tools/lib.sh installs it)"
command -v jq > /dev/null || fail "jq is needed (tools/lib.sh installs it)"
command -v curl > /dev/null || fail "curl is needed (tools/lib.sh installs it)"

SEED="${CAPLEDGER_E2E_SEED:-$(( $(date +%s) % 1000 ))}"
echo "kafka_e2e_test: seed $SEED (rerun with CAPLEDGER_E2E_SEED=$SEED)"
"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 1 --seed "$SEED" > "$SCRATCH/world.jsonl"
# The lines known by the 5th of February and of March (January's and February's payouts).
slice() {
  awk -v from="$1" -v to="$2" 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
       if (t > from && t <= to) print }' "$SCRATCH/world.jsonl"
}
slice "" "2023-02-05T23:59:59.999999Z" > "$SCRATCH/jan.jsonl"
# A payout through the API is recorded now, so February's lines, ingested after it, are sent
# without their recorded_at (the store then records them now, after the run).
slice "2023-02-05T23:59:59.999999Z" "2023-03-05T23:59:59.999999Z" | jq -c 'del(.recorded_at)' > "$SCRATCH/feb.jsonl"
(( $(wc -l < "$SCRATCH/jan.jsonl") > 100 && $(wc -l < "$SCRATCH/feb.jsonl") > 10 )) || fail "the world is too small"

# The reference: the same lines and runs through the command line, in a store of its own.
ref() { "$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/ref" "$@"; }
ref ingest "$SCRATCH/jan.jsonl" > /dev/null
ref payout --month 2023-01 > /dev/null
ref ingest "$SCRATCH/feb.jsonl" > /dev/null
ref payout --month 2023-02 > /dev/null

OPERATOR="operator-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'operator %s\n' "$OPERATOR" > "$SCRATCH/tokens"
chmod 600 "$SCRATCH/tokens"
start_serve "$SCRATCH/store" "$SCRATCH/tokens" --kafka-mock
READY=$(cat "$SCRATCH/serve.out")
[[ "$READY" =~ ^\{\"ready\":\ true,\ \"http\":\ \"(127\.0\.0\.1:[0-9]+)\",\ \"kafka\":\ \"(127\.0\.0\.1:[0-9,.:]+)\"\}$ ]] \
  || fail "the ready line: [$READY]"
BASE="http://${BASH_REMATCH[1]}"
BROKERS="${BASH_REMATCH[2]}"
echo "kafka_e2e_test: serving on $BASE, Kafka on $BROKERS"

metric() { curl -sS "$BASE/metrics" | awk -v name="$1" '$1 == name { sub(/\.0+$/, "", $2); print $2 }'; }
# wait_metric NAME VALUE WHAT: waits up to 60 s for a gauge to reach VALUE.
wait_metric() {
  local got=""
  for ((i = 0; i < 600; i++)); do
    got=$(metric "$1")
    [ "$got" == "$2" ] && return 0
    sleep 0.1
  done
  fail "$3: $1 is ${got:-absent}, expected $2"
}
ref_head() { ref log | tail -1 | jq .seq; }
# produce FILE: one message per line, all to partition 0 (one region is one partition, in order).
produce() { kcat -b "$BROKERS" -P -t halsoval.events -p 0 -l "$1"; }
pay() {
  curl -sS -o "$SCRATCH/payout.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $OPERATOR" \
    "$BASE/v1/payouts/$1" > "$SCRATCH/status"
  expect_eq "$(cat "$SCRATCH/status")" "200" "POST /v1/payouts/$1"
}

# ---- January: produce, ingest, pay; the entries reach the ledger topic ----------------------
produce "$SCRATCH/jan.jsonl"
jan_events=$(ref log | jq -s 'map(select(.recorded_at <= "2023-02-05T23:59:59.999999Z" and .type != "LedgerEntry" and .type != "PayoutRun")) | length')
wait_metric capledger_log_events "$jan_events" "January's events ingested from Kafka"
pay 2023-01
# ---- February, with corrections of January ---------------------------------------------------
produce "$SCRATCH/feb.jsonl"
wait_metric capledger_kafka_events_stored "$(ref log | jq -s 'map(select(.type != "LedgerEntry" and .type != "PayoutRun")) | length')" \
  "February's events ingested from Kafka"
pay 2023-02
wait_metric capledger_log_events "$(ref_head)" "the served log against the reference"
wait_metric capledger_feed_cursor_seq "$(ref_head)" "the feed's cursor"
wait_metric capledger_feed_backlog 0 "the feed's backlog"

kcat -b "$BROKERS" -C -t halsoval.ledger -e -q -J > "$SCRATCH/topic.jsonl"
kill -TERM "$SERVE_PID"
set +e; wait "$SERVE_PID"; code=$?; set -e
expect_eq "$code" "0" "serve's exit code on SIGTERM"
grep -q "finance feed: stopped; delivered through seq $(ref_head)" "$SCRATCH/serve.log" \
  || fail "serve did not stop with the feed at the head: $(grep 'finance feed' "$SCRATCH/serve.log" | tail -3)"

# ---- the topic against the ledger, one for one -----------------------------------------------
jq -c '.payload | fromjson | select(.message == null) | del(.amount_ore, .seq, .recorded_at, .hash)' \
  "$SCRATCH/topic.jsonl" | sort > "$SCRATCH/topic.sorted"
cl --json entries | jq -c '.entries[]' | sort > "$SCRATCH/ledger.sorted"
ref --json entries | jq -c '.entries[]' | sort > "$SCRATCH/ref.sorted"
n=$(wc -l < "$SCRATCH/ledger.sorted")
(( n > 0 )) || fail "no entries were booked"
cmp -s "$SCRATCH/ledger.sorted" "$SCRATCH/ref.sorted" \
  || fail "the served store's entries differ from the command line's: $(diff "$SCRATCH/ledger.sorted" "$SCRATCH/ref.sorted" | head -c 600)"
cmp -s "$SCRATCH/topic.sorted" "$SCRATCH/ledger.sorted" \
  || fail "the ledger topic differs from entries --json: $(diff "$SCRATCH/topic.sorted" "$SCRATCH/ledger.sorted" | head -c 600)"
expect_eq "$(sort -u "$SCRATCH/topic.sorted" | wc -l)" "$n" "distinct entries on the topic"
# Keys are clinics; every partition has each run's run-completed message after its entries of it.
jq -e -s 'map(select(.headers[1] == "entry")) | all(.key == (.payload | fromjson | .clinic))' "$SCRATCH/topic.jsonl" \
  > /dev/null || fail "an entry's key is not its clinic"
jq -e -s 'group_by(.partition) | all(.[]; sort_by(.offset) | [.[].payload | fromjson | .seq] as $s | $s == ($s | sort))' \
  "$SCRATCH/topic.jsonl" > /dev/null || fail "a partition's messages are not in log order"
expect_eq "$(jq -c 'select(.headers[1] == "run-completed") | [.partition, .key]' "$SCRATCH/topic.jsonl" | sort | tr -d '\n')" \
  '[0,"2023-01"][0,"2023-02"][1,"2023-01"][1,"2023-02"][2,"2023-01"][2,"2023-02"][3,"2023-01"][3,"2023-02"]' \
  "run-completed messages, one per run and partition"
cl verify > /dev/null
echo "kafka_e2e_test: $n entries from Kafka-ingested events, on halsoval.ledger one for one"
echo "kafka_e2e_test: ok"
