#!/usr/bin/env bash
# One writer per store, whatever an operator does to RocksDB's files, and stores created whole
# however many processes race to create them:
# - with `serve` running, RocksDB's LOCK file removed: `ingest` and `payout` are refused (exit 2,
#   the holder named), the API's payout books, and after serve stops every command opens the
#   store and verify passes;
# - 20 rounds of three processes ingesting into the same new directory at once: every round ends
#   with one store that opens, each event once, and no leftover of a creation.
source "$(dirname "$0")/lib.sh"
command -v curl > /dev/null || fail "curl is needed (tools/lib.sh installs it)"

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 1 --seed 11 > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2023-02
awk 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
     if (t > "2023-03-05T23:59:59.999999Z" && t <= "2023-04-05T23:59:59.999999Z") print }' \
  "$SCRATCH/world.jsonl" > "$SCRATCH/march.jsonl"
[ -s "$SCRATCH/march.jsonl" ] || fail "the world has no lines recorded for March"
head_before=$(cl log | wc -l)

# ---- a second writer while serve runs, RocksDB's LOCK removed ----------------------------------
OPERATOR="operator-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'operator %s\n' "$OPERATOR" > "$SCRATCH/tokens"
start_serve "$SCRATCH/store" "$SCRATCH/tokens"

rm "$SCRATCH/store/LOCK"
set +e
cl ingest "$SCRATCH/march.jsonl" > "$SCRATCH/ingest.out" 2> "$SCRATCH/ingest.err"
ingest_exit=$?
cl --recorded-at 2023-04-05T23:59:59Z payout --month 2023-03 > /dev/null 2> "$SCRATCH/payout.err"
payout_exit=$?
set -e
expect_eq "$ingest_exit" "2" "exit code of ingest while serve holds the store"
expect_eq "$payout_exit" "2" "exit code of payout while serve holds the store"
grep -q "in use by process $SERVE_PID" "$SCRATCH/ingest.err" || fail "ingest does not name serve: $(cat "$SCRATCH/ingest.err")"
grep -q "Resource temporarily unavailable" "$SCRATCH/ingest.err" && fail "ingest shows RocksDB's raw lock error"
status=$(curl -sS -o "$SCRATCH/payout.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $OPERATOR" \
  "http://127.0.0.1:$PORT/v1/payouts/2023-03")
expect_eq "$status" "200" "the API's payout while a second writer was refused"
stop_serve
cl verify > /dev/null || fail "verify after the refused second writer"
booked=$(cl log | wc -l)
[ "$booked" -gt "$head_before" ] || fail "the API's payout booked nothing ($booked events)"
cl --json entries --run 2023-03 | grep -q '"run": "2023-03"' || fail "the run of March is not in the entries"
echo "store_guard_test: a second writer was refused while serve ran without RocksDB's LOCK; serve booked March"

# ---- racing creators -------------------------------------------------------------------------
head -n 2000 "$SCRATCH/world.jsonl" > "$SCRATCH/small.jsonl"
for ((round = 1; round <= 20; round++)); do
  dir="$SCRATCH/race-$round/store"
  mkdir -p "$SCRATCH/race-$round"
  pids=()
  for ((p = 0; p < 3; p++)); do
    "$CAPLEDGER_BIN" --log-level error --data "$dir" ingest "$SCRATCH/small.jsonl" > /dev/null 2> "$SCRATCH/race.$p.err" &
    pids+=($!)
  done
  for ((p = 0; p < 3; p++)); do
    set +e; wait "${pids[$p]}"; code=$?; set -e
    case $code in
      0) ;;
      2) grep -q "in use by process" "$SCRATCH/race.$p.err" || fail "round $round: exit 2 without naming the holder: $(cat "$SCRATCH/race.$p.err")";;
      *) fail "round $round: ingest exited $code: $(cat "$SCRATCH/race.$p.err")";;
    esac
  done
  # Whoever was refused runs again: everything ends stored once.
  "$CAPLEDGER_BIN" --log-level error --data "$dir" ingest "$SCRATCH/small.jsonl" > /dev/null
  "$CAPLEDGER_BIN" --log-level error --data "$dir" verify > /dev/null || fail "round $round: verify"
  stored=$("$CAPLEDGER_BIN" --log-level error --data "$dir" log | wc -l)
  expect_eq "$stored" "2000" "round $round: events stored"
  leftovers=$(find "$SCRATCH/race-$round" -maxdepth 1 -name 'store.creating*' | wc -l)
  expect_eq "$leftovers" "0" "round $round: leftovers of a creation"
done
echo "store_guard_test: 20 rounds of three racing creators, each ending with one whole store"
