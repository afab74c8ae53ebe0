# A throwaway PostgreSQL 15 cluster on 127.0.0.1 in a temporary directory. Source it, then:
#   pg_start DIR      initdb in DIR/cluster and start it on a free port (sets PG_PORT)
#   pg_stop           stop it (safe to call twice; call it from an EXIT trap)
#   pg_sql ARGS...    psql on the cluster's database, quiet, stopping at the first error
#   pg_load WORLD     load a world file (JSON Lines) with COPY, then index, vacuum and analyze it
#   pg_agree STORE MONTH K [CLINIC]
#                     compare capledger's report (store STORE) with month_report; 1 if they differ
# As root, the server runs as user `postgres` (initdb refuses root); DIR is handed to it.

PEER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PG_BINDIR="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"
PG_CLUSTER=""
PG_PORT=""

# Runs a server program as the cluster's owner, from / (the caller's directory may be closed to it).
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && "$@"); fi
}

# A port nobody answers on, from a range away from the usual services.
pg_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "pg.sh: no free port found" >&2
  return 1
}

pg_start() {
  local dir="$1"
  [ -x "$PG_BINDIR/initdb" ] || { echo "pg.sh: no PostgreSQL 15 in $PG_BINDIR (apt-get install postgresql-15)" >&2; return 1; }
  PG_CLUSTER="$dir/cluster"
  mkdir -p "$PG_CLUSTER"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir" "$PG_CLUSTER"; fi
  pg_as_owner "$PG_BINDIR/initdb" -D "$PG_CLUSTER" -U postgres --auth=trust --locale=C --encoding=UTF8 >/dev/null || return 1
  # Memory and planner settings for a 2-core, 24 GiB machine with the data in RAM; wal_level
  # minimal lets the load's CREATE TABLE + COPY in one transaction skip the WAL. Durability stays
  # on (fsync, synchronous_commit): the load commits once.
  cat >> "$PG_CLUSTER/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_CLUSTER'
shared_buffers = '${PG_SHARED_BUFFERS:-4GB}'
work_mem = '256MB'
maintenance_work_mem = '2GB'
effective_cache_size = '16GB'
random_page_cost = 1.1
wal_level = minimal
max_wal_senders = 0
max_wal_size = '8GB'
checkpoint_timeout = '30min'
max_parallel_workers_per_gather = 2
jit = off
CONF
  local tries
  for tries in 1 2 3 4 5; do
    PG_PORT="$(pg_free_port)"
    if pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PG_CLUSTER" -l "$PG_CLUSTER/server.log" -o "-p $PG_PORT" -w -t 60 \
        start >/dev/null; then
      return 0
    fi
    echo "pg.sh: start on port $PG_PORT failed (try $tries), server log:" >&2
    tail -n 5 "$PG_CLUSTER/server.log" >&2 || true
  done
  return 1
}

pg_stop() {
  if [ -n "$PG_CLUSTER" ] && [ -f "$PG_CLUSTER/postmaster.pid" ]; then
    pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PG_CLUSTER" -m fast -w -t 60 stop >/dev/null || true
  fi
}

pg_sql() {
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"
}

# Drops what a previous load left, then in one transaction: the schema, COPY of the raw lines
# (one jsonb per line, seq = line number), the typed tables and indexes, and the report
# functions; then VACUUM ANALYZE so that the fold's index-only scans see an all-visible heap.
pg_load() {
  local world="$1"
  pg_sql <<SQL
set client_min_messages = warning;
drop schema if exists public cascade;
create schema public;
begin;
\i $PEER_DIR/schema.sql
create temp table stage (seq bigint generated always as identity primary key, doc jsonb not null) on commit drop;
\copy stage (doc) from '$world' with (format csv, quote e'\x01', delimiter e'\x02')
\i $PEER_DIR/load.sql
\i $PEER_DIR/report.sql
\i $PEER_DIR/compare.sql
commit;
vacuum analyze;
SQL
}

# pg_agree STORE MONTH K [CLINIC]: capledger's report for MONTH as known at seq K (one clinic if
# given) against month_report, to the öre. Both must refuse alike (no rulebook in force, clinic
# not open). Prints the differences and returns 1 if there are any. Needs CAPLEDGER_BIN.
pg_agree() {
  local store="$1" month="$2" k="$3" clinic="${4:-}"
  local json="$PG_CLUSTER/../agree.json" what="$month at seq:$k${4:+ clinic $4}"
  local args=(--log-level off --data "$store" --json report --month "$month" --known-at "seq:$k")
  [ -n "$clinic" ] && args+=(--clinic "$clinic")
  local rc=0
  "$CAPLEDGER_BIN" "${args[@]}" > "$json" 2> "$json.err" || rc=$?
  local diffs=""
  if [ "$rc" -eq 2 ]; then
    # capledger refused (no rulebook in force, clinic not open): month_report must refuse with
    # the same message, which names the month or the snapshot date and K.
    local theirs ours
    theirs=$(sed -n '1s/^capledger: //p' "$json.err")
    ours=$(pg_sql -At -c "select * from month_report('$month', $k, nullif('$clinic', ''))" 2>&1 \
             | sed -n 's/^ERROR:  //p' | head -n 1)
    [ -n "$ours" ] && [ "$ours" == "$theirs" ] || diffs="capledger refused: [$theirs]; month_report: [${ours:-no error}]"
  elif [ "$rc" -ne 0 ]; then
    diffs="capledger exited $rc: $(cat "$json.err")"
  else
    diffs=$(pg_sql -At -F ' ' 2>&1 <<SQL
\set doc \`cat '$json'\`
select * from report_differences('$month', $k, nullif('$clinic', ''), :'doc'::jsonb);
SQL
) || diffs="month_report failed: $diffs"
  fi
  if [ -n "$diffs" ]; then
    echo "DIFFERENT $what:" >&2
    echo "$diffs" | head -n 20 >&2
    return 1
  fi
  return 0
}
