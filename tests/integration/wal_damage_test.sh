#!/usr/bin/env bash
# A damaged write-ahead log loses nothing silently. An ingest acknowledges 16,000 events in
# batches of 1,000 and is killed (SIGKILL) while its events are still only in the write-ahead
# log. Then, on copies of the store:
# - a flipped byte in the log: verify exits 1 naming the last acknowledged seq; report, ingest and
#   payout refuse (exit 2) and point at `capledger recover`; `recover` alone changes nothing;
# - the log cut in half (what is left looks whole): the same, from the head record;
# - `recover --accept-loss` opens the log at its damage, says how many acknowledged events were
#   lost, keeps the damaged files, records itself in recovery.log; the input ingested again
#   stores exactly the lost events, and verify passes.
source "$(dirname "$0")/lib.sh"

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 1 --seed 5 --residents 20000 > "$SCRATCH/world.jsonl"
head -n 16000 "$SCRATCH/world.jsonl" > "$SCRATCH/input.jsonl"
expect_eq "$(wc -l < "$SCRATCH/input.jsonl")" "16000" "input lines"
printf '[ingest]\nbatch_events = 1000\n' > "$SCRATCH/batches.toml"

# ---- acknowledge 16,000 events, then die --------------------------------------------------------
mkfifo "$SCRATCH/fifo"
"$CAPLEDGER_BIN" --config "$SCRATCH/batches.toml" --log-level info --data "$SCRATCH/store" ingest - \
  < "$SCRATCH/fifo" > /dev/null 2> "$SCRATCH/ingest.err" &
INGEST_PID=$!
exec 3> "$SCRATCH/fifo"   # held open: the ingest waits for more input after the last batch
cat "$SCRATCH/input.jsonl" >&3
# Blank lines (skipped) push the last line through the reader's 1 MiB chunks.
head -c 3000000 /dev/zero | tr '\0' '\n' >&3
for ((i = 0; i < 600; i++)); do
  grep -q 'committed through line 16000' "$SCRATCH/ingest.err" && break
  kill -0 "$INGEST_PID" 2>/dev/null || fail "ingest exited early: $(cat "$SCRATCH/ingest.err")"
  sleep 0.1
done
grep -q 'committed through line 16000' "$SCRATCH/ingest.err" || fail "ingest did not acknowledge 16000 lines"
kill -9 "$INGEST_PID"
wait "$INGEST_PID" 2>/dev/null || true
exec 3>&-
# The write-ahead log file that holds the batches: the largest (the open keeps the empty one of
# the store's creation).
wal_name=$(cd "$SCRATCH/store" && ls -S -- *.log | head -n 1)
wal_bytes=$(stat -c %s "$SCRATCH/store/$wal_name")
echo "wal_damage_test: 16000 events acknowledged, $wal_bytes bytes of write-ahead log"

# on STORE: every command refuses, verify fails, nothing changes until recover --accept-loss.
check_closed() {
  local store=$1 why=$2
  local before; before=$(md5sum "$store/$wal_name")
  set +e
  "$CAPLEDGER_BIN" --data "$store" verify > "$SCRATCH/verify.out" 2> /dev/null; local verify_exit=$?
  "$CAPLEDGER_BIN" --data "$store" report --month 2023-01 > /dev/null 2> "$SCRATCH/report.err"; local report_exit=$?
  "$CAPLEDGER_BIN" --data "$store" ingest "$SCRATCH/input.jsonl" > /dev/null 2> "$SCRATCH/ingest2.err"; local ingest_exit=$?
  "$CAPLEDGER_BIN" --data "$store" payout --month 2023-01 > /dev/null 2> /dev/null; local payout_exit=$?
  "$CAPLEDGER_BIN" --data "$store" recover > /dev/null 2> "$SCRATCH/recover.err"; local recover_exit=$?
  set -e
  expect_eq "$verify_exit" "1" "$why: verify's exit code"
  grep -q "^FAILED: .*$3" "$SCRATCH/verify.out" || fail "$why: verify says: $(cat "$SCRATCH/verify.out")"
  expect_eq "$report_exit" "2" "$why: report's exit code"
  grep -q 'capledger recover' "$SCRATCH/report.err" || fail "$why: report does not point at recover: $(cat "$SCRATCH/report.err")"
  expect_eq "$ingest_exit" "2" "$why: ingest's exit code"
  expect_eq "$payout_exit" "2" "$why: payout's exit code"
  expect_eq "$recover_exit" "2" "$why: recover without --accept-loss"
  grep -q -- '--accept-loss' "$SCRATCH/recover.err" || fail "$why: recover does not explain: $(cat "$SCRATCH/recover.err")"
  expect_eq "$(md5sum "$store/$wal_name")" "$before" "$why: the write-ahead log was changed by a refused command"
}

