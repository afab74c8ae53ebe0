#!/usr/bin/env bash
# Ingest through the real binary: duplicates on replay, conflicting ids, rejects kept encrypted
# and listed decrypted, exit codes, verify, and no personnummer anywhere in the data directory.
source "$(dirname "$0")/lib.sh"

# 19121212-1212 is Skatteverket's well-known test number (valid Luhn digit 2); -1213 is not valid.
cat > "$SCRATCH/good.jsonl" <<'JSONL'
{"type":"ClinicRegistered","id":"c1","clinic":"VC-TEST","name":"Vårdcentralen Provbacken","operator":"region","municipality":"1880","distance_to_hospital_km":"12.5","effective":"2020-01-01"}
{"type":"ResidentRegistered","id":"r1","source":"navet","personnummer":"19121212-1212","effective":"2023-01-01","municipality":"1880","reason":"initial"}
{"type":"PatientListed","id":"l1","personnummer":"191212121212","clinic":"VC-TEST","effective":"2023-01-01","reason":"choice"}
JSONL

echo "-- first ingest stores all three lines"
out=$(cl ingest "$SCRATCH/good.jsonl")
expect_eq "$out" "stored 3, duplicate 0, rejected 0 (log head seq 3)" "first ingest"

echo "-- the same file again: every line is a duplicate, nothing new"
out=$(cl ingest "$SCRATCH/good.jsonl")
expect_eq "$out" "stored 0, duplicate 3, rejected 0 (log head seq 3)" "replay"

echo "-- both written forms of the personnummer name the same resident (one pseudonym)"
pseudonyms=$(cl log | grep -o '"resident":"[0-9a-f]*"' | sort -u | wc -l)
expect_eq "$pseudonyms" "1" "distinct pseudonyms"

echo "-- a changed payload under a stored id is an idempotency_conflict; the good line is stored"
cat > "$SCRATCH/mixed.jsonl" <<'JSONL'
{"type":"PatientListed","id":"l1","personnummer":"19121212-1212","clinic":"VC-OTHER","effective":"2023-01-01","reason":"choice"}
{"type":"ClinicClosed","id":"c2","clinic":"VC-TEST","effective":"2030-01-01"}
{"type":"PatientListed","id":"bad-pnr","personnummer":"19121212-1213","clinic":"VC-TEST","effective":"2023-02-01","reason":"choice"}
JSONL
expect_exit 3 cl ingest "$SCRATCH/mixed.jsonl"
expect_eq "$(cl --json verify | grep -o '"head_seq": [0-9]*')" '"head_seq": 4' "head after mixed ingest"

echo "-- rejects lists both refused lines, decrypted, in input order"
rejects=$(cl rejects)
expect_eq "$(echo "$rejects" | wc -l)" "2" "reject count"
echo "$rejects" | sed -n 1p | grep -q '"line":1,.*"code":"idempotency_conflict"' || fail "first reject: $rejects"
echo "$rejects" | sed -n 2p | grep -q '"line":3,.*"code":"invalid_personnummer"' || fail "second reject: $rejects"
echo "$rejects" | sed -n 2p | grep -q '19121212-1213' || fail "the raw line is shown decrypted"

echo "-- verify passes on the intact store"
expect_exit 0 cl verify

echo "-- no personnummer at rest: neither written form appears in any file of the data directory"
grep -a -r -q "Provbacken" "$SCRATCH/store" || fail "control: a stored clinic name should be visible to grep"
for needle in 19121212-1212 191212121212 19121212-1213 191212121213 1212121212; do
  if grep -a -r -q -- "$needle" "$SCRATCH/store"; then fail "found $needle in the data directory"; fi
done

echo "-- rejects need the secret; a wrong secret is refused"
expect_exit 2 env CAPLEDGER_SECRET= "$CAPLEDGER_BIN" --log-level off --data "$SCRATCH/store" rejects
expect_exit 2 env CAPLEDGER_SECRET="$(printf 'f%.0s' {1..64})" "$CAPLEDGER_BIN" --log-level off \
  --data "$SCRATCH/store" ingest "$SCRATCH/good.jsonl"

echo "-- a backfill may not go back in time"
echo '{"type":"ClinicClosed","id":"c3","clinic":"VC-TEST","effective":"2031-01-01","recorded_at":"2001-01-01T00:00:00Z"}' \
  > "$SCRATCH/old.jsonl"
expect_exit 3 cl ingest "$SCRATCH/old.jsonl"
cl rejects | tail -n 1 | grep -q '"code":"recorded_at_before_head"' || fail "recorded_at_before_head"

echo "-- rulebooks publish once; the same file again is a duplicate"
for year in 2023 2024 2025; do cl rulebook publish "$CAPLEDGER_SOURCE_DIR/config/rulebooks/KoK-$year.toml" >/dev/null; done
out=$(cl rulebook publish "$CAPLEDGER_SOURCE_DIR/config/rulebooks/KoK-2024.toml")
echo "$out" | grep -q "already published: KoK-2024" || fail "republish: $out"
expect_eq "$(cl log | grep -c '"type":"RulebookPublished"')" "3" "rulebook events"

echo "-- a rulebook with an error is refused with exit 2 and names the field"
sed 's/amount = "3600.00"/amount = "3600"/' "$CAPLEDGER_SOURCE_DIR/config/rulebooks/KoK-2023.toml" > "$SCRATCH/bad.toml"
set +e; msg=$(cl rulebook publish "$SCRATCH/bad.toml" 2>&1); code=$?; set -e
expect_eq "$code" "2" "bad rulebook exit"
echo "$msg" | grep -q "capitation.bands\[0\].amount" || fail "bad rulebook message: $msg"

expect_exit 0 cl verify
echo "ingest_test: ok"
