#!/usr/bin/env bash
# The public follow-up site of `capledger publish` (DOMAIN.md §11) in a real browser: Debian's
# headless Chromium through chromium-driver and python3-selenium (tools/lib.sh installs them), the
# pages opened as file:// URLs. tests/browser/public_site.py sorts the index's clinics by the
# listed-residents column (ascending, then descending, as sort.js does), checks every clinic's
# listed count on the index against open-data/ersattning.json, opens every clinic page (no SEVERE
# console entry, an h1, an svg with role="img", every relative href/src an existing file) and
# takes screenshots: $SCRATCH/public-{index,clinic}.png, and into $CAPLEDGER_SCREENSHOT_DIR too if
# that is set (kept even though $SCRATCH is removed when the test exits).
source "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3  # Debian's, with python3-selenium, whatever else is first on PATH
for tool in "$PY" /usr/bin/chromium /usr/bin/chromedriver; do
  [ -x "$tool" ] || fail "$tool is missing: tools/lib.sh installs chromium, chromium-driver and python3-selenium"
done
"$PY" -c 'import selenium' 2> /dev/null || fail "$PY has no selenium: apt-get install python3-selenium (tools/lib.sh)"

SEED="${CAPLEDGER_PUBLIC_BROWSER_SEED:-$(( $(date +%s) % 1000 ))}"
echo "public_browser_test: seed $SEED (rerun with CAPLEDGER_PUBLIC_BROWSER_SEED=$SEED)"
"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 2 --seed "$SEED" > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2024-12
cl publish --year 2024 --through 2024-12 --out "$SCRATCH/site" > "$SCRATCH/publish.out"
for f in index.html style.css sort.js open-data/ersattning.json; do
  [ -s "$SCRATCH/site/$f" ] || fail "publish wrote no $f"
done

echo "-- the site in headless Chromium, from files"
"$PY" "$CAPLEDGER_SOURCE_DIR/tests/browser/public_site.py" "$SCRATCH/site" "$SCRATCH" \
  || fail "the browser check failed (seed $SEED)"
for png in public-index.png public-clinic.png; do
  [ -s "$SCRATCH/$png" ] || fail "no screenshot $png"
  [ "$(head -c 8 "$SCRATCH/$png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ] || fail "$png is no PNG"
done
echo "public_browser_test: passed"
