#!/usr/bin/env bash
# The auditor's pages of `capledger serve` (/ui/) in Debian's headless Chromium, driven by
# python3-selenium (tests/browser/ui_pages.py): sign-in, a run to its statement to a trace whose
# figures equal `trace --json`, a log record equal to `log`, a dispute whose waterfall adds up to
# the difference, a clinic's booked months against /v1/entries, the period report and verify
# against their JSON, an auditor with no payout button whose forged POSTs are refused, an
# operator's confirmed payout, English, hostile names and ids, bad URLs, and a trace of more than
# 10,000 residents sent page by page. Screenshots of every page kind go to $SCRATCH (and to
# $CAPLEDGER_SCREENSHOT_DIR when set).
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3  # Debian's, with python3-selenium, whatever else is first on PATH
command -v chromedriver > /dev/null || fail "chromedriver is needed (tools/lib.sh installs chromium-driver)"

SEED="${CAPLEDGER_UI_SEED:-$(( $(date +%s) % 1000 ))}"
echo "ui_browser_test: seed $SEED (rerun with CAPLEDGER_UI_SEED=$SEED)"
# 45,000 residents over the tiny preset's five clinics: the largest holds well over 10,000.
"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 1 --residents 45000 --seed "$SEED" > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2023-05
# What was known by 5 July, so that the operator's June run from the page has something to book.
awk 'match($0, /"recorded_at":"[^"]*"/) { t = substr($0, RSTART + 15, RLENGTH - 16)
     if (t > "2023-06-05T23:59:59.999999Z" && t <= "2023-07-05T23:59:59.999999Z") print }' \
  "$SCRATCH/world.jsonl" | cl ingest - > /dev/null

# Hostile text where the pages show it: a clinic's name and an event id with markup in them.
cat > "$SCRATCH/hostile.jsonl" <<'JSONL'
{"type":"ClinicRegistered","id":"<b id=\"pwned\">x</b>\"'&","clinic":"VC-1999-01","name":"<script>document.title='pwned'</script><img src=x id=pwned>","operator":"private","municipality":"1880","distance_to_hospital_km":"5.0","effective":"2023-06-01"}
JSONL
cl ingest "$SCRATCH/hostile.jsonl" > /dev/null

AUDITOR="auditor-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
OPERATOR="operator-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf '# test tokens\nauditor %s anna.auditor\noperator %s olle.operator\n' "$AUDITOR" "$OPERATOR" > "$SCRATCH/tokens"
start_serve "$SCRATCH/store" "$SCRATCH/tokens"
echo "ui_browser_test: serving on port $PORT"

"$PY" "$CAPLEDGER_SOURCE_DIR/tests/browser/ui_pages.py" \
  --base "http://127.0.0.1:$PORT" --auditor "$AUDITOR" --operator "$OPERATOR" \
  --cli "$CAPLEDGER_BIN" --store "$SCRATCH/store" --scratch "$SCRATCH" \
  --screenshots "${CAPLEDGER_SCREENSHOT_DIR:-$SCRATCH/screenshots}"

stop_serve
cl verify > /dev/null || fail "the store does not verify after the pages' payout"
echo "ui_browser_test: ok"
