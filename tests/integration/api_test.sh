#!/usr/bin/env bash
# The HTTP API of `capledger serve` against the command line (DESIGN.md §4): on a generated
# world walked for six months, every query's JSON equals the CLI's --json byte for byte; a payout
# through the API books what the CLI would book; tokens and roles; SIGTERM drains (a request in
# flight is answered, new connections are refused), exits 0 and leaves a store that verifies;
# export-sie writes balanced verifications that add up to the run's entries.
source "$(dirname "$0")/lib.sh"
: "${CAPLEDGER_LEDGER_CHECK:?set by ctest: the ledger_check program}"
command -v curl > /dev/null || fail "curl is needed (tools/lib.sh installs it)"

SEED="${CAPLEDGER_API_SEED:-$(( $(date +%s) % 1000 ))}"
echo "api_test: seed $SEED (rerun with CAPLEDGER_API_SEED=$SEED)"
"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 1 --seed "$SEED" > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2023-06
# What was known by 5 August, so that a July run through the API has corrections to book.
awk 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
     if (t > "2023-07-05T23:59:59.999999Z" && t <= "2023-08-05T23:59:59.999999Z") print }' \
  "$SCRATCH/world.jsonl" | cl ingest - > /dev/null
cp -a "$SCRATCH/store" "$SCRATCH/store-copy"   # for booking July with the CLI, to compare

AUDITOR="auditor-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
OPERATOR="operator-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
LOOKUP="lookup-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf '# test tokens\nauditor %s\noperator %s\nresident_lookup %s case.worker\n' "$AUDITOR" "$OPERATOR" "$LOOKUP" \
  > "$SCRATCH/tokens"

# ---- serve refuses to start without what it needs ------------------------------------------
expect_exit 2 cl serve --http 127.0.0.1:0
expect_exit 2 cl serve --http 127.0.0.1:0 --tokens "$SCRATCH/no-such-file"
printf 'auditor short\n' > "$SCRATCH/bad-tokens"
expect_exit 2 cl serve --http 127.0.0.1:0 --tokens "$SCRATCH/bad-tokens"
expect_exit 2 cl serve --http 127.0.0.1:99999 --tokens "$SCRATCH/tokens"
printf '[http]\nthreads = 0\n' > "$SCRATCH/bad-http.toml"
expect_exit 2 cl --config "$SCRATCH/bad-http.toml" serve --http 127.0.0.1:0 --tokens "$SCRATCH/tokens"

