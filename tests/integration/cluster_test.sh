#!/usr/bin/env bash
# Cluster mode (DESIGN.md §6, docs/cluster.md): a mock Kafka cluster in a process of its own, three
# nodes indexing Örebro's partition of the log topic and two indexing Västmanland's. Events are
# submitted from outside (kcat) and payouts through the nodes' APIs while nodes are SIGKILLed at
# seeded moments (CAPLEDGER_CLUSTER_SEEDS, ten by default; tools/cluster-campaign runs more). After
# each kill the node restarts and catches up. At the end every node of a region prints the same
# `verify` line (head seq and hash), every month has exactly one run, the booked entries are
# the same on every node, and each region's finance feed topic (published by whichever node the
# feed group chose, and chose again after each kill), deduplicated by entry id, equals the ledger. A node paused with SIGSTOP across another node's payout of the same
# month answers, once resumed, with that run: it books nothing of its own.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cluster_lib.sh"
: "${CAPLEDGER_EVENT_TAMPER:?set by ctest: the event_tamper program}"
command -v kcat > /dev/null || fail "kcat is needed (tools/lib.sh installs it)"
command -v jq > /dev/null || fail "jq is needed (tools/lib.sh installs it)"

SEEDS="${CAPLEDGER_CLUSTER_SEEDS:-1 2 3 4 5 6 7 8 9 10}"
echo "cluster_test: seeds $SEEDS"
OPERATOR="operator-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'operator %s\n' "$OPERATOR" > "$SCRATCH/tokens"
chmod 600 "$SCRATCH/tokens"

