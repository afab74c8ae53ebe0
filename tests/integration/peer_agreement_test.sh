#!/usr/bin/env bash
# capledger against an independent implementation: the SQL of benchmarks/peer/ on a throwaway
# PostgreSQL 15 cluster must give the same report, to the öre: for a fixed tiny world and two random
# ones (seeds printed; CAPLEDGER_PEER_SEED replays them) at the head, around every retraction, at
# random past knowledge points and for single clinics; and for a small world of edge cases at
# every knowledge point.
source "$(dirname "$0")/lib.sh"
source "$CAPLEDGER_SOURCE_DIR/benchmarks/peer/pg.sh"

# The server runs as user postgres, which cannot enter $SCRATCH: it gets a directory of its own.
PG_SCRATCH="$(mktemp -d /tmp/capledger-pg-XXXXXX)"
export PG_SHARED_BUFFERS=256MB  # the worlds here are a few MB
trap 'pg_stop; rm -rf "$SCRATCH" "$PG_SCRATCH"' EXIT
pg_start "$PG_SCRATCH" || fail "could not start PostgreSQL 15 (is postgresql-15 installed?)"
echo "-- PostgreSQL on 127.0.0.1:$PG_PORT"

seed="${CAPLEDGER_PEER_SEED:-$(( $(date +%s) % 100000 ))}"
echo "-- random worlds from seed $seed (CAPLEDGER_PEER_SEED=$seed replays them)"
RANDOM=$seed

compared=0
agree() { compared=$((compared + 1)); pg_agree "$@" || fail "capledger and the SQL peer differ (seed $seed)"; }
pg_value() { pg_sql -At -c "$1"; }

# The world is cut where the payment unit of 2026-10 stands: at the payout day of 2026-10, the
# last month whose payout day is past for every clock this test runs under (a later line would be
# refused as recorded in the future).
KNOWN_UNTIL="2026-11-05T23:59:59.999999Z"

