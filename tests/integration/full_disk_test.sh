#!/usr/bin/env bash
# A full disk is an error, never an abort. On a small filesystem the test mounts (tmpfs) and
# fills so that only FREE KB are left (FREE = 50, 100, 200, 400, 1600), every write path runs:
# ingest, payout (with the adjustments July brings), checkpoint, and a large ingest. Each exits 0
# or 2, never by a signal; a refusal says the disk is full; after each, verify passes on the
# store as it is. With the space freed, the next ingest and payout complete and the ledger checks.
# Mounting needs root: without it the test says so and is skipped (exit 77).
source "$(dirname "$0")/lib.sh"
: "${CAPLEDGER_LEDGER_CHECK:?set by ctest: the ledger_check program}"

MOUNT="$SCRATCH/disk"
mkdir -p "$MOUNT"
if ! mount -t tmpfs -o size=16m capledger-full-disk "$MOUNT" 2> "$SCRATCH/mount.err"; then
  echo "full_disk_test: SKIPPED: cannot mount a small filesystem here ($(cat "$SCRATCH/mount.err"))"
  exit 77
fi
trap 'umount "$MOUNT" 2>/dev/null || true; rm -rf "$SCRATCH"' EXIT

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 1 --seed 3 > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/base" "$SCRATCH/world.jsonl" 2023-01 2023-06
awk 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
     if (t > "2023-07-05T23:59:59.999999Z" && t <= "2023-08-05T23:59:59.999999Z") print }' \
  "$SCRATCH/world.jsonl" > "$SCRATCH/july.jsonl"
# A large input of new ids: its batches need far more room than is left.
"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 1 --seed 4 --residents 20000 \
  | sed 's/"id":"/"id":"big-/' > "$SCRATCH/big.jsonl"

STORE="$MOUNT/store"
cs() { "$CAPLEDGER_BIN" --log-level warn --data "$STORE" "$@"; }

# run_full WHAT ARGS...: runs a write on the full disk; it must exit 0 or 2, and 2 must say why.
run_full() {
  local what=$1; shift
  set +e; cs "$@" > /dev/null 2> "$SCRATCH/full.err"; local code=$?; set -e
  case $code in
    0) ;;
    2) grep -q 'the disk holding the store is full' "$SCRATCH/full.err" \
         || fail "free $FREE KB, $what: exit 2 without saying the disk is full: $(head -c 600 "$SCRATCH/full.err")";;
    *) fail "free $FREE KB, $what: exit $code (a signal?): $(head -c 600 "$SCRATCH/full.err")";;
  esac
  cs verify > /dev/null || fail "free $FREE KB, $what: verify after exit $code"
  outcomes+=("$what:$code")
}

refusals=0
for FREE in 50 100 200 400 1600; do
  rm -rf "$MOUNT"/*
  cp -a "$SCRATCH/base" "$STORE"
  avail=$(df -k --output=avail "$MOUNT" | tail -n 1)
  fallocate -l $(( (avail - FREE) * 1024 )) "$MOUNT/filler"
  outcomes=()
  run_full "ingest July" ingest "$SCRATCH/july.jsonl"
  run_full "payout July" --recorded-at 2023-08-05T23:59:59Z payout --month 2023-07
  run_full "checkpoint" checkpoint
  run_full "large ingest" ingest "$SCRATCH/big.jsonl"
  echo "full_disk_test: free $FREE KB: ${outcomes[*]}"
  for outcome in "${outcomes[@]}"; do [[ "$outcome" == *:2 ]] && refusals=$((refusals + 1)); done
  # Space again: the writes that were refused go through.
  rm "$MOUNT/filler"
  cs ingest "$SCRATCH/july.jsonl" > /dev/null || fail "free $FREE KB: ingest July once space was freed"
  cs --recorded-at 2023-08-05T23:59:59Z payout --month 2023-07 > /dev/null \
    || fail "free $FREE KB: payout July once space was freed"
  cs verify > /dev/null || fail "free $FREE KB: verify once space was freed"
  "$CAPLEDGER_LEDGER_CHECK" --data "$STORE" > /dev/null || fail "free $FREE KB: the books do not balance"
done
[ "$refusals" -ge 5 ] || fail "only $refusals writes met the full disk: the test did not test it"
faults_report full_disk "$refusals" 0 0 0 ok "writes_refused_on_a_full_disk_then_completed"
echo "full_disk_test: $refusals writes refused on a full disk, none aborted; each store verified and recovered"
