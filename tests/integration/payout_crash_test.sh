#!/usr/bin/env bash
# Crash during a payout run (issue: "a SIGKILL during a run leaves either the whole run or none
# of it; a re-run after restart books it exactly once"): kill `capledger payout` at seeded random
# moments, check after each kill that the month's entries are all there with their PayoutRun or
# none are, and that verify passes; then run the month to completion and check it was booked once.
source "$(dirname "$0")/lib.sh"

SEED="${CAPLEDGER_CRASH_SEED:-13}"  # fixed in the suite; tools/faults runs others
KILLS="${CAPLEDGER_CRASH_KILLS:-12}"
echo "payout_crash_test: seed $SEED, $KILLS kills (rerun with CAPLEDGER_CRASH_SEED=$SEED)"
RANDOM=$SEED

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --residents 40000 --years 1 --seed 3 > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2023-05
# Ingest what was known by 5 July, so that the June run has corrections to book too.
awk 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
     if (t > "2023-06-05T23:59:59.999999Z" && t <= "2023-07-05T23:59:59.999999Z") print }' \
  "$SCRATCH/world.jsonl" | cl ingest - > /dev/null

# Whole or none: prints the number of June entries if the run is complete, "none" if absent.
run_state() {
  local entries run_count
  entries=$(cl --json entries --run 2023-06 | grep -o '"id": "E-' | wc -l)
  run_count=$(cl log | grep '"type":"PayoutRun"' | grep -c '"run":"2023-06"' || true)
  if [ "$run_count" -eq 0 ] && [ "$entries" -eq 0 ]; then echo none; return; fi
  [ "$run_count" -eq 1 ] || fail "the PayoutRun for 2023-06 is stored $run_count times with $entries entries"
  local expected
  expected=$(cl log | grep '"type":"PayoutRun"' | grep '"run":"2023-06"' | grep -o '"entry_count":[0-9]*' | cut -d: -f2)
  [ "$entries" -eq "$expected" ] || fail "the run says $expected entries but $entries are stored"
  echo "$entries"
}

# How long one run takes here, on a copy, so that the kills land anywhere within a run.
cp -a "$SCRATCH/store" "$SCRATCH/pristine"
start=$(date +%s%N)
cl --recorded-at 2023-07-05T23:59:59.999999Z payout --month 2023-06 > /dev/null
run_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "payout_crash_test: one run takes $run_ms ms"

complete=0 landed=0
for ((kill_no = 1; kill_no <= KILLS; kill_no++)); do
  rm -rf "$SCRATCH/store"
  cp -a "$SCRATCH/pristine" "$SCRATCH/store"
  "$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/store" --recorded-at 2023-07-05T23:59:59.999999Z \
    payout --month 2023-06 > /dev/null 2>&1 &
  pid=$!
  delay_ms=$(( RANDOM % (run_ms + 20) ))
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -9 "$pid" 2>/dev/null || true
  set +e; wait "$pid" 2>/dev/null; code=$?; set -e
  (( code == 137 )) && landed=$((landed + 1))
  state=$(run_state)
  cl verify > /dev/null || fail "kill $kill_no: verify failed"
  [ "$state" != none ] && complete=$((complete + 1))
  echo "kill $kill_no after $delay_ms ms: June run $state"
done
echo "payout_crash_test: $complete of $KILLS killed runs had completed, the others left nothing"

cl --recorded-at 2023-07-05T23:59:59.999999Z payout --month 2023-06 > /dev/null
state=$(run_state)
[ "$state" != none ] || fail "the run after the kills books the month"
cl payout --month 2023-06 > /dev/null
expect_eq "$(run_state)" "$state" "a second run after completion books nothing more"
cl verify > /dev/null || fail "verify at the end"
# A kill that came after the run had finished is not counted as a fault.
faults_report payout "$landed" "$state" 0 0 ok "${KILLS}_kills_sent"
echo "payout_crash_test: ok (June booked once, $state entries)"
