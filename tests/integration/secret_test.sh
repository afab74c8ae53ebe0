#!/usr/bin/env bash
# A wrong or missing region secret on an existing store is refused at open, before anything is
# read or written: every command that pseudonymizes or writes (file and stdin ingest, payout,
# publish, rulebook publish, checkpoint, rejects, explain, serve, serve with Kafka ingest) exits 2
# and says what to do, under a secret of another region, a secret one digit off, and none at all.
# After every refusal the store's verify line and its rejects are as they were, and with the right
# secret the same ingest stores its events.
source "$(dirname "$0")/lib.sh"

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --years 1 --seed 3 > "$SCRATCH/world.jsonl"
head -n 4000 "$SCRATCH/world.jsonl" > "$SCRATCH/first.jsonl"
sed -n '4001,5000p' "$SCRATCH/world.jsonl" > "$SCRATCH/next.jsonl"
printf '{"type":"ClinicClosed","id":"bad-1"\n' >> "$SCRATCH/first.jsonl"   # one reject, kept encrypted
set +e; cl ingest "$SCRATCH/first.jsonl" > /dev/null; set -e
printf 'operator op-secret-test-0123456789\n' > "$SCRATCH/tokens"
chmod 600 "$SCRATCH/tokens"
before=$(cl verify)
rejects_before=$(cl rejects | wc -l)
expect_eq "$rejects_before" "1" "the reject kept before the refusals"

other="$(printf 'ab%.0s' {1..32})"
last="${CAPLEDGER_SECRET: -1}"
one_off="${CAPLEDGER_SECRET%?}$([ "$last" == 0 ] && echo 1 || echo 0)"   # the last hex digit changed
[ "$one_off" != "$CAPLEDGER_SECRET" ] || fail "the secret one digit off is the secret"
commands=(
  "ingest $SCRATCH/next.jsonl"
  "payout --month 2023-01"
  "publish --year 2023 --through 2023-01 --out $SCRATCH/public"
  "rulebook publish $CAPLEDGER_SOURCE_DIR/config/rulebooks/KoK-2024.toml"
  "checkpoint"
  "rejects"
  "explain --resident 19121212-1212 --month 2023-01"
  "serve --http 127.0.0.1:0 --tokens $SCRATCH/tokens"
  "serve --http 127.0.0.1:0 --tokens $SCRATCH/tokens --kafka-mock"
)
refusals=0
for secret in "$other" "$one_off" ""; do
  kind="a wrong"
  [ -n "$secret" ] || kind="no"
  for command in "${commands[@]}"; do
    # shellcheck disable=SC2086
    set +e
    out=$(CAPLEDGER_SECRET="$secret" timeout 20 "$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/store" $command 2>&1 < /dev/null)
    code=$?
    set -e
    expect_eq "$code" "2" "[$command] under $kind secret"
    if [ -n "$secret" ]; then
      [[ "$out" == *"another region secret"*"set CAPLEDGER_SECRET"* ]] || fail "[$command]'s refusal: $out"
    else
      [[ "$out" == *"no region secret"* ]] || fail "[$command]'s refusal without a secret: $out"
    fi
    expect_eq "$(cl verify)" "$before" "the store after [$command] was refused"
    refusals=$((refusals + 1))
  done
  # From standard input too.
  set +e
  CAPLEDGER_SECRET="$secret" "$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/store" ingest - < "$SCRATCH/next.jsonl" > /dev/null 2>&1
  code=$?
  set -e
  expect_eq "$code" "2" "ingest from stdin under $kind secret"
  refusals=$((refusals + 1))
done
expect_eq "$(cl verify)" "$before" "the store after every refusal"
expect_eq "$(cl rejects | wc -l)" "$rejects_before" "the rejects after every refusal"

out=$(cl ingest "$SCRATCH/next.jsonl")
[[ "$out" == "stored 1000,"* ]] || fail "the same ingest with the right secret: $out"
cl verify > /dev/null
faults_report wrong_secret "$refusals" 0 0 0 ok "refused_at_open"
echo "secret_test: ok ($refusals refusals, nothing changed)"
