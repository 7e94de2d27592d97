#!/usr/bin/env bash
# Where the disk's fdatasync stalls come from: three durable 400-byte writers at once on this disk
# (append, overwrite of a preallocated file, O_DSYNC overwrite; see Benchmarks/sync-stalls/stalls.c).
# Usage: Benchmarks/sync-stalls.sh [seconds] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
rounds=${2:-1}
bin=$(mktemp -d)
trap 'rm -rf "$bin"; rm -f ./.sync-stalls-?.dat' EXIT
cc -O2 -pthread -o "$bin/stalls" Benchmarks/sync-stalls/stalls.c
for round in $(seq 1 "$rounds"); do
  echo "Round $round, $seconds s, $(date -u +%H:%M) UTC:"
  "$bin/stalls" "$seconds"
done
