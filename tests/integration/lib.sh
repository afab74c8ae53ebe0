# Shared by the integration tests: the binary under test, a scratch directory and assertions.
set -euo pipefail

: "${CAPLEDGER_BIN:?set by ctest: the capledger binary under test}"
: "${CAPLEDGER_SOURCE_DIR:?set by ctest: the source tree}"
# A fixed test secret (never a real one): 64 hex digits.
export CAPLEDGER_SECRET="00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
SCRATCH="$(mktemp -d /tmp/capledger-it-XXXXXX)"
trap 'rm -rf "$SCRATCH"' EXIT

cl() { "$CAPLEDGER_BIN" --log-level warn --data "$SCRATCH/store" "$@"; }

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$1" == "$2" ] || fail "$3: expected [$2], got [$1]"; }
# expect_exit CODE command...: runs the command and checks its exit code.
expect_exit() {
  local want="$1"; shift
  set +e; "$@"; local got=$?; set -e
  [ "$got" -eq "$want" ] || fail "exit code of [$*]: expected $want, got $got"
}
