#!/usr/bin/env bash
# Rulebooks through the real binary (DOMAIN.md §5): the shipped rulebooks publish, a rulebook
# without decided_by or decided_on is refused naming the key, and `rulebook list`, `report` and
# `trace` say who decided the rulebook and when.
source "$(dirname "$0")/lib.sh"
books="$CAPLEDGER_SOURCE_DIR/config/rulebooks"

echo "-- the shipped rulebooks publish, in the chronology of the decisions"
for year in 2023 2024 2025 2026; do
  cl --recorded-at 2022-12-15T10:00:00Z rulebook publish "$books/KoK-$year.toml" > /dev/null
done
list=$(cl rulebook list)
echo "$list" | grep -q "^Rulebooks known at seq 4 " || fail "four rulebooks known: $list"
echo "$list" | grep -q "decision 23RS11979; decided: regionstyrelsen, date not recorded in the decisions at hand; replaces KoK-2023" \
  || fail "KoK-2024: 23RS11979, the board, no date, replaces KoK-2023"
echo "$list" | grep -q "decision 24RS2584; decided: regionfullmäktige, date not recorded in the decisions at hand; replaces KoK-2025" \
  || fail "KoK-2026: 24RS2584, the council, replaces KoK-2025"
decision_2025=$(cl --json rulebook list | grep -o '"id": "KoK-2025", "seq": 3, "title": "[^"]*", "decision": "[^"]*"' | cut -d'"' -f12)
[ -n "$decision_2025" ] && [ "$decision_2025" != "24RS2584" ] || fail "24RS2584 is not the decision behind KoK-2025 ($decision_2025)"
expect_eq "$(cl --json rulebook list --known-at seq:2 | grep -o '"id": "KoK-[0-9]*"' | tr '\n' ' ')" \
  '"id": "KoK-2023" "id": "KoK-2024" ' "rulebooks known at seq 2"

echo "-- only KoK-2026 has the CNI and distance supplements"
for year in 2023 2024 2025; do
  grep -q '^\[cni_supplement\]\|^\[distance_supplement\]' "$books/KoK-$year.toml" && fail "KoK-$year has a 2026 supplement"
done
grep -q '^\[cni_supplement\]' "$books/KoK-2026.toml" || fail "KoK-2026 has the CNI supplement"
grep -q '^\[distance_supplement\]' "$books/KoK-2026.toml" || fail "KoK-2026 has the distance supplement"

echo "-- a rulebook without decided_on or decided_by is refused, naming the key"
grep -v '^decided_on' "$books/KoK-2024.toml" > "$SCRATCH/no-date.toml"
out=$(cl rulebook publish "$SCRATCH/no-date.toml" 2>&1) && fail "published without decided_on"
echo "$out" | grep -q 'field `decided_on`: .*(missing_field)' || fail "the refusal names decided_on: $out"
grep -v '^decided_by' "$books/KoK-2024.toml" > "$SCRATCH/no-body.toml"
out=$(cl rulebook publish "$SCRATCH/no-body.toml" 2>&1) && fail "published without decided_by"
echo "$out" | grep -q 'field `decided_by`: .*(missing_field)' || fail "the refusal names decided_by: $out"
cat > "$SCRATCH/line.jsonl" <<'JSONL'
{"type":"RulebookPublished","id":"rb-x","rulebook":{"id":"X-1","title":"X","decision":"D","valid_from":"2027-01-01","valid_until":"2028-01-01","snapshot":"last_day_of_month","retro_window_months":12,"capitation":{"bands":[{"min_age":0,"amount":"1.00"}]}}}
JSONL
set +e
cl ingest "$SCRATCH/line.jsonl" > /dev/null 2>&1
status=$?
set -e
expect_eq "$status" "3" "exit code of an ingest with a rejected line"
cl rejects | grep -q '"field":"rulebook.decided_by".*"code":"missing_field"\|"code":"missing_field".*"field":"rulebook.decided_by"' \
  || fail "the rejected line names rulebook.decided_by: $(cl rejects)"
expect_eq "$(cl --json verify | grep -o '"head_seq": [0-9]*')" '"head_seq": 4' "nothing stored by the refusals"

echo "-- report and trace say who decided the rulebook in force"
cat > "$SCRATCH/world.jsonl" <<'JSONL'
{"type":"ClinicRegistered","id":"c1","clinic":"VC-TEST","name":"Vårdcentralen Provbacken","operator":"region","municipality":"1880","distance_to_hospital_km":"12.5","effective":"2020-01-01","recorded_at":"2023-01-01T00:00:00Z"}
{"type":"ResidentRegistered","id":"r1","source":"navet","personnummer":"19121212-1212","effective":"2023-01-01","municipality":"1880","reason":"initial","recorded_at":"2023-01-01T00:00:00Z"}
{"type":"PatientListed","id":"l1","personnummer":"19121212-1212","clinic":"VC-TEST","effective":"2023-01-01","reason":"choice","recorded_at":"2023-01-01T00:00:00Z"}
JSONL
cl ingest "$SCRATCH/world.jsonl" > /dev/null
cl report --month 2024-03 | grep -q "^rulebook KoK-2024 decided: regionstyrelsen, date not recorded in the decisions at hand; replaces KoK-2023$" \
  || fail "report names who decided KoK-2024: $(cl report --month 2024-03 | head -3)"
for month in 2023-01 2023-02 2023-03 2023-04 2023-05 2023-06 2023-07 2023-08 2023-09 2023-10 2023-11 2023-12 2024-01; do
  cl --recorded-at "$(date -u -d "$month-01 +1 month +4 days" +%Y-%m-%dT12:00:00Z)" payout --month "$month" > /dev/null
done
entry=$(cl --json entries --run 2024-01 | grep -o '"id": "E-2024-01-[0-9]*"' | head -n 1 | cut -d'"' -f4)
cl trace "$entry" | grep -q "^rulebook KoK-2024 (23RS11979) decided: regionstyrelsen, date not recorded" \
  || fail "trace names who decided KoK-2024: $(cl trace "$entry" | head -4)"
cl --json trace "$entry" | grep -q '"decided": {"decided_by": "regionstyrelsen", "decided_on": "unknown", "replaces": "KoK-2023"}' \
  || fail "trace JSON carries the provenance"

echo "-- a voucher is dated on the Swedish calendar day of its booking"
# Booked at 22:30 UTC on 31 March 2024, which is 00:30 on 1 April in Sweden (CEST, UTC+2): the
# voucher's date is 20240401, not the UTC date 20240331.
cl --recorded-at 2024-03-31T22:30:00Z payout --month 2024-02 > /dev/null
printf '[sie]\nverification_date = "booked"\n' > "$SCRATCH/sie.toml"
"$CAPLEDGER_BIN" --log-level warn --config "$SCRATCH/sie.toml" --data "$SCRATCH/store" export-sie --month 2024-02 \
  > "$SCRATCH/run.se"
ver_dates=$(tr -d '\r' < "$SCRATCH/run.se" | awk '/^#VER / { print $4 }' | sort -u)
expect_eq "$ver_dates" "20240401" "the voucher date of a run booked at 00:30 Swedish time on 1 April"
echo "rulebook_test: ok"
