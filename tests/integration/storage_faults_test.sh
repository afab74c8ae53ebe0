#!/usr/bin/env bash
# Storage faults under RocksDB: ingest, payout and checkpoint run on capledger-faulty, the command
# line with RocksDB's file system wrapped (tests/faults/fault_fs.h), each with one fault of each
# kind (write error, short write, sync error, read error, power loss) at an operation the seed
# chooses within the command's own count of such operations. CAPLEDGER_STORAGE_ROUNDS (default 1)
# rounds of the 15 combinations. Every run, on a fresh copy of one store:
# - ends with exit 0 or 2 (a power loss: killed), never another signal; an exit 2 says what failed;
# - reported success only for what is durable: every line an ingest acknowledged ("committed
#   through line N"), a run a payout reported, is in the store when the product binary reopens
#   it; a payout is whole or absent;
# - recovers: the product binary opens the store, verify passes, and the same command then
#   completes (an ingest stores exactly the lines missing; the run is booked once; the reports
#   after a checkpoint equal the store's before it).
# Then `serve` whose every write fails once it has started: its payout is 503 io_error.
source "$(dirname "$0")/lib.sh"
: "${CAPLEDGER_FAULTY_BIN:?set by ctest: the capledger-faulty program}"

SEED="${CAPLEDGER_STORAGE_SEED:-41}"
ROUNDS="${CAPLEDGER_STORAGE_ROUNDS:-1}"
echo "storage_faults_test: seed $SEED, $ROUNDS rounds (rerun with CAPLEDGER_STORAGE_SEED=$SEED)"
RANDOM=$SEED

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --residents 20000 --years 1 --seed 5 > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2023-05
CUTOFF=2023-07-05T23:59:59.999999Z
awk -v c="$CUTOFF" 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
     if (t > "2023-06-05T23:59:59.999999Z" && t <= c) print }' "$SCRATCH/world.jsonl" | cl ingest - > /dev/null
awk -v c="$CUTOFF" 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
     if (t > c) print }' "$SCRATCH/world.jsonl" > "$SCRATCH/rest.jsonl"
mv "$SCRATCH/store" "$SCRATCH/base"
printf '[ingest]\nbatch_events = 500\n[log]\nlevel = "info"\n' > "$SCRATCH/batches.toml"
"$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/base" report --month 2023-05 > "$SCRATCH/report-before.txt"
rest_lines=$(wc -l < "$SCRATCH/rest.jsonl")
base_events=$("$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/base" log | wc -l)
echo "storage_faults_test: base store of $base_events events; the ingest under faults has $rest_lines lines"

product() { "$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/store" "$@"; }
faulty() { "$CAPLEDGER_FAULTY_BIN" --config "$SCRATCH/batches.toml" --data "$SCRATCH/store" "$@"; }
command_args() {
  case "$1" in
    ingest) echo "ingest $SCRATCH/rest.jsonl" ;;
    payout) echo "--recorded-at $CUTOFF payout --month 2023-06" ;;
    checkpoint) echo "checkpoint" ;;
  esac
}
# The operations of one kind the command performs without faults: "writes", "syncs" or "reads".
declare -A OPS
for command in ingest payout checkpoint; do
  rm -rf "$SCRATCH/store"; cp -a "$SCRATCH/base" "$SCRATCH/store"
  # shellcheck disable=SC2046
  CAPLEDGER_FAULTS=count faulty $(command_args "$command") > /dev/null 2> "$SCRATCH/count.err"
  line=$(grep '^fault_fs:' "$SCRATCH/count.err")
  for kind in writes syncs reads; do OPS[$command.$kind]=$(grep -o "$kind [0-9]*" <<< "$line" | grep -o '[0-9]*'); done
  echo "storage_faults_test: $command: $line"
done

# June's run whole or absent: its entry count, or "none".
run_state() {
  local runs entries expected
  runs=$(product log | grep '"type":"PayoutRun"' | grep -c '"run":"2023-06"' || true)
  entries=$(product --json entries --run 2023-06 | grep -o '"id": "E-' | wc -l)
  if [ "$runs" -eq 0 ] && [ "$entries" -eq 0 ]; then echo none; return; fi
  [ "$runs" -eq 1 ] || fail "June's run is stored $runs times"
  expected=$(product log | grep '"type":"PayoutRun"' | grep '"run":"2023-06"' | grep -o '"entry_count":[0-9]*' | cut -d: -f2)
  [ "$entries" -eq "$expected" ] || fail "June's run says $expected entries, $entries are stored"
  echo "$entries"
}

