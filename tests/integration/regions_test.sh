#!/usr/bin/env bash
# The multi-region world (issue 11): `generate --regions sweden` writes one world per region and
# the regions' cluster tables; the same options give the same bytes; the regions' clinics do not
# share ids; each region's world ingests into a store of its own and pays January 2023 under its
# own rulebooks; cluster.toml is a config the program reads.
source "$(dirname "$0")/lib.sh"

gen() { "$CAPLEDGER_BIN" --log-level warn generate --rulebooks "$CAPLEDGER_SOURCE_DIR/config/rulebooks" "$@"; }
REGIONS="stockholm uppsala sodermanland ostergotland jonkoping kronoberg kalmar gotland blekinge skane halland
vastra-gotaland varmland orebro vastmanland dalarna gavleborg vasternorrland jamtland vasterbotten norrbotten"

echo "-- 21 worlds and cluster.toml, one summary line per region"
gen --regions sweden --out "$SCRATCH/w" --scale 0.002 --years 1 --seed 5 > "$SCRATCH/summary.txt"
expect_eq "$(wc -l < "$SCRATCH/summary.txt")" "21" "summary lines"
expect_eq "$(ls "$SCRATCH/w" | grep -c '\.jsonl$')" "21" "world files"
[ -s "$SCRATCH/w/cluster.toml" ] || fail "no cluster.toml"
partition=0
for region in $REGIONS; do
  [ -s "$SCRATCH/w/$region.jsonl" ] || fail "no world for $region"
  grep -q "^$region partition $partition: " "$SCRATCH/summary.txt" || fail "$region is not partition $partition"
  expect_eq "$(grep -A 1 "^\[regions\.$region\]$" "$SCRATCH/w/cluster.toml" | tail -n 1)" "partition = $partition" \
    "cluster.toml partition of $region"
  partition=$((partition + 1))
done
expect_eq "$(grep -c '^partition = ' "$SCRATCH/w/cluster.toml")" "21" "partitions in cluster.toml"

echo "-- the initial residents are the table's at the scale, rounded half up"
initial() { grep -c '"type":"ResidentRegistered".*"reason":"initial"' "$SCRATCH/w/$1.jsonl"; }
expect_eq "$(initial orebro)" "616" "Örebro: 308,116 × 0.002 = 616.232"
expect_eq "$(initial gotland)" "122" "Gotland: 61,001 × 0.002 = 122.002"
expect_eq "$(initial vastra-gotaland)" "3503" "Västra Götaland: 1,751,717 × 0.002 = 3,503.434"
expect_eq "$(initial stockholm)" "4910" "Stockholm: 2,454,821 × 0.002 = 4,909.642"

echo "-- the same options give the same bytes"
gen --regions sweden --out "$SCRATCH/again" --scale 0.002 --years 1 --seed 5 > /dev/null
for f in "$SCRATCH"/w/*; do cmp "$f" "$SCRATCH/again/$(basename "$f")" || fail "$(basename "$f") differs"; done

echo "-- no clinic id is in two regions' worlds"
for region in $REGIONS; do
  grep '"type":"ClinicRegistered"' "$SCRATCH/w/$region.jsonl" | grep -o '"clinic":"[^"]*"' | sort -u
done | sort | uniq -d > "$SCRATCH/shared.txt"
[ ! -s "$SCRATCH/shared.txt" ] || fail "clinic ids in two regions: $(head -n 3 "$SCRATCH/shared.txt")"

echo "-- Örebro publishes the repository's rulebooks, another region its own"
grep -q '"rulebook":{"id":"KoK-2023",' "$SCRATCH/w/orebro.jsonl" || fail "Örebro has no KoK-2023"
grep -q '"rulebook":{"id":"KoK-2023-gotland",' "$SCRATCH/w/gotland.jsonl" || fail "Gotland has no KoK-2023-gotland"
if grep -q '"rulebook":{"id":"KoK-2023",' "$SCRATCH/w/gotland.jsonl"; then fail "Gotland has Örebro's KoK-2023"; fi

echo "-- three regions ingest into stores of their own and pay January 2023"
for region in orebro gotland vastra-gotaland; do
  store="$SCRATCH/store-$region"
  lines=$(wc -l < "$SCRATCH/w/$region.jsonl")
  expect_eq "$("$CAPLEDGER_BIN" --log-level warn --data "$store" ingest "$SCRATCH/w/$region.jsonl")" \
    "stored $lines, duplicate 0, rejected 0 (log head seq $lines)" "ingest of $region"
  "$CAPLEDGER_BIN" --log-level warn --data "$store" --json payout --month 2023-01 > "$SCRATCH/payout-$region.json"
  grep -q '"run": *"2023-01"' "$SCRATCH/payout-$region.json" || fail "$region: no run 2023-01"
  grep -q '"component": *"capitation"' "$SCRATCH/payout-$region.json" || fail "$region: no capitation entry"
  "$CAPLEDGER_BIN" --log-level warn --data "$store" verify > /dev/null || fail "$region: the store does not verify"
done
grep -q '"rulebook": *"KoK-2023"' "$SCRATCH/payout-orebro.json" || fail "Örebro was not paid under KoK-2023"
grep -q '"rulebook": *"KoK-2023-gotland"' "$SCRATCH/payout-gotland.json" || fail "Gotland was not paid under its own"

echo "-- cluster.toml is a config: --region gotland keeps its store in DATA/gotland with its own secret"
export CAPLEDGER_SECRET_GOTLAND="ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
lines=$(wc -l < "$SCRATCH/w/gotland.jsonl")
expect_eq "$("$CAPLEDGER_BIN" --log-level warn --config "$SCRATCH/w/cluster.toml" --data "$SCRATCH/tenants" \
  --region gotland ingest "$SCRATCH/w/gotland.jsonl")" \
  "stored $lines, duplicate 0, rejected 0 (log head seq $lines)" "ingest of gotland through cluster.toml"
[ -d "$SCRATCH/tenants/gotland" ] || fail "no store in tenants/gotland"

echo "-- usage errors"
expect_exit 2 "$CAPLEDGER_BIN" --log-level off generate --regions sweden --out "$SCRATCH/x" --scale 0
expect_exit 2 "$CAPLEDGER_BIN" --log-level off generate --regions denmark --out "$SCRATCH/x"
expect_exit 2 "$CAPLEDGER_BIN" --log-level off generate --regions sweden
expect_exit 2 "$CAPLEDGER_BIN" --log-level off generate --regions sweden --preset tiny --out "$SCRATCH/x"
expect_exit 2 "$CAPLEDGER_BIN" --log-level off generate --preset tiny --scale 0.5
expect_exit 2 "$CAPLEDGER_BIN" --log-level off generate

echo "regions_test: ok"
