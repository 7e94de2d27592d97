#!/usr/bin/env bash
# The API benchmark of BENCHMARKS.md: wrk (30 connections, 10 s) against an authenticated GET /v1/orgs/{id}
# (JWT) and an API-key-authenticated GET /v1/transactions, next to a hello-world Hummingbird route measured
# in the same run. Loopback only. Usage: Benchmarks/api.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
swift build -c release --product pesa >/dev/null
swift build -c release --product pesa-bench >/dev/null
pesa=.build/release/pesa
data=$(mktemp -d /tmp/pesa-bench-api-XXXXXX)
port=18097
hello=18098
PESA_ADMIN_EMAIL=bench@example.com PESA_ADMIN_PASSWORD=bench-password-1 \
    $pesa serve --demo --data "$data" --port $port --log-level error > "$data/serve.out" 2>&1 &
serve=$!
.build/release/pesa-bench hello --port $hello > /dev/null 2>&1 &
hellopid=$!
trap 'kill $serve $hellopid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && curl -sf http://127.0.0.1:$hello/hello >/dev/null && break; sleep 0.2; done
sleep 1
key=$(grep -o 'pk_test_[A-Za-z0-9]*' "$data/serve.out" | head -1)
org=$(grep -o 'org_[a-z0-9]*' "$data/serve.out" | head -1)
jwt=$(curl -s http://127.0.0.1:$port/v1/auth/login -H 'content-type: application/json' \
    -d '{"email":"bench@example.com","password":"bench-password-1"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
# Lift the demo organization's rate limit, so the benchmark measures the API rather than its 429s.
curl -s -o /dev/null -X PATCH http://127.0.0.1:$port/v1/orgs/$org -H "Authorization: Bearer $jwt" \
    -H 'content-type: application/json' -d '{"rate_limit":1000000}'
run() { # name url [header]
    local out
    if [ -n "${3:-}" ]; then out=$(wrk -t2 -c30 -d${seconds}s --latency -H "$3" "$2"); else out=$(wrk -t2 -c30 -d${seconds}s --latency "$2"); fi
    local rps p99 non2xx
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    echo "$1|$rps|$p99|${non2xx:-0}"
}
base=$(run "hello world" "http://127.0.0.1:$hello/hello")
jwtrow=$(run "GET /v1/orgs/{id} (JWT, super_admin)" "http://127.0.0.1:$port/v1/orgs/$org" "Authorization: Bearer $jwt")
keyrow=$(run "GET /v1/transactions (API key)" "http://127.0.0.1:$port/v1/transactions?limit=10" "Authorization: Bearer $key")
baserps=$(echo "$base" | cut -d'|' -f2)
echo "| route | requests/s | p99 | non-2xx | ratio to hello world |"
echo "|---|---:|---:|---:|---:|"
for row in "$base" "$jwtrow" "$keyrow"; do
    IFS='|' read -r name rps p99 non <<< "$row"
    ratio=$(awk -v a="$rps" -v b="$baserps" 'BEGIN { printf "%.2f", a / b }')
    echo "| $name | $rps | $p99 | $non | $ratio |"
done
