#!/usr/bin/env bash
# The payments benchmark of BENCHMARKS.md: completed STK payments/s through a real `pesa serve --demo`
# child (embedded Daraja sandbox, 127.0.0.1 only), closed loop with 16, 64 and 256 clients, then the push API's latency
# in open loop at 1,000/s and at half the best closed-loop rate, next to the raw fdatasync limit of the same disk,
# all in one run. Usage: Benchmarks/payments.sh [seconds-per-step] [extra `pesa-bench payments` options...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift || true
swift build -c release --product pesa >/dev/null
swift build -c release --product pesa-bench >/dev/null
.build/release/pesa-bench payments --seconds "$seconds" --open-seconds "$seconds" "$@"
