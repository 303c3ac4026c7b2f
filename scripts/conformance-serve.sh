#!/usr/bin/env bash
# Runs the shared conformance runner (../shared/conformance/run.mjs) against a fresh `stepwright serve` and
# fails when fewer cases pass at the OUTCOME level than test/conformance/serve-baseline.txt records.
# Raise that number as the count grows. Skips (exit 0) with a message when ../shared is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
runner=../shared/conformance/run.mjs
if [ ! -f "$runner" ]; then
  echo "conformance (serve): ../shared/conformance is absent; skipped"
  exit 0
fi
work=$(mktemp -d)
port=${STEPWRIGHT_CONFORMANCE_PORT:-18083}
./bin/stepwright serve --port "$port" --data "$work/data" --functions "$work/functions" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening" "$work/serve.log" 2>/dev/null && break
  sleep 0.1
done
mkdir -p "$work/functions"
node "$runner" --endpoint "http://127.0.0.1:$port" --cases ../shared/conformance/cases \
  --functions-dir "$work/functions" --concurrency 8 --timeout-s 60 >"$work/runner.log" 2>&1 || {
  echo "conformance (serve): the runner could not run"; cat "$work/runner.log"; exit 1; }
grep -E '^(FAIL|OUTCOME|HISTORY)' "$work/runner.log" || true
summary=$(tail -n 1 "$work/runner.log")
passed=$(echo "$summary" | sed -E 's/^([0-9]+) passed.*/\1/')
failed=$(echo "$summary" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
baseline=$(tr -dc '0-9' < test/conformance/serve-baseline.txt)
# Printed in words so that CI's test count comes from npm test's closing lines, not from this summary.
echo "conformance (serve): ${passed} cases pass at the OUTCOME level and ${failed} fail; the recorded minimum is ${baseline}"
if [ "$passed" -lt "$baseline" ]; then
  echo "conformance (serve): FAILED: ${passed} is below the recorded ${baseline}"
  exit 1
fi
