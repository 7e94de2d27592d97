#!/usr/bin/env bash
# How a large maintenance write (a 10 MB snapshot every half second) delays a small journal append's
# fdatasync on the same disk, for each way of writing it (see Benchmarks/maintenance-writes/writer.c).
# The baseline is the probe alone in the same run. Usage: Benchmarks/maintenance-writes.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
bin=$(mktemp -d)
trap 'rm -rf "$bin"; rm -f ./.maintenance-probe.dat ./.w?.dat' EXIT
cc -O2 -o "$bin/writer" Benchmarks/maintenance-writes/writer.c
cc -O2 -o "$bin/probe" Benchmarks/maintenance-writes/probe.c
echo "| round | writer | probe append+fdatasync latency |"
echo "|---|---|---|"
for round in $(seq 1 "$rounds"); do
  echo "| $round | none (baseline) | $("$bin/probe" 9 ./.maintenance-probe.dat) |"
  for mode in 0 1 2 3; do
    "$bin/writer" "$mode" 8 &
    writer=$!
    result=$("$bin/probe" 9 ./.maintenance-probe.dat)
    wait "$writer"
    echo "| $round | mode $mode | $result |"
    sleep 2
  done
done
