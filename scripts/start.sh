#!/usr/bin/env bash
# Starts the product on the embedded defaults: SQLite, the GitHub simulator and the dev
# sign-in; no credentials needed. App on http://localhost:3000, backend on :7007.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if command -v yarn >/dev/null 2>&1; then
  exec yarn start "$@"
else
  exec corepack yarn start "$@"
fi
