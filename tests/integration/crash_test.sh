#!/usr/bin/env bash
# Crash safety of ingest (issue: "kill it with SIGKILL at random moments"): ingest a large file,
# SIGKILL the process at seeded random moments (at least 20 times), and after every kill check
# that the log is a gapless prefix of the file holding at least every acknowledged line, and that
# verify passes. Once the whole file is stored the store starts again empty, so that later kills
# land inside an ingest. Finally a full re-ingest stores each event exactly once.
source "$(dirname "$0")/lib.sh"

SEED="${CAPLEDGER_CRASH_SEED:-11}"  # fixed in the suite; tools/faults runs others
KILLS="${CAPLEDGER_CRASH_KILLS:-20}"
echo "crash_test: seed $SEED, $KILLS kills (rerun with CAPLEDGER_CRASH_SEED=$SEED)"
RANDOM=$SEED

# A world whose line k has id gen-k, so the stored prefix is easy to check.
"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --residents 60000 --years 1 --seed 7 > "$SCRATCH/world.jsonl"
lines=$(wc -l < "$SCRATCH/world.jsonl")
echo "crash_test: $lines lines"
cat > "$SCRATCH/small-batches.toml" <<'EOF2'
[ingest]
batch_events = 1000
[log]
level = "info"
EOF2

# Checks that the stored ids are gen-1 .. gen-N in seq order; prints N.
check_prefix() {
  # A kill before the store was created leaves none (a store is created whole, then renamed).
  if [ ! -e "$SCRATCH/store/CURRENT" ]; then echo 0; return; fi
  cl log | awk -F'"id":"gen-' '{ split($2, a, "\""); if (a[1] != NR) { print "BAD " NR " " a[1]; exit } } END { print NR }'
}

# How long a whole ingest takes here, so that the kills land anywhere within one.
start=$(date +%s%N)
"$CAPLEDGER_BIN" --config "$SCRATCH/small-batches.toml" --data "$SCRATCH/timing" ingest "$SCRATCH/world.jsonl" > /dev/null 2>&1
run_ms=$(( ($(date +%s%N) - start) / 1000000 ))
rm -rf "$SCRATCH/timing"
echo "crash_test: a whole ingest takes $run_ms ms"

acked_max=0 landed=0
for ((kill_no = 1; kill_no <= KILLS; kill_no++)); do
  "$CAPLEDGER_BIN" --config "$SCRATCH/small-batches.toml" --data "$SCRATCH/store" ingest "$SCRATCH/world.jsonl" \
    > /dev/null 2> "$SCRATCH/ingest.err" &
  pid=$!
  # Sleep 20 ms to a whole ingest's time before the kill.
  delay_ms=$(( 20 + RANDOM % (run_ms + 1) ))
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -9 "$pid" 2>/dev/null || true
  set +e; wait "$pid" 2>/dev/null; code=$?; set -e
  (( code == 137 )) && landed=$((landed + 1))
  acked=$(grep -o 'committed through line [0-9]*' "$SCRATCH/ingest.err" | tail -n 1 | grep -o '[0-9]*$' || echo 0)
  [ -n "$acked" ] || acked=0
  stored=$(check_prefix)
  case "$stored" in BAD*) fail "kill $kill_no: the log is not a prefix of the file ($stored)";; esac
  [ "$stored" -ge "$acked" ] || fail "kill $kill_no: $acked lines were acknowledged but only $stored are stored"
  [ "$stored" -ge "$acked_max" ] || fail "kill $kill_no: the log shrank from $acked_max to $stored"
  acked_max=$stored
  # A kill before the store was created leaves nothing to verify.
  [ ! -e "$SCRATCH/store/CURRENT" ] || cl verify > /dev/null || fail "kill $kill_no: verify failed"
  echo "kill $kill_no: acknowledged $acked, stored $stored of $lines"
  if (( stored == lines && kill_no < KILLS )); then
    # Whole: later runs would only find duplicates and end before their kill. Start again.
    rm -rf "$SCRATCH/store"
    acked_max=0
  fi
done

out=$(cl ingest "$SCRATCH/world.jsonl")
stored=$(check_prefix)
expect_eq "$stored" "$lines" "after the final re-ingest every line is stored"
# The event's own id is the one after its type (a rulebook's missions have ids of their own).
ids=$(cl log | grep -o '^{"type":"[A-Za-z]*","id":"[^"]*"')
expect_eq "$(echo "$ids" | wc -l)" "$lines" "one event id read per stored line"
dups=$(echo "$ids" | sort | uniq -d | wc -l)
expect_eq "$dups" "0" "ids stored more than once"
cl verify > /dev/null || fail "verify after the final re-ingest"
faults_report file_ingest "$landed" "$lines" "$((lines - stored))" "$dups" ok "${KILLS}_kills_sent"
echo "crash_test: ok ($out)"