# recover, then ingest the input again: exactly the lost events come back.
check_recovered() {
  local store=$1 why=$2
  "$CAPLEDGER_BIN" --log-level warn --data "$store" recover --accept-loss > "$SCRATCH/recovered.out" 2> "$SCRATCH/recovered.err" \
    || fail "$why: recover --accept-loss failed: $(cat "$SCRATCH/recovered.err")"
  local survived; survived=$("$CAPLEDGER_BIN" --data "$store" log | wc -l)
  local lost=$((16000 - survived))
  [ "$lost" -gt 0 ] || fail "$why: nothing was lost, so nothing was tested"
  grep -q "acknowledged through seq 16000: $lost acknowledged events lost" "$SCRATCH/recovered.out" \
    || fail "$why: the report does not say $lost were lost: $(cat "$SCRATCH/recovered.out")"
  [ -f "$(ls -d "$store"/damaged-*/ | head -n 1)$wal_name" ] || fail "$why: the damaged log was not kept"
  grep -q "\"acknowledged_seq\": 16000, \"recovered_seq\": $survived" "$store/recovery.log" \
    || fail "$why: recovery.log: $(cat "$store/recovery.log")"
  "$CAPLEDGER_BIN" --data "$store" verify > /dev/null || fail "$why: verify after recovery"
  local out; out=$("$CAPLEDGER_BIN" --log-level warn --data "$store" ingest "$SCRATCH/input.jsonl")
  echo "$out" | grep -q "stored $lost, duplicate $survived" || fail "$why: ingest again: $out"
  expect_eq "$("$CAPLEDGER_BIN" --data "$store" log | jq -r .id | sort -u | wc -l)" "16000" "$why: ids stored"
  expect_eq "$("$CAPLEDGER_BIN" --data "$store" log | wc -l)" "16000" "$why: events stored"
  "$CAPLEDGER_BIN" --data "$store" verify > /dev/null || fail "$why: verify after ingesting again"
  echo "wal_damage_test: $why: refused until recovered; $lost lost events named and stored again"
}

cp -a "$SCRATCH/store" "$SCRATCH/flipped"
offset=$((wal_bytes / 6))
byte=$(od -An -tu1 -j "$offset" -N1 "$SCRATCH/flipped/$wal_name" | tr -d ' ')
printf "$(printf '\\%03o' $(( byte ^ 90 )))" | dd of="$SCRATCH/flipped/$wal_name" bs=1 seek="$offset" conv=notrunc status=none
check_closed "$SCRATCH/flipped" "a flipped byte" "the last acknowledged event is seq 16000"
check_recovered "$SCRATCH/flipped" "a flipped byte"

cp -a "$SCRATCH/store" "$SCRATCH/cut"
truncate -s $((wal_bytes / 2)) "$SCRATCH/cut/$wal_name"
check_closed "$SCRATCH/cut" "a log cut in half" "were acknowledged but are missing"
check_recovered "$SCRATCH/cut" "a log cut in half"

# The store as the kill left it opens whole: nothing acknowledged was lost.
"$CAPLEDGER_BIN" --data "$SCRATCH/store" verify | grep -q '^ok: 16000 events' || fail "the killed store does not verify"
# The damaged copies lose acknowledged events; verify names them and recover --accept-loss counts
# them, and the input ingested again restores exactly those: none is missing at the end.
faults_report wal_damage 2 16000 0 0 ok "damage_named_then_restored_by_reingest"
