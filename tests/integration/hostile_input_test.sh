#!/usr/bin/env bash
# The smaller defects a hostile review found, through the real binary: each input is refused with
# a message naming what is wrong (exit 2), or answered as the documentation says.
# - configuration: values of the wrong type, unknown values, a --config that is a directory;
# - a personnummer outside its own field is rejected (personnummer_in_field) and never stored;
# - rejects show bytes that are not UTF-8 as U+FFFD, with the bytes in raw_hex;
# - explain by personnummer under another secret refuses as payout does, and is recorded;
# - known_at: a time far in the future is the head; a seq too large for 64 bits is beyond it;
# - balance: a name that is no account is refused, an unknown clinic is not found;
# - report, dispute, entries: text that is no clinic id is refused naming --clinic;
# - a rulebook with an absurd amount is refused at publication, naming the field;
# - serve refuses a tokens file with no token; the API's errors name its own parameters.
source "$(dirname "$0")/lib.sh"
command -v curl > /dev/null || fail "curl is needed (tools/lib.sh installs it)"

# expect_refused NEEDLE command...: exit 2 and NEEDLE in what it printed on stderr.
expect_refused() {
  local needle=$1; shift
  set +e; "$@" > "$SCRATCH/out" 2> "$SCRATCH/err"; local code=$?; set -e
  [ "$code" -eq 2 ] || fail "[$*]: expected exit 2, got $code: $(cat "$SCRATCH/err")"
  grep -qF -- "$needle" "$SCRATCH/err" || fail "[$*]: expected [$needle] in: $(cat "$SCRATCH/err")"
}

# ---- configuration ---------------------------------------------------------------------------
printf '[ingest]\nbatch_events = "many"\n' > "$SCRATCH/c1.toml"
expect_refused "ingest.batch_events must be an integer" cl --config "$SCRATCH/c1.toml" log
printf '[log]\nlevel = "verbose"\n' > "$SCRATCH/c2.toml"
expect_refused "log.level must be one of" cl --config "$SCRATCH/c2.toml" log
printf '[kafka]\nenabled = "yes"\n' > "$SCRATCH/c3.toml"
expect_refused "kafka.enabled must be true or false" cl --config "$SCRATCH/c3.toml" log
expect_refused "is not a file" cl --config "$SCRATCH" log
expect_refused "--log-level must be one of" "$CAPLEDGER_BIN" --log-level verbose --data "$SCRATCH/store" log

# ---- a personnummer where it would be stored in clear -----------------------------------------
cat > "$SCRATCH/in.jsonl" <<'JSONL'
{"type":"ClinicRegistered","id":"c1","clinic":"VC-TEST","name":"Vårdcentralen Provbacken","operator":"region","municipality":"1880","distance_to_hospital_km":"12.5","effective":"2020-01-01"}
{"type":"ResidentRegistered","id":"r1","source":"navet","personnummer":"19121212-1212","effective":"2023-01-01","municipality":"1880","reason":"initial"}
{"type":"PatientListed","id":"1177-19121212-1212","personnummer":"19121212-1212","clinic":"VC-TEST","effective":"2023-01-01","reason":"choice"}
{"type":"PatientListed","id":"l2","source":"191212121212","personnummer":"19121212-1212","clinic":"VC-TEST","effective":"2023-01-01","reason":"choice"}
JSONL
printf '{"type":"ClinicClosed","id":"c9","clinic":"VC-TEST","effective":"2030-01-01","note":"V\xe5rd"}\n' >> "$SCRATCH/in.jsonl"
expect_exit 3 cl ingest "$SCRATCH/in.jsonl"
cl rejects > "$SCRATCH/rejects.jsonl"
sed -n 1p "$SCRATCH/rejects.jsonl" | grep -q '"line":3,.*"code":"personnummer_in_field","field":"id"' \
  || fail "a personnummer in the id: $(cat "$SCRATCH/rejects.jsonl")"
sed -n 2p "$SCRATCH/rejects.jsonl" | grep -q '"line":4,.*"code":"personnummer_in_field","field":"source"' \
  || fail "a personnummer in the source: $(cat "$SCRATCH/rejects.jsonl")"
cl log | grep -q '1212' && fail "a personnummer reached the log"
# ---- rejects: a byte that is not UTF-8 -------------------------------------------------------
sed -n 3p "$SCRATCH/rejects.jsonl" | grep -qF 'V\ufffdrd' || fail "the Latin-1 byte: $(sed -n 3p "$SCRATCH/rejects.jsonl")"
sed -n 3p "$SCRATCH/rejects.jsonl" | grep -q '"raw_hex":"[0-9a-f]*56e57264' || fail "raw_hex: $(sed -n 3p "$SCRATCH/rejects.jsonl")"
sed -n 3p "$SCRATCH/rejects.jsonl" | grep -qF 'u00e5' && fail "the byte is shown as a Latin-1 letter"
iconv -f UTF-8 -t UTF-8 "$SCRATCH/rejects.jsonl" > /dev/null || fail "rejects printed invalid UTF-8"

