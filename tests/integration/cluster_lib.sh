# Shared by the cluster tests and tools/demo --cluster: a mock Kafka cluster in a process of its
# own, and nodes (`serve` in cluster mode) that can be started, killed and restarted.
# Needs: CAPLEDGER_BIN, SCRATCH, fail (tests/integration/lib.sh or tools/demo).
source "$(dirname "${BASH_SOURCE[0]}")/feed_lib.sh"

# cluster_start_mock PARTITIONS: starts `kafka-mock` with 3 brokers; sets MOCK_PID and BROKERS.
cluster_start_mock() {
  "$CAPLEDGER_BIN" --log-level warn kafka-mock --brokers 3 --partitions "$1" > "$SCRATCH/mock.out" \
    2> "$SCRATCH/mock.log" &
  MOCK_PID=$!
  for ((i = 0; i < 100; i++)); do
    [ -s "$SCRATCH/mock.out" ] && break
    sleep 0.1
  done
  BROKERS=$(jq -r .brokers "$SCRATCH/mock.out")
  [ -n "$BROKERS" ] || fail "kafka-mock printed no brokers: $(cat "$SCRATCH/mock.log")"
}

# cluster_config NAME REGIONS...: writes $SCRATCH/NAME.toml for a node indexing REGIONS; the
# regions known to the cluster are orebro (partition 0) and vastmanland (partition 1, whose nodes
# also ingest its upstream events from halsoval.events).
cluster_config() {
  local name="$1"; shift
  local list
  list=$(printf '"%s", ' "$@")
  cat > "$SCRATCH/$name.toml" <<TOML
[kafka]
brokers = "$BROKERS"
[cluster]
enabled = true
regions = [${list%, }]
await_ms = 30000
[regions.orebro]
partition = 0
[regions.vastmanland]
partition = 1
events_topic = "halsoval.events"
TOML
}

# node_start NODE REGION: starts `serve` for REGION with $SCRATCH/NODE.toml and data dir
# $SCRATCH/NODE; waits for its ready line; records its pid and address in $SCRATCH/NODE-REGION.*.
node_start() {
  local node="$1" region="$2" key="$1-$2"
  rm -f "$SCRATCH/$key.out"
  "$CAPLEDGER_BIN" --log-level info --config "$SCRATCH/$node.toml" --data "$SCRATCH/$node" --region "$region" \
    serve --http 127.0.0.1:0 --tokens "$SCRATCH/tokens" > "$SCRATCH/$key.out" 2>> "$SCRATCH/$key.log" &
  echo $! > "$SCRATCH/$key.pid"
  for ((i = 0; i < 300; i++)); do
    [ -s "$SCRATCH/$key.out" ] && break
    kill -0 "$(cat "$SCRATCH/$key.pid")" 2> /dev/null || fail "node $key exited before it was ready: $(tail -5 "$SCRATCH/$key.log")"
    sleep 0.1
  done
  jq -r .http "$SCRATCH/$key.out" > "$SCRATCH/$key.addr"
}
node_pid() { cat "$SCRATCH/$1-$2.pid"; }
node_url() { echo "http://$(cat "$SCRATCH/$1-$2.addr")"; }
node_kill() { kill -9 "$(node_pid "$1" "$2")" 2> /dev/null || true; wait "$(node_pid "$1" "$2")" 2> /dev/null || true; }
node_health() { curl -sS --max-time 5 "$(node_url "$1" "$2")/health"; }

# node_wait_offset NODE REGION OFFSET: waits up to 60 s until the node has indexed through OFFSET - 1.
node_wait_offset() {
  local got=""
  for ((i = 0; i < 600; i++)); do
    got=$(node_health "$1" "$2" | jq -r .indexed_offset 2> /dev/null || true)
    [ "$got" == "$3" ] && return 0
    sleep 0.1
  done
  fail "node $1-$2 indexed to ${got:-?}, expected $3: $(tail -5 "$SCRATCH/$1-$2.log")"
}

