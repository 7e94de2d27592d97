#!/usr/bin/env bash
# PostgreSQL baseline for the storage benchmark: a throwaway PostgreSQL 15 cluster on 127.0.0.1, 8 clients
# each inserting the same ~300-byte record, one transaction per insert, synchronous_commit=on.
# Prints "postgres_tps <N>". Usage: Benchmarks/postgres-baseline.sh [seconds] [clients]
set -euo pipefail
seconds=${1:-10}
clients=${2:-8}
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/initdb" ] || { echo "PostgreSQL 15 is not installed (apt-get install postgresql-15)" >&2; exit 2; }
run_as=()
if [ "$(id -u)" -eq 0 ]; then run_as=(runuser -u postgres --); fi
scratch=$(mktemp -d /tmp/pesa-pg-XXXXXX)
chmod 777 "$scratch"
port=$((20000 + RANDOM % 20000))
cleanup() { "${run_as[@]}" "$bin/pg_ctl" -D "$scratch/db" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$scratch"; }
trap cleanup EXIT
"${run_as[@]}" "$bin/initdb" -D "$scratch/db" -A trust -U bench >/dev/null
"${run_as[@]}" "$bin/pg_ctl" -D "$scratch/db" -l "$scratch/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$scratch -c synchronous_commit=on -c fsync=on" start >/dev/null
psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U bench -d postgres -q)
"${psql[@]}" -c "CREATE TABLE journal (id bigserial PRIMARY KEY, at_ms bigint NOT NULL, type text NOT NULL, data text NOT NULL)"
payload=$(printf 'p%.0s' $(seq 1 200))
cat > "$scratch/insert.sql" <<SQL
INSERT INTO journal (at_ms, type, data) VALUES (1764331200000, 'payment.settled', '{"id":"pay_bench","pad":"$payload"}');
SQL
"$bin/pgbench" -h 127.0.0.1 -p "$port" -U bench -n -c "$clients" -j 2 -T "$seconds" -f "$scratch/insert.sql" postgres \
    | awk '/^tps/ { printf "postgres_tps %d\n", $3 }'
