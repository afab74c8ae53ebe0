#!/usr/bin/env bash
# Crash safety of `serve` under API load: serve is SIGKILLed at seeded random moments
# (CAPLEDGER_CRASH_KILLS, default 8) while three clients read reports, entries, runs and verify,
# and an operator books the months of 2023 and 2024 one after another through POST /v1/payouts. After each kill:
# verify passes, no month has two runs, and every month whose POST was answered 200 (acknowledged)
# has its run with all its entries. At the end the remaining months are booked, serve drains on
# SIGTERM and exits 0, and each month has exactly one run.
source "$(dirname "$0")/lib.sh"
command -v curl > /dev/null || fail "curl is needed (tools/lib.sh installs it)"
command -v jq > /dev/null || fail "jq is needed (tools/lib.sh installs it)"

SEED="${CAPLEDGER_CRASH_SEED:-31}"
KILLS="${CAPLEDGER_CRASH_KILLS:-8}"
echo "serve_crash_test: seed $SEED, $KILLS kills (rerun with CAPLEDGER_CRASH_SEED=$SEED)"
RANDOM=$SEED

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --residents 30000 --years 2 --seed 4 > "$SCRATCH/world.jsonl"
cl ingest "$SCRATCH/world.jsonl" > /dev/null
AUDITOR="auditor-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
OPERATOR="operator-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'auditor %s\noperator %s\n' "$AUDITOR" "$OPERATOR" > "$SCRATCH/tokens"
chmod 600 "$SCRATCH/tokens"
: > "$SCRATCH/acked"

months() { for y in 2023 2024; do for m in 01 02 03 04 05 06 07 08 09 10 11 12; do echo "$y-$m"; done; done; }
# The store's PayoutRun events, read once per check (runs_of reads them).
read_runs() { cl log | grep '"type":"PayoutRun"' > "$SCRATCH/runs.jsonl" || true; }
runs_of() { grep -c "\"run\":\"$1\"" "$SCRATCH/runs.jsonl" || true; }

# Readers: GETs in a loop until the server is gone.
reader() {
  local base="http://127.0.0.1:$PORT" paths=("/v1/report?month=2023-03" "/v1/entries?run=2023-01" "/v1/runs" "/v1/verify")
  local i=$1
  while kill -0 "$SERVE_PID" 2> /dev/null; do
    curl -s -o /dev/null -m 5 -H "Authorization: Bearer $AUDITOR" "$base${paths[$((i % 4))]}" || true
    i=$((i + 1))
  done
}
# The operator: books the months not yet booked, in order; a 200 is an acknowledgement.
operator() {
  local month status
  read_runs
  for month in $(months); do
    [ "$(runs_of "$month")" -eq 0 ] || continue
    status=$(curl -s -o "$SCRATCH/post.json" -w '%{http_code}' -m 30 -X POST -H "Authorization: Bearer $OPERATOR" \
      "http://127.0.0.1:$PORT/v1/payouts/$month" || true)
    [ "$status" == "200" ] || return 0
    echo "$month" >> "$SCRATCH/acked"
    sleep "0.$(( 100 + RANDOM % 300 ))"  # the payment unit's pace, so that kills land between and inside runs
  done
}

# The checks that hold after any kill.
check() {
  local what="$1" month n entries expected
  cl verify > /dev/null || fail "$what: verify failed"
  read_runs
  for month in $(months); do
    n=$(runs_of "$month")
    (( n <= 1 )) || fail "$what: $month has $n runs"
    if grep -qx "$month" "$SCRATCH/acked"; then
      (( n == 1 )) || fail "$what: $month was acknowledged but has no run"
      entries=$(cl --json entries --run "$month" | jq '.entries | length')
      expected=$(grep "\"run\":\"$month\"" "$SCRATCH/runs.jsonl" | grep -o '"entry_count":[0-9]*' | cut -d: -f2)
      expect_eq "$entries" "$expected" "$what: $month's entries"
    fi
  done
}

landed=0
for ((kill_no = 1; kill_no <= KILLS; kill_no++)); do
  start_serve "$SCRATCH/store" "$SCRATCH/tokens"
  load=()
  for r in 1 2 3; do reader "$r" & load+=($!); done
  operator & load+=($!)
  delay_ms=$(( 100 + RANDOM % 1500 ))
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -9 "$SERVE_PID" 2> /dev/null && landed=$((landed + 1))
  wait "$SERVE_PID" 2> /dev/null || true
  for p in "${load[@]}"; do wait "$p" 2> /dev/null || true; done
  check "kill $kill_no"
  echo "kill $kill_no after $delay_ms ms: $(wc -l < "$SCRATCH/acked") months acknowledged, checks hold"
done

start_serve "$SCRATCH/store" "$SCRATCH/tokens"
operator
stop_serve
check "at the end"
read_runs
for month in $(months); do expect_eq "$(runs_of "$month")" "1" "runs of $month at the end"; done
entries=$(cl --json entries | jq '.entries | length')
faults_report serve_api "$landed" "$entries" 0 0 ok "entries_of_24_runs"
echo "serve_crash_test: ok ($entries entries in 24 runs, each once)"