# log_end REGION: the partition's end offset, from kcat's view of the log topic.
log_end() {
  local partition=0
  [ "$1" == "vastmanland" ] && partition=1
  kcat -b "$BROKERS" -Q -t "halsoval.log:$partition:-1" 2> /dev/null | awk '{print $NF}'
}

# node_verify NODE REGION: `capledger verify` beside the running node; prints its line.
node_verify() {
  "$CAPLEDGER_BIN" --log-level warn --config "$SCRATCH/$1.toml" --data "$SCRATCH/$1" --region "$2" verify
}

# node_pay NODE REGION MONTH: POST /v1/payouts/MONTH to the node; prints the body, fails unless 200.
node_pay() {
  local status
  status=$(curl -sS --max-time 60 -o "$SCRATCH/pay.json" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $OPERATOR" "$(node_url "$1" "$2")/v1/payouts/$3")
  [ "$status" == "200" ] || fail "payout $3 through $1-$2: HTTP $status $(cat "$SCRATCH/pay.json")"
  cat "$SCRATCH/pay.json"
}

# submit REGION FILE: each line of FILE as one event submission to REGION's partition (kcat, a
# client from outside).
submit() {
  local partition=0
  [ "$1" == "vastmanland" ] && partition=1
  kcat -b "$BROKERS" -P -t halsoval.log -p "$partition" -l "$2"
}

# feed_check REGION NODE...: waits up to 60 s until one of the region's nodes publishes its finance
# feed through the head, checks that exactly one does, and that the region's ledger topic,
# deduplicated by entry id, is that node's ledger (check_feed_topic). Prints a summary.
feed_check() {
  local region="$1"; shift
  local head n cursor publisher="" publishing
  head=$(node_verify_json "$1" "$region" | jq .head_seq)
  for ((i = 0; i < 600; i++)); do
    publishing=0
    for n in "$@"; do
      cursor=$(node_health "$n" "$region" | jq -r 'select(.feed == "publishing") | .feed_cursor' 2> /dev/null || true)
      [ -n "$cursor" ] && publishing=$((publishing + 1))
      [ "$cursor" == "$head" ] && publisher=$n
    done
    [ -n "$publisher" ] && (( publishing == 1 )) && break
    publisher=""
    sleep 0.1
  done
  [ -n "$publisher" ] || fail "$region: no one node published the feed through seq $head ($publishing publishing)"
  local topic
  topic=$(jq -r .cluster.ledger_topic "$SCRATCH/$publisher-$region.out")
  kcat -b "$BROKERS" -C -t "$topic" -e -q -J > "$SCRATCH/$region-topic.jsonl"
  "$CAPLEDGER_BIN" --log-level warn --config "$SCRATCH/$publisher.toml" --data "$SCRATCH/$publisher" --region "$region" \
    --json entries > "$SCRATCH/$region-ledger.json"
  "$CAPLEDGER_BIN" --log-level warn --config "$SCRATCH/$publisher.toml" --data "$SCRATCH/$publisher" --region "$region" \
    log > "$SCRATCH/$region-log.jsonl"
  check_feed_topic "$SCRATCH/$region-topic.jsonl" "$SCRATCH/$region-ledger.json" "$SCRATCH/$region-log.jsonl"
  (( FEED_ENTRIES > 0 )) || fail "$region: the ledger has no entries"
  echo "feed of $region ($topic), published by node $publisher now: $FEED_ENTRIES entries, $FEED_MESSAGES entry messages on the topic ($((FEED_MESSAGES - FEED_ENTRIES)) duplicates dropped by id)"
}

# node_verify_json NODE REGION: `capledger --json verify` beside the running node.
node_verify_json() {
  "$CAPLEDGER_BIN" --log-level warn --config "$SCRATCH/$1.toml" --data "$SCRATCH/$1" --region "$2" --json verify
}
