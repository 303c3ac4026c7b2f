#!/usr/bin/env bash
# Runs the shared conformance runner (../shared/conformance/run.mjs) against a fresh `stepwright serve` and
# compares its per-case report with the known differences for serve (test/conformance/known-differences.json,
# "serve"; scripts/conformance-check.ts): any failing level not listed fails, and so does a listed one that
# passes now. Skips (exit 0) with a message when ../shared is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
runner=../shared/conformance/run.mjs
if [ ! -f "$runner" ]; then
  echo "conformance (serve): ../shared/conformance is absent; skipped"
  exit 0
fi
work=$(mktemp -d)
port=${STEPWRIGHT_CONFORMANCE_PORT:-18083}
# serve refuses a --functions folder that does not exist, so the runner's folder is made first.
mkdir -p "$work/functions"
./bin/stepwright serve --port "$port" --data "$work/data" --functions "$work/functions" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening" "$work/serve.log" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "conformance (serve): serve exited at start"; cat "$work/serve.log"; exit 1; }
  sleep 0.1
done
node "$runner" --endpoint "http://127.0.0.1:$port" --cases ../shared/conformance/cases \
  --functions-dir "$work/functions" --concurrency 8 --timeout-s 60 --report "$work/report.json" >"$work/runner.log" 2>&1 || {
  echo "conformance (serve): the runner could not run"; cat "$work/runner.log"; exit 1; }
node scripts/conformance-check.ts "$work/report.json"