runs=0 injected=0 refused=0 powered_off=0 acked_total=0
for ((round = 1; round <= ROUNDS; round++)); do
  for command in ingest payout checkpoint; do
    for kind in write_error short_write sync_error read_error power_loss; do
      case "$kind" in
        write_error|short_write) ops=${OPS[$command.writes]} ;;
        sync_error|power_loss) ops=${OPS[$command.syncs]} ;;
        read_error) ops=${OPS[$command.reads]} ;;
      esac
      (( ops > 0 )) || continue
      at=$(( 1 + RANDOM % ops ))
      what="$command with $kind:$at (of $ops)"
      rm -rf "$SCRATCH/store"; cp -a "$SCRATCH/base" "$SCRATCH/store"
      set +e
      # shellcheck disable=SC2046
      CAPLEDGER_FAULTS="$kind:$at" faulty $(command_args "$command") > "$SCRATCH/out.txt" 2> "$SCRATCH/err.txt"
      code=$?
      set -e
      runs=$((runs + 1))
      grep -q 'injected [1-9]' "$SCRATCH/err.txt" && injected=$((injected + 1))
      [ "$kind" == power_loss ] && (( code == 137 )) && injected=$((injected + 1))
      case "$code" in
        0) ;;
        2) refused=$((refused + 1))
           grep -q '^capledger: .*\(injected\|I/O\|IO error\|store\)' "$SCRATCH/err.txt" \
             || fail "$what: exit 2 without saying what failed: $(tail -n 3 "$SCRATCH/err.txt")" ;;
        137) [ "$kind" == power_loss ] || fail "$what: killed without a power loss"
             powered_off=$((powered_off + 1)) ;;
        *) fail "$what: exit $code (a crash?): $(tail -n 5 "$SCRATCH/err.txt")" ;;
      esac
      # Reopened by the product binary: whatever was reported is there, and verify passes.
      product verify > /dev/null || fail "$what: verify after the fault: $(product verify 2>&1 | tail -n 2)"
      case "$command" in
        ingest)
          acked=$(grep -o 'committed through line [0-9]*' "$SCRATCH/err.txt" | tail -n 1 | grep -o '[0-9]*$' || echo 0)
          [ -n "$acked" ] || acked=0
          (( code != 0 )) || acked=$rest_lines
          stored=$(( $(product log | wc -l) - base_events ))
          (( stored >= acked )) || fail "$what: $acked lines acknowledged, $stored stored"
          acked_total=$((acked_total + acked))
          out=$(product ingest "$SCRATCH/rest.jsonl")
          [[ "$out" == "stored $((rest_lines - stored)), duplicate $stored,"* ]] \
            || fail "$what: the ingest again: $out (after $stored stored)"
          ;;
        payout)
          state=$(run_state)
          (( code != 0 )) || [ "$state" != none ] || fail "$what: the payout reported success; no run is stored"
          [ "$state" == none ] || acked_total=$((acked_total + state))
          product --recorded-at "$CUTOFF" payout --month 2023-06 > /dev/null
          state=$(run_state)
          [ "$state" != none ] || fail "$what: the payout again booked nothing"
          ;;
        checkpoint)
          product report --month 2023-05 > "$SCRATCH/report-after.txt"
          cmp -s "$SCRATCH/report-before.txt" "$SCRATCH/report-after.txt" || fail "$what: May's report changed"
          product checkpoint > /dev/null
          product report --month 2023-05 > "$SCRATCH/report-after.txt"
          cmp -s "$SCRATCH/report-before.txt" "$SCRATCH/report-after.txt" || fail "$what: May's report changed after a checkpoint"
          ;;
      esac
      product verify > /dev/null || fail "$what: verify after the command completed"
      echo "$what: exit $code; recovered"
    done
  done
done
# serve: every write fails from a moment after it has started (a disk that died under it). The
# payout through the API is answered 503 io_error and books nothing, /health still answers, and
# serve stops on SIGTERM without a crash. The product binary then finds the store whole and books
# the run.
rm -rf "$SCRATCH/store"; cp -a "$SCRATCH/base" "$SCRATCH/store"
OPERATOR="operator-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'operator %s\n' "$OPERATOR" > "$SCRATCH/tokens"
chmod 600 "$SCRATCH/tokens"
CAPLEDGER_FAULTS="write_error:1+@usr2" "$CAPLEDGER_FAULTY_BIN" --log-level info --data "$SCRATCH/store" serve \
  --http 127.0.0.1:0 --tokens "$SCRATCH/tokens" > "$SCRATCH/serve.out" 2> "$SCRATCH/serve.log" &
faulty_serve=$!
for ((i = 0; i < 300; i++)); do [ -s "$SCRATCH/serve.out" ] && break; sleep 0.05; done
port=$(grep -o '"http": "127.0.0.1:[0-9]*"' "$SCRATCH/serve.out" | grep -o '[0-9]*"$' | tr -d '"')
[ -n "$port" ] || fail "the faulty serve did not start: $(tail -n 3 "$SCRATCH/serve.log")"
kill -USR2 "$faulty_serve"  # the disk dies
status=$(curl -s -o "$SCRATCH/post.json" -w '%{http_code}' -m 30 -X POST -H "Authorization: Bearer $OPERATOR" \
  "http://127.0.0.1:$port/v1/payouts/2023-06")
expect_eq "$status" "503" "the payout through the API on a dead disk"
grep -q '"code": "io_error"' "$SCRATCH/post.json" || fail "the 503's body: $(cat "$SCRATCH/post.json")"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -m 10 "http://127.0.0.1:$port/health")" "200" "/health on a dead disk"
kill -TERM "$faulty_serve"
set +e; wait "$faulty_serve"; code=$?; set -e
(( code < 128 )) || fail "serve on a dead disk ended by signal $((code - 128)): $(tail -n 3 "$SCRATCH/serve.log")"
runs=$((runs + 1)) injected=$((injected + 1)) refused=$((refused + 1))
product verify > /dev/null || fail "verify after serve on a dead disk"
expect_eq "$(run_state)" "none" "June's run after the 503"
product --recorded-at "$CUTOFF" payout --month 2023-06 > /dev/null
[ "$(run_state)" != none ] || fail "the payout after serve on a dead disk booked nothing"
echo "serve with every write failing after start: payout 503 io_error, /health 200, serve exit $code; recovered"

(( injected * 10 >= runs * 8 )) || fail "only $injected of $runs runs met their fault: the test did not test it"
faults_report storage "$injected" "$acked_total" 0 0 ok "${runs}_runs_${refused}_refused_${powered_off}_power_losses"
echo "storage_faults_test: ok ($runs runs, $injected faults met, $refused refused with exit 2, $powered_off power losses)"
