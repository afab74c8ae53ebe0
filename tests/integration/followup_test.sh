#!/usr/bin/env bash
# The board's follow-up through the real binary (DOMAIN.md §10, §11) over a generated world paid
# month by month: the period report's outcome equals the booked entries of its months at several
# knowledge points; a frame revision moves the headroom from its seq on; simulate appends nothing
# and, with the rulebook in force, gives the month reports; the annual report reconciles with the
# entries; bad input is refused with exit 2 and nothing written.
source "$(dirname "$0")/lib.sh"

SEED="${CAPLEDGER_FOLLOWUP_SEED:-$(( $(date +%s) % 1000 ))}"
echo "followup_test: seed $SEED (rerun with CAPLEDGER_FOLLOWUP_SEED=$SEED)"
"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 3 --seed "$SEED" > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2025-06 "$SCRATCH/runs"
grep -q '"type":"BudgetFrameSet"' "$SCRATCH/world.jsonl" || fail "the generated world sets budget frames"
grep -q '"type":"MissionUndertaken"' "$SCRATCH/world.jsonl" || fail "the generated world has clinics taking on missions"

# öre of a "1234.56" or "-0.05" amount.
ore() { awk -v a="$1" 'BEGIN { s = 1; if (substr(a, 1, 1) == "-") { s = -1; a = substr(a, 2) } split(a, p, "."); printf "%d\n", s * (p[1] * 100 + p[2]) }'; }

# The seq of the PayoutRun for a month.
run_seq() { cl log | grep '"type":"PayoutRun"' | grep "\"run\":\"$1\"" | grep -o '"seq":[0-9]*' | cut -d: -f2; }

# Σ öre of the entries booked by runs up to and including $1 for the months $2 .. $3: an
# independent sum over `entries`, one entry object at a time.
entries_sum() {
  cl --json entries | grep -o '{"id": "E-[^}]*}' |
    awk -v last_run="$1" -v from="$2" -v to="$3" -F'"' '{
      for (i = 1; i < NF; i++) { if ($i == "run") run = $(i + 2); if ($i == "month") month = $(i + 2); if ($i == "amount") amount = $(i + 2) }
      if (run <= last_run && month >= from && month <= to) {
        s = 1; if (substr(amount, 1, 1) == "-") { s = -1; amount = substr(amount, 2) }
        split(amount, p, "."); total += s * (p[1] * 100 + p[2])
      }
    } END { printf "%d\n", total }'
}

echo "-- the outcome is the booked entries of the months, at several knowledge points"
for point in "2024-06 2024-06" "2024-12 2024-12" "2025-03 2024-12" "2025-06 2025-06"; do
  set -- $point
  run=$1 through=$2 year=${2%%-*}
  k=$(run_seq "$run")
  [ -n "$k" ] || fail "no run for $run"
  outcome=$(cl --json period --year "$year" --through "$through" --known-at "seq:$k" |
    grep -o '"outcome": {"amounts": {[^}]*}, "total": "[-0-9.]*"' | grep -o '"total": "[-0-9.]*"' | cut -d'"' -f4)
  expect_eq "$(ore "$outcome")" "$(entries_sum "$run" "$year-01" "$through")" \
    "outcome of $year through $through at seq $k (after the run for $run)"
done

echo "-- a frame revision moves the headroom from its seq on, not before"
before=$(cl --json period --year 2025 --through 2025-06)
echo "$before" | grep -q '"frame": {"amount"' || fail "the world has a frame for 2025: $before"
head_seq=$(cl --json verify | grep -o '"head_seq": [0-9]*' | grep -o '[0-9]*$')
cat > "$SCRATCH/frame.jsonl" <<'JSONL'
{"type":"BudgetFrameSet","id":"frame-2025-rev-test","source":"regionfullmäktige","year":"2025","amount":"1.00","decision":"TEST-REVISION"}
JSONL
cl ingest "$SCRATCH/frame.jsonl" > /dev/null
after=$(cl --json period --year 2025 --through 2025-06)
echo "$after" | grep -q '"decision": "TEST-REVISION"' || fail "the revision is the frame at the head"
echo "$after" | grep -q '"exceeds_frame": true' || fail "a frame of 1.00 kr is exceeded"
at_before=$(cl --json period --year 2025 --through 2025-06 --known-at "seq:$head_seq")
expect_eq "$(echo "$at_before" | grep -o '"headroom": "[-0-9.]*"')" "$(echo "$before" | grep -o '"headroom": "[-0-9.]*"')" \
  "the headroom as known before the revision"

