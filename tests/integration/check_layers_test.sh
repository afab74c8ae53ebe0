#!/usr/bin/env bash
# tools/check-layers passes on this tree, and fails, naming the file and the line, on a copy of
# it with one upward include (domain -> store) and one third-party header out of its layer
# (rocksdb in projection).
set -euo pipefail
src_dir="${CAPLEDGER_SOURCE_DIR:?}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$src_dir/tools/check-layers" "$src_dir"

mkdir -p "$work/tools"
cp -r "$src_dir/src" "$work/src"
cp "$src_dir/tools/check-layers" "$work/tools/"
printf '#include "store/event_store.h"\n' >>"$work/src/domain/money.cc"
printf '#include <rocksdb/db.h>\n' >>"$work/src/projection/report.cc"
if "$work/tools/check-layers" "$work" 2>"$work/out"; then
  echo "FAIL: check-layers accepted an upward include" >&2
  exit 1
fi
lines="$(wc -l <"$work/src/domain/money.cc")"
grep -q "src/domain/money.cc:$lines: domain may not include store/" "$work/out" ||
  { echo "FAIL: the upward include is not named:" >&2; cat "$work/out" >&2; exit 1; }
grep -q "src/projection/report.cc:.*rocksdb/ belongs to store, not projection" "$work/out" ||
  { echo "FAIL: the misplaced rocksdb include is not named:" >&2; cat "$work/out" >&2; exit 1; }
grep -q "2 include(s) break the layering" "$work/out" ||
  { echo "FAIL: expected exactly two failures:" >&2; cat "$work/out" >&2; exit 1; }
echo "check_layers_test: passed"
