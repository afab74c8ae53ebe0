#!/usr/bin/env bash
# Crash safety of checkpoint writing: `capledger checkpoint` is SIGKILLed at seeded random moments
# of its run (CAPLEDGER_CRASH_KILLS, default 12). Store A takes every kill; store B is a copy of A
# made before the first, which never sees a torn checkpoint. Every fourth kill both ingest the
# same further slice of the world, so that checkpoints are written at different heads. After each
# kill, A's report of June and December (whatever checkpoint it starts from) equals B's, byte for
# byte, and A verifies. At the end a checkpoint completes on A, and the reports are equal again.
source "$(dirname "$0")/lib.sh"

SEED="${CAPLEDGER_CRASH_SEED:-23}"
KILLS="${CAPLEDGER_CRASH_KILLS:-12}"
echo "checkpoint_crash_test: seed $SEED, $KILLS kills (rerun with CAPLEDGER_CRASH_SEED=$SEED)"
RANDOM=$SEED

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --residents 40000 --years 1 --seed 9 > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2023-05
done_lines=$(cl log | grep -c '"recorded_at"' || true)
# The rest of the world, recorded after the May run, in slices ingested between kills.
awk 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
     if (t > "2023-06-05T23:59:59.999999Z") print }' "$SCRATCH/world.jsonl" > "$SCRATCH/rest.jsonl"
awk 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
     if (t > "2023-05-05T23:59:59.999999Z" && t <= "2023-06-05T23:59:59.999999Z") print }' \
  "$SCRATCH/world.jsonl" | cl ingest - > /dev/null
slices=$(( KILLS / 4 + 1 ))
split -n "l/$slices" -d "$SCRATCH/rest.jsonl" "$SCRATCH/slice-"
cp -a "$SCRATCH/store" "$SCRATCH/twin"
twin() { "$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/twin" "$@"; }
echo "checkpoint_crash_test: $(wc -l < "$SCRATCH/world.jsonl") lines, $slices slices after June (done: $done_lines)"

# Both stores' reports of June and December, and A's verify.
check() {
  local what="$1" month
  for month in 2023-06 2023-12; do
    cl report --month "$month" > "$SCRATCH/a.txt" 2> "$SCRATCH/a.err" || fail "$what: report $month on A: $(cat "$SCRATCH/a.err")"
    twin report --month "$month" > "$SCRATCH/b.txt"
    cmp -s "$SCRATCH/a.txt" "$SCRATCH/b.txt" || fail "$what: A's report of $month differs: $(diff "$SCRATCH/a.txt" "$SCRATCH/b.txt" | head -5)"
  done
  cl verify > /dev/null || fail "$what: verify failed"
}

start=$(date +%s%N)
cp -a "$SCRATCH/store" "$SCRATCH/timing"
"$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/timing" checkpoint > /dev/null
run_ms=$(( ($(date +%s%N) - start) / 1000000 ))
rm -rf "$SCRATCH/timing"
echo "checkpoint_crash_test: one checkpoint takes $run_ms ms"

slice=0 landed=0
for ((kill_no = 1; kill_no <= KILLS; kill_no++)); do
  if (( kill_no % 4 == 0 )) && [ -f "$SCRATCH/slice-$(printf '%02d' "$slice")" ]; then
    cl ingest "$SCRATCH/slice-$(printf '%02d' "$slice")" > /dev/null
    twin ingest "$SCRATCH/slice-$(printf '%02d' "$slice")" > /dev/null
    slice=$((slice + 1))
  fi
  "$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/store" checkpoint > /dev/null 2>&1 &
  pid=$!
  delay_ms=$(( RANDOM % (run_ms + 20) ))
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -9 "$pid" 2>/dev/null || true
  set +e; wait "$pid" 2>/dev/null; code=$?; set -e
  (( code == 137 )) && landed=$((landed + 1))
  check "kill $kill_no"
  echo "kill $kill_no after $delay_ms ms (exit $code): reports equal, verify passes"
done

cl checkpoint > /dev/null
check "after a whole checkpoint"
events=$(cl log | wc -l)
[ "$events" -eq "$(twin log | wc -l)" ] || fail "A and B hold different numbers of events"
# A kill that came after the checkpoint had finished (exit 0) is not counted as a fault.
faults_report checkpoint "$landed" "$events" 0 0 ok "${KILLS}_kills_sent"
echo "checkpoint_crash_test: ok"