# ---- explain by personnummer under another secret -----------------------------------------------
cl rulebook publish "$CAPLEDGER_SOURCE_DIR/config/rulebooks/KoK-2023.toml" > /dev/null
expect_refused "another region secret" env CAPLEDGER_SECRET="$(printf 'ab%.0s' {1..32})" \
  "$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/store" explain --resident 19121212-1212 --month 2023-01
[ ! -s "$SCRATCH/store/resident-lookups.jsonl" ] || fail "a refused lookup was recorded as made"
cl explain --resident 19121212-1212 --month 2023-01 > /dev/null
expect_eq "$(cl lookups | grep -c '"via": "cli"')" "1" "the command line's lookup is recorded"

# ---- known_at ------------------------------------------------------------------------------------
head_seq=$(cl --json verify | grep -o '"head_seq": [0-9]*' | grep -o '[0-9]*$')
cl --json balance --account payable:VC-TEST --known-at 9999-12-31T23:59:59Z > "$SCRATCH/b.json"
grep -q "\"seq\": $head_seq" "$SCRATCH/b.json" || fail "a time in year 9999 is not the head: $(cat "$SCRATCH/b.json")"
expect_refused "the log ends at seq $head_seq" cl balance --account payable:VC-TEST --known-at seq:99999999999999999999999
expect_refused "seq:N needs a number" cl balance --account payable:VC-TEST --known-at seq:12a

# ---- balance -----------------------------------------------------------------------------------
expect_refused "must be payable:CLINIC or expense:halsoval:COMPONENT" cl balance --account garbage
expect_refused "no clinic VC-NONE" cl balance --account payable:VC-NONE
cl balance --account expense:halsoval:capitation > /dev/null || fail "an expense account"
# Text that is no clinic id is refused as such (exit 2, naming the option), not looked up.
expect_refused "--clinic: not a clinic id" cl report --month 2023-01 --clinic "<b>x</b>"
expect_refused "--clinic: not a clinic id" cl dispute --clinic vc-test --month 2023-01 --known-at seq:1 --vs seq:2
expect_refused "--clinic: not a clinic id" cl entries --clinic "VC TEST"

# ---- a rulebook with an absurd amount ------------------------------------------------------------
sed 's/^amount = "[0-9.]*"/amount = "9000000000000.00"/' "$CAPLEDGER_SOURCE_DIR/config/rulebooks/KoK-2024.toml" \
  > "$SCRATCH/absurd.toml"
grep -q '9000000000000.00' "$SCRATCH/absurd.toml" || fail "the test rulebook was not changed"
expect_refused "is above the largest amount a rulebook may state" cl rulebook publish "$SCRATCH/absurd.toml"

# ---- serve: no token; the API's own parameter names ---------------------------------------------
printf '# nobody yet\n' > "$SCRATCH/empty-tokens"
expect_refused "holds no token" cl serve --http 127.0.0.1:0 --tokens "$SCRATCH/empty-tokens"
AUDITOR="auditor-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf 'auditor %s\n' "$AUDITOR" > "$SCRATCH/tokens"
start_serve "$SCRATCH/store" "$SCRATCH/tokens"
api() { curl -sS -o "$SCRATCH/body" -w '%{http_code}' -H "Authorization: Bearer $AUDITOR" "http://127.0.0.1:$PORT$1"; }
expect_eq "$(api '/v1/balance?account=garbage')" "400" "the API's balance of no account"
expect_eq "$(api '/v1/balance?account=payable:VC-NONE')" "404" "the API's balance of an unknown clinic"
expect_eq "$(api '/v1/balance?account=payable:VC-TEST&known_at=seq:abc')" "400" "a bad known_at"
grep -q '"message": "known_at seq:abc' "$SCRATCH/body" || fail "the API names its parameter: $(cat "$SCRATCH/body")"
grep -q -- '--known-at' "$SCRATCH/body" && fail "the API names a command-line flag: $(cat "$SCRATCH/body")"
# A client that trickles a request header byte by byte for 20 s holds no SIGTERM drain beyond
# drain_timeout_ms (2 s by default) and a little.
exec 5<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /health HTTP/1.1\r\nX-Slow: ' >&5
( for ((i = 0; i < 400; i++)); do printf a >&5 2>/dev/null || exit 0; sleep 0.05; done ) &
TRICKLE_PID=$!
sleep 0.5
drain_started=$(date +%s%N)
stop_serve
drain_ms=$(( ($(date +%s%N) - drain_started) / 1000000 ))
kill "$TRICKLE_PID" 2>/dev/null || true
exec 5>&-
[ "$drain_ms" -lt 8000 ] || fail "a trickling client held the drain for $drain_ms ms"
echo "hostile_input_test: serve drained in $drain_ms ms beside a client trickling its header"
echo "hostile_input_test: every refusal names what is wrong"