cleanup() {
  for f in "$SCRATCH"/*.pid; do [ -e "$f" ] && kill -9 "$(cat "$f")" 2> /dev/null; done
  [ -n "${MOCK_PID:-}" ] && kill -9 "$MOCK_PID" 2> /dev/null
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

# One month per seed after January, then the zombie's month, the backup's tail and the command
# line's month: enough years of world for them all.
nseeds=$(wc -w <<< "$SEEDS")
years=$(( (nseeds + 4) / 12 + 1 ))
# The last month paid is the backup's tail month, nseeds + 2 months after January 2023; the
# rulebooks in config/rulebooks reach through December 2026 (month 47).
(( nseeds + 2 <= 47 )) || fail "at most 45 seeds: the rulebooks reach through 2026 (tools/cluster-campaign runs more in turns)"
"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years "$years" --seed 11 > "$SCRATCH/orebro.jsonl"
"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 1 --seed 12 > "$SCRATCH/vastmanland.jsonl"
# slice FILE FROM TO: the lines recorded in (FROM, TO]; later slices lose their recorded_at, as a
# payout (recorded now) has been booked before them.
slice() {
  awk -v from="$2" -v to="$3" 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
       if (t > from && t <= to) print }' "$1"
}
fifth() { printf '%s-05T23:59:59.999999Z' "$1"; }
# ym K: the month K months after January 2023, YYYY-MM.
ym() { printf '%04d-%02d' $(( 2023 + $1 / 12 )) $(( $1 % 12 + 1 )); }

cluster_start_mock 2
cluster_config a orebro
cluster_config b orebro
cluster_config c orebro vastmanland
cluster_config d vastmanland
for n in a b c; do node_start "$n" orebro; done
for n in c d; do node_start "$n" vastmanland; done
ORE=(a b c)

# ---- January: everything known by 5 February, then its run -----------------------------------
slice "$SCRATCH/orebro.jsonl" "" "$(fifth 2023-02)" > "$SCRATCH/jan.jsonl"
submit orebro "$SCRATCH/jan.jsonl"
cat "$SCRATCH/jan.jsonl" > "$SCRATCH/submitted.jsonl"
jan=$(wc -l < "$SCRATCH/jan.jsonl")
for n in "${ORE[@]}"; do node_wait_offset "$n" orebro "$jan"; done
node_pay a orebro 2023-01 | jq -e '.existing == false' > /dev/null || fail "January was not booked"

# ---- one month per seed, a node killed at a seeded moment ------------------------------------
k=0
for seed in $SEEDS; do
  k=$(( k + 1 ))
  m=$(ym "$k")
  next=$(ym $(( k + 1 )))
  slice "$SCRATCH/orebro.jsonl" "$(fifth "$m")" "$(fifth "$next")" | jq -c 'del(.recorded_at)' > "$SCRATCH/month.jsonl"
  victim=${ORE[$(( seed * 7 % 3 ))]}
  payer=${ORE[$(( (seed * 7 + 1) % 3 ))]}
  delay_ms=$(( seed * 137 % 600 ))
  # Odd seeds pay through the victim itself (the answer may die with it); even ones through another.
  through=$payer
  (( seed % 2 == 1 )) && through=$victim
  submit orebro "$SCRATCH/month.jsonl"
  cat "$SCRATCH/month.jsonl" >> "$SCRATCH/submitted.jsonl"
  ( node_pay "$through" orebro "$m" > /dev/null 2>&1 || true ) &
  paying=$!
  sleep "$(printf '0.%03d' "$delay_ms")"
  node_kill "$victim" orebro
  wait "$paying" || true
  echo "cluster_test: seed $seed: $m, killed node $victim after ${delay_ms} ms (paid through $through)"
  # The run is asked for again through a node that lives: booked now, or the one booked before.
  node_pay "$payer" orebro "$m" | jq -e --arg m "$m" '.run == $m' > /dev/null || fail "seed $seed: no run for $m"
  node_start "$victim" orebro
done

# ---- a zombie: paused across another node's payout of the same month ------------------------
k=$(( k + 1 ))
zm=$(ym "$k")
slice "$SCRATCH/orebro.jsonl" "$(fifth "$zm")" "$(fifth "$(ym $(( k + 1 )))")" | jq -c 'del(.recorded_at)' > "$SCRATCH/last.jsonl"
submit orebro "$SCRATCH/last.jsonl"
cat "$SCRATCH/last.jsonl" >> "$SCRATCH/submitted.jsonl"
kill -STOP "$(node_pid b orebro)"
( node_pay b orebro "$zm" > "$SCRATCH/zombie.json" ) &
zombie=$!
sleep 0.5
node_pay a orebro "$zm" > "$SCRATCH/live.json"
jq -e '.existing == false' "$SCRATCH/live.json" > /dev/null || fail "$zm was not booked through node a"
kill -CONT "$(node_pid b orebro)"
wait "$zombie" || fail "the paused node did not answer once resumed"
jq -e '.existing == true' "$SCRATCH/zombie.json" > /dev/null || fail "the paused node booked a run of its own: $(head -c 300 "$SCRATCH/zombie.json")"
expect_eq "$(jq .known_at.seq "$SCRATCH/zombie.json")" "$(jq .known_at.seq "$SCRATCH/live.json")" \
  "the paused node's answer is the run node a booked"

# ---- Västmanland on its two nodes ------------------------------------------------------------
slice "$SCRATCH/vastmanland.jsonl" "" "$(fifth 2023-02)" > "$SCRATCH/v-jan.jsonl"
submit vastmanland "$SCRATCH/v-jan.jsonl"
node_pay d vastmanland 2023-01 | jq -e '.existing == false' > /dev/null || fail "Västmanland's January was not booked"
# February comes from upstream: produced to halsoval.events (both partitions), read by the
# ingest group of nodes c and d, and submitted to the log. Node d is SIGKILLed while it forwards
# and restarted: every event is in the log once.
slice "$SCRATCH/vastmanland.jsonl" "$(fifth 2023-02)" "$(fifth 2023-03)" | jq -c 'del(.recorded_at)' > "$SCRATCH/v-feb.jsonl"
kcat -b "$BROKERS" -P -t halsoval.events -l "$SCRATCH/v-feb.jsonl"
sleep 0.2
node_kill d vastmanland
node_start d vastmanland
cat "$SCRATCH/v-jan.jsonl" "$SCRATCH/v-feb.jsonl" | jq -r .id | sort > "$SCRATCH/v-submitted.ids"
v_ids() {
  "$CAPLEDGER_BIN" --log-level warn --config "$SCRATCH/$1.toml" --data "$SCRATCH/$1" --region vastmanland log \
    | jq -r 'select(.type != "LedgerEntry" and .type != "PayoutRun") | .id' | sort
}
for ((i = 0; i < 300; i++)); do
  [ "$(v_ids c | wc -l)" -ge "$(wc -l < "$SCRATCH/v-submitted.ids")" ] && break
  sleep 0.2
done
v_ids c > "$SCRATCH/c-v.ids"
cmp -s "$SCRATCH/c-v.ids" "$SCRATCH/v-submitted.ids" \
  || fail "Västmanland's log is not its events once each: $(diff "$SCRATCH/c-v.ids" "$SCRATCH/v-submitted.ids" | head -5)"
node_pay c vastmanland 2023-02 | jq -e '.existing == false' > /dev/null || fail "Västmanland's February was not booked"
forwarded=$(( $(curl -sS "$(node_url c vastmanland)/metrics" | awk '$1 == "capledger_cluster_upstream_forwarded" { print $2 }') + 0 ))
echo "cluster_test: Västmanland's February: $(wc -l < "$SCRATCH/v-feb.jsonl") events from halsoval.events, each once in the log (node d killed while forwarding; node c forwarded $forwarded)"

# ---- every node of a region holds the same log ----------------------------------------------
for region in orebro vastmanland; do
  end=$(log_end "$region")
  nodes=(a b c)
  [ "$region" == "vastmanland" ] && nodes=(c d)
  lines=()
  for n in "${nodes[@]}"; do
    node_wait_offset "$n" "$region" "$end"
    lines+=("$(node_verify "$n" "$region")")
    echo "cluster_test: $n/$region: ${lines[-1]}"
  done
  for l in "${lines[@]}"; do expect_eq "$l" "${lines[0]}" "$region: verify on every node"; done
  [[ "${lines[0]}" == ok:* ]] || fail "$region: verify: ${lines[0]}"
done
# ---- each region's finance feed: one publisher, the topic deduplicated equals the ledger --------
feed_check orebro a b c
feed_check vastmanland c d

ore_hash=$(node_verify a orebro | grep -o 'hash [0-9a-f]*')
vas_hash=$(node_verify d vastmanland | grep -o 'hash [0-9a-f]*')
[ "$ore_hash" != "$vas_hash" ] || fail "the two regions' logs are the same"

# Each month has exactly one run (January, the seeds' months, the zombie's), and the entries agree.
runs() { "$CAPLEDGER_BIN" --log-level warn --config "$SCRATCH/$1.toml" --data "$SCRATCH/$1" --region orebro runs --json; }
for n in "${ORE[@]}"; do
  dup=$(runs "$n" | jq '[.runs[].run] | group_by(.) | map(select(length > 1)) | length')
  expect_eq "$dup" "0" "node $n: months run more than once"
  expect_eq "$(runs "$n" | jq '.runs | length')" "$(( k + 1 ))" "node $n: runs"
done
# Nothing lost, nothing twice: the ids of the input events in each log are the submitted ids, once each.
jq -r .id "$SCRATCH/submitted.jsonl" | sort > "$SCRATCH/submitted.ids"
for n in "${ORE[@]}"; do
  "$CAPLEDGER_BIN" --log-level warn --config "$SCRATCH/$n.toml" --data "$SCRATCH/$n" --region orebro log \
    | jq -r 'select(.type != "LedgerEntry" and .type != "PayoutRun") | .id' | sort > "$SCRATCH/$n.ids"
  cmp -s "$SCRATCH/$n.ids" "$SCRATCH/submitted.ids" \
    || fail "node $n: the log's input ids differ from the submitted ones: $(diff "$SCRATCH/$n.ids" "$SCRATCH/submitted.ids" | head -5)"
done
echo "cluster_test: $(wc -l < "$SCRATCH/submitted.ids") submitted events, each once in every node's log"
entries() { "$CAPLEDGER_BIN" --log-level warn --config "$SCRATCH/$1.toml" --data "$SCRATCH/$1" --region orebro entries --json | sha256sum; }
expect_eq "$(entries b)" "$(entries a)" "the entries of nodes a and b"
expect_eq "$(entries c)" "$(entries a)" "the entries of nodes a and c"

# A new node from a backup: node a's store copied while it runs, restored into node e's data
# directory, then e indexes the tail submitted since and reaches the same head.
cl_node() { local n="$1"; shift; "$CAPLEDGER_BIN" --log-level warn --config "$SCRATCH/$n.toml" --data "$SCRATCH/$n" --region orebro "$@"; }
cl_node a backup --out "$SCRATCH/backup-a" > /dev/null
backup_offset=$(jq '.stores[0].log_offset' "$SCRATCH/backup-a/backup.json")
expect_eq "$backup_offset" "$(log_end orebro)" "the backup's log offset"
cluster_config e orebro
cl_node e restore --from "$SCRATCH/backup-a" > /dev/null
slice "$SCRATCH/orebro.jsonl" "$(fifth "$(ym $(( k + 1 )))")" "$(fifth "$(ym $(( k + 2 )))")" | jq -c 'del(.recorded_at)' > "$SCRATCH/tail.jsonl"
submit orebro "$SCRATCH/tail.jsonl"
node_start e orebro
grep -q "from offset $backup_offset" "$SCRATCH/e-orebro.log" || fail "node e did not index on from the backup's offset $backup_offset"
end=$(log_end orebro)
node_wait_offset a orebro "$end"
node_wait_offset e orebro "$end"
expect_eq "$(node_verify e orebro)" "$(node_verify a orebro)" "node e, restored from a backup and the tail, against node a"
echo "cluster_test: node e restored from a backup at offset $backup_offset and indexed $(( end - backup_offset )) more: $(node_verify e orebro)"
# A corrupted backup is refused, naming the first bad seq (seq 5 rewritten in the copy).
"$CAPLEDGER_EVENT_TAMPER" "$SCRATCH/backup-a/store" 5 > /dev/null
cluster_config f orebro
set +e
out=$(cl_node f restore --from "$SCRATCH/backup-a" 2>&1)
code=$?
set -e
expect_eq "$code" "2" "restoring a corrupted backup"
[[ "$out" == *"seq 5"* ]] || fail "the refusal of a corrupted backup names seq 5: $out"

# ---- the command line in cluster mode: submit, then await this node --------------------------
# The next month's events through node c's data directory, with one line that no decoder takes:
# every good line stored once, the bad one rejected; the same input again: all duplicates.
slice "$SCRATCH/orebro.jsonl" "$(fifth "$(ym $(( k + 2 )))")" "$(fifth "$(ym $(( k + 3 )))")" | jq -c 'del(.recorded_at)' > "$SCRATCH/cli.jsonl"
good=$(wc -l < "$SCRATCH/cli.jsonl")
(( good > 20 )) || fail "the command line's slice holds only $good lines"
echo '{"type":"NoSuchEvent","id":"cli-bad-1"}' >> "$SCRATCH/cli.jsonl"
set +e
out=$(cl_node c --json ingest "$SCRATCH/cli.jsonl")
code=$?
again=$(cl_node c --json ingest "$SCRATCH/cli.jsonl")
set -e
expect_eq "$code" "3" "ingest with a rejected line (exit 3)"
expect_eq "$(jq -c '[.stored, .duplicate, .rejected]' <<< "$out")" "[$good,0,1]" "the command line's ingest in cluster mode"
expect_eq "$(jq -c '[.stored, .duplicate, .rejected]' <<< "$again")" "[0,$good,1]" "the same input again"
# The tail's month paid from the command line through node b, then asked for again through node a.
tail_month=$(ym $(( k + 1 )))
cl_node b --json payout --month "$tail_month" > "$SCRATCH/cli-pay.json"
jq -e --arg m "$tail_month" '.run == $m and .existing == false' "$SCRATCH/cli-pay.json" > /dev/null \
  || fail "the command line's payout of $tail_month: $(head -c 300 "$SCRATCH/cli-pay.json")"
cl_node a --json payout --month "$tail_month" > "$SCRATCH/cli-again.json"
jq -e '.existing == true' "$SCRATCH/cli-again.json" > /dev/null || fail "the second payout of $tail_month booked again"
expect_eq "$(jq -c '[.known_at.seq, .total]' "$SCRATCH/cli-again.json")" "$(jq -c '[.known_at.seq, .total]' "$SCRATCH/cli-pay.json")" \
  "the run the second payout shows"
# A rulebook published from the command line through node a (its event id is the command's, not
# the generated world's): stored at a seq every node's log has for it; again through node c: the
# same seq, already published.
published=$(cl_node a --json rulebook publish "$CAPLEDGER_SOURCE_DIR/config/rulebooks/KoK-2024.toml")
expect_eq "$(jq -r .status <<< "$published")" "stored" "publishing KoK-2024 from the command line"
seq=$(jq .seq <<< "$published")
republished=$(cl_node c --json rulebook publish "$CAPLEDGER_SOURCE_DIR/config/rulebooks/KoK-2024.toml")
expect_eq "$(jq -c '[.status, .seq]' <<< "$republished")" "[\"duplicate\",$seq]" "publishing KoK-2024 again"
expect_eq "$(cl_node b log --from-seq "$seq" --limit 1 | jq -r '.type + " " + .rulebook.id')" "RulebookPublished KoK-2024" \
  "node b's event at seq $seq"
# The public follow-up published at one K through node a, then through node b: the files are the
# same, and the FollowUpPublished event is in the log once.
k_seq=$(node_verify_json a orebro | jq .head_seq)
cl_node a --json publish --year "${tail_month%-*}" --through "$tail_month" --known-at "seq:$k_seq" --out "$SCRATCH/site-a" > "$SCRATCH/pub-a.json"
cl_node b --json publish --year "${tail_month%-*}" --through "$tail_month" --known-at "seq:$k_seq" --out "$SCRATCH/site-b" > "$SCRATCH/pub-b.json"
expect_eq "$(jq -c '[.existing, .event_seq]' "$SCRATCH/pub-a.json")" "[false,$(( k_seq + 1 ))]" "the first publication"
expect_eq "$(jq -c '[.existing, .event_seq]' "$SCRATCH/pub-b.json")" "[true,$(( k_seq + 1 ))]" "the same publication through node b"
diff -r "$SCRATCH/site-a" "$SCRATCH/site-b" > /dev/null || fail "the two nodes published different files at seq $k_seq"
end=$(log_end orebro)
for n in a b c; do node_wait_offset "$n" orebro "$end"; done
expect_eq "$(node_verify b orebro)" "$(node_verify a orebro)" "nodes a and b after the command line's writes"
expect_eq "$(node_verify c orebro)" "$(node_verify a orebro)" "nodes a and c after the command line's writes"
echo "cluster_test: the command line submitted $good events (and a bad line), paid $tail_month, published a rulebook twice and the follow-up twice, all through the log"
# With no node indexing the data directory, a write waits await_ms and says so.
cluster_config g orebro
sed -i 's/await_ms = 30000/await_ms = 1500/' "$SCRATCH/g.toml"
set +e
out=$(cl_node g payout --month "$tail_month" 2>&1)
code=$?
set -e
expect_eq "$code" "2" "a payout with no node indexing its data directory"
[[ "$out" == *"is \`serve --region orebro\` running"* ]] || fail "the timeout's message: $out"

# A node refuses a region it does not index, naming it.
set +e
out=$("$CAPLEDGER_BIN" --config "$SCRATCH/a.toml" --data "$SCRATCH/a" --region vastmanland verify 2>&1)
code=$?
set -e
expect_eq "$code" "2" "a query for a region node a does not index"
[[ "$out" == *"region vastmanland: this node does not index it"* ]] || fail "the refusal: $out"
# Every node stops cleanly on SIGTERM (exit 0): its feed, upstream ingest and indexer leave their
# groups and the store closes.
for f in "$SCRATCH"/*-*.pid; do
  pid=$(cat "$f")
  kill -TERM "$pid"
  set +e
  wait "$pid"
  code=$?
  set -e
  expect_eq "$code" "0" "node $(basename "$f" .pid)'s exit code on SIGTERM"
  rm -f "$f"
done
# One kill per seed and one more of node d while it forwarded; acknowledged: the submitted events
# (each checked once in every node's log above) and Västmanland's forwarded ones.
faults_report cluster_indexer "$((nseeds + 1))" "$(( $(wc -l < "$SCRATCH/submitted.ids") + $(wc -l < "$SCRATCH/v-submitted.ids") ))" 0 0 ok
echo "cluster_test: ok"
