#!/usr/bin/env bash
# Corruption at rest: on copies of a closed store (events, indexes, runs and a checkpoint in table
# files), CAPLEDGER_CORRUPTION_ROUNDS (default 14) seeded damages: a flipped byte in a table file
# (SST), the MANIFEST or CURRENT; a table file or the MANIFEST cut short; a table file or CURRENT
# deleted. After each, `verify`, `report` and `trace` on the damaged copy:
# - never end by a signal (no crash, no abort);
# - a refusal (exit 1 or 2) says what is wrong on stderr;
# - an answer (exit 0) is the undamaged store's answer, byte for byte: nothing is answered from
#   corrupt data. (A damaged block that a command never reads leaves its answer whole.)
source "$(dirname "$0")/lib.sh"

SEED="${CAPLEDGER_CORRUPTION_SEED:-61}"
ROUNDS="${CAPLEDGER_CORRUPTION_ROUNDS:-14}"
echo "corruption_test: seed $SEED, $ROUNDS damages (rerun with CAPLEDGER_CORRUPTION_SEED=$SEED)"
RANDOM=$SEED

"$CAPLEDGER_BIN" --log-level warn generate --preset tiny --residents 20000 --years 1 --seed 8 > "$SCRATCH/world.jsonl"
"$CAPLEDGER_SOURCE_DIR/tools/walk" "$CAPLEDGER_BIN" "$SCRATCH/store" "$SCRATCH/world.jsonl" 2023-01 2023-04
cl checkpoint > /dev/null
ENTRY=$(cl --json entries --run 2023-04 | grep -o '"id": "E-[^"]*"' | head -n 1 | cut -d'"' -f4)
# The undamaged answers.
queries=("verify" "report --month 2023-04" "trace $ENTRY")
for i in "${!queries[@]}"; do
  # shellcheck disable=SC2086
  cl ${queries[$i]} > "$SCRATCH/answer-$i.txt"
done
mv "$SCRATCH/store" "$SCRATCH/pristine"

pick() { local files=("$@"); echo "${files[$((RANDOM % ${#files[@]}))]}"; }
flip() {  # flip FILE: one byte at a seeded offset, xor 0x5a
  local file=$1 size offset byte
  size=$(stat -c %s "$file")
  offset=$(( (RANDOM * 32768 + RANDOM) % size ))
  byte=$(od -An -tu1 -j "$offset" -N1 "$file" | tr -d ' ')
  printf "$(printf '\\%03o' $(( byte ^ 90 )))" | dd of="$file" bs=1 seek="$offset" conv=notrunc status=none
  echo "byte $offset"
}

detected=0 harmless=0
for ((round = 1; round <= ROUNDS; round++)); do
  rm -rf "$SCRATCH/store"
  cp -a "$SCRATCH/pristine" "$SCRATCH/store"
  ssts=("$SCRATCH"/store/*.sst)
  manifest=$(ls "$SCRATCH"/store/MANIFEST-* | head -n 1)
  case $(( RANDOM % 7 )) in
    0|1) file=$(pick "${ssts[@]}"); what="$(basename "$file"): flipped $(flip "$file")" ;;
    2) file=$(pick "${ssts[@]}"); size=$(stat -c %s "$file"); truncate -s $(( RANDOM % size )) "$file"
       what="$(basename "$file"): cut to $(stat -c %s "$file") of $size bytes" ;;
    3) file=$(pick "${ssts[@]}"); rm "$file"; what="$(basename "$file"): deleted" ;;
    4) what="$(basename "$manifest"): flipped $(flip "$manifest")" ;;
    5) size=$(stat -c %s "$manifest"); truncate -s $(( RANDOM % size )) "$manifest"
       what="$(basename "$manifest"): cut to $(stat -c %s "$manifest") of $size bytes" ;;
    6) if (( RANDOM % 2 )); then rm "$SCRATCH/store/CURRENT"; what="CURRENT: deleted"
       else what="CURRENT: flipped $(flip "$SCRATCH/store/CURRENT")"; fi ;;
  esac
  refused=0
  for i in "${!queries[@]}"; do
    set +e
    # shellcheck disable=SC2086
    cl ${queries[$i]} > "$SCRATCH/out.txt" 2> "$SCRATCH/err.txt"
    code=$?
    set -e
    (( code < 128 )) || fail "round $round ($what): [${queries[$i]}] ended by signal $((code - 128)): $(tail -n 3 "$SCRATCH/err.txt")"
    if (( code == 0 )); then
      cmp -s "$SCRATCH/out.txt" "$SCRATCH/answer-$i.txt" \
        || fail "round $round ($what): [${queries[$i]}] answered from damaged data: $(diff "$SCRATCH/out.txt" "$SCRATCH/answer-$i.txt" | head -n 4)"
    else
      [ -s "$SCRATCH/err.txt" ] || [ -s "$SCRATCH/out.txt" ] || fail "round $round ($what): [${queries[$i]}] exit $code, saying nothing"
      refused=$((refused + 1))
    fi
  done
  if (( refused > 0 )); then detected=$((detected + 1)); else harmless=$((harmless + 1)); fi
  echo "round $round: $what: $refused of ${#queries[@]} commands refused, the rest answered as before"
done
(( detected > 0 )) || fail "no damage was detected: the test did not test it"
faults_report corruption "$ROUNDS" 0 0 0 ok "${detected}_detected_${harmless}_in_blocks_no_command_read"
echo "corruption_test: ok ($detected damages detected, $harmless harmless, none answered from)"
