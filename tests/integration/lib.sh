# Shared by the integration tests: the binary under test, a scratch directory and assertions.
set -euo pipefail

: "${CAPLEDGER_BIN:?set by ctest: the capledger binary under test}"
: "${CAPLEDGER_SOURCE_DIR:?set by ctest: the source tree}"
# A fixed test secret (never a real one): 64 hex digits.
export CAPLEDGER_SECRET="00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
SCRATCH="$(mktemp -d /tmp/capledger-it-XXXXXX)"
trap 'rm -rf "$SCRATCH"' EXIT

cl() { "$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/store" "$@"; }

# faults_report SCENARIO FAULTS ACKED LOST DUPLICATED VERIFY [NOTE]: the line tools/faults reads
# from a test that injects faults: how many it injected, how many events (or entries) were
# acknowledged, how many of those were missing or stored twice at the end, and verify's outcome.
faults_report() {
  echo "FAULTS scenario=$1 faults=$2 acked=$3 lost=$4 duplicated=$5 verify=$6${7:+ note=$7}"
}

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$1" == "$2" ] || fail "$3: expected [$2], got [$1]"; }
# expect_exit CODE command...: runs the command and checks its exit code.
expect_exit() {
  local want="$1"; shift
  set +e; "$@"; local got=$?; set -e
  [ "$got" -eq "$want" ] || fail "exit code of [$*]: expected $want, got $got"
}

# start_serve STORE TOKENS [SERVE_ARGS...]: starts `serve` on a free port of 127.0.0.1 and waits
# for its ready line (in $SCRATCH/serve.out); sets SERVE_PID and PORT, logs to $SCRATCH/serve.log,
# and kills it when the test exits.
start_serve() {
  rm -f "$SCRATCH/serve.out"  # the ready line of an earlier serve is not this one's
  "$CAPLEDGER_BIN" --log-level info --data "$1" serve --http 127.0.0.1:0 --tokens "$2" "${@:3}" \
    > "$SCRATCH/serve.out" 2> "$SCRATCH/serve.log" &
  SERVE_PID=$!
  trap 'kill -9 $SERVE_PID 2>/dev/null || true; rm -rf "$SCRATCH"' EXIT
  for ((i = 0; i < 300; i++)); do
    [ -s "$SCRATCH/serve.out" ] && break
    kill -0 "$SERVE_PID" 2>/dev/null || fail "serve exited before it was ready: $(cat "$SCRATCH/serve.log")"
    sleep 0.1
  done
  PORT=$(grep -o '"http": "127.0.0.1:[0-9]*"' "$SCRATCH/serve.out" | grep -o '[0-9]*"$' | tr -d '"')
  [ -n "$PORT" ] || fail "serve printed no ready line: $(cat "$SCRATCH/serve.out") $(cat "$SCRATCH/serve.log")"
}

# stop_serve: SIGTERM, and serve must drain and exit 0.
stop_serve() {
  kill -TERM "$SERVE_PID"
  wait "$SERVE_PID" || fail "serve did not exit 0 after SIGTERM: $(tail -n 5 "$SCRATCH/serve.log")"
  trap 'rm -rf "$SCRATCH"' EXIT
}