# ---- start: one ready line on stdout -------------------------------------------------------
start_serve "$SCRATCH/store" "$SCRATCH/tokens"
READY=$(cat "$SCRATCH/serve.out")
[[ "$READY" =~ ^\{\"ready\":\ true,\ \"http\":\ \"127\.0\.0\.1:([0-9]+)\",\ \"kafka\":\ null\}$ ]] \
  || fail "the ready line: [$READY]"
PORT="${BASH_REMATCH[1]}"
BASE="http://127.0.0.1:$PORT"
echo "api_test: serving on port $PORT"
# serve runs with glibc's huge pages (common/huge_pages.h: it re-executes itself once with the
# tunable), under its own name, as the same process the shell started.
tr '\0' '\n' < "/proc/$SERVE_PID/environ" | grep -q '^GLIBC_TUNABLES=.*glibc.malloc.hugetlb=1' \
  || fail "serve runs without glibc.malloc.hugetlb=1"
expect_eq "$(cat "/proc/$SERVE_PID/comm")" "capledger" "serve's process name"

# get PATH [TOKEN]: the body on stdout, the status in $SCRATCH/status.
get() {
  curl -sS -o "$SCRATCH/body" -w '%{http_code}' -H "Authorization: Bearer ${2-$AUDITOR}" "$BASE$1" > "$SCRATCH/status"
  cat "$SCRATCH/body"
}
post() {
  curl -sS -X POST -o "$SCRATCH/body" -w '%{http_code}' -H "Authorization: Bearer ${2-$OPERATOR}" "$BASE$1" \
    > "$SCRATCH/status"
  cat "$SCRATCH/body"
}
status() { cat "$SCRATCH/status"; }

# same PATH CLI-ARGS...: the API's body equals `capledger --json CLI-ARGS` byte for byte.
compared=0
same() {
  local path=$1; shift
  get "$path" > "$SCRATCH/api.json"
  cl --json "$@" > "$SCRATCH/cli.json" || true
  expect_eq "$(status)" "200" "status of $path"
  cmp -s "$SCRATCH/api.json" "$SCRATCH/cli.json" || fail "$path differs from --json $*: $(diff "$SCRATCH/api.json" "$SCRATCH/cli.json" | head -c 400)"
  compared=$((compared + 1))
}

# ---- every query equals the command line ---------------------------------------------------
same "/v1/report?month=2023-03" report --month 2023-03
same "/v1/report?month=2023-03&known_at=2023-04-02T00:00:00Z" report --month 2023-03 --known-at 2023-04-02T00:00:00Z
same "/v1/report?month=2023-06&known_at=seq:2000" report --month 2023-06 --known-at seq:2000
same "/v1/report?month=2023-06&known_at=2099-01-01T00:00:00Z" report --month 2023-06 --known-at 2099-01-01T00:00:00Z
same "/v1/entries" entries
same "/v1/entries?month=2023-04" entries --month 2023-04
same "/v1/entries?run=2023-06" entries --run 2023-06
CLINIC=$(grep -o '"clinic": "[^"]*"' "$SCRATCH/cli.json" | awk 'NR == 1' | cut -d'"' -f4)
same "/v1/entries?run=2023-06&clinic=$CLINIC" entries --run 2023-06 --clinic "$CLINIC"
same "/v1/report?month=2023-05&clinic=$CLINIC" report --month 2023-05 --clinic "$CLINIC"
same "/v1/runs" runs
same "/v1/statement?run=2023-06" statement --run 2023-06
same "/v1/statement?run=2023-06&clinic=$CLINIC" statement --run 2023-06 --clinic "$CLINIC"
# Traces: the first regular entry and every adjustment of the last two runs.
cl --json entries > "$SCRATCH/all.json"
entry_ids=$(grep -o '"id": "E-2023-0[56]-[0-9]*", "run": "[^"]*", "clinic": "[^"]*", "month": "[^"]*", "component": "[^"]*", "kind": "adjustment"' \
  "$SCRATCH/all.json" | cut -d'"' -f4 | awk 'NR <= 8')
first_id=$(grep -o '"id": "E-2023-06-[0-9]*"' "$SCRATCH/all.json" | awk 'NR == 1' | cut -d'"' -f4)
for id in $first_id $entry_ids; do same "/v1/entries/$id/trace" trace "$id"; done
same "/v1/dispute?clinic=$CLINIC&month=2023-03&known_at=2023-04-06T00:00:00Z&vs=2099-01-01T00:00:00Z" \
  dispute --clinic "$CLINIC" --month 2023-03 --known-at 2023-04-06T00:00:00Z --vs 2099-01-01T00:00:00Z
same "/v1/dispute?clinic=$CLINIC&month=2023-05&known_at=seq:100&vs=seq:3000" \
  dispute --clinic "$CLINIC" --month 2023-05 --known-at seq:100 --vs seq:3000
same "/v1/balance?account=payable:$CLINIC" balance --account "payable:$CLINIC"
same "/v1/balance?account=expense:halsoval:capitation&known_at=2023-05-01T00:00:00Z" \
  balance --account expense:halsoval:capitation --known-at 2023-05-01T00:00:00Z
PNR=$(grep -m 1 '"type":"PatientListed"' "$SCRATCH/world.jsonl" | grep -o '"personnummer":"[^"]*"' | cut -d'"' -f4)
get "/v1/explain?resident=$PNR&month=2023-03" > /dev/null
expect_eq "$(status)" "403" "an auditor looking a resident up by personnummer"
get "/v1/explain?resident=$PNR&month=2023-03" "$LOOKUP" > "$SCRATCH/api.json"
expect_eq "$(status)" "200" "a resident_lookup token looking a resident up by personnummer"
cl --json explain --resident "$PNR" --month 2023-03 > "$SCRATCH/cli.json"
cmp -s "$SCRATCH/api.json" "$SCRATCH/cli.json" || fail "explain by personnummer differs between the API and the CLI"
compared=$((compared + 1))
# Both lookups are recorded, each with who made it, and neither with the number.
cl lookups > "$SCRATCH/lookups.jsonl"
expect_eq "$(wc -l < "$SCRATCH/lookups.jsonl")" "2" "recorded lookups"
grep -q '"who": "case.worker", "via": "api"' "$SCRATCH/lookups.jsonl" || fail "the API's lookup: $(cat "$SCRATCH/lookups.jsonl")"
grep -q "\"who\": \"cli $(id -un)\", \"via\": \"cli\"" "$SCRATCH/lookups.jsonl" || fail "the CLI's lookup: $(cat "$SCRATCH/lookups.jsonl")"
grep -q "${PNR:0:8}" "$SCRATCH/lookups.jsonl" && fail "a recorded lookup holds the personnummer"
PSEUDONYM=$(grep -o '"resident": "[0-9a-f]*"' "$SCRATCH/api.json" | cut -d'"' -f4)
same "/v1/explain?resident=$PSEUDONYM&month=2023-06&known_at=seq:1500" \
  explain --resident "$PSEUDONYM" --month 2023-06 --known-at seq:1500
same "/v1/verify" verify
same "/v1/period?year=2023&through=2023-06" period --year 2023 --through 2023-06
RUN_K=$(cl log | awk '/"type":"PayoutRun"/ && !found { found = 1; print }' | grep -o '"seq":[0-9]*' | cut -d: -f2)
same "/v1/period?year=2023&through=2023-04&known_at=seq:$RUN_K" period --year 2023 --through 2023-04 --known-at "seq:$RUN_K"
same "/v1/annual-report?year=2023" annual-report --year 2023
echo "api_test: $compared answers equal the command line's"

# ---- statuses ------------------------------------------------------------------------------
get "/v1/report?month=2023-03" "" > /dev/null; expect_eq "$(status)" "401" "no token"
get "/v1/report?month=2023-03" "not-a-valid-token-at-all" > /dev/null; expect_eq "$(status)" "401" "wrong token"
get "/v1/report?month=2023-3" > /dev/null; expect_eq "$(status)" "400" "malformed month"
get "/v1/period?year=23&through=2023-06" > /dev/null; expect_eq "$(status)" "400" "malformed year"
get "/v1/period?year=2023&through=2024-01" > /dev/null; expect_eq "$(status)" "400" "a month outside the year"
grep -q '"code": "invalid_argument"' "$SCRATCH/body" || fail "a 400 carries invalid_argument"
get "/v1/entries/E-1999-01-000001/trace" > /dev/null; expect_eq "$(status)" "404" "unknown entry"
get "/v1/statement?run=2023-06&clinic=VC-NONE" > /dev/null; expect_eq "$(status)" "404" "unknown clinic"
post "/v1/payouts/2023-07" "$AUDITOR" > /dev/null; expect_eq "$(status)" "403" "an auditor runs a payout"
post "/v1/payouts/2023-09" > /dev/null; expect_eq "$(status)" "409" "a payout that skips August"
get "/health" "" > /dev/null; expect_eq "$(status)" "200" "health needs no token"

# ---- a payout through the API books what the command line books ----------------------------
post "/v1/payouts/2023-07" > "$SCRATCH/api-payout.json"
expect_eq "$(status)" "200" "an operator runs the July payout"
grep -q '"existing": false' "$SCRATCH/api-payout.json" || fail "the July run was booked now"
"$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/store-copy" --json payout --month 2023-07 > "$SCRATCH/cli-payout.json"
cmp -s "$SCRATCH/api-payout.json" "$SCRATCH/cli-payout.json" || fail "the API's July run differs from the CLI's"
same "/v1/entries?run=2023-07" entries --run 2023-07
post "/v1/payouts/2023-07" > "$SCRATCH/api-again.json"
grep -q '"existing": true' "$SCRATCH/api-again.json" || fail "a second July payout shows the run booked"
METRICS=$(curl -sS "$BASE/metrics")
echo "$METRICS" | grep -q '^capledger_payout_run_duration_seconds_count{booked="true"} 1$' || fail "metrics: one run booked"
echo "$METRICS" | grep -q "^capledger_log_events $(cl --json verify | grep -o '"head_seq": [0-9]*' | cut -d' ' -f2)$" \
  || fail "metrics: capledger_log_events is the head seq"
echo "$METRICS" | grep -q '^capledger_http_requests_total{endpoint="/v1/payouts/{month}",status="403"} 1$' \
  || fail "metrics: requests by endpoint and status"

# ---- SIGTERM drains ------------------------------------------------------------------------
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n' "$AUDITOR" >&3
sleep 0.3                       # the request is being read: it is in flight
kill -TERM "$SERVE_PID"
sleep 0.5
if curl -sS -m 2 "$BASE/health" > /dev/null 2>&1; then fail "a new connection is accepted while draining"; fi
printf 'Connection: close\r\n\r\n' >&3
response=$(timeout 20 cat <&3 || true)
exec 3<&-
[[ "$response" == "HTTP/1.1 200"* ]] || fail "the request in flight at SIGTERM is answered: [${response:0:200}]"
[[ "$response" == *'"ok": true'* ]] || fail "the request in flight gets its whole answer"
set +e; wait "$SERVE_PID"; code=$?; set -e
expect_eq "$code" "0" "serve exits 0 after SIGTERM"
grep -q "the store is closed" "$SCRATCH/serve.log" || fail "serve closes the store"
grep -q -e "$AUDITOR" -e "$OPERATOR" "$SCRATCH/serve.log" && fail "a token appears in the log"
cl verify > /dev/null || fail "verify after serve"
"$CAPLEDGER_LEDGER_CHECK" --data "$SCRATCH/store"

# ---- export-sie: balanced verifications that add up to the run -----------------------------
cl export-sie --month 2023-07 > "$SCRATCH/run.se"
# Per #VER the sum of its #TRANS amounts in öre, and the sum of the expense rows (not 2440).
# Amounts are kronor with two decimals and a dot: "-1234.50" -> -123450.
sie_sums=$(LC_ALL=C awk '
  function ore(a,   neg, parts) { neg = (substr(a, 1, 1) == "-"); if (neg) a = substr(a, 2)
    if (a !~ /^[0-9]+\.[0-9][0-9]$/) { print "bad amount " a; exit 1 }
    split(a, parts, "."); return (neg ? -1 : 1) * (parts[1] * 100 + parts[2]) }
  { sub(/\r$/, "") }
  /^#VER / { vers++ ; sum = 0 }
  /^   #TRANS / { n = split($0, f, " "); account = f[2]
    amount = $0; sub(/^.*\} /, "", amount); sub(/ .*$/, "", amount); v = ore(amount); sum += v
    if (account != 2440) expense += v }
  /^}$/ { if (sum != 0) { print "unbalanced verification " vers " by " sum; exit 1 } }
  END { print vers, expense }' "$SCRATCH/run.se")
read -r vers sie_expense <<< "$sie_sums" || fail "export-sie: $sie_sums"
run_total=$(cl --json entries --run 2023-07 | grep -o '"amount": "[-0-9.]*"' | cut -d'"' -f4 |
  LC_ALL=C awk '{ neg = (substr($0, 1, 1) == "-"); a = neg ? substr($0, 2) : $0; split(a, p, ".")
                  s += (neg ? -1 : 1) * (p[1] * 100 + p[2]) } END { print s }')
expect_eq "$sie_expense" "$run_total" "the SIE expense rows add up to the run's entries (öre)"
[ "$vers" -gt 0 ] || fail "the SIE file has verifications"
head -n 3 "$SCRATCH/run.se" | tr -d '\r' | tr '\n' '|' | grep -q '^#FLAGGA 0|#FORMAT PC8|#SIETYP 4|$' || fail "the SIE frame"
if LC_ALL=C grep -q $'\xc3' "$SCRATCH/run.se"; then fail "the SIE file holds UTF-8, not CP437"; fi
# The documented defaults in config/capledger.toml are the built-in ones.
cl --config "$CAPLEDGER_SOURCE_DIR/config/capledger.toml" export-sie --month 2023-07 > "$SCRATCH/run-config.se"
cmp -s "$SCRATCH/run.se" "$SCRATCH/run-config.se" || fail "config/capledger.toml's [sie] differs from the defaults"
expect_exit 2 cl export-sie --month 2023-12
# A mapping that puts the payables on an expense account is refused before anything is written.
printf '[sie.accounts]\npayable = { number = 4610, name = "Skulder" }\n' > "$SCRATCH/bad-sie.toml"
expect_exit 2 cl --config "$SCRATCH/bad-sie.toml" export-sie --month 2023-07
# Another mapping moves the rows and nothing else: the same amounts on the configured accounts.
printf '[sie]\nseries = "HV"\n[sie.accounts]\ncapitation = { number = 5010, name = "Kapitering" }\n' > "$SCRATCH/sie.toml"
cl --config "$SCRATCH/sie.toml" export-sie --month 2023-07 > "$SCRATCH/run-mapped.se"
sed 's/^   #TRANS 5010 /   #TRANS 4610 /; s/^#VER HV /#VER H /' "$SCRATCH/run-mapped.se" | grep -a -e '^   #TRANS' -e '^#VER' \
  > "$SCRATCH/mapped-rows"
grep -a -e '^   #TRANS' -e '^#VER' "$SCRATCH/run.se" > "$SCRATCH/default-rows"
cmp -s "$SCRATCH/mapped-rows" "$SCRATCH/default-rows" || fail "the mapped file's rows, mapped back, are the default file's"
grep -a -q '^   #TRANS 5010 ' "$SCRATCH/run-mapped.se" || fail "capitation rows on the configured account"
echo "api_test: export-sie: $vers verifications, balanced, $run_total öre as the run's entries"
echo "api_test: ok"
