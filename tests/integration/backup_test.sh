#!/usr/bin/env bash
# Backup and restore (docs/storage.md, "Backup and restore"), the operational way: a tiny world is
# ingested and January paid, `serve` holds the store for writing, a payout is booked through the
# API while backups are taken beside it; then the backup is restored into a fresh data directory,
# and `verify` there ends at the backup's hash. A restore never overwrites a store; a backup whose
# event at seq 5 was changed is refused, naming seq 5, and restores nothing.
source "$(dirname "$0")/lib.sh"
: "${CAPLEDGER_EVENT_TAMPER:?set by ctest: the event_tamper program}"
command -v curl > /dev/null || fail "curl is needed (tools/lib.sh installs it)"

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 1 --seed 11 > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2023-01
OPERATOR="operator-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'operator %s\n' "$OPERATOR" > "$SCRATCH/tokens"

# field NAME FILE: the value of "NAME" in a JSON document (a number, or a string without quotes).
field() { grep -o "\"$1\": *\"\\?[^,\"}]*" "$2" | awk 'NR == 1' | sed 's/.*: *"\?//'; }

# ---- backups while serve holds the store ----------------------------------------------------------
start_serve "$SCRATCH/store" "$SCRATCH/tokens"
expect_exit 2 cl ingest "$SCRATCH/world.jsonl"   # the writer's lock is held: serve really is the writer
# February is booked through the API while a backup is taken beside it.
curl -s -o "$SCRATCH/payout.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $OPERATOR" \
  "http://127.0.0.1:$PORT/v1/payouts/2023-02" > "$SCRATCH/payout.code" &
CURL_PID=$!
cl --json backup --out "$SCRATCH/during" > "$SCRATCH/during.out"
wait "$CURL_PID"
expect_eq "$(cat "$SCRATCH/payout.code")" "200" "POST /v1/payouts/2023-02 beside the backup"
cl --json backup --out "$SCRATCH/backup" > "$SCRATCH/backup.out"
expect_exit 2 cl backup --out "$SCRATCH/backup"   # never into a directory that exists
stop_serve

for b in during backup; do
  [ -f "$SCRATCH/$b/backup.json" ] || fail "$b: no backup.json"
  [ -f "$SCRATCH/$b/store/CURRENT" ] || fail "$b: no store copy"
  [ ! -e "$SCRATCH/$b.partial" ] || fail "$b: its .partial directory is left"
  expect_eq "$(field format_version "$SCRATCH/$b/backup.json")" "1" "$b: format_version"
  expect_eq "$(field dir "$SCRATCH/$b/backup.json")" "store" "$b: the store copy's folder"
  grep -q '"log_offset": null' "$SCRATCH/$b/backup.json" || fail "$b: log_offset is not null"
  # The manifest and the printed summary agree.
  expect_eq "$(field head_hash "$SCRATCH/$b.out")" "$(field head_hash "$SCRATCH/$b/backup.json")" "$b: printed hash"
done

# Independently of the backup: the source's log, read after serve stopped, counted line by line.
cl log > "$SCRATCH/log.jsonl"
final_seq=$(wc -l < "$SCRATCH/log.jsonl")
seq=$(field head_seq "$SCRATCH/backup/backup.json")
expect_eq "$seq" "$final_seq" "the backup after the payout ends at the source's last event"
expect_eq "$(field events_verified "$SCRATCH/backup/backup.json")" "$final_seq" "events verified"
hash_of() { sed -n "$1p" "$SCRATCH/log.jsonl" | grep -o '"hash":"[0-9a-f]*"' | tail -n 1 | cut -d'"' -f4; }
expect_eq "$(field head_hash "$SCRATCH/backup/backup.json")" "$(hash_of "$final_seq")" "the backup's head hash"
# The one taken during the payout holds January's store, or that and February's run: a prefix of
# the log, ending at an event of the source with the source's hash.
during_seq=$(field head_seq "$SCRATCH/during/backup.json")
(( during_seq >= 1 && during_seq <= final_seq )) || fail "backup during the payout at seq $during_seq of $final_seq"
expect_eq "$(field head_hash "$SCRATCH/during/backup.json")" "$(hash_of "$during_seq")" "the head hash of the backup during the payout"
expect_eq "$(field events_verified "$SCRATCH/during/backup.json")" "$during_seq" "events verified during the payout"

# ---- restore into a fresh data directory -----------------------------------------------------------
for b in during backup; do
  "$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/restored-$b" restore --from "$SCRATCH/$b" > "$SCRATCH/restore.out"
  grep -q "^restore: store \`store\`: head seq $(field head_seq "$SCRATCH/$b/backup.json"), " "$SCRATCH/restore.out" ||
    fail "$b: restore says: $(cat "$SCRATCH/restore.out")"
  "$CAPLEDGER_BIN" --data "$SCRATCH/restored-$b" verify > "$SCRATCH/verify.out"
  expect_eq "$(grep -o 'hash [0-9a-f]*$' "$SCRATCH/verify.out" | cut -d' ' -f2)" \
    "$(field head_hash "$SCRATCH/$b/backup.json")" "$b: verify's hash on the restored store"
  ls -d "$SCRATCH"/restored-$b.restoring* > /dev/null 2>&1 && fail "$b: a .restoring directory is left"
done
# The restored store is a store to go on with: March is booked on it.
"$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/restored-backup" payout --month 2023-03 > /dev/null
# refused_restore DATA BACKUP WHAT MESSAGE: restore exits 2 and says MESSAGE (a grep pattern).
refused_restore() {
  set +e
  "$CAPLEDGER_BIN" --data "$1" restore --from "$2" > /dev/null 2> "$SCRATCH/refused.err"
  local code=$?
  set -e
  expect_eq "$code" "2" "$3"
  grep -q "$4" "$SCRATCH/refused.err" || fail "$3 says: $(cat "$SCRATCH/refused.err")"
}
# A restore never overwrites a store.
refused_restore "$SCRATCH/restored-backup" "$SCRATCH/backup" "restore over a store" 'holds a store already'

# ---- a tampered backup -----------------------------------------------------------------------------
cp -a "$SCRATCH/backup" "$SCRATCH/tampered"
"$CAPLEDGER_EVENT_TAMPER" "$SCRATCH/tampered/store" 5
refused_restore "$SCRATCH/from-tampered" "$SCRATCH/tampered" "restore of a tampered backup" 'FAILED at seq 5:'
[ ! -e "$SCRATCH/from-tampered/CURRENT" ] || fail "a tampered backup was restored"
# A backup without its manifest is no backup.
rm "$SCRATCH/tampered/backup.json"
refused_restore "$SCRATCH/from-tampered" "$SCRATCH/tampered" "restore without backup.json" 'not a finished backup'
echo "backup_test: backups at seq $during_seq (during a payout) and $seq restored and verified"
