#!/usr/bin/env bash
# Runs every test of the repo: type check, then all Jest suites (store tests on SQLite and
# on a private PostgreSQL started here). Prints a final `N passed, N failed` line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
yarn_cmd() { if command -v yarn >/dev/null 2>&1; then yarn "$@"; else corepack yarn "$@"; fi; }
eval "$(bash scripts/test-postgres.sh)" || { echo "could not start PostgreSQL" >&2; exit 1; }

echo "== type check"
yarn_cmd tsc --noEmit || { echo "0 passed, 1 failed"; exit 1; }

echo "== jest"
mkdir -p artifacts
results=artifacts/jest-results.json
rm -f "$results"
CI=true yarn_cmd backstage-cli repo test --json --outputFile="$results" "$@"
rc=$?
if [ -f "$results" ]; then
  node -e '
    const r = require(require("path").resolve(process.argv[1]));
    const skipped = r.numPendingTests + (r.numTodoTests || 0);
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
    if (r.numTotalTests === 0) process.exitCode = 1;
  ' "$results" || rc=1
else
  echo "0 passed, 1 failed"
  rc=1
fi
exit $rc
