#!/usr/bin/env bash
# The ledger over a generated world (issue: adjustments, double entry, trace, dispute, refusals):
# walk the monthly payout runs of 2023-01 to 2026-10 (2026 with the CNI and distance supplements;
# 2026-10 is the last month whose payout day, 5 November 2026, is past for every clock this test
# runs under) with the real binary, each run after ingesting what was known by the 5th of the next
# month, then check every entry with ledger_check and the command line's refusals and exit codes.
source "$(dirname "$0")/lib.sh"
: "${CAPLEDGER_LEDGER_CHECK:?set by ctest: the ledger_check program}"

SEED="${CAPLEDGER_WALK_SEED:-$(( $(date +%s) % 1000 ))}"
echo "ledger_walk_test: seed $SEED (rerun with CAPLEDGER_WALK_SEED=$SEED)"
"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 4 --seed "$SEED" > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2026-10 "$SCRATCH/runs"
runs=$(cl log | grep -c '"type":"PayoutRun"')
expect_eq "$runs" "46" "one run per month"
adjustments=$(cl --json entries | grep -o '"kind": "adjustment"' | wc -l)
[ "$adjustments" -gt 0 ] || fail "a world with late facts books adjustments"
echo "ledger_walk_test: 46 runs, $adjustments adjustments"

"$CAPLEDGER_LEDGER_CHECK" --data "$SCRATCH/store"
cl verify > /dev/null || fail "verify after the walk"

# The command line: trace exits 0 when the entry reproduces; refusals exit 2 and book nothing.
entry=$(cl --json entries --run 2025-06 | grep -o '"id": "E-2025-06-[0-9]*"' | head -n 1 | cut -d'"' -f4)
expect_exit 0 cl trace "$entry"
expect_exit 2 cl trace E-1999-01-000001
head_before=$(cl --json verify | grep -o '"head_seq": [0-9]*')
expect_exit 2 cl payout --month 2022-12     # earlier than the last run (and never run)
expect_exit 2 cl payout --month 2026-12     # would leave 2026-11 out
out=$(cl payout --month 2026-10)            # already run: shown, nothing booked
echo "$out" | grep -q "already booked" || fail "a second run of a month shows the existing run"
expect_eq "$(cl --json verify | grep -o '"head_seq": [0-9]*')" "$head_before" "refused and repeated runs book nothing"
# A store whose events know no rulebook for the month refuses its run.
grep -q '^{"type":"RulebookPublished"' "$SCRATCH/world.jsonl" || fail "the world has rulebooks"
awk '!/"type":"RulebookPublished"/ && n++ < 200' "$SCRATCH/world.jsonl" |
  "$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/bare" ingest - > /dev/null
bare_out=$("$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/bare" --recorded-at 2023-02-05T23:59:59Z \
  payout --month 2023-01 2>&1) && fail "a run without a rulebook in force is refused"
echo "$bare_out" | grep -q "no rulebook" || fail "the refusal names the missing rulebook: $bare_out"
cl dispute --clinic VC-1880-01 --month 2024-03 --known-at 2024-04-06T00:00:00Z --vs 2099-01-01T00:00:00Z > /dev/null \
  || fail "dispute"
echo "ledger_walk_test: ok"
