# The finance feed's topic against the ledger, for the feed tests and the cluster's.
# Needs: SCRATCH, fail, jq.
# check_feed_topic TOPIC_JSONL ENTRIES_JSON LOG_JSONL: the finance feed's topic as kcat -J read it
# (TOPIC_JSONL), deduplicated by entry id, against the ledger (`entries --json` in ENTRIES_JSON,
# `log` in LOG_JSONL): the same entries, with the log's seq, hash and recorded_at, amount_ore
# equal to amount, each clinic's in log order, and every run's run-completed messages with its
# entry count. Sets FEED_MESSAGES (entry messages on the topic) and FEED_ENTRIES (distinct ids).
check_feed_topic() {
  local topic="$1" ledger="$2" log="$3" work
  work=$(mktemp -d "$SCRATCH/feed-check-XXXXXX")
  # Entry messages in the order kcat read them (which keeps each partition's order).
  jq -c '.payload | fromjson | select(.message == null)' "$topic" > "$work/entries.jsonl"
  # First occurrence of each entry id.
  jq -c -s 'reduce .[] as $e ({seen: {}, out: []};
              if .seen[$e.id] then . else .seen[$e.id] = true | .out += [$e] end) | .out[]' \
    "$work/entries.jsonl" > "$work/kept.jsonl"
  FEED_MESSAGES=$(wc -l < "$work/entries.jsonl")
  FEED_ENTRIES=$(wc -l < "$work/kept.jsonl")
  jq -c '.entries[]' "$ledger" | sort > "$work/ledger.sorted"
  jq -c 'del(.amount_ore, .seq, .recorded_at, .hash)' "$work/kept.jsonl" | sort > "$work/topic.sorted"
  cmp -s "$work/ledger.sorted" "$work/topic.sorted" \
    || fail "the deduplicated topic differs from entries --json: $(diff "$work/ledger.sorted" "$work/topic.sorted" | head -c 600)"
  # amount_ore is the amount in öre; seq and hash are the log's.
  jq -e -s 'all(.[]; (.amount | sub("\\."; "") | tonumber) == .amount_ore)' "$work/kept.jsonl" > /dev/null \
    || fail "an amount_ore differs from its amount"
  jq -c 'select(.type == "LedgerEntry") | {id, seq, hash, recorded_at}' "$log" | sort > "$work/log.sorted"
  jq -c '{id, seq, hash, recorded_at}' "$work/kept.jsonl" | sort > "$work/kept-log.sorted"
  cmp -s "$work/log.sorted" "$work/kept-log.sorted" || fail "an entry's seq, hash or recorded_at differs from the log"
  # In log order per clinic: the first occurrences' seqs ascend for each clinic.
  jq -e -s 'group_by(.clinic) | all(.[]; [.[].seq] as $s | $s == ($s | sort))' "$work/kept.jsonl" > /dev/null \
    || fail "a clinic's entries are not in log order"
  # Every run has its run-completed messages (one per partition) with the right count.
  local runs topic_runs
  runs=$(jq -c 'select(.type == "PayoutRun") | {run, entry_count}' "$log" | sort -u)
  topic_runs=$(jq -c '.payload | fromjson | select(.message == "run-completed") | {run, entry_count}' "$topic" | sort -u)
  [ "$topic_runs" == "$runs" ] || fail "run-completed messages: expected [$runs], got [$topic_runs]"
}

# start_kafka_serve: starts serve on $SCRATCH/store with $SCRATCH/kafka.toml and $SCRATCH/tokens in
# the background (log appended to $SCRATCH/serve.log) and waits for its ready line; sets
# SERVE_PID and BASE. Needs: CAPLEDGER_BIN, fail, jq.
start_kafka_serve() {
  rm -f "$SCRATCH/serve.out"
  "$CAPLEDGER_BIN" --log-level info --config "$SCRATCH/kafka.toml" --data "$SCRATCH/store" serve --http 127.0.0.1:0 \
    --tokens "$SCRATCH/tokens" > "$SCRATCH/serve.out" 2>> "$SCRATCH/serve.log" &
  SERVE_PID=$!
  for ((i = 0; i < 300; i++)); do
    [ -s "$SCRATCH/serve.out" ] && break
    kill -0 "$SERVE_PID" 2>/dev/null || fail "serve exited before it was ready: $(tail -5 "$SCRATCH/serve.log")"
    sleep 0.02
  done
  BASE="http://$(jq -r .http "$SCRATCH/serve.out")"
}
