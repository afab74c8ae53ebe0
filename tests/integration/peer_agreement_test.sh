#!/usr/bin/env bash
# capledger against an independent implementation: the SQL of benchmarks/peer/ on a throwaway
# PostgreSQL 15 cluster must give the same report, to the öre, for generated worlds: a fixed tiny
# world and three random ones (seeds printed; CAPLEDGER_PEER_SEED replays them), at the head,
# around every retraction, at random past knowledge points and for single clinics.
source "$(dirname "$0")/lib.sh"
source "$CAPLEDGER_SOURCE_DIR/benchmarks/peer/pg.sh"

# The server runs as user postgres, which cannot enter $SCRATCH: it gets a directory of its own.
PG_SCRATCH="$(mktemp -d /tmp/capledger-pg-XXXXXX)"
trap 'pg_stop; rm -rf "$SCRATCH" "$PG_SCRATCH"' EXIT
pg_start "$PG_SCRATCH" || fail "could not start PostgreSQL 15 (is postgresql-15 installed?)"
echo "-- PostgreSQL on 127.0.0.1:$PG_PORT"

seed="${CAPLEDGER_PEER_SEED:-$(( $(date +%s) % 100000 ))}"
echo "-- random worlds from seed $seed (CAPLEDGER_PEER_SEED=$seed replays them)"
RANDOM=$seed

compared=0
agree() { compared=$((compared + 1)); pg_agree "$@" || fail "capledger and the SQL peer differ (seed $seed)"; }
pg_value() { pg_sql -At -c "$1"; }

# check_world NAME FIRST_YEAR YEARS HEAD_STEP RANDOM_POINTS GENERATE_ARGS...
check_world() {
  local name="$1" first_year="$2" years="$3" head_step="$4" points="$5"
  shift 5
  local world="$SCRATCH/$name.jsonl" store="$SCRATCH/$name.store"
  "$CAPLEDGER_BIN" --log-level warn generate --rulebooks "$CAPLEDGER_SOURCE_DIR/config/rulebooks" "$@" > "$world"
  local lines
  lines=$(wc -l < "$world")
  # The SQL takes seq = line number, which holds when every line is stored.
  expect_eq "$("$CAPLEDGER_BIN" --log-level warn --data "$store" ingest "$world")" \
    "stored $lines, duplicate 0, rejected 0 (log head seq $lines)" "ingest of $name"
  pg_load "$world" > /dev/null
  local before=$compared months=() m
  for ((m = 0; m < years * 12; m++)); do months+=("$(printf '%04d-%02d' $((first_year + m / 12)) $((m % 12 + 1)))"); done

  # Every head_step-th month as known at the head.
  for ((m = 0; m < ${#months[@]}; m += head_step)); do agree "$store" "${months[$m]}" "$lines"; done

  # Each retraction: the target's month just before the retraction is known, and at it.
  local r t month
  while read -r r t month; do
    [ -n "$r" ] || continue
    agree "$store" "$month" $((r - 1))
    agree "$store" "$month" "$r"
  done < <(pg_sql -At -F ' ' -c "select r.seq, r.target_seq, to_char(coalesce(e.effective, (e.body->>'month' || '-01')::date), 'YYYY-MM')
                                from retraction r join event e on e.seq = r.target_seq order by r.seq")

  # Random months at random knowledge points after the month's rulebook is known (earlier ones
  # are refused by both; one such is checked too).
  local i k low
  for ((i = 0; i < points; i++)); do
    month="${months[$((RANDOM % ${#months[@]}))]}"
    low=$(pg_value "select min(seq) from rulebook where valid_from <= '$month-01' and '$month-01' < valid_until")
    k=$((low + (RANDOM * 32768 + RANDOM) % (lines - low + 1)))
    agree "$store" "$month" "$k"
  done
  agree "$store" "${months[$((${#months[@]} - 1))]}" 1

  # Single clinics: up to 8 of the clinics open in two random (month, K), and one not open.
  local clinic
  for i in 1 2; do
    month="${months[$((RANDOM % ${#months[@]}))]}"
    low=$(pg_value "select min(seq) from rulebook where valid_from <= '$month-01' and '$month-01' < valid_until")
    k=$((low + (RANDOM * 32768 + RANDOM) % (lines - low + 1)))
    for clinic in $(pg_value "select clinic from month_report('$month', $k) order by md5(clinic || '$RANDOM') limit 8"); do
      agree "$store" "$month" "$k" "$clinic"
    done
  done
  agree "$store" "${months[0]}" "$lines" "VC-NOWHERE"
  echo "   $name ($*): $lines events, $((compared - before)) reports agree"
}

echo "-- a fixed tiny world"
check_world tiny 2023 3 1 12 --preset tiny --years 3 --seed 11

echo "-- the comparison sees a difference of one öre"
head=$(wc -l < "$SCRATCH/tiny.jsonl")
"$CAPLEDGER_BIN" --log-level off --data "$SCRATCH/tiny.store" --json report --month 2025-06 --known-at "seq:$head" \
  > "$SCRATCH/report.json"
# The first clinic's capitation one öre higher: exactly that field differs (and the clinic's and the
# report's totals, which are left as capledger printed them).
differences=$(pg_sql -At -F ' ' <<SQL
\set doc \`cat '$SCRATCH/report.json'\`
with doc as (select :'doc'::jsonb as d),
     changed as (select jsonb_set(d, '{clinics,0,amounts,capitation}',
                   to_jsonb(to_char((ore_of(d->'clinics'->0->'amounts'->>'capitation') + 1) / 100.0, 'FM9999999990.00'))) as d
                 from doc)
select string_agg(field, ',' order by field) from changed, report_differences('2025-06', $head, null, changed.d);
SQL
)
expect_eq "$differences" "capitation" "fields that differ after adding one öre to a capitation"

echo "-- random worlds"
check_world random-tiny 2023 2 2 8 --preset tiny --years 2 --seed $((RANDOM + 1))
check_world random-small 2023 3 3 8 --preset tiny --residents 1500 --years 3 --seed $((RANDOM + 1))
check_world random-orebro 2023 2 2 8 --preset orebro --residents 8000 --years 2 --seed $((RANDOM + 1))

echo "peer_agreement_test: ok ($compared reports agree to the öre)"