echo "-- simulate appends nothing; with the rulebook in force it gives the month reports"
head_before=$(cl verify | grep -o 'head seq [0-9]* hash [0-9a-f]*')
[ -n "$head_before" ] || fail "verify names the head"
sim=$(cl --json simulate --rulebook "$CAPLEDGER_SOURCE_DIR/config/rulebooks/KoK-2024.toml" --year 2024)
expect_eq "$(cl verify | grep -o 'head seq [0-9]* hash [0-9a-f]*')" "$head_before" "simulate leaves the head seq and hash"
for month in 2024-03 2024-09; do
  report_total=$(cl --json report --month "$month" | grep -o '"total": "[-0-9.]*", "anomalies"' | cut -d'"' -f4)
  sim_total=$(echo "$sim" | grep -o "{\"month\": \"$month\", \"estimated\": true, \"rulebook\": \"KoK-2024\", \"assumed_rulebook\": false, \"amounts\": {[^}]*}, \"total\": \"[-0-9.]*\"" |
    grep -o '"total": "[-0-9.]*"' | cut -d'"' -f4)
  expect_eq "$sim_total" "$report_total" "simulate of KoK-2024 for $month equals the month's report"
done

echo "-- the annual report reconciles with the entries"
annual=$(cl --json annual-report --year 2024)
total=$(echo "$annual" | grep -o '"total": {"clinic": "TOTAL", [^}]*' | grep -o '"total": "[-0-9.]*"' | cut -d'"' -f4)
last_run=$(cl log | grep '"type":"PayoutRun"' | tail -n 1 | grep -o '"run":"[0-9-]*"' | cut -d'"' -f4)
expect_eq "$(ore "$total")" "$(entries_sum "$last_run" 2024-01 2024-12)" "the annual report's total is the year's entries"
clinic_sum=$(echo "$annual" | grep -o '"clinic": "[^"]*", "name": "[^"]*", "listed": \[[0-9, ]*\], "mean_listed": "[0-9.]*", "fixed": "[-0-9.]*", "variable": "[-0-9.]*", "total": "[-0-9.]*"' |
  grep -v '"clinic": "TOTAL"' | grep -o '"total": "[-0-9.]*"' | cut -d'"' -f4 |
  while read -r amount; do ore "$amount"; done | awk '{ s += $1 } END { printf "%d\n", s }')
expect_eq "$clinic_sum" "$(ore "$total")" "the clinics' totals add up to the total"

echo "-- bad input is refused, exit 2, and nothing is written"
head_before=$(cl --json verify | grep -o '"head_seq": [0-9]*')
sed 's/^decided_by = .*$//' "$CAPLEDGER_SOURCE_DIR/config/rulebooks/KoK-2025.toml" > "$SCRATCH/bad-draft.toml"
out=$(cl simulate --rulebook "$SCRATCH/bad-draft.toml" --year 2025 2>&1) && fail "a draft without decided_by is simulated"
echo "$out" | grep -q 'field `decided_by`' || fail "the refusal names the key: $out"
sed 's/^amount = "5400.00"/amount = "-1.00"/' "$CAPLEDGER_SOURCE_DIR/config/rulebooks/KoK-2025.toml" > "$SCRATCH/bad-mission.toml"
out=$(cl simulate --rulebook "$SCRATCH/bad-mission.toml" --year 2025 2>&1) && fail "a draft with a negative mission amount is simulated"
echo "$out" | grep -q 'field `missions\[3\].amount`' || fail "the refusal names the mission's amount: $out"
expect_exit 2 cl period --year 2025 --through 2024-12   # a month outside the year
expect_exit 2 cl period --year 2022 --through 2022-12   # before the first run
expect_exit 2 cl period --year 25 --through 2025-01
expect_exit 2 cl annual-report --year 2024x
expect_eq "$(cl --json verify | grep -o '"head_seq": [0-9]*')" "$head_before" "refusals write nothing"

echo "-- a year whose frames are all retracted has no frame, which is said, not refused"
cl log | grep '"type":"BudgetFrameSet"' | grep '"year":"2023"' | grep -o '"id":"[^"]*"' | cut -d'"' -f4 |
  while read -r id; do
    echo "{\"type\":\"EventRetracted\",\"id\":\"retract-$id\",\"source\":\"test\",\"target\":\"$id\",\"reason\":\"test\"}"
  done > "$SCRATCH/retract.jsonl"
[ -s "$SCRATCH/retract.jsonl" ] || fail "the world sets a frame for 2023"
cl ingest "$SCRATCH/retract.jsonl" > /dev/null
no_frame=$(cl period --year 2023 --through 2023-06)
echo "$no_frame" | grep -q "frame: no budget frame is set for 2023" || fail "a year without a frame is said: $no_frame"
echo "followup_test: ok"
