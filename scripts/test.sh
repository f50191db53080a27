#!/usr/bin/env bash
# Runs every test of the repo: type check, lint and formatting, all Jest suites (store tests on SQLite and on
# a private PostgreSQL started here), the end-to-end test in headless Chromium, the API
# reports, and the adopter test (docs/install.md applied to a fresh create-app app).
# Prints a final `N passed, N failed` line over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
yarn_cmd() { if command -v yarn >/dev/null 2>&1; then yarn "$@"; else corepack yarn "$@"; fi; }
eval "$(bash scripts/test-postgres.sh)" || { echo "could not start PostgreSQL" >&2; echo "0 passed, 1 failed"; exit 1; }
mkdir -p artifacts
passed=0
failed=0
count() { # adds the counts of a `N passed, N failed` line
  local line="$1"
  passed=$((passed + $(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")))
  failed=$((failed + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")))
}

echo "== type check"
if yarn_cmd tsc --noEmit; then count "1 passed, 0 failed"; else count "0 passed, 1 failed"; fi

echo "== lint and formatting"
if yarn_cmd backstage-cli repo lint && yarn_cmd prettier --check . >/dev/null; then
  count "1 passed, 0 failed"
else
  yarn_cmd prettier --check . | tail -n 20
  count "0 passed, 1 failed"
fi

echo "== jest"
results=artifacts/jest-results.json
rm -f "$results"
CI=true yarn_cmd backstage-cli repo test --json --outputFile="$results" "$@"
if [ -f "$results" ]; then
  count "$(node -e '
    const r = require(require("path").resolve(process.argv[1]));
    const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
    console.log(`${r.numPassedTests} passed, ${r.numTotalTests === 0 ? 1 : failed} failed`);
  ' "$results")"
else
  count "0 passed, 1 failed"
fi

echo "== end-to-end (headless Chromium)"
e2e_line=$(bash scripts/e2e.sh 2>&1 | tee artifacts/e2e.log | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
count "${e2e_line:-0 passed, 1 failed}"

echo "== API reports in sync"
if yarn_cmd api-reports:check >artifacts/api-reports.log 2>&1; then
  count "1 passed, 0 failed"
else
  tail -n 30 artifacts/api-reports.log
  count "0 passed, 1 failed"
fi

# After the API reports: both write dist-types/.
echo "== adopter test (fresh create-app app + docs/install.md)"
adopter_line=$(bash scripts/adopter-test.sh 2>&1 | tee artifacts/adopter-test.log | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
count "${adopter_line:-0 passed, 1 failed}"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
