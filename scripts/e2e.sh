#!/usr/bin/env bash
# End-to-end test of the product in real headless Chromium, on the embedded defaults
# (SQLite, the GitHub simulator, the dev sign-in):
#   1. installs Debian's chromium if missing (needs root, as in CI),
#   2. builds the app (production bundle in packages/app/dist),
#   3. starts the backend on a fresh SQLite directory, without a file watcher,
#   4. runs packages/app/e2e/run.ts: waits for the first sync, serves the built app
#      on :3000 (app.baseUrl) and drives Chromium through the scenarios.
# Screenshots, the downloaded CSV and backend.log go to artifacts/e2e/. Prints a final
# `N passed, N failed` line; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
repo_root="$(pwd)"
artifacts="$repo_root/artifacts/e2e"
started_at=$(date +%s)

bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
yarn_cmd() { if command -v yarn >/dev/null 2>&1; then yarn "$@"; else corepack yarn "$@"; fi; }
fail() { echo "e2e: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
elapsed() { echo "$(( $(date +%s) - started_at ))s"; }

export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "== installing chromium"
  [ "$(id -u)" = 0 ] || fail "$CHROMIUM_PATH is missing; install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
    || fail "could not install chromium"
fi

for port in 3000 7007 7010; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is in use (is \`yarn start\` running?); the e2e test needs 3000, 7007 and 7010"
  fi
done

mkdir -p "$artifacts"
echo "== building the app ($(elapsed))"
yarn_cmd workspace app build >"$repo_root/artifacts/app-build.log" 2>&1 \
  || { tail -40 "$repo_root/artifacts/app-build.log"; fail "the app build failed"; }

mkdir -p "$artifacts"
rm -f "$artifacts"/*.png "$artifacts"/*.csv
data_dir="$(mktemp -d)"
backend_pid=""
cleanup() {
  if [ -n "$backend_pid" ]; then
    kill -- "-$backend_pid" 2>/dev/null || kill "$backend_pid" 2>/dev/null
    wait "$backend_pid" 2>/dev/null
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT

echo "== starting the backend ($(elapsed)); log: artifacts/e2e/backend.log"
# 56 days (the default range and the previous period it is compared with) instead of
# the year the demo backfills: the scenarios wait for the first sync to finish. Longer
# when needed to reach back before GitHub's break of 2026-10-06, which the trend charts mark.
since_break=$(( ( $(date -u +%s) - $(date -u -d 2026-09-29 +%s) ) / 86400 ))
backfill_days=$(( since_break > 56 ? (since_break < 360 ? since_break : 360) : 56 ))
# Run directly (not `backstage-cli package start`): no watcher restarting it mid-test.
(
  cd packages/backend &&
    COPILOT_USAGE_DATA_DIR="$data_dir" APP_CONFIG_copilotUsage_backfillDays=$backfill_days exec setsid node \
      -r @backstage/cli/config/nodeTransform.cjs src/index.ts
) >"$artifacts/backend.log" 2>&1 &
backend_pid=$!

echo "== running the scenarios ($(elapsed))"
ARTIFACTS_DIR="$artifacts" yarn_cmd workspace app test:e2e
rc=$?
if [ "$rc" != 0 ]; then
  echo "-- last lines of artifacts/e2e/backend.log:"
  tail -15 "$artifacts/backend.log"
fi
echo "e2e finished in $(elapsed)"
exit $rc
