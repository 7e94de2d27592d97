#!/usr/bin/env bash
# The storage benchmark of BENCHMARKS.md, in one run on one machine: raw write+fdatasync limits, the store's
# durable appends with 1/16/64 writers, and a throwaway PostgreSQL 15 cluster (8 clients) as baseline.
# Usage: Benchmarks/storage.sh [seconds-per-measurement]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
swift build -c release --product pesa-bench >/dev/null
.build/release/pesa-bench storage --seconds "$seconds"
pg=$(Benchmarks/postgres-baseline.sh "$seconds" 8 | awk '/postgres_tps/ {print $2}')
echo "| PostgreSQL 15, 8 clients, one INSERT per transaction, synchronous_commit=on | $pg | (baseline for 64 writers) |"
