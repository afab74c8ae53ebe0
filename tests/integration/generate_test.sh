#!/usr/bin/env bash
# The synthetic world (issue 3, item 8): deterministic for a seed, ingestible without a reject,
# ids gen-<line> and recorded_at never decreasing, and the orebro preset's initial population
# equal to the official table per municipality and age group.
source "$(dirname "$0")/lib.sh"

gen() { "$CAPLEDGER_BIN" --log-level warn generate --rulebooks "$CAPLEDGER_SOURCE_DIR/config/rulebooks" "$@"; }

echo "-- the same seed gives the same bytes; another seed another world"
gen --preset tiny --years 3 --seed 11 > "$SCRATCH/a.jsonl"
gen --preset tiny --years 3 --seed 11 > "$SCRATCH/b.jsonl"
cmp -s "$SCRATCH/a.jsonl" "$SCRATCH/b.jsonl" || fail "seed 11 twice gave different worlds"
gen --preset tiny --years 3 --seed 12 > "$SCRATCH/c.jsonl"
if cmp -s "$SCRATCH/a.jsonl" "$SCRATCH/c.jsonl"; then fail "seeds 11 and 12 gave the same world"; fi
sum1=$(gen --preset orebro --residents 40000 --years 1 --seed 5 | sha256sum)
sum2=$(gen --preset orebro --residents 40000 --years 1 --seed 5 | sha256sum)
expect_eq "$sum1" "$sum2" "a scaled orebro world twice"

echo "-- every line is gen-<line number>, recorded_at never decreases and stays before 2026-01-15"
awk -F'"' '{
  id = ""; t = ""  # the first of each key: a rulebook has an "id" of its own further on
  for (i = 1; i < NF; i++) { if ($i == "id" && id == "") id = $(i + 2); if ($i == "recorded_at" && t == "") t = $(i + 2) }
  if (id != "gen-" NR) { print "line " NR ": id " id; exit 1 }
  if (t < last) { print "line " NR ": recorded_at " t " < " last; exit 1 }
  last = t
} END { if (last > "2026-01-15T00:00:00") { print "last recorded_at " last; exit 1 } }' "$SCRATCH/a.jsonl" \
  || fail "ids or recorded_at out of order"

echo "-- the world holds every kind of event, and one rulebook per TOML file, KoK-2023 first"
for type in RulebookPublished ClinicRegistered ResidentRegistered ResidentMovedOut ResidentDied ResidentRelocated \
            PatientListed PatientUnlisted VisitsReported CniReported PerformanceReported EventRetracted \
            BudgetFrameSet MissionUndertaken; do
  grep -q "^{\"type\":\"$type\"" "$SCRATCH/a.jsonl" || fail "no $type in the tiny world"
done
for reason in initial birth moved_in; do
  grep -q "\"reason\":\"$reason\"" "$SCRATCH/a.jsonl" || fail "no registration with reason $reason"
done
for reason in choice proximity newborn queue_opening; do
  grep -q "\"reason\":\"$reason\"" "$SCRATCH/a.jsonl" || fail "no listing with reason $reason"
done
books=$(ls "$CAPLEDGER_SOURCE_DIR"/config/rulebooks/*.toml | wc -l)
expect_eq "$(grep -c '^{"type":"RulebookPublished"' "$SCRATCH/a.jsonl")" "$books" "RulebookPublished lines"
grep -m 1 '^{"type":"RulebookPublished"' "$SCRATCH/a.jsonl" | grep -q '"rulebook":{"id":"KoK-2023"' \
  || fail "the first rulebook is not KoK-2023"
# The council's frame for a year comes before the board's rulebook for it (November, December).
head -n 1 "$SCRATCH/a.jsonl" | grep -q '^{"type":"BudgetFrameSet",.*"year":"2023"' || fail "the first line is the 2023 frame"

echo "-- tiny over three years ingests into a fresh store with nothing rejected"
out=$(cl ingest "$SCRATCH/a.jsonl")
lines=$(wc -l < "$SCRATCH/a.jsonl")
expect_eq "$out" "stored $lines, duplicate 0, rejected 0 (log head seq $lines)" "ingest of the tiny world"

echo "-- orebro: the initial population per municipality and age group is the official table"
# Ages are completed years on 2023-12-31 (the table's date), i.e. 2023 minus the birth year in the
# personnummer's first four digits. Columns: 0-15, 16-24, 25-44, 45-64, 65+.
cat > "$SCRATCH/expected.txt" <<'TABLE'
1814 1962 620 2234 1967 1823
1860 887 440 1068 1447 1655
1861 3157 1390 4003 3997 3685
1862 1489 792 1823 2554 2699
1863 1020 583 1294 1645 1953
1864 571 330 822 1207 1477
1880 29455 20187 43676 36364 29666
1881 4740 2143 5575 5483 4575
1882 1811 976 2312 2964 3415
1883 5115 2930 7037 7577 7602
1884 1868 849 2270 2637 3003
1885 4120 2089 5218 5828 6037
TABLE
gen --preset orebro --years 1 --seed 3 | grep '"type":"ResidentRegistered".*"reason":"initial"' | awk -F'"' '{
  for (i = 1; i < NF; i++) { if ($i == "personnummer") p = $(i + 2); if ($i == "municipality") m = $(i + 2) }
  age = 2023 - substr(p, 1, 4)
  g = age <= 15 ? 1 : age <= 24 ? 2 : age <= 44 ? 3 : age <= 64 ? 4 : 5
  n[m, g]++; seen[m] = 1
} END {
  for (m in seen) { line = m; for (g = 1; g <= 5; g++) line = line " " (n[m, g] + 0); print line }
}' | sort > "$SCRATCH/actual.txt"
diff "$SCRATCH/expected.txt" "$SCRATCH/actual.txt" || fail "the orebro initial population differs from the table"
expect_eq "$(awk '{ for (i = 2; i <= 6; i++) s += $i } END { print s }' "$SCRATCH/actual.txt")" "308116" "orebro total"

echo "-- a missing rulebook directory is refused"
expect_exit 2 "$CAPLEDGER_BIN" --log-level off generate --preset tiny --rulebooks "$SCRATCH/nowhere"

echo "generate_test: ok"