# check_world NAME FIRST_YEAR MONTHS HEAD_STEP RANDOM_POINTS GENERATE_ARGS...
check_world() {
  local name="$1" first_year="$2" month_count="$3" head_step="$4" points="$5"
  shift 5
  local world="$SCRATCH/$name.jsonl" store="$SCRATCH/$name.store"
  # awk reads the generator's output to its end: leaving early would end the generator with
  # SIGPIPE, which pipefail turns into a silent exit of the test.
  "$CAPLEDGER_BIN" --log-level warn generate --rulebooks "$CAPLEDGER_SOURCE_DIR/config/rulebooks" "$@" |
    awk -v until="$KNOWN_UNTIL" '{ match($0, /"recorded_at":"[^"]*"/); if (substr($0, RSTART + 15, RLENGTH - 16) > until) past = 1; if (!past) print }' \
    > "$world"
  local lines
  lines=$(wc -l < "$world")
  # The SQL takes seq = line number, which holds when every line is stored.
  expect_eq "$("$CAPLEDGER_BIN" --log-level warn --data "$store" ingest "$world")" \
    "stored $lines, duplicate 0, rejected 0 (log head seq $lines)" "ingest of $name"
  pg_load "$world" > /dev/null
  local before=$compared months=() m
  for ((m = 0; m < month_count; m++)); do months+=("$(printf '%04d-%02d' $((first_year + m / 12)) $((m % 12 + 1)))"); done

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
check_world tiny 2023 46 3 6 --preset tiny --years 4 --seed 11

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
# The first clinic with missions gets one öre more of them; in another copy the first clinic's
# missions amount is missing: each differs in that field alone.
differences=$(pg_sql -At -F ' ' <<SQL
\set doc \`cat '$SCRATCH/report.json'\`
with doc as (select :'doc'::jsonb as d),
     pick as (select (min(c.i) - 1)::int as i from doc, jsonb_array_elements(doc.d->'clinics') with ordinality c(v, i)
              where c.v->'amounts'->>'missions' <> '0.00'),
     raised as (select jsonb_set(d, array['clinics', pick.i::text, 'amounts', 'missions'],
                  to_jsonb(to_char((ore_of(d->'clinics'->pick.i->'amounts'->>'missions') + 1) / 100.0, 'FM9999999990.00'))) as d
                from doc, pick),
     dropped as (select d #- '{clinics,0,amounts,missions}' as d from doc)
select (select string_agg(field, ',' order by field) from raised, report_differences('2025-06', $head, null, raised.d))
       || ' ' || (select string_agg(field, ',' order by field) from dropped, report_differences('2025-06', $head, null, dropped.d));
SQL
)
expect_eq "$differences" "missions missions" "fields that differ with one öre more of missions, and without them"

echo "-- a small world of edge cases, at every knowledge point"
# Three snapshot rules (last day of month, first day, last day of previous month), birthdays on
# 29 February (one a samordningsnummer), a listing before the registration, a move out and back,
# a listing elsewhere and a death on the same day, an unlisting at the wrong clinic (changes
# nothing), an unlisting and a new listing the same day, both personnummer forms, an event before
# the birth, a clinic registered twice (the later registration decides), a listing at a clinic
# never registered, a closure, a distance change, a start grant in 3 parts, CNI ties broken by id
# and a computed CNI, a retracted CNI, a rulebook revision without a start grant that is retracted
# again, a target retracted twice, two performance reports covering one month and a replaced and a
# closed clinic's visit report; visits paid for work done to a clinic closing on the 20th and to
# one opening after its snapshot date, and a visits report for a month the clinic was open on no
# day; a start grant counted from the first month open on its snapshot date. Missions under E-2024
# (2024-2025, with a base mission and optional per_unit, per_listed 0-5 and 13+, and fixed ones)
# and a budget frame the calculation ignores: a base mission, a mission not listed and a per_unit
# one without units undertaken (paid nothing); units changed; a per_listed mission with units
# (ignored); an undertaking effective on D; an end and an undertaking tied on their date each way
# (the higher seq decides); an end of a mission never undertaken; a retracted undertaking; one
# recorded five months late; missions at a closed and at a never registered clinic.
cat > "$SCRATCH/edge.jsonl" <<'WORLD'
{"type":"RulebookPublished","id":"edge-1","rulebook":{"id":"E-2022a","title":"Edge E-2022a","decision":"E-E-2022a","decided_by":"regionstyrelsen","decided_on":"unknown","valid_from":"2022-01-01","valid_until":"2022-03-01","snapshot":"last_day_of_month","retro_window_months":12,"capitation":{"bands":[{"min_age":0,"amount":"3600.00"},{"min_age":6,"amount":"1700.00"},{"min_age":16,"amount":"1900.00"},{"min_age":25,"amount":"2300.00"},{"min_age":45,"amount":"2900.00"},{"min_age":65,"amount":"4300.00"},{"min_age":75,"amount":"6200.00"},{"min_age":85,"amount":"8100.00"}]},"performance":{"amount":"142.30"},"visits":{"home_visit":"1100.00","other_listed":"650.00","unlisted":"650.00","out_of_region":"1500.00"}},"recorded_at":"2021-12-15T09:00:00Z"}
{"type":"RulebookPublished","id":"edge-2","rulebook":{"id":"E-2022b","title":"Edge E-2022b","decision":"E-E-2022b","decided_by":"regionstyrelsen","decided_on":"unknown","valid_from":"2022-03-01","valid_until":"2023-01-01","snapshot":"first_day_of_month","retro_window_months":12,"capitation":{"bands":[{"min_age":0,"amount":"3600.00"},{"min_age":6,"amount":"1700.00"},{"min_age":16,"amount":"1900.00"},{"min_age":25,"amount":"2300.00"},{"min_age":45,"amount":"2900.00"},{"min_age":65,"amount":"4300.00"},{"min_age":75,"amount":"6200.00"},{"min_age":85,"amount":"8100.00"}]},"performance":{"amount":"142.30"},"visits":{"home_visit":"1100.00","other_listed":"650.00","unlisted":"650.00","out_of_region":"1500.00"}},"recorded_at":"2021-12-15T09:00:00Z"}
{"type":"RulebookPublished","id":"edge-3","rulebook":{"id":"E-2023","title":"Edge E-2023","decision":"E-E-2023","decided_by":"regionstyrelsen","decided_on":"unknown","valid_from":"2023-01-01","valid_until":"2024-01-01","snapshot":"last_day_of_previous_month","retro_window_months":12,"capitation":{"bands":[{"min_age":0,"amount":"3600.00"},{"min_age":6,"amount":"1700.00"},{"min_age":16,"amount":"1900.00"},{"min_age":25,"amount":"2300.00"},{"min_age":45,"amount":"2900.00"},{"min_age":65,"amount":"4300.00"},{"min_age":75,"amount":"6200.00"},{"min_age":85,"amount":"8100.00"}]},"performance":{"amount":"192.00"},"visits":{"home_visit":"1100.00","other_listed":"650.00","unlisted":"650.00","out_of_region":"1500.00"},"start_grant":{"amount":"1000.00","months":3},"cni_supplement":{"top_n":1,"amount":"450.00"},"distance_supplement":{"bands":[{"min_km":"25.0","amount":"200.00"},{"min_km":"50.0","amount":"400.00"}]}},"recorded_at":"2021-12-15T09:00:00Z"}
{"type":"ClinicRegistered","id":"edge-4","clinic":"VC-A","name":"Vårdcentralen VC-A","operator":"region","municipality":"1880","distance_to_hospital_km":"12.5","effective":"2020-01-01","recorded_at":"2021-12-15T09:00:00Z"}
{"type":"ClinicRegistered","id":"edge-5","clinic":"VC-B","name":"Vårdcentralen VC-B","operator":"region","municipality":"1880","distance_to_hospital_km":"60.0","effective":"2020-01-01","recorded_at":"2021-12-15T09:00:00Z"}
{"type":"ClinicRegistered","id":"edge-6","clinic":"VC-C","name":"Vårdcentralen VC-C","operator":"region","municipality":"1880","distance_to_hospital_km":"25.0","effective":"2020-01-01","recorded_at":"2021-12-15T09:00:00Z"}
{"type":"ResidentRegistered","id":"edge-7","personnummer":"19580531-1015","effective":"2022-01-01","municipality":"1880","reason":"initial","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"PatientListed","id":"edge-8","personnummer":"19580531-1015","clinic":"VC-A","effective":"2022-01-01","reason":"choice","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"ResidentRegistered","id":"edge-9","personnummer":"20160229-2029","effective":"2022-01-01","municipality":"1880","reason":"initial","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"PatientListed","id":"edge-10","personnummer":"20160229-2029","clinic":"VC-B","effective":"2022-01-01","reason":"choice","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"ResidentRegistered","id":"edge-11","personnummer":"20080289-3032","effective":"2022-01-01","municipality":"1880","reason":"initial","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"PatientListed","id":"edge-12","personnummer":"20080289-3032","clinic":"VC-A","effective":"2022-01-01","reason":"choice","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"ResidentRegistered","id":"edge-13","personnummer":"19900115-4047","effective":"2022-01-01","municipality":"1880","reason":"initial","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"PatientListed","id":"edge-14","personnummer":"19900115-4047","clinic":"VC-A","effective":"2022-01-01","reason":"choice","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"ResidentRegistered","id":"edge-15","personnummer":"19930701-5058","effective":"2022-01-01","municipality":"1880","reason":"initial","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"PatientListed","id":"edge-16","personnummer":"19930701-5058","clinic":"VC-B","effective":"2022-01-01","reason":"choice","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"ResidentRegistered","id":"edge-17","personnummer":"19700101-7073","effective":"2022-01-01","municipality":"1880","reason":"initial","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"PatientListed","id":"edge-18","personnummer":"19700101-7073","clinic":"VC-A","effective":"2022-01-01","reason":"choice","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"ResidentRegistered","id":"edge-19","personnummer":"19850610-8086","effective":"2022-01-01","municipality":"1880","reason":"initial","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"PatientListed","id":"edge-20","personnummer":"19850610-8086","clinic":"VC-A","effective":"2022-01-01","reason":"choice","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"ResidentRegistered","id":"edge-21","personnummer":"19750303-9096","effective":"2022-01-01","municipality":"1880","reason":"initial","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"PatientListed","id":"edge-22","personnummer":"19750303-9096","clinic":"VC-Z","effective":"2022-01-01","reason":"choice","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"ResidentRegistered","id":"edge-23","personnummer":"19300101-3337","effective":"2022-01-01","municipality":"1880","reason":"initial","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"PatientListed","id":"edge-24","personnummer":"19300101-3337","clinic":"VC-C","effective":"2022-01-01","reason":"choice","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"PatientListed","id":"edge-25","personnummer":"19600101-1110","clinic":"VC-B","effective":"2022-01-01","reason":"choice","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"ResidentRegistered","id":"edge-26","personnummer":"20000101-6062","effective":"2022-01-01","municipality":"1880","reason":"initial","recorded_at":"2022-01-01T00:00:00Z"}
{"type":"PatientListed","id":"edge-27","personnummer":"20000101-6062","clinic":"VC-B","effective":"2022-02-01","reason":"choice","recorded_at":"2022-02-03T08:00:00Z"}
{"type":"VisitsReported","id":"edge-29","clinic":"VC-A","month":"2022-01","counts":{"home_visits":2,"other_listed":3,"unlisted":1,"out_of_region":1},"recorded_at":"2022-02-05T08:00:00Z"}
{"type":"PerformanceReported","id":"edge-28","clinic":"VC-A","period_from":"2022-01","period_to":"2022-12","fulfilment":"0.800","recorded_at":"2022-02-10T08:00:00Z"}
{"type":"EventRetracted","id":"edge-30","target":"edge-27","reason":"sent to the wrong clinic","recorded_at":"2022-03-01T08:00:00Z"}
{"type":"EventRetracted","id":"edge-31","target":"edge-27","reason":"the same again","recorded_at":"2022-03-02T08:00:00Z"}
{"type":"PatientListed","id":"edge-32","personnummer":"20000101-6062","clinic":"VC-A","effective":"2022-02-01","reason":"choice","recorded_at":"2022-03-02T09:00:00Z"}
{"type":"ResidentRegistered","id":"edge-33","personnummer":"19600101-1110","effective":"2022-06-01","municipality":"1880","reason":"initial","recorded_at":"2022-06-05T08:00:00Z"}
{"type":"ResidentMovedOut","id":"edge-34","personnummer":"19930701-5058","effective":"2022-06-01","recorded_at":"2022-06-05T08:00:00Z"}
{"type":"PerformanceReported","id":"edge-35","clinic":"VC-A","period_from":"2022-06","period_to":"2022-06","fulfilment":"0.500","recorded_at":"2022-07-10T08:00:00Z"}
{"type":"ResidentRegistered","id":"edge-36","personnummer":"19930701-5058","effective":"2022-09-01","municipality":"1880","reason":"moved_in","recorded_at":"2022-09-05T08:00:00Z"}
{"type":"PatientListed","id":"edge-37","personnummer":"19930701-5058","clinic":"VC-C","effective":"2022-09-01","reason":"choice","recorded_at":"2022-09-05T08:00:00Z"}
{"type":"PatientUnlisted","id":"edge-38","personnummer":"19700101-7073","clinic":"VC-B","effective":"2022-10-01","reason":"other","recorded_at":"2022-10-05T08:00:00Z"}
{"type":"ResidentRelocated","id":"edge-39","personnummer":"19700101-7073","effective":"2022-10-01","municipality":"1881","recorded_at":"2022-10-05T08:00:00Z"}
{"type":"ClinicRegistered","id":"edge-40","clinic":"VC-N","name":"Vårdcentralen VC-N","operator":"region","municipality":"1880","distance_to_hospital_km":"0.0","effective":"2023-02-01","recorded_at":"2022-12-20T08:00:00Z"}
{"type":"ClinicRegistered","id":"edge-41","clinic":"VC-R","name":"Vårdcentralen VC-R","operator":"region","municipality":"1880","distance_to_hospital_km":"55.0","effective":"2023-08-01","recorded_at":"2022-12-20T08:00:00Z"}
{"type":"ClinicRegistered","id":"edge-42","clinic":"VC-R","name":"Vårdcentralen VC-R","operator":"region","municipality":"1880","distance_to_hospital_km":"55.0","effective":"2023-03-01","recorded_at":"2022-12-21T08:00:00Z"}
{"type":"CniReported","id":"edge-43","clinic":"VC-A","effective":"2023-01-01","vintage":"SCB-2023","population":1000,"hits":{"over_65_alone":10,"born_abroad":20,"unemployed":30,"single_parent":40,"moved_in":50,"low_education":60,"under_5":70},"cni":"0.4730","recorded_at":"2023-01-02T08:00:00Z"}
{"type":"CniReported","id":"edge-44","clinic":"VC-B","effective":"2023-01-01","vintage":"SCB-2023","population":500,"hits":{"over_65_alone":10,"born_abroad":20,"unemployed":30,"single_parent":40,"moved_in":50,"low_education":60,"under_5":70},"recorded_at":"2023-01-02T08:00:00Z"}
{"type":"CniReported","id":"edge-45","clinic":"VC-C","effective":"2023-01-01","vintage":"SCB-2023","population":100,"hits":{"over_65_alone":10,"born_abroad":20,"unemployed":30,"single_parent":40,"moved_in":50,"low_education":60,"under_5":70},"recorded_at":"2023-01-02T08:00:00Z"}
{"type":"CniReported","id":"edge-46","clinic":"VC-N","effective":"2023-01-01","vintage":"SCB-2023","population":100,"hits":{"over_65_alone":10,"born_abroad":20,"unemployed":30,"single_parent":40,"moved_in":50,"low_education":60,"under_5":70},"recorded_at":"2023-01-02T08:00:00Z"}
{"type":"CniReported","id":"edge-47","clinic":"VC-R","effective":"2023-01-01","vintage":"SCB-2023","population":100,"hits":{"over_65_alone":10,"born_abroad":20,"unemployed":30,"single_parent":40,"moved_in":50,"low_education":60,"under_5":70},"recorded_at":"2023-01-02T08:00:00Z"}
{"type":"PatientListed","id":"edge-48","personnummer":"19850610-8086","clinic":"VC-N","effective":"2023-02-01","reason":"choice","recorded_at":"2023-02-02T08:00:00Z"}
{"type":"PatientListed","id":"edge-51","personnummer":"195805311015","clinic":"VC-R","effective":"2023-03-01","reason":"choice","recorded_at":"2023-03-03T08:00:00Z"}
{"type":"ResidentRegistered","id":"edge-52","personnummer":"20230615-2220","effective":"2023-01-01","municipality":"1880","reason":"initial","recorded_at":"2023-03-03T08:00:00Z"}
{"type":"PatientListed","id":"edge-53","personnummer":"20230615-2220","clinic":"VC-A","effective":"2023-01-01","reason":"choice","recorded_at":"2023-03-03T08:00:00Z"}
{"type":"PatientUnlisted","id":"edge-49","personnummer":"20080289-3032","clinic":"VC-A","effective":"2023-04-01","reason":"choice_elsewhere","recorded_at":"2023-04-03T08:00:00Z"}
{"type":"PatientListed","id":"edge-50","personnummer":"20080289-3032","clinic":"VC-N","effective":"2023-04-01","reason":"choice","recorded_at":"2023-04-03T08:00:01Z"}
{"type":"PatientListed","id":"edge-54","personnummer":"19900115-4047","clinic":"VC-B","effective":"2023-05-31","reason":"choice","recorded_at":"2023-06-02T08:00:00Z"}
{"type":"ResidentDied","id":"edge-55","personnummer":"19900115-4047","effective":"2023-05-31","recorded_at":"2023-06-02T08:00:00Z"}
{"type":"ClinicClosed","id":"edge-56","clinic":"VC-C","effective":"2023-05-31","recorded_at":"2023-06-02T08:00:00Z"}
{"type":"ClinicChanged","id":"edge-57","clinic":"VC-B","effective":"2023-06-01","distance_to_hospital_km":"30.0","recorded_at":"2023-06-02T08:00:00Z"}
{"type":"VisitsReported","id":"edge-58","clinic":"VC-A","month":"2023-05","counts":{"home_visits":1,"other_listed":1,"unlisted":1,"out_of_region":1},"recorded_at":"2023-06-05T08:00:00Z"}
{"type":"VisitsReported","id":"edge-59","clinic":"VC-C","month":"2023-06","counts":{"home_visits":5,"other_listed":5,"unlisted":5,"out_of_region":5},"recorded_at":"2023-06-05T08:00:00Z"}
{"type":"VisitsReported","id":"edge-60","clinic":"VC-A","month":"2023-05","counts":{"home_visits":4,"other_listed":0,"unlisted":2,"out_of_region":0},"recorded_at":"2023-06-20T08:00:00Z"}
{"type":"EventRetracted","id":"edge-61","target":"edge-44","reason":"wrong population","recorded_at":"2023-07-01T08:00:00Z"}
{"type":"RulebookPublished","id":"edge-62","rulebook":{"id":"E-2023-rev","title":"Edge E-2023-rev","decision":"E-E-2023-rev","decided_by":"regionstyrelsen","decided_on":"unknown","valid_from":"2023-01-01","valid_until":"2024-01-01","snapshot":"last_day_of_month","retro_window_months":12,"capitation":{"bands":[{"min_age":0,"amount":"1260.00"},{"min_age":65,"amount":"5000.50"}]},"performance":{"amount":"192.00"}},"recorded_at":"2023-07-15T08:00:00Z"}
{"type":"PerformanceReported","id":"edge-63","clinic":"VC-N","period_from":"2023-01","period_to":"2023-12","fulfilment":"1.000","recorded_at":"2023-08-10T08:00:00Z"}
{"type":"EventRetracted","id":"edge-64","target":"edge-62","reason":"not decided","recorded_at":"2023-09-01T08:00:00Z"}
{"type":"ResidentRegistered","id":"edge-65","personnummer":"19300101-3337","effective":"2023-09-01","municipality":"1880","reason":"moved_in","recorded_at":"2023-09-02T08:00:00Z"}
{"type":"ResidentDied","id":"edge-66","personnummer":"20160229-2029","effective":"2023-10-15","recorded_at":"2023-10-02T08:00:00Z"}
{"type":"ClinicRegistered","id":"edge-67","clinic":"VC-T","name":"Vårdcentralen VC-T","operator":"private","municipality":"1880","distance_to_hospital_km":"5.0","effective":"2020-01-01","recorded_at":"2023-10-03T08:00:00Z"}
{"type":"ClinicClosed","id":"edge-68","clinic":"VC-T","effective":"2022-02-20","recorded_at":"2023-10-03T08:00:00Z"}
{"type":"VisitsReported","id":"edge-69","clinic":"VC-T","month":"2022-02","counts":{"home_visits":0,"other_listed":300,"unlisted":0,"out_of_region":0},"recorded_at":"2023-10-03T09:00:00Z"}
{"type":"VisitsReported","id":"edge-70","clinic":"VC-T","month":"2022-03","counts":{"home_visits":1,"other_listed":1,"unlisted":1,"out_of_region":1},"recorded_at":"2023-10-03T09:00:00Z"}
{"type":"VisitsReported","id":"edge-71","clinic":"VC-N","month":"2023-02","counts":{"home_visits":1,"other_listed":2,"unlisted":3,"out_of_region":4},"recorded_at":"2023-10-03T10:00:00Z"}
{"type":"RulebookPublished","id":"edge-72","rulebook":{"id":"E-2024","title":"Edge E-2024","decision":"E-E-2024","decided_by":"regionstyrelsen","decided_on":"unknown","valid_from":"2024-01-01","valid_until":"2026-01-01","snapshot":"last_day_of_month","retro_window_months":12,"capitation":{"bands":[{"min_age":0,"amount":"3600.00"},{"min_age":6,"amount":"1700.00"},{"min_age":16,"amount":"1900.00"},{"min_age":25,"amount":"2300.00"},{"min_age":45,"amount":"2900.00"},{"min_age":65,"amount":"4300.00"},{"min_age":75,"amount":"6200.00"},{"min_age":85,"amount":"8100.00"}]},"missions":[{"id":"mottagning","title":"Mottagning","kind":"base"},{"id":"sabo","title":"Läkarmedverkan i särskilt boende","kind":"optional","basis":"per_unit","amount":"5400.00"},{"id":"bvc","title":"Barnhälsovård","kind":"optional","basis":"per_listed","amount":"1200.05","min_age":0,"max_age":6},{"id":"ungdom","title":"Ungdomsmottagning","kind":"optional","basis":"per_listed","amount":"100.10","min_age":13},{"id":"jour","title":"Jour","kind":"optional","basis":"fixed","amount":"25000.01"}]},"recorded_at":"2023-12-15T09:00:00Z"}
{"type":"BudgetFrameSet","id":"edge-73","year":"2024","amount":"50000.00","decision":"23RF100","recorded_at":"2023-12-15T10:00:00Z"}
{"type":"ResidentRegistered","id":"edge-74","personnummer":"20180630-1014","effective":"2024-01-01","municipality":"1880","reason":"moved_in","recorded_at":"2023-12-20T08:00:00Z"}
{"type":"PatientListed","id":"edge-75","personnummer":"20180630-1014","clinic":"VC-A","effective":"2024-01-01","reason":"choice","recorded_at":"2023-12-20T08:00:00Z"}
{"type":"ResidentRegistered","id":"edge-76","personnummer":"20190175-2020","effective":"2024-01-01","municipality":"1880","reason":"moved_in","recorded_at":"2023-12-20T08:00:00Z"}
{"type":"PatientListed","id":"edge-77","personnummer":"20190175-2020","clinic":"VC-A","effective":"2024-01-01","reason":"choice","recorded_at":"2023-12-20T08:00:00Z"}
{"type":"ResidentRegistered","id":"edge-78","personnummer":"20120229-3039","effective":"2024-01-01","municipality":"1880","reason":"moved_in","recorded_at":"2023-12-20T08:00:00Z"}
{"type":"PatientListed","id":"edge-79","personnummer":"20120229-3039","clinic":"VC-B","effective":"2024-01-01","reason":"choice","recorded_at":"2023-12-20T08:00:00Z"}
{"type":"ResidentRegistered","id":"edge-80","personnummer":"20110301-5051","effective":"2024-01-01","municipality":"1880","reason":"moved_in","recorded_at":"2023-12-20T08:00:00Z"}
{"type":"PatientListed","id":"edge-81","personnummer":"20110301-5051","clinic":"VC-B","effective":"2024-01-01","reason":"choice","recorded_at":"2023-12-20T08:00:00Z"}
{"type":"ResidentRegistered","id":"edge-82","personnummer":"20180701-4046","effective":"2024-01-01","municipality":"1880","reason":"moved_in","recorded_at":"2023-12-20T08:00:00Z"}
{"type":"PatientListed","id":"edge-83","personnummer":"20180701-4046","clinic":"VC-N","effective":"2024-01-01","reason":"choice","recorded_at":"2023-12-20T08:00:00Z"}
{"type":"MissionUndertaken","id":"edge-84","clinic":"VC-A","mission":"bvc","effective":"2024-01-01","recorded_at":"2023-12-20T09:00:00Z"}
{"type":"MissionUndertaken","id":"edge-85","clinic":"VC-A","mission":"sabo","effective":"2024-01-01","units":3,"recorded_at":"2023-12-20T09:00:00Z"}
{"type":"MissionUndertaken","id":"edge-86","clinic":"VC-B","mission":"mottagning","effective":"2024-01-01","recorded_at":"2023-12-20T09:00:00Z"}
{"type":"MissionUndertaken","id":"edge-87","clinic":"VC-B","mission":"sabo","effective":"2024-01-01","recorded_at":"2023-12-20T09:00:00Z"}
{"type":"MissionUndertaken","id":"edge-88","clinic":"VC-B","mission":"okand","effective":"2024-01-01","recorded_at":"2023-12-20T09:00:00Z"}
{"type":"MissionUndertaken","id":"edge-89","clinic":"VC-B","mission":"ungdom","effective":"2024-01-01","recorded_at":"2023-12-20T09:00:00Z"}
{"type":"MissionUndertaken","id":"edge-90","clinic":"VC-C","mission":"bvc","effective":"2024-01-01","recorded_at":"2023-12-20T09:00:00Z"}
{"type":"MissionUndertaken","id":"edge-91","clinic":"VC-Z","mission":"jour","effective":"2024-01-01","recorded_at":"2023-12-20T09:00:00Z"}
{"type":"MissionUndertaken","id":"edge-92","clinic":"VC-R","mission":"jour","effective":"2024-01-01","recorded_at":"2023-12-20T09:00:00Z"}
{"type":"MissionUndertaken","id":"edge-93","clinic":"VC-A","mission":"jour","effective":"2024-02-01","recorded_at":"2024-01-20T08:00:00Z"}
{"type":"MissionEnded","id":"edge-94","clinic":"VC-B","mission":"jour","effective":"2024-03-01","recorded_at":"2024-02-05T08:00:00Z"}
{"type":"EventRetracted","id":"edge-95","target":"edge-92","reason":"VC-R never took on jour","recorded_at":"2024-02-10T08:00:00Z"}
{"type":"MissionUndertaken","id":"edge-96","clinic":"VC-A","mission":"sabo","effective":"2024-04-01","units":5,"recorded_at":"2024-03-20T08:00:00Z"}
{"type":"MissionUndertaken","id":"edge-97","clinic":"VC-N","mission":"bvc","effective":"2024-03-01","units":2,"recorded_at":"2024-03-21T08:00:00Z"}
{"type":"MissionUndertaken","id":"edge-98","clinic":"VC-B","mission":"jour","effective":"2024-05-31","recorded_at":"2024-05-20T08:00:00Z"}
{"type":"MissionEnded","id":"edge-99","clinic":"VC-A","mission":"jour","effective":"2024-06-01","recorded_at":"2024-05-21T08:00:00Z"}
{"type":"MissionUndertaken","id":"edge-100","clinic":"VC-A","mission":"jour","effective":"2024-06-01","recorded_at":"2024-05-21T09:00:00Z"}
{"type":"MissionUndertaken","id":"edge-101","clinic":"VC-R","mission":"sabo","effective":"2024-02-01","units":2,"recorded_at":"2024-07-01T08:00:00Z"}
{"type":"MissionUndertaken","id":"edge-102","clinic":"VC-A","mission":"sabo","effective":"2024-09-01","units":4,"recorded_at":"2024-08-20T08:00:00Z"}
{"type":"MissionEnded","id":"edge-103","clinic":"VC-A","mission":"sabo","effective":"2024-09-01","recorded_at":"2024-08-20T09:00:00Z"}
{"type":"MissionEnded","id":"edge-104","clinic":"VC-B","mission":"jour","effective":"2024-10-01","recorded_at":"2024-09-15T08:00:00Z"}
WORLD
edge_lines=$(wc -l < "$SCRATCH/edge.jsonl")
expect_eq "$("$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/edge.store" ingest "$SCRATCH/edge.jsonl")" \
  "stored $edge_lines, duplicate 0, rejected 0 (log head seq $edge_lines)" "ingest of the edge world"
pg_load "$SCRATCH/edge.jsonl" > /dev/null
# Two figures by hand, so that the oracle itself is checked and not only its agreement.
# March 2023 under E-2023 (last day of the previous month): D = 2023-02-28. At VC-A: 19580531-1015
# (64: band 45), 20080289-3032 (samordningsnummer, born 2008-02-29: 14 on D, the birthday comes
# on 1 March; band 6; its unlisting is effective 2023-04-01), 20000101-6062 (23: band 16; the
# listing at VC-B was retracted), 19900115-4047 (33: band 25) and 19700101-7073 (53: band 45; its
# unlisting at VC-B changes nothing). 19850610-8086 moved to VC-N on 2023-02-01, 20230615-2220 is
# not born on D. Bands {0, 6, 16, 25, 45, 65, 75, 85}: {0,1,1,1,2,0,0,0}, N = 5; capitation =
# (1700 + 1900 + 2300 + 2 × 2900) kr / 12 = 1,170,000 öre / 12 = 97,500 öre.
expect_eq "$(pg_value "select listed || ' ' || band_counts::text || ' ' || capitation from month_report('2023-03', $edge_lines, 'VC-A')")" \
  "5 {0,1,1,1,2,0,0,0} 97500" "VC-A in March 2023, by hand"
# June 2022 under E-2022b (first day of the month): D = 2022-06-01, N = 6 at VC-A, and the
# fulfilment of the latest report covering June (0.500, the single-month one sent after the
# yearly 0.800): 6 × 14,230 öre × 500 / 12,000 = 3,557.5 -> 3,558 öre (half away from zero).
expect_eq "$(pg_value "select listed || ' ' || performance from month_report('2022-06', $edge_lines, 'VC-A')")" \
  "6 3558" "VC-A's performance in June 2022, by hand"
# VC-T closes on 2022-02-20, so under E-2022a (last day of the month) it is not open on D =
# 2022-02-28, but it was open on 1-19 February: its 300 other-listed visits are paid, 300 × 650.00
# = 195,000.00 kr = 19,500,000 öre, and nothing else. Its March report (open on no day) is not.
expect_eq "$(pg_value "select listed || ' ' || visits || ' ' || total from month_report('2022-02', $edge_lines, 'VC-T')")" \
  "0 19500000 19500000" "VC-T's visits in February 2022, by hand"
expect_eq "$(pg_value "select count(*) from month_report('2022-03', $edge_lines) where clinic = 'VC-T'")" "0" \
  "VC-T has no line in March 2022"
# VC-N opens on 2023-02-01 under E-2023 (last day of the previous month): D of February is
# 2023-01-31, before the opening, so the grant of 1,000.00 kr in 3 parts (33,333 / 33,333 /
# 33,334 öre) starts in March and its last part is May's. February pays its visits alone:
# 1 × 1,100 + 2 × 650 + 3 × 650 + 4 × 1,500 = 10,350.00 kr = 1,035,000 öre.
expect_eq "$(pg_value "select string_agg(start_grant::text, ' ' order by m) from (select m, (select start_grant from month_report(m, $edge_lines, 'VC-N')) as start_grant from unnest(array['2023-03', '2023-04', '2023-05', '2023-06']) m) g")" \
  "33333 33333 33334 0" "VC-N's start grant from March to June 2023, by hand"
expect_eq "$(pg_value "select listed || ' ' || visits || ' ' || start_grant from month_report('2023-02', $edge_lines, 'VC-N')")" \
  "0 1035000 0" "VC-N's visits in February 2023, by hand"
# Missions under E-2024 (last day of the month; per year: bvc 1,200.05 per listed child 0-5, ungdom
# 100.10 per listed resident of 13 or more, sabo 5,400.00 per unit; jour 25,000.01 a month): each
# clinic's parts × 12 in öre are summed, then divided by 12 once. VC-A, February 2024 (D =
# 2024-02-29): bvc counts 20230615-2220 (0), 20180630-1014 (5) and the samordningsnummer
# 20190175-2020 (5): 3 × 120,005 = 360,015; sabo 3 units × 540,000 = 1,620,000; jour from
# 2024-02-01: 2,500,001 × 12 = 30,000,012; Σ = 31,980,027 / 12 = 2,665,002.25 -> 2,665,002. June (D =
# 2024-06-30): 20180630-1014 is 6 (2 × 120,005 = 240,010), sabo has 5 units from April (2,700,000),
# and jour's end and new undertaking, both effective 2024-06-01, tie: the later (an undertaking)
# holds: 32,940,022 / 12 = 2,745,001.83 -> 2,745,002. September: sabo's new units and its end tie,
# and the end holds: 30,240,022 / 12 = 2,520,001.83 -> 2,520,002.
missions_of() {  # missions_of CLINIC K MONTH...: the clinic's missions in öre, one per month
  local clinic="$1" k="$2"; shift 2
  local m list=""
  for m in "$@"; do list="$list${list:+,}'$m'"; done
  pg_value "select string_agg(x.missions::text, ' ' order by x.m) from (select m, (select r.missions from month_report(m, $k, '$clinic') r) as missions from unnest(array[$list]) m) x"
}
expect_eq "$(missions_of VC-A "$edge_lines" 2024-02 2024-06 2024-09)" "2665002 2745002 2520002" "VC-A's missions in 2024, by hand"
# VC-B's mottagning (base), sabo without units and okand (not listed) pay 0. ungdom, March 2024:
# 19600101-1110 and 20110301-5051 (13 on 2024-03-01): 2 × 10,010 = 20,020 / 12 = 1,668.33 -> 1,668.
# May adds jour effective on D itself (2024-05-31): 20,020 + 30,000,012 = 30,020,032 / 12 =
# 2,501,669.33 -> 2,501,669; jour ends on 2024-10-01. February 2025 (D = 2025-02-28): 20120229-3039
# is still 12 (a 29 February birthday comes on 1 March): 1,668; March 2025: 3 × 10,010 = 30,030 / 12 =
# 2,502.5 -> 2,503 (half away from zero).
expect_eq "$(missions_of VC-B "$edge_lines" 2024-03 2024-05 2024-10 2025-02 2025-03)" "1668 2501669 1668 1668 2503" \
  "VC-B's missions in 2024 and 2025, by hand"
# VC-R's jour of 2024-01-01 pays 2,500,001 öre for January until it is retracted; its sabo of
# 2024-02-01 (2 units), recorded in July, pays 2 × 540,000 / 12 = 90,000 for February once known.
# VC-N's bvc (its units ignored) counts 20180701-4046, 5 in March 2024 (120,005 / 12 = 10,000.42 ->
# 10,000) and 6 on 2024-07-01. VC-C (closed) and VC-Z (never registered) have no line.
retracted=$(pg_value "select r.seq from retraction r join event e on e.seq = r.target_seq where e.event_id = 'edge-92'")
late=$(pg_value "select seq from event where event_id = 'edge-101'")
expect_eq "$(missions_of VC-R $((retracted - 1)) 2024-01) $(missions_of VC-R "$retracted" 2024-01)" "2500001 0" \
  "VC-R's retracted jour, by hand"
expect_eq "$(missions_of VC-R $((late - 1)) 2024-02) $(missions_of VC-R "$late" 2024-02)" "0 90000" "VC-R's late sabo, by hand"
expect_eq "$(missions_of VC-N "$edge_lines" 2024-03 2024-07)" "10000 0" "VC-N's bvc, by hand"
expect_eq "$(pg_value "select count(*) from month_report('2024-06', $edge_lines) where clinic in ('VC-C', 'VC-Z')")" "0" \
  "no line for a closed or never registered clinic with missions"
before=$compared
for month in 2022-{01..12} 2023-{01..12} 2024-{01..12} 2025-{01..12}; do agree "$SCRATCH/edge.store" "$month" "$edge_lines"; done
for ((k = 1; k <= edge_lines; k++)); do agree "$SCRATCH/edge.store" 2023-05 "$k"; done
for ((k = 6; k <= edge_lines; k += 6)); do
  agree "$SCRATCH/edge.store" 2022-06 "$k"
  agree "$SCRATCH/edge.store" 2023-03 "$k"
done
for clinic in VC-A VC-B VC-N VC-R VC-C; do agree "$SCRATCH/edge.store" 2023-08 "$edge_lines" "$clinic"; done
# Every knowledge point from just before E-2024 is known, for the months of the mission events.
e2024=$(pg_value "select seq from event where event_id = 'edge-72'")
for ((k = e2024 - 1; k <= edge_lines; k++)); do
  agree "$SCRATCH/edge.store" 2024-01 "$k"
  agree "$SCRATCH/edge.store" 2024-06 "$k"
  agree "$SCRATCH/edge.store" 2024-09 "$k"
done
for clinic in VC-A VC-B VC-N VC-R VC-C VC-Z; do agree "$SCRATCH/edge.store" 2024-06 "$edge_lines" "$clinic"; done
agree "$SCRATCH/edge.store" 2022-02 "$edge_lines" VC-T
agree "$SCRATCH/edge.store" 2023-02 "$edge_lines" VC-N
echo "   edge cases: $edge_lines events, $((compared - before)) reports agree"

echo "-- random worlds"
check_world random-small 2023 46 4 6 --preset tiny --residents 1500 --years 4 --seed $((RANDOM + 1))
check_world random-orebro 2023 36 3 6 --preset orebro --residents 8000 --years 3 --seed $((RANDOM + 1))

echo "peer_agreement_test: ok ($compared reports agree to the öre)"
